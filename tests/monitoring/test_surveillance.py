"""The yearly reports' schedule and surveillance on a real database: due dates that follow the certificate,
reminders and alerts sent once however often (or however concurrently) the daily command runs."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from certify.accounts.models import Role
from certify.audit.models import AuditEntry
from certify.certificates.issuance import status_of
from certify.certificates.lifecycle import correct_certificate
from certify.certificates.models import CertificateStatus
from certify.monitoring import services
from certify.monitoring.models import ReportPeriod
from certify.monitoring.rules import anniversary
from certify.monitoring.schedule import schedule_certificate, unscheduled
from certify.outbox.models import OutboxMessage
from tests import factories
from tests.certificates import persons
from tests.concurrency import once_inside, second_session


@pytest.fixture
def monitored(db):
    """An organisation certified on cmq 1.2 (a standard with monitoring), with a second manager reading
    English; committed."""
    factories.install_default_standard(db, "1.2")
    case = factories.certified(db)
    factories.make_user(db, Role.MANAGER, organisation=case.application.organisation, locale="en")
    db.commit()
    return case


def periods(db, certificate) -> list[ReportPeriod]:
    statement = sa.select(ReportPeriod).where(ReportPeriod.certificate_id == certificate.id)
    return list(db.scalars(statement.order_by(ReportPeriod.number)))


def mails(db, template: str) -> list[OutboxMessage]:
    statement = sa.select(OutboxMessage).where(OutboxMessage.template == template)
    return list(db.scalars(statement.order_by(OutboxMessage.id)))


def remind(runner, day: date):
    result = runner.invoke(args=["certify", "monitoring", "remind", "--today", day.isoformat()])
    assert result.exit_code == 0, result.output
    return result.output


def managers_of(case) -> list[str]:
    members = case.application.organisation.members
    return sorted(u.email for u in members if u.has_role(Role.MANAGER))


def test_the_report_is_due_on_the_anniversary_of_issue(db, monitored, runner):
    certificate = monitored.certificate
    assert "report periods scheduled: 1" in remind(runner, certificate.issued_on)
    (period,) = periods(db, certificate)
    assert (period.number, period.starts_on, period.due_on) == (
        1,
        certificate.issued_on,
        anniversary(certificate.issued_on, 1),
    )
    assert period.submitted_at is None
    entry = db.scalar(sa.select(AuditEntry).where(AuditEntry.action == "monitoring.scheduled"))
    assert entry.subject_id == certificate.number
    assert "report periods scheduled: 0" in remind(runner, certificate.issued_on), "scheduled once"


def test_each_reminder_is_sent_once_to_the_managers(db, monitored, runner):
    certificate = monitored.certificate
    due = anniversary(certificate.issued_on, 1)
    remind(runner, due - timedelta(days=31))
    assert mails(db, "monitoring_reminder") == []
    remind(runner, due - timedelta(days=30))
    remind(runner, due - timedelta(days=29))
    first = mails(db, "monitoring_reminder")
    assert sorted(m.recipient for m in first) == managers_of(monitored)
    subjects = {mail.locale: mail.subject for mail in first}
    assert subjects["en"].startswith(f"Yearly report for certificate {certificate.number} due on")
    assert subjects["ru"].startswith(f"Ежегодный отчёт по сертификату {certificate.number}")
    assert all("30" in mail.body and "/monitoring/reports" in mail.body for mail in first)
    remind(runner, due - timedelta(days=7))
    remind(runner, due - timedelta(days=7))
    assert len(mails(db, "monitoring_reminder")) == 2 * len(first)
    remind(runner, due)
    assert len(mails(db, "monitoring_reminder")) == 2 * len(first), "no reminder once the report is due"
    actions = db.scalars(sa.select(AuditEntry.after).where(AuditEntry.action == "monitoring.reminded"))
    assert [after["days_before"] for after in actions] == [30, 7]


def test_two_runs_at_once_send_a_reminder_once(db, monitored, runner, monkeypatch):
    due = anniversary(monitored.certificate.issued_on, 1)
    day = due - timedelta(days=30)
    remind(runner, monitored.certificate.issued_on)  # scheduled

    def the_other_run():
        with second_session(lock_wait_ms=5000) as other:
            for duty in services.duties(other, day):
                services.perform(other, duty, day)
                other.commit()

    # both runs found the reminder owed; the other one takes it first
    once_inside(monkeypatch, services, "_claim", the_other_run)
    output = remind(runner, day)
    assert "steps taken: 0" in output
    assert len(mails(db, "monitoring_reminder")) == len(managers_of(monitored))


def test_an_overdue_report_alerts_the_coordinators_once_then_a_suspension_is_proposed(db, monitored, runner):
    certificate = monitored.certificate
    due = anniversary(certificate.issued_on, 1)
    inactive = factories.make_user(db, Role.COORDINATOR)
    inactive.active = False
    db.commit()
    remind(runner, due + timedelta(days=29))
    assert mails(db, "monitoring_overdue") == []
    remind(runner, due + timedelta(days=30))
    remind(runner, due + timedelta(days=31))
    (alert,) = mails(db, "monitoring_overdue")
    assert alert.recipient == monitored.coordinator.email
    assert certificate.number in alert.subject and "30" in alert.body
    remind(runner, due + timedelta(days=90))
    remind(runner, due + timedelta(days=95))
    (proposal,) = mails(db, "monitoring_suspension_proposed")
    assert proposal.recipient == monitored.coordinator.email
    (period,) = periods(db, certificate)
    assert period.alerted_at is not None and period.suspension_proposed_at is not None
    db.refresh(certificate)
    assert status_of(certificate, due + timedelta(days=95)) is CertificateStatus.VALID, "a person decides"
    entry = db.scalar(sa.select(AuditEntry).where(AuditEntry.action == "monitoring.suspension_proposed"))
    assert entry.after["days_overdue"] == 90


def test_a_submitted_report_is_owed_nothing(db, monitored, runner):
    due = anniversary(monitored.certificate.issued_on, 1)
    remind(runner, monitored.certificate.issued_on)
    (period,) = periods(db, monitored.certificate)
    period.submitted_at = sa.func.now()
    db.commit()
    remind(runner, due - timedelta(days=30))
    remind(runner, due + timedelta(days=90))
    assert (
        db.scalar(
            sa.select(sa.func.count(OutboxMessage.id)).where(OutboxMessage.template.like("monitoring_%"))
        )
        == 0
    )


def test_a_renewal_ends_the_old_schedule_and_starts_its_own(db, monitored, runner):
    old = monitored.certificate
    old.issued_on -= timedelta(days=200)
    old.expires_on = anniversary(old.issued_on, 2)
    db.commit()
    remind(runner, date.today())
    (old_period,) = periods(db, old)
    renewal = factories.certified(db, manager=monitored.manager)
    db.commit()
    db.refresh(old)
    assert old.superseded_by_id == renewal.certificate.id
    remind(runner, old_period.due_on - timedelta(days=30))
    db.refresh(old_period)
    assert old_period.reminded_days_before is None, "a replaced certificate is no longer reminded"
    assert mails(db, "monitoring_reminder") == []
    (new_period,) = periods(db, renewal.certificate)
    assert new_period.due_on == anniversary(renewal.certificate.issued_on, 1)


def test_a_correction_keeps_the_due_date_and_the_reminders_already_sent(db, monitored, runner):
    certificate = monitored.certificate
    due = anniversary(certificate.issued_on, 1)
    remind(runner, due - timedelta(days=30))
    sent = len(mails(db, "monitoring_reminder"))
    corrected = correct_certificate(
        db, certificate, monitored.coordinator, {"cluster_name_en": "Corrected cluster"}, "Опечатка"
    )
    db.commit()
    remind(runner, due - timedelta(days=20))
    (period,) = periods(db, corrected)
    assert (period.due_on, period.reminded_days_before) == (due, 30)
    assert periods(db, certificate) == []
    assert len(mails(db, "monitoring_reminder")) == sent, "the 30-day reminder is not sent again"


def test_no_schedule_without_monitoring(db, runner):
    case = factories.certified(db)  # cmq 1.0 has no monitoring section
    db.commit()
    assert unscheduled(db, date.today()) == [case.certificate]
    assert schedule_certificate(db, case.certificate) == []
    assert "report periods scheduled: 0; steps taken: 0" in remind(runner, date.today())


def test_no_schedule_for_a_personal_certificate(db, runner):
    factories.install_default_standard(db, "1.2")
    attested = persons.attested(db)
    db.commit()
    assert attested.certificate not in unscheduled(db, date.today())
    assert schedule_certificate(db, attested.certificate) == []
    assert "report periods scheduled: 0" in remind(runner, date.today())
