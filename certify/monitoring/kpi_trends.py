"""Which figures an organisation's yearly results show, each with its trend against its peers (issue 18;
docs/monitoring.md). Pure.

Every core KPI against the peers of one group, then each figure of the green fields the organisation chose
(in its latest report) against the organisations that chose the field: the assessment report of a renewal
shows these, as the organisation's results page does.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from certify.monitoring.report import core_question_id, field_question_id
from certify.monitoring.trends import PeerGroup, TrendPoint, YearReport, trend
from certify.standards.definition import Text
from certify.standards.monitoring import Monitoring


@dataclass(frozen=True)
class KpiTrend:
    title: Text
    unit: Text
    #: each year the organisation reported the figure; empty when it never did
    points: tuple[TrendPoint, ...]


def kpi_trends(
    reports: Sequence[YearReport],
    organisation_id: int,
    monitoring: Monitoring,
    field_titles: Mapping[str, Text],
    group: PeerGroup,
) -> list[KpiTrend]:
    """Each core KPI against the peers of `group`, then each figure of the fields the organisation chose
    (in its latest report) against the organisations that chose the field; only medians of MIN_PEERS
    peers or more (`trends.peer_median`)."""
    own = [report for report in reports if report.organisation_id == organisation_id]
    chosen = own[-1].fields if own else frozenset()
    found = []
    for kpi_id in monitoring.core:
        kpi = monitoring.kpi(kpi_id)
        points = trend(reports, organisation_id, core_question_id(kpi_id), group)
        found.append(KpiTrend(kpi.name, kpi.unit, tuple(points)))
    for entry in monitoring.fields:
        if entry.field not in chosen:
            continue
        field = field_titles[entry.field]
        for kpi_id in entry.kpis:
            kpi = monitoring.kpi(kpi_id)
            question_id = field_question_id(entry.field, kpi_id, "actual")
            points = trend(reports, organisation_id, question_id, PeerGroup.FIELD, entry.field)
            title = Text(ru=f"{field.ru} — {kpi.name.ru}", en=f"{field.en} — {kpi.name.en}")
            found.append(KpiTrend(title, kpi.unit, tuple(points)))
    return found
