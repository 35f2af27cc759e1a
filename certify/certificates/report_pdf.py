"""The assessment report PDF: a frozen context of plain values in, PDF/A-3b bytes out.

Pure like render.py (no Flask, no database): `certify.certificates.report_data` gathers the values. The bar
chart is SVG written here, the yearly results' line charts are the web's (`certify.insight.charts`), and
WeasyPrint draws them, so the PDF needs no JavaScript and fetches nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from fractions import Fraction

from babel.dates import format_date
from babel.numbers import format_decimal
from markupsafe import Markup

from certify.certificates.render import DATE_LOCALES, render_pdf_template
from certify.insight.charts import Line, LinePoint, line_chart
from certify.monitoring.trends import TrendPoint

#: Fewer peers than this and a percentile could all but name them, so none is shown.
MIN_PEERS = 5
#: Chart geometry in SVG user units; the stylesheet scales the whole drawing to the page width.
CHART_WIDTH = 560
PLOT_WIDTH = 490
ROW_HEIGHT = 46
BAR_HEIGHT = 13
AXIS_HEIGHT = 22
AXIS_TICKS = 4
#: Longer area names are cut in the chart (a line of SVG text never wraps); tables print them in full.
LABEL_LIMIT = 85
CHART_LABEL = "Оценки по областям / Scores by area"
#: the yearly results' charts name their lines in both languages; figures are written the Russian way, as
#: the tables' are
OWN_LINE = "Организация / This organisation"
MEDIAN_LINE = "Медиана сопоставимых / Peers' median"
NO_MEDIAN = "менее 5 сопоставимых / fewer than 5 peers"


@dataclass(frozen=True)
class IndicatorReport:
    """The consensus on one indicator: its rubric score out of `max_score` and the lead's justification."""

    id: str
    name_ru: str
    name_en: str
    #: None: no consensus score was recorded
    score: int | None
    max_score: int
    justification: str
    #: the names of the files attached to it that the review found not relevant (they lift no cap)
    files_not_relevant: tuple[str, ...] = ()
    #: (question ru, question en) of its "not applicable" answers the review refused (they score 0)
    not_applicable_refused: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class AreaReport:
    """One area of the standard as assessed, with the assessors' feedback and the peers' percentile."""

    id: str
    name_ru: str
    name_en: str
    #: the scoring engine's assessed area score (0–100); None when it has none
    score: Decimal | None
    indicators: tuple[IndicatorReport, ...]
    #: every assessor's text, in assignment order
    strengths: tuple[str, ...]
    improvements: tuple[str, ...]
    #: None: fewer than MIN_PEERS peers to compare with
    peer_percentile: int | None


@dataclass(frozen=True)
class TrendReport:
    """One KPI of the organisation's yearly reports accepted before the decision, year by year, with the
    peers' median (never a peer's own figure)."""

    name_ru: str
    name_en: str
    unit_ru: str
    unit_en: str
    #: at least one year; a median is None where fewer than MIN_PEERS peers reported the figure
    points: tuple[TrendPoint, ...]


@dataclass(frozen=True)
class ReportContext:
    """Everything printed in an assessment report, as plain values (no models, no request)."""

    #: None: no certificate was issued (a decision not to certify)
    certificate_number: str | None
    organisation_name_ru: str
    organisation_name_en: str
    cluster_name_ru: str
    cluster_name_en: str
    standard_title_ru: str
    standard_title_en: str
    standard_code: str
    standard_version: str
    #: None: not certified
    level_name_ru: str | None
    level_name_en: str | None
    total_score: Decimal | None
    decided_on: date
    areas: tuple[AreaReport, ...]
    #: how many other certified clusters there are to compare with (percentiles need MIN_PEERS)
    peer_count: int
    #: the cluster's maturity phase when it applied; None when the standard has no phases
    phase_name_ru: str | None = None
    phase_name_en: str | None = None
    #: the results between certifications: each KPI the organisation reported (empty before its first
    #: accepted yearly report, and for a person)
    trends: tuple[TrendReport, ...] = ()


def percentile_rank(value: Decimal, peers: Sequence[Decimal]) -> int | None:
    """The percentage of peers scoring below `value`, ties counted as half; None under MIN_PEERS peers.

    Counting ties as half (the mid-rank) keeps a cluster that scored the same as everyone at 50 rather
    than at 0 or 100. Rounded half up to a whole percent, computed exactly.
    """
    if len(peers) < MIN_PEERS:
        return None
    below = sum(1 for peer in peers if peer < value)
    tied = sum(1 for peer in peers if peer == value)
    share = Fraction(100 * (2 * below + tied), 2 * len(peers))
    return int(share + Fraction(1, 2))


def number(value: Decimal | None, lang: str) -> str:
    """A score with one decimal in the language's style (87,5 / 87.5), or a dash when there is none."""
    return "—" if value is None else format_decimal(value, format="0.0", locale=lang)


def quantity(value: Decimal) -> str:
    """A reported figure in the Russian style (125 000 000, 3,5), with no more decimals than it has."""
    return format_decimal(value, locale="ru")


def trend_chart_svg(kpi: TrendReport) -> Markup:
    """The KPI's line over the years against the peers' median's, titled in both languages."""
    title = f"{kpi.name_ru}, {kpi.unit_ru} / {kpi.name_en}, {kpi.unit_en}"

    def shown(value: Decimal | None, missing: str) -> LinePoint:
        return LinePoint(value, missing if value is None else quantity(value))

    lines = [
        Line(OWN_LINE, tuple(shown(point.value, "—") for point in kpi.points)),
        Line(MEDIAN_LINE, tuple(shown(point.median, NO_MEDIAN) for point in kpi.points), dashed=True),
    ]
    chart = line_chart(title, [point.year for point in kpi.points], lines, quantity)
    return Markup(chart)  # noqa: S704 (line_chart escapes every text)


def area_chart_svg(areas: Sequence[AreaReport]) -> Markup:
    """A horizontal bar chart of the area scores as inline SVG: one bar per area, names in ru and en.

    Every text goes through Markup.format, which escapes it: names come from the standard and are
    printed, never interpreted.
    """
    top = max([Decimal(100), *(area.score for area in areas if area.score is not None)])
    plot_height = ROW_HEIGHT * len(areas)
    height = plot_height + AXIS_HEIGHT
    parts = [_grid(top, plot_height)]
    parts.extend(_bar(index, area, top) for index, area in enumerate(areas))
    return Markup(
        '<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {w} {h}" width="{w}" '
        'height="{h}" font-family="DejaVu Sans" role="img" aria-label="{label}">{body}</svg>'
    ).format(w=CHART_WIDTH, h=height, label=CHART_LABEL, body=Markup("").join(parts))


def _grid(top: Decimal, plot_height: int) -> Markup:
    """Vertical grid lines with their values under the plot, from 0 to `top`."""
    lines = []
    for tick in range(AXIS_TICKS + 1):
        value = top * tick / AXIS_TICKS
        x = _x(value, top)
        lines.append(
            Markup(
                '<line x1="{x}" y1="0" x2="{x}" y2="{y}" stroke="#c9d1dc" stroke-width="0.6"/>'
                '<text x="{x}" y="{ty}" font-size="8" fill="#4a5a70" text-anchor="middle">{label}</text>'
            ).format(x=x, y=plot_height, ty=plot_height + 12, label=number(value, "ru").removesuffix(",0"))
        )
    return Markup("").join(lines)


def _bar(index: int, area: AreaReport, top: Decimal) -> Markup:
    """One area: its Russian and English names above a bar as long as its score."""
    y = index * ROW_HEIGHT
    bar_y = y + 26
    width = _x(area.score, top) if area.score is not None else 0
    return Markup(
        '<g class="area">'
        '<text x="0" y="{ru_y}" font-size="10" fill="#1b2a41">{ru}</text>'
        '<text x="0" y="{en_y}" font-size="8.5" fill="#4a5a70">{en}</text>'
        '<rect x="0" y="{bar_y}" width="{plot}" height="{bh}" fill="#eef1f5"/>'
        '<rect class="bar" x="0" y="{bar_y}" width="{width}" height="{bh}" fill="#2f5d8a"/>'
        '<text x="{value_x}" y="{value_y}" font-size="9.5" font-weight="bold" fill="#1b2a41">{value}</text>'
        "</g>"
    ).format(
        ru_y=y + 11,
        en_y=y + 22,
        ru=_label(area.name_ru),
        en=_label(area.name_en),
        bar_y=bar_y,
        plot=PLOT_WIDTH,
        bh=BAR_HEIGHT,
        width=width,
        value_x=PLOT_WIDTH + 6,
        value_y=bar_y + 10,
        value=number(area.score, "ru"),
    )


def _x(value: Decimal, top: Decimal) -> str:
    # Two decimals are finer than print resolution and keep the SVG short.
    return f"{Decimal(PLOT_WIDTH) * value / top:.2f}"


def _label(text: str) -> str:
    return text if len(text) <= LABEL_LIMIT else text[: LABEL_LIMIT - 1].rstrip() + "…"


def template_values(ctx: ReportContext) -> dict:
    """The values the template prints: the context, the chart, the date and a number formatter."""
    values = {"r": ctx, "chart_svg": area_chart_svg(ctx.areas), "number": number, "quantity": quantity}
    values["trend_charts"] = [(kpi, trend_chart_svg(kpi)) for kpi in ctx.trends]
    values["shows_peers"] = any(area.peer_percentile is not None for area in ctx.areas)
    for lang, locale in DATE_LOCALES.items():
        values[f"decided_on_{lang}"] = format_date(ctx.decided_on, format="long", locale=locale)
    return values


def render_report(ctx: ReportContext) -> bytes:
    """Render the bilingual A4 portrait assessment report for `ctx` as PDF/A-3b bytes (several pages)."""
    return render_pdf_template("report.html", "report.css", template_values(ctx))
