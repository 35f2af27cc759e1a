"""An organisation's yearly results page on a real database: each figure of its accepted reports over the
years, against the median of at least five peers, for the body and the organisation's own managers."""

from __future__ import annotations

import io
from datetime import date, timedelta

import openpyxl
import pytest

from certify.accounts.models import Role
from certify.monitoring import records
from certify.monitoring.models import ReportPeriod
from certify.monitoring.review import accept_report
from certify.monitoring.schedule import schedule_certificate
from tests import factories
from tests.monitoring.test_filing import html
from tests.monitoring.test_report_review import filed


def accepted(db, case, period, **figures):
    report = filed(db, case, period, **figures)
    assessor = factories.make_user(db, Role.ASSESSOR)
    (assignment,) = factories.start_review(db, report, case.coordinator, [assessor])
    accept_report(db, assignment, assessor)
    return report


@pytest.fixture
def peers(db):
    """Six organisations certified on cmq 1.2 at the same level, each with an accepted report for last
    year; the first also for the year before (committed)."""
    factories.install_default_standard(db, "1.2")
    cases = []
    for number in range(6):
        case = factories.certified(db)
        (period,) = schedule_certificate(db, case.certificate)
        period.starts_on, period.due_on = (
            date.today() - timedelta(days=390),
            date.today() - timedelta(days=25),
        )
        accepted(db, case, period, participants=str(20 + 10 * number))
        cases.append(case)
    first = cases[0]
    earlier = ReportPeriod(
        certificate_id=first.certificate.id,
        number=2,
        starts_on=date.today() - timedelta(days=755),
        due_on=date.today() - timedelta(days=390),
    )
    db.add(earlier)
    db.flush()
    accepted(db, first, earlier, participants="18")
    db.commit()
    return cases


def test_the_accepted_reports_are_read_as_one_a_year(db, peers):
    reports = records.accepted_reports(db)
    assert len(reports) == 7
    own = sorted(
        (r.year, r.figures["kpi_participants"])
        for r in reports
        if r.organisation_id == peers[0].application.organisation_id
    )
    assert [value for _, value in own] == [18, 20]


def test_the_coordinator_sees_each_figure_against_the_peers_median(db, peers, client_for):
    client = client_for(peers[0].coordinator)
    organisation = peers[0].application.organisation
    certificate_page = html(client.get(f"/certificates/{peers[0].certificate.number}"))
    assert f"/monitoring/organisations/{organisation.id}/trends" in certificate_page
    page = html(client.get(f"/monitoring/organisations/{organisation.id}/trends"))
    assert "<svg" in page and "Участники кластера" in page
    # the five others reported 30 … 70 participants last year: their median is 50; the year before no peers
    assert '<td class="text-end">50</td>' in page
    assert "меньше 5 сопоставимых организаций" in page


def test_a_manager_sees_only_the_own_organisations_results(db, peers, client_for):
    organisation = peers[0].application.organisation
    own = client_for(peers[0].manager)
    assert own.get(f"/monitoring/organisations/{organisation.id}/trends").status_code == 200
    other = client_for(peers[1].manager)
    assert other.get(f"/monitoring/organisations/{organisation.id}/trends").status_code == 404


def test_the_public_api_gives_the_totals_of_five_or_more_and_withholds_the_rest(db, peers, client):
    body = client.get("/api/v1/monitoring").get_json()
    assert body["min_organisations"] == 5
    last_year = next(y for y in body["years"] if y["year"] == (date.today() - timedelta(days=25)).year)
    (projects,) = [c for c in last_year["breakdowns"]["year"] if c["kpi"] == "joint_projects_started"]
    assert (projects["organisations"], projects["total"], projects["withheld"]) == (6, "36", False)
    earlier = [year for year in body["years"] if year["year"] != last_year["year"]]
    for year in earlier:  # the first organisation alone reported the year before
        assert all(
            cell["withheld"] and cell["total"] is None
            for cells in year["breakdowns"].values()
            for cell in cells
        )


def test_the_coordinator_sees_the_flags_the_index_and_downloads_the_workbook(db, peers, client_for):
    client = client_for(peers[0].coordinator)
    page = html(client.get("/monitoring/"))
    assert "Индекс эффективности" in page and peers[0].application.organisation.name("ru") in page
    response = client.get("/monitoring/effectiveness.xlsx")
    assert response.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(response.data))
    assert "Индекс - Index" in book.sheetnames


def test_before_any_accepted_report_the_workbook_has_its_headings_and_no_rows(db, client_for):
    factories.install_default_standard(db, "1.2")
    coordinator = factories.make_user(db, Role.COORDINATOR)
    db.commit()
    response = client_for(coordinator).get("/monitoring/effectiveness.xlsx")
    assert response.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(response.data))
    index = book["Индекс - Index"]
    assert index.max_row == 1 and index.cell(1, 1).value
