"""Each certificate in force on a standard with monitoring gets its yearly report periods.

Run by `flask certify monitoring remind` before the reminders, so a new certificate is scheduled on the
next run; idempotent, and safe when two runs overlap (INSERT … ON CONFLICT DO NOTHING on the period's
number). Only organisations' certificates: a person's attestation is renewed, not monitored, and a
personal scheme cannot have a monitoring section (certify/standards/monitoring_checks.py).
"""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite

from certify.audit import services as audit
from certify.certificates.models import Certificate
from certify.certificates.register import in_force
from certify.monitoring.models import ReportPeriod
from certify.monitoring.rules import report_dates
from certify.questionnaire.models import Application
from certify.questionnaire.services import standard_of
from certify.standards.attestation import StandardKind
from certify.standards.monitoring import Monitoring


def monitoring_of(session, certificate: Certificate) -> Monitoring | None:
    """The monitoring section of the standard version the certificate was issued on, if it has one."""
    return standard_of(session.get(Application, certificate.application_id)).monitoring


def unscheduled(session, today: date) -> list[Certificate]:
    """Organisations' certificates in force today without report periods (on any standard)."""
    has_periods = sa.exists().where(ReportPeriod.certificate_id == Certificate.id)
    statement = (
        in_force(today)
        .where(Certificate.subject_kind == StandardKind.ORGANISATION.value, ~has_periods)
        .order_by(Certificate.id)
    )
    return list(session.scalars(statement))


def schedule_certificate(session, certificate: Certificate) -> list[ReportPeriod]:
    """The certificate's report periods, created (or taken over from its earlier revisions) as needed.

    A correction re-issues the same decision's certificate under a new number, dated the day of the
    correction but expiring on the same date: the reports stay due on the anniversaries of the first
    issue, and the periods move to the new revision with their reminders and alerts, so a correction
    neither delays a report nor sends its reminders again. Returns the periods created, none when the
    standard has no monitoring.
    """
    monitoring = monitoring_of(session, certificate)
    if monitoring is None or certificate.is_person:
        return []
    first_issue, earlier = _first_issue(session, certificate)
    carried = session.execute(
        sa.update(ReportPeriod)
        .where(ReportPeriod.certificate_id.in_(earlier))
        .values(certificate_id=certificate.id)
        .execution_options(synchronize_session=False)
    ).rowcount
    created = [
        period
        for dates in report_dates(first_issue, certificate.expires_on)
        if (period := _insert(session, certificate, dates)) is not None
    ]
    if created or carried:
        audit.record(
            session,
            actor=None,
            action="monitoring.scheduled",
            subject_type="certificate",
            subject_id=certificate.number,
            application_id=certificate.application_id,
            after={"due": [period.due_on for period in created], "carried_over": carried},
        )
    session.flush()
    return created


def _first_issue(session, certificate: Certificate) -> tuple[date, list[int]]:
    """When the certificate's decision was first certified, and the ids of its other revisions."""
    revisions = session.execute(
        sa.select(Certificate.id, Certificate.issued_on)
        .where(Certificate.decision_id == certificate.decision_id)
        .order_by(Certificate.revision)
    ).all()
    return revisions[0].issued_on, [row.id for row in revisions if row.id != certificate.id]


def _insert(session, certificate: Certificate, dates) -> ReportPeriod | None:
    """The new period, or None when it exists (carried over, or inserted by an overlapping run)."""
    insert = {"postgresql": postgresql.insert, "sqlite": sqlite.insert}[session.get_bind().dialect.name]
    period_id = session.scalar(
        insert(ReportPeriod)
        .values(
            certificate_id=certificate.id,
            number=dates.number,
            starts_on=dates.starts_on,
            due_on=dates.due_on,
        )
        .on_conflict_do_nothing()
        .returning(ReportPeriod.id)
    )
    return None if period_id is None else session.get(ReportPeriod, period_id)
