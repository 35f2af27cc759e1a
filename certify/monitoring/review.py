"""A yearly report's review: its one assessor accepts it, and its figures are checked against the
thresholds then (issue 18; docs/monitoring.md). Services flush, never commit.

The report is assigned, its assessor confirms independence and the review is started as for any
application (certify.review); the assessor may ask the manager to clarify pages of it
(certify.review.clarification). Accepting it compares the figures with the organisation's report of the
year before and with the certified level's limits (`certify.monitoring.report.flags`): each flag is
stored, named in the audit entry, and e-mailed to the coordinators, who decide what follows.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal

import sqlalchemy as sa

from certify.monitoring.models import ReportFlag, ReportPeriod
from certify.monitoring.report import Flag, figure_title, flags
from certify.outbox.services import queue_mail
from certify.questionnaire.answers import typed
from certify.questionnaire.models import Application
from certify.questionnaire.services import load_answers, standard_of
from certify.review.models import Assignment
from certify.review.notifications import coordinators
from certify.standards.definition import NUMBER_TYPES, Standard
from certify.transitions import record, take
from certify.web.urls import external_url
from certify.workflow import Action, State


def figures(standard: Standard, answers: Mapping[str, object]) -> dict[str, Decimal]:
    """The numbers of a report's stored answers, by question id; a question left unanswered is absent."""
    found = {}
    for question in standard.all_questions():
        if question.type in NUMBER_TYPES and question.id in answers:
            value = typed(question, answers[question.id])
            if isinstance(value, int | Decimal):
                found[question.id] = Decimal(value)
    return found


def year_before(session, report: Application) -> Application | None:
    """The organisation's accepted report whose period ended last before this one's began."""
    period = report.period
    return session.scalar(
        sa.select(Application)
        .join(ReportPeriod, ReportPeriod.id == Application.period_id)
        .where(
            Application.organisation_id == report.organisation_id,
            Application.state == State.ACCEPTED.value,
            Application.id != report.id,
            ReportPeriod.due_on <= period.starts_on,
        )
        .order_by(ReportPeriod.due_on.desc())
        .limit(1)
    )


def figures_of(session, report: Application) -> dict[str, Decimal]:
    """The report's figures now: as submitted, with what the manager changed in answer to clarification."""
    return figures(standard_of(report), load_answers(session, report))


def flags_of(session, report: Application) -> list[Flag]:
    """What the report's figures raise against the year before and the certificate's level."""
    before = year_before(session, report)
    previous = figures_of(session, before) if before is not None else None
    level = report.period.certificate.level_id
    return flags(standard_of(report), level, figures_of(session, report), previous)


def accept_report(session, assignment: Assignment, assessor) -> list[ReportFlag]:
    """The assessor accepts the report: its flags are raised, and the coordinators told of any."""
    report = assignment.application
    before = report.state
    report.state = take(session, report, Action.ACCEPT_REPORT, assessor).value
    raised = [
        ReportFlag(
            application_id=report.id,
            kind=flag.kind.value,
            kpi=flag.kpi,
            question_id=flag.question_id,
            value=flag.value,
            threshold=flag.threshold,
            allowed_percent=flag.allowed_percent,
        )
        for flag in flags_of(session, report)
    ]
    session.add_all(raised)
    session.flush()
    record(
        session,
        assessor,
        "monitoring.report_accepted",
        report,
        before={"state": before},
        after={
            "state": report.state,
            "period": report.period.number,
            "flags": [f"{row.kind}: {row.kpi}" for row in raised],
        },
    )
    if raised:
        _tell_coordinators(session, report, raised)
    return raised


def _tell_coordinators(session, report: Application, raised: list[ReportFlag]) -> None:
    standard = standard_of(report)
    certificate = report.period.certificate
    link = external_url("questionnaire.summary", application_id=report.id)
    for person in coordinators(session):
        if not person.active:
            continue
        queue_mail(
            session,
            person.email,
            "monitoring_report_flagged",
            locale=person.locale,
            user=person,
            report=report,
            certificate=certificate,
            flags=[(figure_title(standard, row.question_id), row) for row in raised],
            link=link,
        )
