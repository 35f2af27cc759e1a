"""An assessor scores in a real browser (issue 13, item 5): a partial submission keeps every entry and names
each indicator still unscored as a link to it; the draft autosaves; then the complete scores go in."""

from __future__ import annotations

import pytest

from certify.accounts.models import Role
from certify.questionnaire.services import standard_of
from certify.review import comparison
from certify.review.models import Assignment
from tests import factories
from tests.browser.conftest import log_in, mark_every_file_relevant
from tests.factories import make_user

pytestmark = pytest.mark.browser


@pytest.fixture
def lead(db):
    """The lead assessor of an application under review, and their assignment."""
    assessors = [make_user(db, Role.ASSESSOR, full_name_ru="Андрей Ведущий"), make_user(db, Role.ASSESSOR)]
    case = factories.in_review(db, assessors=assessors)
    db.commit()
    return case.lead


def test_an_assessors_partial_submit_keeps_the_entries(live_server, page, lead, db):
    indicators = list(standard_of(lead.application).indicators())
    given, missing = indicators[:3], indicators[3:]
    area = standard_of(lead.application).areas[0]

    log_in(page, live_server, lead.assessor, "/review/assignments")
    page.get_by_role("link", name="Оценить заявку").click()
    page.wait_for_load_state()
    for indicator, value in zip(given, (4, 2, 0), strict=True):
        page.check(f"#score-{indicator.id}-{value}")
    page.fill(f"#comment-{given[0].id}", "Реестр участников ведётся и публикуется")
    page.fill(f"#strengths-{area.id}", "Сильное ядро участников")
    mark_every_file_relevant(page, db, lead.application)
    page.get_by_role("button", name="Отправить оценки").click()
    page.wait_for_load_state()

    summary = page.locator("#error-summary")
    summary.get_by_text("Черновик сохранён, но оценки не отправлены.").wait_for()
    summary.get_by_text(f"Показателей без оценки: {len(missing)}.").wait_for()
    links = summary.get_by_role("link")
    assert links.count() == len(missing)
    for indicator in missing:  # each named, and the reason beside it
        summary.get_by_role("link", name=indicator.title.ru, exact=True).wait_for()
        block = page.locator(f"#indicator-{indicator.id}")
        assert block.get_by_text("Поставьте оценку от 0 до 4").count() == 1
    for indicator, value in zip(given, (4, 2, 0), strict=True):  # every entry still there
        assert page.is_checked(f"#score-{indicator.id}-{value}")
    assert page.input_value(f"#comment-{given[0].id}") == "Реестр участников ведётся и публикуется"
    assert page.input_value(f"#strengths-{area.id}") == "Сильное ядро участников"

    summary.get_by_role("link", name=missing[0].title.ru, exact=True).click()
    assert page.url.endswith(f"#indicator-{missing[0].id}")

    # The draft autosaves while the assessor types, and a score given clears its mark.
    page.check(f"#score-{missing[0].id}-3")
    assert page.locator(f"#indicator-{missing[0].id}").get_by_text("Поставьте оценку").count() == 0
    page.fill(f"#comment-{missing[0].id}", "Уточнить у руководителя")
    page.locator("#save-status").get_by_text("Все изменения сохранены").wait_for()
    page.goto(f"{live_server}/review/assignments/{lead.id}/scores")
    assert page.is_checked(f"#score-{missing[0].id}-3")
    assert page.input_value(f"#comment-{missing[0].id}") == "Уточнить у руководителя"
    assert page.is_checked(f"#score-{given[0].id}-4")

    # Leaving with a change not yet saved asks first; the assessor stays.
    warned = []

    def stay(dialog):
        warned.append(dialog.type)
        dialog.dismiss()

    page.on("dialog", stay)
    page.fill(f"#comment-{missing[1].id}", "Ещё не сохранено")
    page.click("a.navbar-brand")
    page.wait_for_timeout(300)
    assert warned == ["beforeunload"] and page.url.endswith("/scores")
    page.remove_listener("dialog", stay)

    for indicator in missing[1:]:
        page.check(f"#score-{indicator.id}-3")
    page.get_by_role("button", name="Отправить оценки").click()
    page.wait_for_load_state()
    page.get_by_text("Ваши оценки отправлены.").first.wait_for()
    assert page.locator("input[name^=score-]").count() == 0

    db.expire_all()
    assignment = db.get(Assignment, lead.id)
    assert assignment.scores_submitted_at is not None
    rubric = comparison.rubric_of(db, assignment)
    assert [rubric[i.id] for i in given] == [4, 2, 0] and {rubric[i.id] for i in missing} == {3}
    assert comparison.scores_of(db, assignment)[missing[1].id].comment == "Ещё не сохранено"
