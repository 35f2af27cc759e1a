"""The statistics page's contents: each figure of certify.insight.statistics in the reader's language,
with its chart and its table. Which applications count, and why a figure is withheld, is theirs to say."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from flask import render_template, url_for
from flask_babel import format_date, get_timezone, ngettext
from flask_babel import gettext as _
from flask_login import current_user
from markupsafe import Markup

from certify.extensions import db
from certify.insight import statistics as stats
from certify.insight.charts import Bar, Box, box_plots, horizontal_bars
from certify.insight.decided import decided_records
from certify.insight.figures import MIN_GROUP, Spread, Timing
from certify.insight.filters import LABELS, Filters, read_filters
from certify.insight.formatting import as_decimal, decimal, share
from certify.web.i18n import current_language

#: how the page writes a score (quartiles may fall between two scores) and a number of days
SCORE, DAYS = "0.0#", "0.0"


@dataclass(frozen=True)
class AreaRow:
    title: str
    spread: Spread

    @property
    def five(self) -> tuple[str, ...]:
        """Minimum, lower quartile, median, upper quartile, maximum, written; empty when withheld."""
        return tuple(decimal(value, SCORE) for value in self.spread.five)


@dataclass(frozen=True)
class TimingRow:
    label: str
    timing: Timing

    @property
    def median(self) -> str:
        return decimal(self.timing.median, DAYS)

    @property
    def p90(self) -> str:
        return decimal(self.timing.p90, DAYS)


def body_zone() -> ZoneInfo:
    """The body's clock, on which a decision's year and month are read."""
    return ZoneInfo(str(get_timezone()))  # Babel may hand back pytz, which is no tzinfo for astimezone


def withheld(count: int) -> str:
    return _("fewer than %(n)d applications (%(count)d)", n=MIN_GROUP, count=count)


def render_statistics(args: Mapping[str, str]):
    zone = body_zone()
    filters = read_filters(db.session, args, current_user, zone)
    if filters is None:
        return render_template("insight/statistics.html", filters=None, min_group=MIN_GROUP)
    records = list(decided_records(db.session, filters.narrowing, current_user, zone))
    language = current_language()
    return render_template(
        "insight/statistics.html",
        filters=filters,
        labels=LABELS,
        ignored=[LABELS[name] for name in filters.ignored],
        count=len(records),
        **_scores(records, filters, language),
        **_timings(records, zone),
        peers=_peers(records, filters, args.get("organisation", ""), language),
        links=_links(filters),
        withheld=withheld,
        min_group=MIN_GROUP,
        share=share,
    )


def _scores(records: Sequence[stats.Decided], filters: Filters, language: str) -> dict:
    """Levels, area scores and the indicators missed, with their charts."""
    levels = _levels(records, filters)
    areas = _areas(records, filters, language)
    return {
        "levels": levels,
        "levels_chart": _svg(horizontal_bars(_("Decided applications by level"), levels)),
        "areas": areas,
        "areas_chart": _svg(box_plots(_("Assessed scores by area"), [_box(row) for row in areas])),
        "misses": stats.missed(records, filters.standard),
        "titles": {i.id: i.title.get(language) for i in filters.standard.indicators()},
    }


def _timings(records: Sequence[stats.Decided], zone) -> dict:
    """Days to a decision, overall and by month, and clarification rounds, with their charts."""
    timing = stats.durations(records, zone)
    months = [TimingRow(_month(month), t) for month, t in timing.months]
    medians = [Bar(m.label, float(as_decimal(m.timing.median)), m.median) for m in months if m.timing.shown]
    rounds = stats.clarification_rounds(records)
    by_rounds = [Bar(_rounds_label(n), count) for n, count in rounds.distribution]
    return {
        "overall": TimingRow(_("All decided applications"), timing.overall),
        "months": months,
        "months_chart": _svg(
            horizontal_bars(_("Median days from submission to decision, by month"), medians)
        ),
        "rounds": rounds,
        "rounds_chart": _svg(horizontal_bars(_("Applications by clarification rounds"), by_rounds)),
        "rounds_label": _rounds_label,
    }


def _month(first_day) -> str:
    """The month and its year ("January 2025", "Январь 2025"), capitalised in both languages."""
    name = format_date(first_day, "LLLL yyyy")
    return name[:1].upper() + name[1:]


def _svg(text: str) -> Markup:
    # the charts escape every text they draw
    return Markup(text)  # noqa: S704


def _levels(records: Sequence[stats.Decided], filters: Filters) -> list[Bar]:
    counted = stats.level_counts(records, filters.standard.levels)
    language = current_language()
    return [Bar(level.name.get(language) if level else _("Not certified"), count) for level, count in counted]


def _areas(records, filters: Filters, language: str) -> list[AreaRow]:
    return [
        AreaRow(area.title.get(language), spread)
        for area, spread in stats.area_spreads(records, filters.standard.areas)
    ]


def _box(row: AreaRow) -> Box:
    if not row.spread.shown:
        return Box(row.title, (), withheld(row.spread.count))
    names = (_("minimum"), _("lower quartile"), _("median"), _("upper quartile"), _("maximum"))
    spoken = ", ".join(f"{name} {value}" for name, value in zip(names, row.five, strict=True))
    return Box(row.title, tuple(float(as_decimal(value)) for value in row.spread.five), spoken)


def _rounds_label(rounds: int) -> str:
    return _("no clarification") if rounds == 0 else ngettext("%(num)d round", "%(num)d rounds", rounds)


@dataclass(frozen=True)
class Peers:
    #: (organisation id, name) to choose from, and the one chosen
    choices: list[tuple[int, str]]
    chosen: int | None
    comparison: stats.PeerComparison | None
    #: why no percentile is shown ("" when they are)
    reason: str
    #: the chosen organisation's scores and percentiles, area by area
    rows: list[tuple[str, str, str]]


def _peers(records, filters: Filters, value: str, language: str) -> Peers:
    """Where the chosen organisation's latest decided application sits among its peers' (same filters)."""
    latest = stats.latest_by_organisation(records)
    name = "organisation_en" if language.startswith("en") else "organisation_ru"
    names = {organisation: record.details.get(name, "") for organisation, record in latest.items()}
    choices = sorted(names.items(), key=lambda item: (item[1], item[0]))
    chosen = int(value) if value.isdecimal() and len(value) < 10 else None
    if chosen is None:
        return Peers(choices, None, None, _("Choose an organisation to compare with its peers."), [])
    comparison = stats.peer_comparison(records, chosen, filters.standard.areas)
    if comparison is None:
        reason = _("This organisation has no decided application that matches the filters.")
        return Peers(choices, chosen, None, reason, [])
    rows = [
        (standing.area.title.get(language), decimal(standing.own, SCORE), _percentile(standing))
        for standing in comparison.areas
    ]
    reason = (
        ""
        if comparison.shown
        else _(
            "Only %(peers)d other organisations match the filters: a percentile needs at least %(n)d "
            "peers, or it could all but name them.",
            peers=comparison.peers,
            n=MIN_GROUP,
        )
    )
    return Peers(choices, chosen, comparison, reason, rows)


def _percentile(standing: stats.Standing) -> str:
    return "—" if standing.percentile is None else str(standing.percentile)


def _links(filters: Filters) -> dict[str, str]:
    """The exports, each with the filters it shares with the page."""
    return {
        "applications": url_for("insight.export_applications", **filters.args()),
        "certificates": url_for("insight.export_certificates"),
        "calibration": url_for("insight.export_calibration", version=filters.version.id),
    }
