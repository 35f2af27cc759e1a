"""The exports (issue 17, item 4): each workbook opens, its rows equal the page's numbers, it is streamed
and recorded on the audit trail once its rows are written, and only the body's staff may take one."""

from __future__ import annotations

import io
from collections import Counter
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa
from openpyxl import load_workbook

from certify.accounts.models import Role
from certify.audit.models import AuditEntry
from certify.audit.sentences import sentence
from certify.insight.figures import Spread
from certify.review import appeals
from tests import factories
from tests.factories import make_user
from tests.insight.decided_world import build_world
from tests.insight.html_tables import tables, text_of

AREA = "Area: Cluster structure and participants"


def workbook(client, url: str):
    response = client.get(url)
    assert response.status_code == 200, url
    assert response.mimetype == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert response.headers["Cache-Control"] == "no-store"
    return load_workbook(io.BytesIO(response.data))


def rows_of(sheet) -> list[dict]:
    header, *rows = sheet.iter_rows(values_only=True)
    return [dict(zip(header, row, strict=True)) for row in rows]


def written(value) -> str:
    """A figure as the page writes it in English: one decimal at least, two at most ("0.0#")."""
    text = f"{float(value):.2f}"
    return text[:-1] if text.endswith("0") else text


def exports_recorded(db) -> list[AuditEntry]:
    db.rollback()  # a fresh look: what the export committed since
    recorded = sa.select(AuditEntry).where(AuditEntry.action == "insight.exported")
    return list(db.scalars(recorded.order_by(AuditEntry.id)))  # in the order taken: no order is no order


def test_the_applications_export_has_the_pages_applications_and_figures(db, client_for):
    world = build_world(db)
    client = client_for(world.coordinator)
    page = client.get("/insight/statistics?year=2025").get_data(as_text=True)
    book = workbook(
        client,
        f"/insight/exports/applications.xlsx?version={world.applications[0].standard_version_id}&year=2025",
    )
    rows = rows_of(book["Applications"])
    assert text_of(page, "decided-count") == f"Decided applications: {len(rows)}" == "Decided applications: 6"
    levels = Counter(row["Level"] for row in rows)
    assert [[name, str(levels[name])] for name, _ in tables(page)["levels"]] == tables(page)["levels"]
    spread = Spread.of(row[AREA] for row in rows)
    page_row = next(row for row in tables(page)["areas"] if row[0] == AREA.removeprefix("Area: "))
    assert (
        [str(spread.count), *map(written, spread.five)]
        == page_row[1:]
        == ["6", "25.0", "56.25", "75.0", "75.0", "100.0"]
    )
    # A3 as the table of decided_world has it: the consensus per indicator, its rounds and fields
    a3 = next(row for row in rows if row["No."] == world.applications[2].id)
    assert (
        a3["srv_joint_projects Joint projects of participants"],
        a3["str_members Number and activity of participants"],
    ) == (1, 3)
    assert (a3["Level"], a3["Status"], a3["Clarification rounds"], a3["Priority green fields"]) == (
        "Basic",
        "Certified",
        2,
        "construction",
    )
    assert (a3["Days from submission to the first decision"], a3["Decided on appeal"]) == (30, "no")
    assert a3["Date of the decision"] == datetime(2025, 1, 20, 12)  # 9:00 UTC on the body's clock (Moscow)

    (entry,) = exports_recorded(db)
    assert entry.actor_id == world.coordinator.id and entry.subject_id == "applications"
    assert entry.after == {
        "export": "applications",
        "filters": {"kind": "organisation", "version": "cmq 1.1", "year": 2025},
        "rows": 6,
    }
    assert sentence(entry.action, entry.subject_id, entry.before, entry.after).text() == (
        "Exported applications with their scores, rows: 6; filters: kind: organisation, version: cmq 1.1, "
        "year: 2025"
    )

    book = workbook(client, "/insight/exports/certificates.xlsx")
    certificates = rows_of(book["Certificates"])
    # every decision but A5's certified
    assert sorted(row["Level"] for row in certificates) == [
        "Advanced",
        "Basic",
        "Basic",
        "Basic",
        "Basic",
        "Excellence",
    ]
    assert {row["Status"] for row in certificates} == {"valid"}
    assert exports_recorded(db)[-1].after["rows"] == 6


def test_a_decision_on_appeal_counts_at_its_level_and_is_timed_to_the_first_decision(db, client_for):
    coordinator = make_user(db, Role.COORDINATOR, locale="en")
    case = factories.decided(db, coordinator=coordinator)  # consensus 1 everywhere: not certified
    factories.appeal(db, case.application)
    factories.review_appeal(db, case.application, coordinator, value=4)
    appeals.decide_appeal(
        db, case.application, coordinator, chosen_level="excellence", reasons="Пересмотр", justification=""
    )
    submitted = datetime(2025, 3, 1, 9, tzinfo=UTC)
    case.application.submitted_at, case.decision.decided_at = submitted, submitted + timedelta(days=10)
    db.commit()
    client = client_for(coordinator)
    page = client.get("/insight/statistics").get_data(as_text=True)
    assert tables(page)["levels"][0] == ["Excellence", "1"]
    (row,) = rows_of(workbook(client, "/insight/exports/applications.xlsx")["Applications"])
    assert (row["Level"], row["Level computed by the rules"], row["Decided on appeal"]) == (
        "Excellence",
        "Excellence",
        "yes",
    )
    # the review's consensus, not the appeal assessor's own scores
    assert row["Total score"] == 25 and row["Days from submission to the first decision"] == 10


def test_an_export_is_streamed_and_recorded_once_its_rows_are_written(db, client_for):
    coordinator = make_user(db, Role.COORDINATOR, locale="en")
    factories.certified(db, coordinator=coordinator)
    db.commit()
    response = client_for(coordinator).get("/insight/exports/certificates.xlsx?status=valid", buffered=False)
    assert response.is_streamed
    assert exports_recorded(db) == []  # nothing is written before the rows are
    data = response.get_data()
    response.close()
    (entry,) = exports_recorded(db)
    assert entry.after == {
        "export": "certificates",
        "filters": {"q": "", "status": "valid", "expiring": False, "kind": ""},
        "rows": 1,
    }
    assert len(rows_of(load_workbook(io.BytesIO(data))["Certificates"])) == 1


def test_the_register_exports_with_the_staff_registers_filters(db, client_for):
    coordinator = make_user(db, Role.COORDINATOR, locale="en")
    kept = factories.certified(db, coordinator=coordinator).certificate
    factories.certified(db, coordinator=coordinator)
    db.commit()
    client = client_for(coordinator)
    rows = rows_of(workbook(client, f"/insight/exports/certificates.xlsx?q={kept.number}")["Certificates"])
    assert [row["Certificate No."] for row in rows] == [kept.number]
    assert (rows[0]["Valid until"].date(), rows[0]["Issued"].date()) == (kept.expires_on, kept.issued_on)
    assert (
        rows_of(workbook(client, "/insight/exports/certificates.xlsx?status=revoked")["Certificates"]) == []
    )


@pytest.mark.parametrize("role", [Role.MANAGER, Role.ASSESSOR])
def test_nobody_outside_the_body_may_take_an_export(login, db, role):
    client, _ = login(role)
    for url in (
        "/insight/exports/applications.xlsx",
        "/insight/exports/certificates.xlsx",
        "/insight/exports/calibration.xlsx",
        "/insight/exports/applications/1/audit.xlsx",
    ):
        assert client.get(url).status_code == 403, url
    assert exports_recorded(db) == []
