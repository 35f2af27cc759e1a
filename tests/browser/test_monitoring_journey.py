"""On the demo's monitored clusters: a manager files the yearly report now owed in the browser, and the
coordinator, from the body's monitoring view, reads a cluster's results over the years as charts."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from certify.accounts.models import Role, User
from certify.demo.monitoring import FLAGGED, MONITORED, OPEN, load_demo_monitoring
from certify.monitoring.report import CORE_PAGE
from certify.questionnaire.models import Application
from certify.questionnaire.pages import all_pages
from certify.questionnaire.services import standard_of
from certify.standards.services import install_library
from tests.browser.conftest import log_in
from tests.factories import PASSWORD, make_user
from tests.monitoring.test_filing import core_figures

pytestmark = pytest.mark.browser


@pytest.fixture
def coordinator(db):
    """The demo's monitored clusters, reviewed by the body of this coordinator (committed)."""
    install_library(db)
    coordinator = make_user(db, Role.COORDINATOR, full_name_ru="Ольга Сергеевна Воронцова")
    load_demo_monitoring(db, coordinator, [make_user(db, Role.ASSESSOR) for _ in range(3)], PASSWORD)
    db.commit()
    return coordinator


def demo_manager(db, latest: str) -> User:
    (monitored,) = [m for m in MONITORED if m.latest == latest]
    return db.scalar(sa.select(User).where(User.email == monitored.manager[0]))


def test_a_demo_manager_files_the_yearly_report_and_the_coordinator_reads_the_trends(
    db,
    coordinator,
    live_server,
    page,
    mailbox,  # the demo before the browser: signing runs its own loop
):
    manager = demo_manager(db, OPEN)
    log_in(page, live_server, manager)
    page.get_by_role("link", name="Ежегодные отчёты").click()
    owed = page.locator("tr.listed").first
    assert "Ожидает подачи" in owed.inner_text()
    owed.get_by_role("button", name="Начать отчёт").click()
    page.get_by_role("heading", level=1, name="Итоги года").wait_for()

    for question_id, value in core_figures(participants="52", investment_attracted="150000000").items():
        page.fill(f"[name={question_id}]", value)
    page.get_by_role("button", name="Сохранить").click()
    page.get_by_text("Сохранено.").wait_for()
    report = db.scalar(sa.select(Application).where(Application.id == int(page.url.split("/")[-3])))
    db.refresh(report)
    for area in all_pages(standard_of(report)):
        if area.key == CORE_PAGE:
            continue
        page.goto(f"{live_server}/applications/{report.id}/pages/{area.key}")
        for question in area.questions:
            field = page.locator(f"[name={question.id}]")
            if question.id.endswith("_actual"):
                field.fill("2100")
            elif question.type != "evidence":  # the baseline and the target: carried over from last time
                assert field.input_value() != "", question.id
        page.get_by_role("button", name="Сохранить").click()
        page.get_by_text("Сохранено.").wait_for()

    page.get_by_role("link", name="Итоги и подача").click()
    page.check("[name=confirm]")
    page.get_by_role("button", name="Подать ежегодный отчёт").click()
    page.get_by_role("heading", name=f"Годовой отчёт № {report.id} отправлен").wait_for()
    assert mailbox()[-1]["To"] == manager.email
    db.expire_all()
    assert db.get(Application, report.id).snapshot["kpi_participants"] == "52"

    page.context.clear_cookies()
    log_in(page, live_server, coordinator, "/monitoring/")
    flagged = demo_manager(db, FLAGGED).organisation
    page.get_by_role("link", name=flagged.name("ru")).first.click()
    page.get_by_role("heading", level=1, name=f"Итоги по годам: {flagged.name('ru')}").wait_for()
    chart = page.get_by_role("img", name="Привлечённые инвестиции").first
    assert chart.is_visible() and chart.bounding_box()["height"] > 50
    investment = page.locator("section.trend", has_text="Привлечённые инвестиции").first
    assert investment.locator("tbody tr").count() == 3  # three years reported, the last one flagged
