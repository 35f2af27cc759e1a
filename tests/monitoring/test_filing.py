"""Filing a yearly report through the questionnaire's own pages, on a real database: started from the
period, answered and saved (with located messages), submitted once every figure is in, which ends the
period's surveillance; the report never counts as an application for certification."""

from __future__ import annotations

import io
from datetime import date, timedelta

import openpyxl
import pytest
import sqlalchemy as sa

from certify.accounts.models import Role
from certify.monitoring import filing, services
from certify.monitoring.models import ReportPeriod
from certify.monitoring.report import CORE_PAGE, core_question_id, field_page, field_question_id
from certify.monitoring.schedule import schedule_certificate
from certify.outbox.models import OutboxMessage
from certify.questionnaire import services as questionnaire
from certify.questionnaire.models import Answer, Application, EvidenceFile
from certify.questionnaire.workbook_layout import ANSWER_COLUMN, HEADER_ROW, ID_COLUMN
from tests import factories
from tests.questionnaire.test_services import MINIMAL_PDF


def html(response) -> str:
    return response.get_data(as_text=True)


@pytest.fixture
def owed(db):
    """An organisation certified on cmq 1.2, its first report due in 10 days; committed."""
    factories.install_default_standard(db, "1.2")
    case = factories.certified(db)
    (period,) = schedule_certificate(db, case.certificate)
    period.due_on = date.today() + timedelta(days=10)
    db.commit()
    case.period = period
    return case


def core_figures(**changed) -> dict[str, str]:
    figures = {
        "participants": "40",
        "participants_business": "25",
        "participants_research_education": "8",
        "participant_types": "4",
        "team_fte": "3.5",
        "non_budget_share": "35",
        "joint_projects_started": "6",
        "joint_projects_completed": "4",
        "investment_attracted": "125000000",
        "new_products": "5",
        "international_projects": "2",
    } | changed
    return {core_question_id(kpi): value for kpi, value in figures.items()}


def start(client, period) -> Application:
    response = client.post(f"/monitoring/periods/{period.id}/report")
    assert response.status_code == 302, html(response)
    return response


def test_the_manager_starts_the_owed_report_and_finds_it_on_the_questionnaire_pages(db, owed, client_for):
    client = client_for(owed.manager)
    listing = html(client.get("/monitoring/reports"))
    assert owed.certificate.number in listing and "Начать отчёт" in listing
    response = start(client, owed.period)
    report = db.scalar(sa.select(Application).where(Application.period_id == owed.period.id))
    assert response.headers["Location"].endswith(f"/applications/{report.id}/pages/{CORE_PAGE}")
    assert (report.state, report.organisation_id) == ("draft", owed.application.organisation_id)
    assert report.standard_version_id == owed.application.standard_version_id
    page = html(client.get(response.headers["Location"]))
    assert "Итоги года" in page and "Участники кластера" in page
    start(client, owed.period)
    assert db.scalar(sa.select(sa.func.count()).where(Application.period_id == owed.period.id)) == 1
    # not an application for certification: a renewal can be started beside it, and it is not listed there
    assert report.id not in [a.id for a in questionnaire.applications_of(db, report.organisation)]
    renewal = questionnaire.start_application(db, report.organisation, owed.manager)
    assert (
        renewal.period_id is None
        and questionnaire.last_submitted(db, report.organisation) == owed.application
    )


def test_the_report_asks_the_fields_the_cluster_chose(db, owed):
    report = filing.start_report(db, owed.period, owed.manager, date.today())
    chosen = owed.application.snapshot["grn_fields"]
    keys = [page.key for page in questionnaire_pages(report)]
    assert keys == [CORE_PAGE, *(field_page(field) for field in ordered_fields(chosen))]


def questionnaire_pages(report):
    from certify.questionnaire.pages import all_pages

    return all_pages(questionnaire.standard_of(report))


def ordered_fields(chosen):
    order = ["energy_cities", "water", "construction", "environment_waste"]
    return [field for field in order if field in chosen]


def test_a_report_cannot_be_started_before_the_first_reminder_nor_by_another_organisation(db, owed):
    owed.period.due_on = date.today() + timedelta(days=31)
    with pytest.raises(filing.FilingError) as refused:
        filing.start_report(db, owed.period, owed.manager, date.today())
    assert "можно подать" in str(refused.value.message)
    stranger = factories.make_user(db, Role.MANAGER, organisation=factories.make_organisation(db))
    owed.period.due_on = date.today()
    with pytest.raises(filing.FilingError) as refused:
        filing.start_report(db, owed.period, stranger, date.today())
    assert refused.value.status == 403


def test_a_figure_out_of_range_is_refused_beside_its_question_and_the_page_keeps_what_was_typed(
    db, owed, client_for
):
    client = client_for(owed.manager)
    start(client, owed.period)
    report = db.scalar(sa.select(Application).where(Application.period_id == owed.period.id))
    url = f"/applications/{report.id}/pages/{CORE_PAGE}"
    response = client.post(url, data={"version": "0", **core_figures(non_budget_share="135")})
    assert response.status_code == 422
    page = html(response)
    assert 'value="135"' in page and "100" in page
    response = client.post(f"{url}/autosave", data={"version": "0", **core_figures()})
    assert response.get_json() == {"saved": True, "version": 1}


def test_submitting_freezes_the_report_and_ends_the_surveillance_of_its_period(db, owed, client_for):
    client = client_for(owed.manager)
    start(client, owed.period)
    report = db.scalar(sa.select(Application).where(Application.period_id == owed.period.id))
    refused = client.post(f"/applications/{report.id}/submit", data={"confirm": "y"}, follow_redirects=True)
    assert "Чего не хватает для подачи" in html(refused)
    answers = core_figures()
    for page in questionnaire_pages(report)[1:]:
        for question in page.questions:
            if question.type != "evidence":
                answers[question.id] = "100"
    db.add_all(
        Answer(application_id=report.id, question_id=qid, value=value) for qid, value in answers.items()
    )
    db.commit()
    response = client.post(f"/applications/{report.id}/submit", data={"confirm": "y"})
    assert response.status_code == 302, html(response)[-6000:]
    db.expire_all()
    report = db.get(Application, report.id)
    period = db.get(ReportPeriod, owed.period.id)
    assert report.state == "submitted" and period.submitted_at is not None
    assert report.snapshot[core_question_id("participants")] == "40"
    (receipt,) = db.scalars(
        sa.select(OutboxMessage).where(OutboxMessage.template == "monitoring_report_receipt")
    )
    assert owed.certificate.number in receipt.subject
    # nothing more is owed on the period: no reminder, no alert
    assert services.duties(db, period.due_on + timedelta(days=200)) == []


def test_the_next_report_carries_the_baselines_and_targets_over_and_never_the_actual_figures(db, owed):
    report = filing.start_report(db, owed.period, owed.manager, date.today())
    field = ordered_fields(owed.application.snapshot["grn_fields"])[0]
    kpi = next(q for q in questionnaire_pages(report)[1].questions).id.removeprefix(f"kpi_{field}_")
    kpi = kpi.rsplit("_", 1)[0]
    figures = {
        field_question_id(field, kpi, figure): value
        for figure, value in (("actual", "7"), ("baseline", "2"), ("target", "9"))
    }
    report.state, report.submitted_at, report.snapshot = "submitted", owed.period.starts_on, figures
    owed.period.submitted_at = report.submitted_at
    # a 24-month certificate owes one report: the second period is made by hand
    assert schedule_certificate(db, owed.certificate) == []
    second = ReportPeriod(
        certificate_id=owed.certificate.id, number=2, starts_on=owed.period.due_on, due_on=date.today()
    )
    db.add(second)
    db.flush()
    next_report = filing.start_report(db, second, owed.manager, date.today())
    carried = questionnaire.load_answers(db, next_report)
    assert carried == {
        field_question_id(field, kpi, "baseline"): "2",
        field_question_id(field, kpi, "target"): "9",
    }


def started_report(db, owed, client_for):
    client = client_for(owed.manager)
    start(client, owed.period)
    return client, db.scalar(sa.select(Application).where(Application.period_id == owed.period.id))


def test_the_summary_of_a_report_lists_what_is_missing_and_shows_no_score(db, owed, client_for):
    client, report = started_report(db, owed, client_for)
    page = html(client.get(f"/applications/{report.id}/summary"))
    assert "Чего не хватает для подачи" in page and "Участники кластера" in page
    assert "Самооценка" not in page


def test_the_workbook_round_trip_fills_the_report(db, owed, client_for):
    client, report = started_report(db, owed, client_for)
    with client.get(f"/applications/{report.id}/workbook.xlsx") as response:
        assert response.status_code == 200
        book = openpyxl.load_workbook(io.BytesIO(response.data))
    cells = {
        sheet.cell(row, ID_COLUMN).value: sheet.cell(row, ANSWER_COLUMN)
        for sheet in book.worksheets[1:]
        for row in range(HEADER_ROW + 1, sheet.max_row + 1)
        if sheet.cell(row, ID_COLUMN).value
    }
    assert core_question_id("participants") in cells
    cells[core_question_id("participants")].value = 42
    cells[core_question_id("non_budget_share")].value = 140
    data = io.BytesIO()
    book.save(data)
    data.seek(0)
    response = client.post(
        f"/applications/{report.id}/workbook",
        data={"file": (data, "отчёт.xlsx")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 422  # the share above 100 is named with its cell, the rest is saved
    assert "<td>1. Итоги года</td><td>G9</td><td>Введите число от 0 до 100.</td>" in html(response)
    stored = questionnaire.load_answers(db, db.get(Application, report.id))
    assert stored[core_question_id("participants")] == "42"
    assert core_question_id("non_budget_share") not in stored


def test_documents_are_attached_to_a_report_page(db, owed, client_for):
    client, report = started_report(db, owed, client_for)
    upload = {"file": (io.BytesIO(MINIMAL_PDF), "Реестр участников.pdf"), "page": CORE_PAGE}
    response = client.post(
        f"/applications/{report.id}/evidence/{CORE_PAGE}", data=upload, content_type="multipart/form-data"
    )
    assert response.status_code == 302
    (row,) = db.scalars(sa.select(EvidenceFile).where(EvidenceFile.application_id == report.id))
    assert row.original_name == "Реестр участников.pdf"
    assert "Реестр участников.pdf" in html(client.get(f"/applications/{report.id}/pages/{CORE_PAGE}"))
