"""The calibration page (issue 17, item 3): per indicator and per assessor, the rubric that assessors read
apart flagged, and only submitted scores and recorded consensus counted (docs/security.md, finding 3)."""

from __future__ import annotations

import re

from certify.accounts.models import Role, UserRole
from certify.insight import ratings
from certify.questionnaire.services import standard_of
from certify.review import rubric_scores
from tests import factories
from tests.factories import make_user

#: the indicator the two assessors read apart: one gives it a step more than the other, every time
APART = "str_members"
APART_TITLE = "Численность и активность участников"


def save(db, assignment, *, apart: int, value: int = 3, submit: bool = True) -> None:
    """The assessor gives `value` everywhere but `apart` on APART, accepts every item, and submits."""
    scores = {i.id: (value, "") for i in standard_of(assignment.application).indicators()}
    scores[APART] = (apart, "")
    marks = factories.every_item_accepted(db, assignment.application)
    rubric_scores.save_scores(db, assignment, scores=scores, feedback={}, marks=marks)
    if submit:
        rubric_scores.submit_scores(db, assignment, assignment.assessor)


def scored_apart(db, coordinator, lenient, strict):
    """An application both assessed and agreed: 3 everywhere, APART 3 by `lenient`, 2 by `strict` and the
    consensus."""
    case = factories.in_review(db, coordinator=coordinator, assessors=[lenient, strict])
    save(db, case.lead, apart=3)
    save(db, case.second, apart=2)
    consensus = {i.id: (3, "") for i in standard_of(case.application).indicators()} | {APART: (2, "")}
    rubric_scores.record_consensus(
        db, case.application, lenient, consensus, marks=factories.every_item_accepted(db, case.application)
    )
    return case


def assessor_row(page: str, name: str) -> list[str]:
    table = page[page.index('id="assessors"') :]
    row = re.search(rf"<th[^>]*>{name}</th>(.*?)</tr>", table, re.S).group(1)
    return re.findall(r"<td[^>]*>(.*?)</td>", row)


def test_assessors_who_read_a_rubric_apart_get_it_flagged_and_their_deviation_shown(db, client_for):
    coordinator = make_user(db, Role.COORDINATOR)
    lenient = make_user(db, Role.ASSESSOR, full_name_ru="Пётр Сергеевич Волков")
    strict = make_user(db, Role.ASSESSOR, full_name_ru="Анна Игоревна Соколова")
    for _ in range(2):
        scored_apart(db, coordinator, lenient, strict)
    db.commit()
    page = client_for(coordinator).get("/insight/calibration").get_data(as_text=True)
    flagged = page[page.index('id="flagged"') : page.index("</div>", page.index('id="flagged"'))]
    assert APART_TITLE in flagged and flagged.count("<li>") == 1
    # 34 indicators: one step above the consensus on one of them; the same score as the other on 33
    assert assessor_row(page, "Пётр Сергеевич Волков") == ["2", "+0,03", "97\xa0%", "0,03"]
    assert assessor_row(page, "Анна Игоревна Соколова") == ["2", "+0,00", "97\xa0%", "0,03"]
    per_indicator = page[page.index("Отклонение по показателям: Пётр Сергеевич Волков") :]
    assert re.search(rf"{APART_TITLE}</th><td[^>]*>\+1,00</td>", per_indicator)


def test_only_submitted_scores_of_the_review_team_count(db):
    coordinator = make_user(db, Role.COORDINATOR)
    lenient, strict = make_user(db, Role.ASSESSOR), make_user(db, Role.ASSESSOR)
    decided = scored_apart(db, coordinator, lenient, strict)
    factories.decide(db, decided.application, coordinator, certify=False)
    factories.appeal(db, decided.application)
    factories.review_appeal(db, decided.application, coordinator)  # the appeal's assessor submits
    drafting = factories.in_review(db, coordinator=coordinator, assessors=[lenient, strict])
    save(db, drafting.lead, apart=4, submit=False)  # a draft, which its assessor may still change
    version = decided.application.standard_version_id
    counted = ratings.submitted_scorings(db, version, coordinator)
    assert sorted((s.application, s.assessor) for s in counted) == sorted(
        [(decided.application.id, lenient.id), (decided.application.id, strict.id)]
    )
    assert set(ratings.recorded_consensus(db, version, coordinator)) == {decided.application.id}


def test_an_assessor_given_a_staff_role_stays_blind_to_what_they_have_yet_to_score(db, client_for):
    coordinator = make_user(db, Role.COORDINATOR)
    lenient = make_user(db, Role.ASSESSOR, full_name_ru="Пётр Сергеевич Волков")
    strict = make_user(db, Role.ASSESSOR)
    case = factories.in_review(db, coordinator=coordinator, assessors=[lenient, strict])
    save(db, case.lead, apart=3)  # the lead has submitted; the second, now also a coordinator, has not
    strict.role_rows.append(UserRole(role=Role.COORDINATOR.value))
    version = case.application.standard_version_id
    assert ratings.submitted_scorings(db, version, strict) == []
    assert [s.assessor for s in ratings.submitted_scorings(db, version, coordinator)] == [lenient.id]
    db.commit()
    page = client_for(strict).get("/insight/calibration").get_data(as_text=True)
    assert "Оценки ещё не отправлялись." not in page  # the version has scores, just none it may see
    assert "Пётр Сергеевич Волков" not in page[page.index('id="assessors"') :]
    page = client_for(coordinator).get("/insight/calibration").get_data(as_text=True)
    assert "Пётр Сергеевич Волков" in page[page.index('id="assessors"') :]


def test_before_any_score_the_page_says_so(db, client_for):
    coordinator = make_user(db, Role.COORDINATOR)
    factories.in_review(db, coordinator=coordinator)
    db.commit()
    page = client_for(coordinator).get("/insight/calibration?version=nonsense").get_data(as_text=True)
    assert "Оценки ещё не отправлялись." in page


def test_the_page_reads_in_english(db, client_for):
    coordinator = make_user(db, Role.COORDINATOR, locale="en")
    scored_apart(db, coordinator, make_user(db, Role.ASSESSOR), make_user(db, Role.ASSESSOR))
    db.commit()
    page = client_for(coordinator).get("/insight/calibration").get_data(as_text=True)
    assert "Descriptors need sharpening" in page and "Number and activity of members" in page
