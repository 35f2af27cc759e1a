"""The body's list of the yearly reports owed (due soon, overdue, suspension proposed) and the dashboard's
numbers behind it, on a real database (issue 18)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from certify.accounts.models import Role
from certify.certificates.models import CertificateStatus
from certify.monitoring.owed import Owed, reports_owed
from certify.monitoring.schedule import schedule_certificate
from certify.timeutil import utcnow
from tests import factories


@pytest.fixture
def owed(db):
    """A certificate on cmq 1.2 whose first report is 40 days overdue, the coordinators alerted 10 days
    ago; committed."""
    factories.install_default_standard(db, "1.2")
    case = factories.certified(db)
    (period,) = schedule_certificate(db, case.certificate)
    period.due_on = date.today() - timedelta(days=40)
    period.alerted_at = utcnow() - timedelta(days=10)
    db.commit()
    return case, period


def page(client, owed_value: str) -> str:
    response = client.get(f"/insight/reports?owed={owed_value}")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_an_overdue_report_is_listed_with_its_days_and_follow_up_and_counted(db, owed, login):
    case, period = owed
    client, _ = login(Role.COORDINATOR)
    overdue = page(client, "overdue")
    number = case.certificate.number
    assert number in overdue and "<td>40</td>" in overdue
    assert "Координаторы уведомлены" in overdue
    assert number not in page(client, "due_soon") and number not in page(client, "suspension_proposed")

    dashboard = client.get("/insight/").get_data(as_text=True)
    assert 'href="/insight/reports?owed=overdue" aria-label="Просрочены: 1"' in dashboard

    period.suspension_proposed_at = utcnow()
    db.commit()
    assert number in page(client, "suspension_proposed")


def test_a_report_due_within_30_days_is_listed_with_the_days_left(db, owed, login):
    case, period = owed
    period.due_on = date.today() + timedelta(days=10)
    period.alerted_at = None
    db.commit()
    rows = reports_owed(db, Owed.DUE_SOON, date.today())
    assert [(row.certificate.number, row.days_left) for row in rows] == [(case.certificate.number, 10)]
    assert reports_owed(db, Owed.OVERDUE, date.today()) == []
    period.due_on = date.today() + timedelta(days=31)
    db.commit()
    assert reports_owed(db, Owed.DUE_SOON, date.today()) == []


def test_a_submitted_report_or_a_certificate_not_in_force_owes_nothing(db, owed):
    case, period = owed
    assert len(reports_owed(db, Owed.OVERDUE, date.today())) == 1
    case.certificate.status = CertificateStatus.SUSPENDED.value
    db.commit()
    assert reports_owed(db, Owed.OVERDUE, date.today()) == []
    case.certificate.status = CertificateStatus.VALID.value
    period.submitted_at = utcnow()
    db.commit()
    assert reports_owed(db, Owed.OVERDUE, date.today()) == []
