"""The lead's consensus in a real browser on a phone: refused without the justifications the divergent
indicators need, kept as typed, then recorded after the confirmation step shows its total and level."""

from __future__ import annotations

import pytest
from babel.numbers import format_decimal

from certify.accounts.models import Role
from certify.questionnaire.services import standard_of
from certify.review import comparison
from tests import factories
from tests.browser.conftest import log_in
from tests.factories import make_user
from tests.review.consensus_steps import COMMENTS, scored_apart

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
TWO_LINES = "Обсудили реестр с руководителем.\nПодтверждена половина участников."


@pytest.fixture
def awaiting(db):
    """An application the assessors scored apart on str_members and gov_team (3 against 1), committed,
    with the result of the consensus the lead will record (2 there, 4 on fin_plan, 3 elsewhere)."""
    lead = make_user(db, Role.ASSESSOR, full_name_ru="Андрей Ведущий")
    case = scored_apart(db, assessors=[lead, make_user(db, Role.ASSESSOR, full_name_ru="Ольга Вторая")])
    rubric = {i.id: 3 for i in standard_of(case.application).indicators()}
    rubric |= {"str_members": 2, "gov_team": 2, "fin_plan": 4}
    outcome = comparison.assessed_outcome(
        db, case.application, rubric, factories.every_item_accepted(db, case.application)
    )
    db.commit()
    return case, outcome


def fits_the_phone(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    box = page.locator("#indicator-str_members .consensus-choice").first.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]


def test_a_divergent_consensus_is_refused_without_justifications_then_recorded_after_confirmation(
    live_server, page, awaiting, db
):
    case, outcome = awaiting
    page.set_viewport_size(PHONE)
    log_in(page, live_server, case.lead.assessor, f"/review/applications/{case.application.id}/consensus")

    # by name, with both comments; nothing chosen where the assessors differ, their score where they agree
    page.get_by_role("group", name="Численность и активность участников").wait_for()
    assert all(page.get_by_text(comment).is_visible() for comment in COMMENTS)
    assert page.input_value("#score-str_members") == "" and page.input_value("#score-fin_plan") == ""
    assert page.input_value("#score-str_growth") == "3"
    fits_the_phone(page)

    page.select_option("#score-str_members", "2")
    page.select_option("#score-gov_team", "2")
    page.select_option("#score-fin_plan", "4")
    page.fill("#justification-gov_team", "Команда укомплектована наполовину.")
    page.get_by_role("button", name="Проверить консенсус").click()

    summary = page.locator("#error-summary")
    summary.wait_for()
    assert "Численность и активность участников" in summary.inner_text()
    assert "Управленческая команда" not in summary.inner_text()
    page.locator("#justification-str_members-error").get_by_text("обоснуйте консенсус").wait_for()
    assert page.input_value("#score-str_members") == "2"
    assert page.input_value("#justification-gov_team") == "Команда укомплектована наполовину."
    fits_the_phone(page)
    summary.get_by_role("link").first.click()
    assert page.evaluate("document.activeElement.id") == "justification-str_members"
    db.expire_all()
    assert db.get(type(case.application), case.application.id).state == "scored"

    page.fill("#justification-str_members", TWO_LINES)
    page.get_by_role("button", name="Проверить консенсус").click()
    check = page.locator("#consensus-check")
    check.wait_for()
    assert f"{format_decimal(outcome.total, locale='ru')} из 100" in check.inner_text()
    assert (outcome.level.name.get("ru") if outcome.level else "Ни один уровень") in check.inner_text()
    db.expire_all()
    assert db.get(type(case.application), case.application.id).state == "scored"

    page.get_by_role("button", name="Вернуться к редактированию").click()  # and everything is still there
    page.get_by_role("button", name="Проверить консенсус").wait_for()
    assert page.input_value("#justification-str_members") == TWO_LINES
    page.get_by_role("button", name="Проверить консенсус").click()

    page.get_by_role("button", name="Зафиксировать консенсус").click()
    page.get_by_text("Консенсус зафиксирован.").wait_for()
    db.expire_all()
    assert db.get(type(case.application), case.application.id).state == "consensus"
    recorded = comparison.consensus_of(db, case.application)
    assert (recorded["str_members"].score, recorded["str_members"].justification) == (2, TWO_LINES)
    assert recorded["fin_plan"].score == 4 and recorded["str_growth"].score == 3
