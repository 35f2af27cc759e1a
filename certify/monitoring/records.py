"""The accepted yearly reports as plain values for the trends, the index and the aggregates (issue 18).

Only reports their assessor accepted count: a report submitted and still under review may yet change in
answer to a clarification. A report's year is the year its period ends; its level and region are its
certificate's (as issued: a renewal at another level reports under its own certificate), its fields the
green priority fields chosen in the certified application.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import aliased

from certify.accounts.models import Organisation
from certify.audit.models import AuditEntry
from certify.certificates.models import Certificate
from certify.monitoring.models import ReportFlag, ReportPeriod
from certify.monitoring.review import figures
from certify.monitoring.trends import YearReport
from certify.questionnaire.models import Answer, Application
from certify.questionnaire.services import standard_of
from certify.standards.services import definition_of
from certify.workflow import State

#: the audit action of a report's acceptance (`certify.monitoring.review.accept_report`), whose time is the
#: only record of when a report was accepted
REPORT_ACCEPTED = "monitoring.report_accepted"


def accepted_reports(
    session, organisation_id: int | None = None, *, accepted_by: datetime | None = None
) -> list[YearReport]:
    """Every accepted yearly report (of one organisation, if given), oldest first.

    With `accepted_by` (UTC), only the reports accepted by then: what a document of that moment read, so
    that a report accepted later does not change it.
    """
    certified = aliased(Application)
    statement = (
        sa.select(Application, ReportPeriod, Certificate, certified.snapshot)
        .join(ReportPeriod, ReportPeriod.id == Application.period_id)
        .join(Certificate, Certificate.id == ReportPeriod.certificate_id)
        .join(certified, certified.id == Certificate.application_id)
        .where(Application.state == State.ACCEPTED.value)
        .order_by(ReportPeriod.due_on, Application.id)
    )
    if organisation_id is not None:
        statement = statement.where(Application.organisation_id == organisation_id)
    if accepted_by is not None:
        statement = statement.where(
            sa.exists().where(
                AuditEntry.application_id == Application.id,
                AuditEntry.action == REPORT_ACCEPTED,
                AuditEntry.occurred_at <= accepted_by,
            )
        )
    rows = session.execute(statement).all()
    answers = _answers(session, [report.id for report, *_ in rows])
    found: dict[tuple[int, int], YearReport] = {}
    for report, period, certificate, snapshot in rows:
        standard = standard_of(report)
        chosen = (snapshot or {}).get(standard.monitoring.fields_question) or ()
        # one a year: after a renewal the old certificate's last report may end in the new one's first
        # year; the later one stands for the year
        found[report.organisation_id, period.due_on.year] = YearReport(
            organisation_id=report.organisation_id,
            year=period.due_on.year,
            level=certificate.level_id,
            region=certificate.region,
            fields=frozenset(chosen),
            figures=figures(standard, answers[report.id]),
        )
    return list(found.values())


def _answers(session, report_ids: list[int]) -> dict[int, dict[str, object]]:
    """The stored answers of the reports, in one query."""
    found: dict[int, dict[str, object]] = defaultdict(dict)
    if report_ids:
        statement = sa.select(Answer.application_id, Answer.question_id, Answer.value).where(
            Answer.application_id.in_(report_ids)
        )
        for report_id, question_id, value in session.execute(statement):
            found[report_id][question_id] = value
    return found


def latest_standard(session, organisation_id: int | None = None):
    """The standard (as certified, not a report's) of the latest accepted report (of the organisation, if
    given), whose KPIs are shown; None before any."""
    certified = aliased(Application)
    statement = (
        sa.select(certified)
        .join(Certificate, Certificate.application_id == certified.id)
        .join(ReportPeriod, ReportPeriod.certificate_id == Certificate.id)
        .join(Application, Application.period_id == ReportPeriod.id)
        .where(Application.state == State.ACCEPTED.value)
        .order_by(ReportPeriod.due_on.desc())
        .limit(1)
    )
    if organisation_id is not None:
        statement = statement.where(Application.organisation_id == organisation_id)
    version = session.scalar(statement)
    return definition_of(version.standard_version) if version is not None else None


def flagged_reports(session) -> list[tuple[Application, list[ReportFlag]]]:
    """The accepted reports that raised flags, each with its flags, the latest accepted first."""
    rows = session.execute(
        sa.select(Application, ReportFlag)
        .join(ReportFlag, ReportFlag.application_id == Application.id)
        .order_by(ReportFlag.raised_at.desc(), Application.id.desc(), ReportFlag.id)
    ).all()
    grouped: dict[int, tuple[Application, list[ReportFlag]]] = {}
    for report, flag in rows:
        grouped.setdefault(report.id, (report, []))[1].append(flag)
    return list(grouped.values())


def organisation_names(session, reports: list[YearReport], language: str) -> dict[int, tuple[str, str]]:
    """(name, region) of each organisation among the reports, in the reader's language."""
    ids = {report.organisation_id for report in reports}
    rows = session.scalars(sa.select(Organisation).where(Organisation.id.in_(ids))) if ids else []
    return {row.id: (row.name(language), row.region) for row in rows}
