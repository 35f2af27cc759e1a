"""The attempt page in a real Chromium: answers saved as chosen (by keyboard too), kept through a lost
connection and a reload, and the result opened when the server's time is up."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from certify.exams.models import ExamAnswer, ExamAttempt
from certify.exams.records import form_from_data
from certify.timeutil import utcnow
from tests.browser.conftest import log_in
from tests.exams.exam_steps import candidate, opened

pytestmark = pytest.mark.browser
SAVED = re.compile(r"^Сохранено$")


def _start(page, base, db, exam) -> ExamAttempt:
    page.goto(f"{base}/exams/")
    page.get_by_role("button", name="Начать попытку").click()
    page.wait_for_selector("#exam-attempt")
    db.expire_all()
    return db.query(ExamAttempt).one()


def test_each_answer_is_saved_as_it_is_chosen_and_survives_a_lost_connection(page, live_server, db):
    exam = opened(db)
    who = candidate(db)
    db.commit()
    log_in(page, live_server, who, "/exams/")
    attempt = _start(page, live_server, db, exam)
    first, second = form_from_data(attempt.form).slots[:2]

    page.focus(f"#answer-1-{first.option_order[0]}")
    page.keyboard.press("Space")  # keyboard only
    page.locator("#item-1 [data-save-status]").filter(has_text=SAVED).wait_for()

    page.context.set_offline(True)
    page.check(f"#answer-2-{second.option_order[1]}")
    page.locator("#item-2 [data-save-status]").filter(has_text="Пока не сохранено").wait_for()
    page.context.set_offline(False)
    page.evaluate("window.dispatchEvent(new Event('online'))")
    page.locator("#item-2 [data-save-status]").filter(has_text=SAVED).wait_for()

    db.expire_all()
    assert db.get(ExamAnswer, (attempt.id, first.item_id)).chosen == [first.option_order[0]]
    assert db.get(ExamAnswer, (attempt.id, second.item_id)).chosen == [second.option_order[1]]
    page.reload()
    assert page.is_checked(f"#answer-2-{second.option_order[1]}")


def test_the_attempt_page_fits_a_phone(page, live_server, db):
    exam = opened(db)
    who = candidate(db)
    db.commit()
    page.set_viewport_size({"width": 390, "height": 844})
    log_in(page, live_server, who, "/exams/")
    _start(page, live_server, db, exam)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert page.locator("#time-left").is_visible()


def test_when_the_time_is_up_the_page_opens_the_result(page, live_server, db):
    exam = opened(db, closes_at=utcnow() + timedelta(seconds=4))
    who = candidate(db)
    db.commit()
    log_in(page, live_server, who, "/exams/")
    attempt = _start(page, live_server, db, exam)

    page.wait_for_url(f"**/exams/attempts/{attempt.id}/result", timeout=20_000)

    assert page.get_by_text("Экзамен не сдан").is_visible()


def test_the_exam_pages_have_no_accessibility_violations(live_server, db):
    from playwright.sync_api import sync_playwright

    from certify.accounts.models import Role
    from certify.exams import attempts
    from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS
    from tests.browser.test_accessibility import AXE, WCAG_AA
    from tests.exams.exam_steps import keyed_answers, started
    from tests.factories import make_user

    assert AXE.exists(), "axe-core is missing: run `make setup`"
    exam = opened(db)
    who, staff = candidate(db), make_user(db, Role.COORDINATOR)
    finished = started(db, exam, who)
    attempts.submit_attempt(db, finished, keyed_answers(finished, right=3))
    running = started(db, opened(db), who)
    db.commit()
    pages = {
        who: ["/exams/", f"/exams/attempts/{running.id}", f"/exams/attempts/{finished.id}/result"],
        staff: ["/admin/exams/", f"/admin/exams/{exam.id}", f"/admin/exams/attempts/{finished.id}"],
    }
    found = {}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        for person, paths in pages.items():
            context = browser.new_context(locale="ru-RU", bypass_csp=True)
            page = context.new_page()
            log_in(page, live_server, person, paths[0])
            for path in paths:
                page.goto(f"{live_server}{path}")
                page.add_script_tag(path=str(AXE))
                result = page.evaluate(
                    "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG_AA
                )
                for violation in result["violations"]:
                    found.setdefault(path, []).append(f"{violation['id']}: {violation['nodes'][0]['target']}")
            context.close()
        browser.close()
    assert not found, found
