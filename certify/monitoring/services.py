"""The surveillance of yearly reports: reminders to the managers, alerts and suspension proposals to the
coordinators, each sent once (docs/monitoring.md).

As with the certificates' expiry reminders (certify/certificates/reminders.py), the mark that a step was
taken is stored on the period in the transaction that queues its e-mails in the outbox, committed by the
caller after each step: a crash neither repeats a step nor loses one. Two runs at once could both find the
same step owed, so the mark is set first, by a conditional UPDATE that only one of them changes a row
with (the outbox's claim, docs/mail.md); the other sends nothing. A suspension is only proposed: a
coordinator suspends through the certificate's lifecycle (certify/certificates/lifecycle.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import sqlalchemy as sa

from certify.accounts.models import User
from certify.audit import services as audit
from certify.certificates.models import Certificate, CertificateStatus
from certify.certificates.register import with_status
from certify.certificates.reminders import recipients as holders
from certify.monitoring.models import ReportPeriod
from certify.monitoring.rules import Step, proposal_on, steps_due
from certify.monitoring.schedule import monitoring_of
from certify.outbox.services import queue_mail
from certify.review.notifications import coordinators
from certify.timeutil import utcnow
from certify.web.urls import external_url

#: Reminders start at most this long before a due date (the checks keep them within the reporting year).
LOOK_AHEAD_DAYS = 366


@dataclass(frozen=True)
class Duty:
    """One step owed today on one period; `days`, the reminder's threshold."""

    period_id: int
    step: Step
    days: int | None = None


def duties(session, today: date) -> list[Duty]:
    """Every step owed today on the reports not submitted of certificates in force, in due-date order."""
    rows = session.execute(
        sa.select(ReportPeriod, Certificate)
        .join(Certificate, Certificate.id == ReportPeriod.certificate_id)
        .where(
            with_status(CertificateStatus.VALID, today),
            ReportPeriod.submitted_at.is_(None),
            ReportPeriod.due_on <= today + timedelta(days=LOOK_AHEAD_DAYS),
        )
        .order_by(ReportPeriod.due_on, ReportPeriod.id)
    ).all()
    owed = []
    for period, certificate in rows:
        monitoring = monitoring_of(session, certificate)
        if monitoring is None:
            continue
        steps = steps_due(
            period.due_on,
            today,
            monitoring.surveillance,
            reminded=period.reminded_days_before,
            alerted=period.alerted_at is not None,
            proposed=period.suspension_proposed_at is not None,
        )
        owed += [Duty(period.id, step, days) for step, days in steps]
    return owed


def perform(session, duty: Duty, today: date) -> int | None:
    """Take the step: mark it, queue its e-mails, audit it; the recipients' number, or None when another
    run took it first (or the report came in meanwhile). Flushes; the caller commits at once."""
    if not _claim(session, duty):
        return None
    period = session.get(ReportPeriod, duty.period_id)
    certificate = session.get(Certificate, period.certificate_id)
    rules = monitoring_of(session, certificate).surveillance
    mail = _Mail(certificate, period, today, proposal_on(period.due_on, rules))
    if duty.step == Step.REMIND:
        people = holders(session, certificate)
        mail.send(session, people, "monitoring_reminder", external_url("monitoring.reports"))
        _record(session, "monitoring.reminded", certificate, period, people, days_before=duty.days)
        return len(people)
    people = [person for person in coordinators(session) if person.active]
    overdue = (today - period.due_on).days
    if duty.step == Step.ALERT:
        mail.send(session, people, "monitoring_overdue", mail.certificate_page)
        _record(session, "monitoring.overdue_alert", certificate, period, people, days_overdue=overdue)
    else:
        mail.send(session, people, "monitoring_suspension_proposed", mail.certificate_page)
        _record(session, "monitoring.suspension_proposed", certificate, period, people, days_overdue=overdue)
    return len(people)


def _claim(session, duty: Duty) -> bool:
    """Mark the step taken, unless it is taken already or the report is in: True for the one run that
    changed the row (PostgreSQL makes a second run wait for the first's commit, then re-checks)."""
    still_owed = sa.and_(ReportPeriod.id == duty.period_id, ReportPeriod.submitted_at.is_(None))
    if duty.step == Step.REMIND:
        marked = ReportPeriod.reminded_days_before
        condition = sa.or_(marked.is_(None), marked > duty.days)
        values = {"reminded_days_before": duty.days}
    else:
        column = "alerted_at" if duty.step == Step.ALERT else "suspension_proposed_at"
        condition, values = getattr(ReportPeriod, column).is_(None), {column: utcnow()}
    result = session.execute(
        sa.update(ReportPeriod)
        .where(still_owed, condition)
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount == 1


@dataclass(frozen=True)
class _Mail:
    """The e-mails of one step on one period, each in its recipient's language."""

    certificate: Certificate
    period: ReportPeriod
    today: date
    proposal_day: date

    @property
    def certificate_page(self) -> str:
        return external_url("certificates.detail", number=self.certificate.number)

    def send(self, session, people: list[User], template: str, link: str) -> None:
        """`link`: where the recipients act, the managers' yearly reports or the coordinators' certificate."""
        for person in people:
            queue_mail(
                session,
                person.email,
                template,
                locale=person.locale,
                user=person,
                certificate=self.certificate,
                period=self.period,
                days_left=(self.period.due_on - self.today).days,
                days_overdue=(self.today - self.period.due_on).days,
                proposal_on=self.proposal_day,
                link=link,
            )


def _record(
    session, action: str, certificate: Certificate, period: ReportPeriod, people: list[User], **facts
) -> None:
    """The step's audit entry, by the system, on the certificate."""
    audit.record(
        session,
        actor=None,
        action=action,
        subject_type="certificate",
        subject_id=certificate.number,
        application_id=certificate.application_id,
        after={"period": period.number, "due_on": period.due_on, "recipients": len(people)} | facts,
    )
    session.flush()
