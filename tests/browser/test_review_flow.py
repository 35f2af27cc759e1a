"""One application from submission through two blind assessments, a clarification round, consensus and a
decision, in a real browser; the e-mails are read from the mail folder."""

from __future__ import annotations

import pytest

from certify.accounts.models import Role
from certify.audit.services import verify_chain
from certify.questionnaire.services import standard_of
from certify.transitions import active_assignments
from tests import factories
from tests.browser.conftest import log_in, mark_every_file_relevant
from tests.conftest import link_in
from tests.factories import make_user

pytestmark = pytest.mark.browser


@pytest.fixture
def submitted(db):
    manager = make_user(db, Role.MANAGER, full_name_ru="Светлана Игоревна Ким")
    application = factories.submitted(db, manager=manager, seed=8).application
    people = {
        "manager": manager,
        "coordinator": make_user(db, Role.COORDINATOR, full_name_ru="Координатор Органа"),
        "lead": make_user(db, Role.ASSESSOR, full_name_ru="Андрей Ведущий"),
        "second": make_user(
            db, Role.ASSESSOR, full_name_ru="Liisa Second", full_name_en="Liisa Second", locale="en"
        ),
    }
    db.commit()
    return application, people


def log_out(page) -> None:
    page.locator("form[action='/logout'] button").click()
    page.wait_for_load_state()


def mail_to(mailbox, user, fragment: str):
    return next(m for m in reversed(mailbox()) if m["To"] == user.email and fragment in m["Subject"])


def score_everything(page, db, application, value: int) -> None:
    """Every indicator at `value`, and every attached file marked relevant (the first choice)."""
    for indicator in standard_of(application).indicators():
        page.check(f"#score-{indicator.id}-{value}")
    mark_every_file_relevant(page, db, application)


def test_review_from_submission_to_decision(live_server, page, submitted, mailbox, db):
    application, people = submitted
    base = live_server

    log_in(page, base, people["coordinator"], "/review/")
    page.get_by_role("link", name=str(application.id), exact=True).click()
    for who in ("lead", "second"):
        page.check(f"input[name=assessors][value='{people[who].id}']")
    page.select_option("#lead", str(people["lead"].id))
    page.get_by_role("button", name="Назначить").click()
    page.get_by_text("Состав сохранён").wait_for()
    log_out(page)

    assert "Вас просят оценить" in mail_to(mailbox, people["lead"], "оценить")["Subject"]
    english = mail_to(mailbox, people["second"], "assess")
    for who, message in (("lead", mail_to(mailbox, people["lead"], "оценить")), ("second", english)):
        log_in(page, base, people[who], link_in(message))
        page.locator("form[action$='/confirm'] button").click()
        page.wait_for_load_state()
        log_out(page)

    log_in(page, base, people["coordinator"], f"/review/applications/{application.id}/team")
    page.get_by_role("button", name="Начать оценку").click()
    page.get_by_text("Оценка начата.").wait_for()
    log_out(page)

    lead_scores = f"/review/assignments/{_assignment_id(db, application, people['lead'])}/scores"
    log_in(page, base, people["lead"], lead_scores)
    page.get_by_text("Оценка слепая").wait_for()
    page.locator("details summary").first.click()
    page.check("#ask-fin_plan")
    page.fill("#question", "Приложите, пожалуйста, финансовый план на три года.")
    page.get_by_role("button", name="Отправить вопрос").click()
    page.get_by_text("Ваш вопрос отправлен руководителю.").wait_for()
    log_out(page)

    request_mail = mail_to(mailbox, people["manager"], "уточнение")
    log_in(page, base, people["manager"], link_in(request_mail))
    page.get_by_text("финансовый план на три года").wait_for()
    page.fill("#answer", "План приложен, цифры уточнены.")
    page.get_by_role("button", name="Отправить ответ").click()
    page.get_by_text("Ваш ответ отправлен экспертам.").wait_for()
    log_out(page)

    for who, value in (("lead", 3), ("second", 3)):
        assignment_id = _assignment_id(db, application, people[who])
        log_in(page, base, people[who], f"/review/assignments/{assignment_id}/scores")
        assert page.get_by_text("Other assessors").count() + page.get_by_text("Другие эксперты").count() == 0
        score_everything(page, db, application, value)
        page.locator("button[name=submit][value=final]").click()
        page.wait_for_load_state()
        log_out(page)

    scored_mail = mail_to(mailbox, people["lead"], "оценки")
    log_in(page, base, people["lead"], link_in(scored_mail))
    page.get_by_role("button", name="Проверить консенсус").click()  # they agree: the scores are chosen
    page.get_by_role("button", name="Зафиксировать консенсус").click()
    page.get_by_text("Консенсус зафиксирован.").wait_for()
    log_out(page)

    log_in(page, base, people["coordinator"], f"/review/applications/{application.id}/consensus")
    page.fill("#reasons", "Эксперты согласны; требования уровня выполнены.")
    page.get_by_role("button", name="Записать решение").click()
    page.get_by_text("Решение записано.").wait_for()
    log_out(page)

    decision_mail = mail_to(mailbox, people["manager"], "Решение")
    assert str(application.id) in decision_mail["Subject"]
    db.expire_all()
    assert verify_chain(db).ok


def _assignment_id(db, application, user) -> int:
    db.expire_all()
    return next(a.id for a in active_assignments(db, application) if a.assessor_id == user.id)
