"""An organisation's yearly results: each figure over the years as a chart, against its peers' median
(issue 18; docs/monitoring.md, "Trends against the peers' median")."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from flask_babel import format_decimal, gettext
from markupsafe import Markup

from certify.insight.charts import Line, LinePoint, line_chart
from certify.monitoring.kpi_trends import kpi_trends
from certify.monitoring.trends import MIN_PEERS, PeerGroup, TrendPoint, YearReport
from certify.standards.definition import Text
from certify.standards.monitoring import Monitoring

#: the peer groups a reader may choose for the core KPIs; a field's figure is always compared with the
#: organisations that chose the field
CORE_GROUPS = (PeerGroup.LEVEL, PeerGroup.REGION)


@dataclass(frozen=True)
class FigureTrend:
    title: Text
    unit: Text
    points: list[TrendPoint]
    #: the chart (SVG), or None when the organisation has no figure to draw
    chart: Markup | None


def figure_trends(
    reports: list[YearReport],
    organisation_id: int,
    monitoring: Monitoring,
    field_titles: dict[str, Text],
    group: PeerGroup,
    language: str,
) -> list[FigureTrend]:
    """Each figure of `kpi_trends` (core KPIs against `group`, then the chosen fields'), with its chart."""
    return [
        _figure(found.title, found.unit, list(found.points), language)
        for found in kpi_trends(reports, organisation_id, monitoring, field_titles, group)
    ]


def _figure(title: Text, unit: Text, points: list[TrendPoint], language: str) -> FigureTrend:
    if not points:
        return FigureTrend(title, unit, points, None)

    def shown(value: Decimal | None, missing: str) -> LinePoint:
        return LinePoint(value, missing if value is None else format_decimal(value))

    fewer = gettext("fewer than %(n)d peers", n=MIN_PEERS)
    lines = [
        Line(gettext("This organisation"), tuple(shown(p.value, "—") for p in points)),
        Line(gettext("Peers' median"), tuple(shown(p.median, fewer) for p in points), dashed=True),
    ]
    chart = line_chart(
        f"{title.get(language)}, {unit.get(language)}",
        [p.year for p in points],
        lines,
        format_decimal,
    )
    return FigureTrend(title, unit, points, Markup(chart))  # noqa: S704 (escaped by line_chart)
