"""Filing a yearly report: the reports an organisation may file, starting one, and what submitting it
does to the surveillance (issue 18; docs/monitoring.md). Services flush, never commit.

A report is an application of its own (`Application.period_id`), on its certificate's standard version and
answered through the questionnaire (`certify.monitoring.report.report_standard`): its pages, autosave,
evidence, workbook and submission are the questionnaire's. It may be started from the day of the first
reminder until it is submitted, while the certificate is in force.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from flask_babel import format_date
from flask_babel import lazy_gettext as _l

from certify.accounts.models import Organisation, User
from certify.certificates.models import Certificate, CertificateStatus
from certify.certificates.register import in_force, with_status
from certify.errors import DomainError
from certify.monitoring.models import ReportPeriod
from certify.monitoring.report import carried_over
from certify.monitoring.rules import filing_opens_on
from certify.monitoring.schedule import monitoring_of
from certify.questionnaire import services as questionnaire
from certify.questionnaire.models import Answer, Application
from certify.timeutil import utcnow


class FilingError(DomainError):
    """A report that cannot be started now, with the reason for the manager."""


@dataclass(frozen=True)
class Filing:
    """One yearly report an organisation owes or has filed."""

    period: ReportPeriod
    certificate: Certificate
    opens_on: date
    #: the report, once started
    report: Application | None

    def is_open(self, today: date) -> bool:
        return self.report is None and today >= self.opens_on


def filings(session, organisation: Organisation, today: date) -> list[Filing]:
    """The organisation's yearly reports on its certificates in force, and those it has started or filed
    on any certificate, soonest due first."""
    report = sa.orm.aliased(Application)
    certified = sa.orm.aliased(Application)
    rows = session.execute(
        sa.select(ReportPeriod, Certificate, report)
        .join(Certificate, Certificate.id == ReportPeriod.certificate_id)
        .join(certified, certified.id == Certificate.application_id)
        .outerjoin(report, report.period_id == ReportPeriod.id)
        .where(
            certified.organisation_id == organisation.id,
            sa.or_(report.id.is_not(None), with_status(CertificateStatus.VALID, today)),
        )
        .order_by(ReportPeriod.due_on.desc(), ReportPeriod.id)
    ).all()
    found = []
    for period, certificate, started in rows:
        monitoring = monitoring_of(session, certificate)
        if monitoring is not None:  # periods are only made for standards with monitoring
            found.append(
                Filing(period, certificate, filing_opens_on(period.due_on, monitoring.surveillance), started)
            )
    return found


def report_of(session, period: ReportPeriod) -> Application | None:
    return session.scalar(sa.select(Application).where(Application.period_id == period.id))


def files_for(session, period: ReportPeriod, user: User) -> bool:
    """The user may file the period's report: a manager of its certificate's holder."""
    certified = session.get(Application, period.certificate.application_id)
    return user.organisation_id is not None and user.organisation_id == certified.organisation_id


def start_report(session, period: ReportPeriod, user: User, today: date) -> Application:
    """The period's report, started as a draft on the certificate's standard version (or the one already
    started: two clicks on "Start" lead to the same report), each field's baseline and target carried over
    from the organisation's report before."""
    certificate = period.certificate
    certified = session.get(Application, certificate.application_id)
    if not files_for(session, period, user):
        raise FilingError(_l("Only a manager of the certificate's holder can file its yearly report."), 403)
    existing = report_of(session, period)
    if existing is not None:
        return existing
    monitoring = monitoring_of(session, certificate)
    if monitoring is None or session.scalar(in_force(today).where(Certificate.id == certificate.id)) is None:
        raise FilingError(_l("The certificate is no longer in force: it owes no yearly report."))
    opens_on = filing_opens_on(period.due_on, monitoring.surveillance)
    if today < opens_on:
        day = format_date(opens_on, "long")
        raise FilingError(
            _l(
                "Filing the yearly report No. %(number)s opens on %(day)s (the day of the first reminder).",
                number=period.number,
                day=day,
            )
        )
    subject = {"organisation_id": certified.organisation_id, "period_id": period.id}
    report = questionnaire.insert_draft(session, certified.standard_version, user, subject)
    if report is None:  # started by another request since the check above
        return report_of(session, period)
    questionnaire.open_draft(session, report, user)
    _carry_over(session, report, user)
    return report


def _carry_over(session, report: Application, user: User) -> None:
    """Copy the baselines and targets of the organisation's last submitted report into the new one."""
    before = session.scalar(
        sa.select(Application)
        .where(
            Application.organisation_id == report.organisation_id,
            Application.period_id.is_not(None),
            Application.submitted_at.is_not(None),
        )
        .order_by(Application.submitted_at.desc())
        .limit(1)
    )
    if before is None:
        return
    kept = carried_over(questionnaire.standard_of(report))
    now = utcnow()
    session.add_all(
        Answer(application_id=report.id, question_id=qid, value=value, updated_at=now, updated_by_id=user.id)
        for qid, value in (before.snapshot or {}).items()
        if qid in kept
    )
    session.flush()
