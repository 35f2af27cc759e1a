"""The results between certifications in an organisation's assessment report (issue 18; docs/monitoring.md).

A renewal is decided on the organisation's new application, and its report also shows what the yearly
reports said in between: each KPI year by year against the median of the organisations certified at the
same level that year (a green field's figures against those that chose the field), computed by the
trends' pure functions, which give a median only of MIN_PEERS peers or more and never a peer's figure.

Only the reports accepted by the time of the decision count, and the peers' as well: the report is what
the decision had before it, and one rendered later (a decision from before reports were stored) reads
the same as one rendered at the time.
"""

from __future__ import annotations

from certify.certificates.report_pdf import TrendReport
from certify.monitoring.kpi_trends import kpi_trends
from certify.monitoring.records import accepted_reports
from certify.monitoring.report import field_titles
from certify.monitoring.trends import PeerGroup
from certify.questionnaire.models import Application
from certify.questionnaire.services import standard_of
from certify.review.models import Decision
from certify.timeutil import as_utc


def trends_reported(session, application: Application, decision: Decision) -> tuple[TrendReport, ...]:
    """Each KPI the organisation reported before `decision`; empty for a person, and for a standard
    without yearly reports."""
    standard = standard_of(application)
    if application.is_person or application.is_yearly_report or standard.monitoring is None:
        return ()
    reports = accepted_reports(session, accepted_by=as_utc(decision.decided_at))
    trends = kpi_trends(
        reports, application.organisation_id, standard.monitoring, field_titles(standard), PeerGroup.LEVEL
    )
    return tuple(
        TrendReport(kpi.title.ru, kpi.title.en, kpi.unit.ru, kpi.unit.en, kpi.points)
        for kpi in trends
        if kpi.points
    )
