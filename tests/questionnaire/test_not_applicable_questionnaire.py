"""Issue 14, item 4: the manager declares a question "not applicable to our cluster", with a justification.

Only where the standard allows it; saved on the page and by the autosave in the stored shape of
`certify.questionnaire.answers`, kept as typed when refused, shown in the reader's language, counted as
answered, and left out of the self-assessment's maximum.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
import sqlalchemy as sa
from markupsafe import escape

from certify.accounts.models import Role
from certify.questionnaire import services
from certify.questionnaire.answers import typed_answers, visible_questions
from certify.questionnaire.assessment import self_assessment
from certify.questionnaire.display import shown_answer
from certify.questionnaire.models import Application
from certify.questionnaire.pages import missing
from certify.standards.conditions import parse
from certify.standards.definition import NOT_APPLICABLE, Question, QuestionType, Text
from certify.standards.services import import_standard, publish_version

RUBRIC = (
    """[{ru: "0", en: "0"}, {ru: "1", en: "1"}, {ru: "2", en: "2"}, {ru: "3", en: "3"}, {ru: "4", en: "4"}]"""
)
#: "green" may be answered not applicable in part (the share of water saved, the cubic metres), never
#: wholly: the plan always counts; "two" has no such question
STANDARD = f"""\
code: natest
version: "1.0"
title: {{ru: "Проверка неприменимости", en: "Not-applicable check"}}
description: {{ru: "Описание", en: "Description"}}
validity_months: 24
eligibility:
  - id: elig_members
    title: {{ru: "Участники", en: "Members"}}
    rule: "elig_members_count >= 1"
    evidence: {{ru: "Реестр", en: "Register"}}
    questions:
      - id: elig_members_count
        type: integer
        label: {{ru: "Сколько участников?", en: "How many members?"}}
levels:
  - id: basic
    name: {{ru: "Базовый", en: "Basic"}}
    rank: 1
    min_total: 40
areas:
  - id: green
    title: {{ru: "Зелёная экономика", en: "Green economy"}}
    weight: 60
    indicators:
      - id: green_water
        title: {{ru: "Вода", en: "Water"}}
        weight: 100
        guidance: {{ru: "Совет", en: "Advice"}}
        rubric: {RUBRIC}
        expected_evidence: {{ru: "Отчёт", en: "Report"}}
        questions:
          - id: green_plan
            type: yes_no
            label: {{ru: "Есть ли план?", en: "Is there a plan?"}}
            points_yes: 4
          - id: green_share
            type: single_choice
            label: {{ru: "Водосбережение", en: "Water savings"}}
            not_applicable: true
            options:
              - {{value: none, label: {{ru: "Нет", en: "None"}}, points: 0}}
              - {{value: some, label: {{ru: "Есть", en: "Some"}}, points: 4}}
          - id: green_saved
            type: decimal
            label: {{ru: "Сэкономлено воды", en: "Water saved"}}
            not_applicable: true
            bands:
              - {{maximum: 10, points: 0}}
              - {{minimum: 10, points: 4}}
          - id: green_note
            type: short_text
            label: {{ru: "Примечание", en: "Note"}}
            required: false
  - id: two
    title: {{ru: "Вторая", en: "Second"}}
    weight: 40
    indicators:
      - id: two_a
        title: {{ru: "Б", en: "B"}}
        weight: 100
        guidance: {{ru: "Совет", en: "Advice"}}
        rubric: {RUBRIC}
        expected_evidence: {{ru: "Документы", en: "Documents"}}
        questions:
          - id: two_q
            type: yes_no
            label: {{ru: "Да?", en: "Yes?"}}
            points_yes: 4
"""
REASON = "В регионе кластера нет водоёмких производств."
SAY_WHY = {
    "ru": "Объясните, почему этот вопрос не применим к вашему кластеру.",
    "en": "Say why this question does not apply to your cluster.",
}


def install_standard(db) -> None:
    publish_version(db, import_standard(db, STANDARD, source_name="natest.yaml"))


def start_draft(db, login):
    """A manager's client and their draft on the test standard."""
    install_standard(db)
    db.commit()
    client, _ = login(Role.MANAGER)
    assert client.post("/applications/", data={}).status_code == 302
    return client, db.scalar(sa.select(Application).order_by(Application.id.desc()))


@pytest.fixture
def started(db, login):
    return start_draft(db, login)


def stored(db, application) -> dict:
    db.expire_all()
    return services.load_answers(db, db.get(Application, application.id))


def page_url(application, page: str = "green") -> str:
    return f"/applications/{application.id}/pages/{page}"


def in_english(client) -> None:
    client.post("/language", data={"language": "en"})


def html(response) -> str:
    return response.get_data(as_text=True)


def declared(question: str, reason: str = REASON) -> dict:
    return {f"{question}-not-applicable": "y", f"{question}-justification": reason}


def test_only_a_question_the_standard_allows_offers_not_applicable(started):
    client, application = started
    page = html(client.get(page_url(application)))
    assert 'name="green_share-not-applicable"' in page and 'name="green_saved-justification"' in page
    assert "Не применимо к нашему кластеру" in page
    assert "green_plan-not-applicable" not in page and "green_note-not-applicable" not in page
    in_english(client)
    assert "Not applicable to our cluster" in html(client.get(page_url(application)))


def test_not_applicable_with_a_justification_is_saved_and_kept_on_reload(started, db):
    client, application = started
    data = {"version": "0", "green_plan": "yes", "green_share": "some", **declared("green_share")}
    response = client.post(page_url(application), data={**data, "go": "green"})
    assert response.status_code == 302
    # what was chosen in the answer itself is ignored
    assert stored(db, application) == {"green_plan": "yes", "green_share": {"not_applicable": REASON}}
    page = html(client.get(page_url(application)))
    assert "checked" in _tag(page, 'name="green_share-not-applicable"')
    assert str(escape(REASON)) in page
    # the answer's own input is shown empty and disabled
    for option in ("none", "some"):
        tag = _tag(page, f'name="green_share" type="radio" value="{option}"')
        assert "disabled" in tag and "checked" not in tag


def _tag(page: str, marker: str) -> str:
    """The whole HTML tag that contains `marker`."""
    at = page.index(marker)
    return page[page.rindex("<", 0, at) : page.index(">", at) + 1]


@pytest.mark.parametrize("language", ["ru", "en"])
def test_without_a_justification_the_manager_is_told_and_what_was_typed_stays(started, db, language):
    client, application = started
    if language == "en":
        in_english(client)
    data = {"version": "0", "green_plan": "yes", "green_saved": "12,5" if language == "ru" else "12.5"}
    response = client.post(
        page_url(application), data={**data, **declared("green_saved", "  "), "go": "green"}
    )
    assert response.status_code == 422
    page = html(response)
    assert SAY_WHY[language] in page
    assert "checked" in _tag(page, 'name="green_saved-not-applicable"')
    assert data["green_saved"] in _tag(page, 'name="green_saved"')  # kept, though not read
    assert stored(db, application) == {}


def test_a_justification_too_short_is_refused_with_its_length_keeping_the_text(started, db):
    client, application = started
    response = client.post(
        page_url(application), data={"version": "0", **declared("green_share", "Нет воды")}
    )
    assert response.status_code == 422
    page = html(response)
    assert "Напишите от 10 до 2000 символов (сейчас 8)." in page
    assert "Нет воды</textarea>" in page
    assert stored(db, application) == {}


def test_the_autosave_saves_a_justified_declaration_and_names_a_missing_justification(started, db):
    client, application = started
    url = f"{page_url(application)}/autosave"
    response = client.post(url, data={"version": "0", "green_plan": "no", **declared("green_share", "")})
    assert response.status_code == 422
    assert response.get_json()["errors"] == {"green_share": [SAY_WHY["ru"]]}
    assert stored(db, application) == {"green_plan": "no"}  # the rest of the page is saved
    response = client.post(url, data={"version": "1", "green_plan": "no", **declared("green_share")})
    assert response.get_json() == {"saved": True, "version": 2}
    assert stored(db, application)["green_share"] == {"not_applicable": REASON}
    # unchecked, the answer itself is saved again
    response = client.post(url, data={"version": "2", "green_plan": "no", "green_share": "some"})
    assert response.get_json() == {"saved": True, "version": 3}
    assert stored(db, application)["green_share"] == "some"


def test_a_forged_not_applicable_is_ignored_with_a_message_and_never_stored(started, db):
    client, application = started
    data = {"version": "0", "green_plan": "yes", **declared("green_plan"), "go": "green"}
    response = client.post(page_url(application), data=data, follow_redirects=True)
    assert response.status_code == 200
    warning = "Вопрос «Есть ли план?» нельзя отметить как неприменимый; эта часть формы не учтена."
    assert str(escape(warning)) in html(response)
    assert stored(db, application) == {"green_plan": "yes"}


def test_the_service_refuses_not_applicable_where_the_standard_does_not_allow_it(started, db):
    _, application = started
    application = db.get(Application, application.id)
    manager = application.created_by
    with pytest.raises(services.QuestionnaireError) as refused:
        services.save_page(
            db,
            application,
            "green",
            expected_version=0,
            posted={"green_plan": {"not_applicable": REASON}},
            user=manager,
        )
    assert refused.value.message == "На вопрос «Есть ли план?» нельзя ответить «не применимо»."


def test_the_summary_shows_the_declaration_and_leaves_it_out_of_the_maximum(started, db):
    client, application = started
    answers = {"version": "0", "green_plan": "yes", **declared("green_share"), **declared("green_saved")}
    assert client.post(page_url(application), data=answers).status_code == 302
    page = html(client.get(f"/applications/{application.id}/summary"))
    assert str(escape(f"Не применимо — {REASON}")) in page
    # the plan alone is the indicator's maximum: 4 of 4 points, so the area scores 100
    assert '<th scope="row" class="fw-normal">Зелёная экономика</th><td class="text-end">100</td>' in page
    in_english(client)
    page = html(client.get(f"/applications/{application.id}/summary"))
    assert str(escape(f"Not applicable — {REASON}")) in page
    assert '<th scope="row" class="fw-normal">Green economy</th><td class="text-end">100</td>' in page


def test_an_answer_declared_not_applicable_counts_as_answered_and_can_be_submitted(started, db):
    client, application = started
    answers = {"green_plan": "yes", **declared("green_share"), **declared("green_saved")}
    client.post(page_url(application), data={"version": "0", **answers})
    client.post(page_url(application, "two"), data={"version": "0", "two_q": "no"})
    client.post(page_url(application, "eligibility"), data={"version": "0", "elig_members_count": "3"})
    application = db.get(Application, application.id)
    standard = services.standard_of(application)
    assert missing(standard, services.typed_answers_of(db, application)) == []
    response = client.post(f"/applications/{application.id}/submit", data={"confirm": "y"})
    assert response.status_code == 302
    db.expire_all()
    assert db.get(Application, application.id).state == "submitted"


def test_the_self_assessment_counts_only_the_applicable_questions(db):
    install_standard(db)
    standard = services.definition_of(services.current_version(db))
    declared_answers = {"green_plan": "no", "green_share": {"not_applicable": REASON}, "green_saved": "20"}
    unanswered = {"green_plan": "no", "green_saved": "20"}
    area = self_assessment(standard, typed_answers(standard, declared_answers, {})).areas[0]
    assert area[1] == Decimal("50.0")  # 4 of 8: the plan and the water saved
    assert self_assessment(standard, typed_answers(standard, unanswered, {})).areas[0][1] == Decimal("33.3")


def test_every_display_shows_not_applicable_with_the_justification_in_the_readers_language():
    question = Question("q", QuestionType.YES_NO, Text("Вопрос", "Question"), not_applicable=True)
    value = {"not_applicable": REASON}
    russian = {"Not applicable — %(justification)s": "Не применимо — %(justification)s"}
    assert shown_answer(question, value, "en") == f"Not applicable — {REASON}"
    assert shown_answer(question, value, "ru", russian.get) == f"Не применимо — {REASON}"


def test_conditions_read_not_applicable_as_unanswered_in_the_questionnaire():
    gate = Question("gate", QuestionType.YES_NO, Text("Ворота", "Gate"), not_applicable=True)
    follow = Question(
        "follow", QuestionType.SHORT_TEXT, Text("Далее", "Next"), visible_if=parse("answered(gate)")
    )
    assert visible_questions([gate, follow], {"gate": True}) == {"gate", "follow"}
    assert visible_questions([gate, follow], {"gate": NOT_APPLICABLE}) == {"gate"}
