"""Issue 14, item 4: a "not applicable" answer must be confirmed by the assessors. Each assessor confirms or
refuses it, with the manager's justification shown, before submitting; the consensus starts confirmed only
where every assessor confirmed; a refused one scores 0 in the assessed outcome, while the self-assessment
keeps it out. Blind like the scores."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
import sqlalchemy as sa

from certify.accounts.models import Role
from certify.questionnaire.models import Answer
from certify.questionnaire.services import standard_of, typed_answers_of
from certify.review import blind, comparison, findings, rubric_scores
from certify.review.findings import Marks
from certify.scoring import score
from certify.standards.format import LIBRARY
from certify.standards.models import StandardVersion
from certify.standards.services import import_standard, publish_version
from tests import factories
from tests.factories import make_user

QUESTION = "intl_value_chain"
INDICATOR = "intl_projects"
JUSTIFICATION = "Кластер работает только на внутреннем рынке региона"


def publish_with_not_applicable(db) -> None:
    """cmq 1.0 as version 1.8, whose transnational value chain question may be answered "not applicable",
    published after every other version (so current)."""
    factories.install_default_standard(db)
    source = (LIBRARY / "cmq-1.0.yaml").read_text(encoding="utf-8")
    question = f"          - id: {QUESTION}\n            type: yes_no\n"
    assert question in source
    source = source.replace('version: "1.0"', 'version: "1.8"', 1)
    source = source.replace(question, question + "            not_applicable: true\n", 1)
    row = import_standard(db, source, source_name="cmq-1.8.yaml")
    publish_version(db, row)
    row.published_at = db.scalar(sa.select(sa.func.max(StandardVersion.published_at))) + timedelta(seconds=1)
    db.flush()


@pytest.fixture
def declined(db) -> factories.Case:
    """In review, with the manager's "not applicable" (an Answer row, as the questionnaire stores it)."""
    publish_with_not_applicable(db)
    manager = make_user(db, Role.MANAGER)
    draft = factories.make_application(db, manager)
    db.add(Answer(application_id=draft.id, question_id=QUESTION, value={"not_applicable": JUSTIFICATION}))
    db.flush()
    case = factories.in_review(db, manager=manager, application=draft)
    assert case.application.standard_version.version == "1.8"
    return case


def confirming(db, application, confirmed: bool) -> Marks:
    accepted = factories.every_item_accepted(db, application)
    return Marks(accepted.files, {QUESTION: confirmed})


def submit(db, assignment, marks: Marks, value: int = 3) -> None:
    scores = {i.id: (value, "") for i in standard_of(assignment.application).indicators()}
    rubric_scores.save_scores(db, assignment, scores=scores, feedback={}, marks=marks)
    rubric_scores.submit_scores(db, assignment, assignment.assessor)


def test_the_assessor_sees_the_justification_and_confirms_or_refuses(db, client_for, declined):
    db.commit()
    assignment = declined.lead
    page = client_for(assignment.assessor).get(f"/review/assignments/{assignment.id}/scores")
    text = page.get_data(as_text=True)
    assert findings.items_of(db, declined.application).not_applicable == {QUESTION: JUSTIFICATION}
    assert f"Обоснование руководителя: {JUSTIFICATION}" in text
    assert "руководитель ответил «не применимо»" in text
    assert f'id="na-{QUESTION}-0"' in text and "Подтверждаю" in text and "Не подтверждаю" in text


def test_scores_are_not_submitted_until_the_not_applicable_is_marked(db, client_for, declined):
    application = declined.application
    scores = {i.id: (3, "") for i in standard_of(application).indicators()}
    files_only = Marks(factories.every_item_accepted(db, application).files)
    rubric_scores.save_scores(db, declined.lead, scores=scores, feedback={}, marks=files_only)
    with pytest.raises(rubric_scores.ScoresMissing) as refused:
        rubric_scores.submit_scores(db, declined.lead, declined.lead.assessor)
    assert refused.value.unmarked.not_applicable == (QUESTION,) and refused.value.unmarked.files == ()
    db.commit()
    client = client_for(declined.lead.assessor)
    url = f"/review/assignments/{declined.lead.id}/scores"
    posted = {k: v for k, v in factories.all_scores(application, 3).items() if k != f"na-{QUESTION}"}
    response = client.post(url, data={**posted, "submit": "final"})
    assert response.status_code == 422
    assert response.get_data(as_text=True).count("Подтвердите или отклоните этот ответ «не применимо».") == 2
    assert (
        client.post(url, data={**posted, f"na-{QUESTION}": "refused", "submit": "final"}).status_code == 302
    )


def test_a_refused_not_applicable_scores_0_in_the_assessed_outcome_and_stays_out_of_the_self_assessment(
    db, declined
):
    application = declined.application
    submit(db, declined.lead, confirming(db, application, True))
    submit(db, declined.second, confirming(db, application, False))
    own = {a.id: comparison.assessor_outcome(db, a) for a in declined.team}
    assert QUESTION not in own[declined.lead.id].questions
    assert own[declined.second.id].questions[QUESTION] == 0
    confirmed, refused = (own[a.id].indicators[INDICATOR] for a in (declined.lead, declined.second))
    assert (refused.points, refused.max_points) == (confirmed.points, confirmed.max_points + 4)

    indicators = standard_of(application).indicators()
    rubric = {i.id: (3, "") for i in indicators}
    marks = confirming(db, application, False)
    outcome = rubric_scores.record_consensus(db, application, declined.lead.assessor, rubric, marks=marks)
    assert outcome.questions[QUESTION] == 0
    assert comparison.consensus_outcome(db, application) == outcome
    self_assessment = score(standard_of(application), typed_answers_of(db, application)).self_assessment
    assert QUESTION not in self_assessment.questions


def test_the_consensus_starts_confirmed_only_where_every_assessor_confirmed(db, client_for, declined):
    application = declined.application
    submit(db, declined.lead, confirming(db, application, True))
    submit(db, declined.second, confirming(db, application, False))
    db.commit()
    page = client_for(declined.lead.assessor).get(f"/review/applications/{application.id}/consensus")
    text = page.get_data(as_text=True)
    assert re.search(rf'<input checked[^>]*id="na-{QUESTION}-1"', text)  # not confirmed
    assert (
        '<p class="small mb-1">Подтверждено</p>' in text
        and '<p class="small mb-1">Не подтверждено</p>' in text
    )
    assert f"Обоснование руководителя: {JUSTIFICATION}" in text


def test_not_applicable_marks_are_blind_until_the_assessor_submits(db, declined):
    application = declined.application
    submit(db, declined.lead, confirming(db, application, False))
    assert blind.scores_visible_to(db, declined.second).not_applicable == {}
    submit(db, declined.second, confirming(db, application, True))
    seen = blind.scores_visible_to(db, declined.second).not_applicable[QUESTION]
    assert [(peer.assessor.id, peer.accepted) for peer in seen] == [(declined.lead.assessor_id, False)]
