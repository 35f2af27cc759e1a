"""The calibration export and one application's audit extract: the pages' own numbers and sentences, and
nothing of an application the viewer still has to score (docs/security.md, finding 3)."""

from __future__ import annotations

import io
import json

import sqlalchemy as sa
from openpyxl import load_workbook

from certify.accounts.models import Role, UserRole
from certify.audit.models import AuditEntry
from tests import factories
from tests.factories import make_user
from tests.insight.test_calibration_page import APART, assessor_row, save, scored_apart


def sheets(client, url: str) -> dict[str, list[dict]]:
    response = client.get(url)
    assert response.status_code == 200, url
    book = load_workbook(io.BytesIO(response.data))
    found = {}
    for sheet in book:
        header, *rows = sheet.iter_rows(values_only=True)
        found[sheet.title] = [dict(zip(header, row, strict=True)) for row in rows]
    return found


def test_the_calibration_export_holds_the_pages_tables_and_the_workload(db, client_for):
    coordinator = make_user(db, Role.COORDINATOR, locale="en")
    lenient = make_user(db, Role.ASSESSOR, full_name_en="Pyotr Volkov")
    strict = make_user(db, Role.ASSESSOR, full_name_en="Anna Sokolova")
    for _ in range(2):
        scored_apart(db, coordinator, lenient, strict)
    factories.in_review(db, coordinator=coordinator, assessors=[lenient, strict])  # an open assignment each
    db.commit()
    client = client_for(coordinator)
    page = client.get("/insight/calibration").get_data(as_text=True)
    assert "/insight/exports/calibration.xlsx?version=" in page
    found = sheets(client, "/insight/exports/calibration.xlsx")
    # the page: 2 assessments, +0.03, 97%, 0.03 (one step above the consensus on one of 34 indicators)
    assert assessor_row(page, "Pyotr Volkov") == ["2", "+0.03", "97%", "0.03"]
    volkov = next(row for row in found["Per assessor"] if row["Assessor"] == "Pyotr Volkov")
    assert list(volkov.values())[1:5] == [2, 0.03, 97, 0.03]
    flagged = [
        row["Indicator"] for row in found["Per indicator"] if row["Rubric"] == "Descriptors need sharpening"
    ]
    assert flagged == [APART]
    loads = {row["Assessor"]: row["Open assignments"] for row in found["Workload"]}
    assert loads["Pyotr Volkov"] == loads["Anna Sokolova"] == 1
    deviations = {
        row["Indicator"]: row["Mean deviation from the consensus"]
        for row in found["Deviation per indicator"]
        if row["Assessor"] == "Pyotr Volkov"
    }
    assert deviations[APART] == 1 and set(deviations.values()) == {0, 1}


def test_a_staff_member_still_to_score_gets_none_of_that_applications_scores(db, client_for):
    coordinator = make_user(db, Role.COORDINATOR, locale="en")
    lead = make_user(db, Role.ASSESSOR, full_name_en="Pyotr Volkov")
    second = make_user(db, Role.ASSESSOR, locale="en")
    case = factories.in_review(db, coordinator=coordinator, assessors=[lead, second])
    save(db, case.lead, apart=3)  # the lead has submitted; the second, also a coordinator, has not
    second.role_rows.append(UserRole(role=Role.COORDINATOR.value))
    db.commit()
    blind, sighted = client_for(second), client_for(coordinator)
    url = "/insight/exports/calibration.xlsx"
    assert [row["Assessor"] for row in sheets(blind, url)["Per assessor"]] == []
    assert [row["Assessor"] for row in sheets(sighted, url)["Per assessor"]] == ["Pyotr Volkov"]

    trail = f"/insight/exports/applications/{case.application.id}/audit.xlsx"
    (submitted,) = [
        row for row in sheets(blind, trail)["Audit trail"] if row["Action"] == "review.scores_submitted"
    ]
    assert "scores" not in json.loads(submitted["After"]) and submitted["Scores left out"] == "yes"
    (submitted,) = [
        row for row in sheets(sighted, trail)["Audit trail"] if row["Action"] == "review.scores_submitted"
    ]
    assert (
        json.loads(submitted["After"])["scores"][APART]["score"] == 3 and submitted["Scores left out"] is None
    )


def test_the_audit_extract_is_the_applications_trail_as_sentences_with_its_fields(db, client_for):
    coordinator = make_user(db, Role.COORDINATOR, locale="en")
    case = factories.certified(db, coordinator=coordinator)
    db.commit()
    application = case.application.id
    recorded = db.scalars(sa.select(AuditEntry.id).where(AuditEntry.application_id == application)).all()
    client = client_for(coordinator)
    rows = sheets(client, f"/insight/exports/applications/{application}/audit.xlsx")["Audit trail"]
    assert [row["Entry"] for row in rows] == sorted(recorded)
    (decided,) = [row for row in rows if row["Action"] == "review.decided"]
    level = case.certificate.level_id
    assert decided["What happened"] == f"Decision: certified at level {level}"
    assert decided["Event"] == "Decision made" and json.loads(decided["After"])["state"] == "certified"
    # the extract itself goes on the application's trail
    db.rollback()
    entry = db.scalars(sa.select(AuditEntry).where(AuditEntry.action == "insight.exported")).one()
    assert (entry.application_id, entry.after["rows"]) == (application, len(rows))
    assert client.get("/insight/exports/applications/999999/audit.xlsx").status_code == 404
