"""The effectiveness index: one number from 0 to 100 per certified organisation and year (issue 18). Pure.

The formula (docs/monitoring.md, "Trends and the effectiveness index"):

1. **Core KPIs: a percentile rank.** For each core KPI, among the n organisations that reported it that
   year, an organisation's rank is (below + 0.5 × equal) / n × 100, where `below` counts the organisations
   with a lower figure and `equal` those with the same figure, itself included (the mid-rank, as the
   assessment report's percentile: a figure everyone shares ranks 50, not 0 or 100). For a
   lower-is-better KPI the rank is reversed: (above + 0.5 × equal) / n × 100, which is 100 minus the rank.
   Ranking rather than comparing raw figures puts participants, roubles and FTE on one scale, and one very
   large cluster cannot stretch it for everyone else.
2. **Green field KPIs: attainment of the organisation's own target.** For each KPI of each green field the
   organisation chose, reported with its actual figure, baseline and target, the attainment is
   min(1, max(0, (actual − baseline) / (target − baseline))) × 100: 0 at or short of the baseline, 100 at
   or past the target. The same expression serves a lower-is-better KPI, whose target is below its
   baseline (both differences are then negative). A target that does not improve on the baseline (not
   above it, or not below it when lower is better) sets nothing to attain, and the KPI is left out.
3. **The index** is the mean of the organisation's core ranks and the mean of its green attainments,
   weighted equally as two halves when it has both: (mean of core + mean of green) / 2; the one mean when
   it has only one kind; no index when it has no score at all. The two halves weigh the same whatever the
   number of fields chosen, so a cluster with three fields is not judged mostly on its own targets.

Computed with exact fractions and rounded once, at the end, half up to one decimal.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from math import floor

from certify.monitoring.report import core_question_id, field_question_id
from certify.monitoring.trends import YearReport
from certify.standards.monitoring import Monitoring


@dataclass(frozen=True)
class CoreScore:
    """A core KPI's percentile rank among the organisations that reported it."""

    kpi: str
    question_id: str
    value: Decimal
    #: how many reported a worse figure, the same figure (itself included), and in all
    worse: int
    equal: int
    reporting: int

    @property
    def exact(self) -> Fraction:
        return Fraction(100 * (2 * self.worse + self.equal), 2 * self.reporting)

    @property
    def score(self) -> Decimal:
        return one_decimal(self.exact)


@dataclass(frozen=True)
class GreenScore:
    """A green field KPI's attainment of the organisation's target; shown even when left out."""

    field: str
    kpi: str
    #: the actual figure's question; the baseline and target are asked beside it
    question_id: str
    actual: Decimal
    baseline: Decimal
    target: Decimal
    higher_is_better: bool

    @property
    def counted(self) -> bool:
        """Whether the target improves on the baseline, so that there is something to attain."""
        return self.target > self.baseline if self.higher_is_better else self.target < self.baseline

    @property
    def exact(self) -> Fraction | None:
        if not self.counted:
            return None
        share = Fraction(self.actual - self.baseline) / Fraction(self.target - self.baseline)
        return 100 * min(Fraction(1), max(Fraction(0), share))

    @property
    def score(self) -> Decimal | None:
        exact = self.exact
        return None if exact is None else one_decimal(exact)


@dataclass(frozen=True)
class IndexInputs:
    """How one organisation's index is made: each component with its score, and the result."""

    organisation_id: int
    core: tuple[CoreScore, ...]
    #: every green KPI reported in full, including those left out (`counted` false)
    green: tuple[GreenScore, ...]

    @property
    def exact(self) -> Fraction | None:
        halves = [_mean([s.exact for s in self.core]), _mean([s.exact for s in self.green if s.counted])]
        return _mean([half for half in halves if half is not None])

    @property
    def index(self) -> Decimal | None:
        exact = self.exact
        return None if exact is None else one_decimal(exact)


def effectiveness_index(reports: Iterable[YearReport], monitoring: Monitoring) -> dict[int, Decimal]:
    """Each organisation's index for one year's reports; an organisation with no score has none."""
    made = index_inputs(reports, monitoring)
    return {organisation: inputs.index for organisation, inputs in made.items() if inputs.index is not None}


def index_inputs(reports: Iterable[YearReport], monitoring: Monitoring) -> dict[int, IndexInputs]:
    """The components of every organisation's index for one year's reports, by organisation id."""
    reports = _one_year(reports)
    core = {report.organisation_id: [] for report in reports}
    for kpi_id in monitoring.core:
        higher_is_better = monitoring.kpi(kpi_id).higher_is_better
        question_id = core_question_id(kpi_id)
        reporting = [report for report in reports if question_id in report.figures]
        ordered = sorted(report.figures[question_id] for report in reporting)
        for report in reporting:
            value = report.figures[question_id]
            lower, higher = bisect_left(ordered, value), len(ordered) - bisect_right(ordered, value)
            worse = lower if higher_is_better else higher
            equal = len(ordered) - lower - higher
            core[report.organisation_id].append(
                CoreScore(kpi_id, question_id, value, worse, equal, len(ordered))
            )
    return {
        report.organisation_id: IndexInputs(
            report.organisation_id, tuple(core[report.organisation_id]), _green(report, monitoring)
        )
        for report in reports
    }


def _green(report: YearReport, monitoring: Monitoring) -> tuple[GreenScore, ...]:
    """The report's green KPIs given in full (actual, baseline, target), in the standard's order."""
    scores = []
    for entry in monitoring.fields:
        if entry.field not in report.fields:
            continue
        for kpi_id in entry.kpis:
            ids = [
                field_question_id(entry.field, kpi_id, figure) for figure in ("actual", "baseline", "target")
            ]
            if all(question_id in report.figures for question_id in ids):
                actual, baseline, target = (report.figures[question_id] for question_id in ids)
                higher_is_better = monitoring.kpi(kpi_id).higher_is_better
                scores.append(
                    GreenScore(entry.field, kpi_id, ids[0], actual, baseline, target, higher_is_better)
                )
    return tuple(scores)


def _one_year(reports: Iterable[YearReport]) -> list[YearReport]:
    """The reports as a list, refused unless they are of one year and one per organisation."""
    listed = list(reports)
    if len({report.year for report in listed}) > 1:
        raise ValueError("an index compares the reports of one year")
    if len({report.organisation_id for report in listed}) != len(listed):
        raise ValueError("an organisation has more than one report for the year")
    return listed


def _mean(values: Sequence[Fraction]) -> Fraction | None:
    return sum(values, Fraction(0)) / len(values) if values else None


def one_decimal(value: Fraction) -> Decimal:
    """A non-negative fraction rounded half up to one decimal, exactly."""
    return Decimal(floor(value * 10 + Fraction(1, 2))).scaleb(-1)
