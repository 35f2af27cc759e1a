"""The body's monitoring view in figures: totals and medians per year, region and green field (issue 18,
item 4; docs/monitoring.md, "Totals and medians"). Pure.

For each year and each figure of `AGGREGATED_KPIS` a cell gives how many organisations reported the
figure, their total and their median: for the year as a whole, for each region, and for each green
priority field. The body sees every cell (`body_aggregates`). The public figures (`public_aggregates`,
`public_json`) withhold the total and median of a cell of fewer than `MIN_PEERS` organisations, and then
as many more cells as it takes for whatever can be worked out by adding and subtracting the published
totals to concern at least `MIN_PEERS` organisations (`_withhold`): a withheld cell cannot be recovered
from the year's total and the other cells, nor one organisation's figure from the cells around it.
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from typing import Any

from certify.monitoring.report import core_question_id, field_question_id
from certify.monitoring.trends import MIN_PEERS, YearReport, one_per_year
from certify.standards.monitoring import Monitoring

#: The KPIs the body's view totals, in this order: investment, joint projects started and completed
#: (core KPIs), energy saved and CO₂ avoided (green field KPIs). Each is looked up in the standard's
#: monitoring section; one the version does not define is left out.
AGGREGATED_KPIS = (
    "investment_attracted",
    "joint_projects_started",
    "joint_projects_completed",
    "energy_saved",
    "co2_avoided",
)


class Breakdown(StrEnum):
    """How a year's reports are divided into cells."""

    #: the year as a whole: one cell
    YEAR = "year"
    #: one cell per region
    REGION = "region"
    #: one cell per green priority field
    FIELD = "field"


@dataclass(frozen=True)
class Figure:
    """A KPI as an organisation's figure for the year.

    A core KPI is its one answer. A green field KPI is the **sum of the actual figures**
    (`kpi_<field>_<kpi>_actual`, never the baseline or the target) **over the fields the organisation chose
    whose KPIs include it**, each field's figure once: energy saved is that of energy-efficient cities plus
    that of sustainable construction, for a cluster that chose both. Each field's figure counts that
    field's projects (the KPI's definition), so a sum over the fields counts each project once. An
    organisation that answered none of them does not report the figure (it is not a zero).
    """

    kpi: str
    #: the core KPI's question; None for a green field KPI
    question_id: str | None
    #: a green field KPI's actual figure's question, by field, in the standard's order
    field_questions: tuple[tuple[str, str], ...] = ()

    def parts(self, report: YearReport) -> dict[str | None, Decimal]:
        """What the organisation reported of the figure: {None: answer} for a core KPI, {field: actual}
        for each chosen field of a green field KPI that has its actual figure."""
        if self.question_id is not None:
            found = report.figures.get(self.question_id)
            return {} if found is None else {None: found}
        return {
            field: report.figures[question_id]
            for field, question_id in self.field_questions
            if field in report.fields and question_id in report.figures
        }


@dataclass(frozen=True)
class Cell:
    """One figure's organisations in one year and group, with their total and median."""

    year: int
    breakdown: Breakdown
    #: the region or the field; None for the year as a whole
    group: str | None
    kpi: str
    #: how many organisations reported the figure in the cell
    organisations: int
    #: None when withheld
    total: Decimal | None
    median: Decimal | None
    #: whether the public figures withhold the total and the median
    withheld: bool = False


#: a cell of one year and figure: (breakdown, the region or field or None)
Group = tuple[Breakdown, str | None]
#: (year, breakdown, group, kpi)
CellKey = tuple[int, Breakdown, str | None, str]
#: what one organisation gave of a figure: (organisation, field or None) → the figure
Contributions = dict[tuple[int, str | None], Decimal]


@dataclass(frozen=True)
class Aggregates:
    """Every cell of every year, figure and breakdown, in order: year, figure, breakdown, group."""

    kpis: tuple[str, ...]
    cells: tuple[Cell, ...]

    def years(self) -> list[int]:
        return sorted({cell.year for cell in self.cells})

    def cell(self, year: int, breakdown: Breakdown, group: str | None, kpi: str) -> Cell | None:
        return next(
            (c for c in self.cells if (c.year, c.breakdown, c.group, c.kpi) == (year, breakdown, group, kpi)),
            None,
        )


def aggregated_figures(monitoring: Monitoring, kpis: Iterable[str] = AGGREGATED_KPIS) -> tuple[Figure, ...]:
    """The figures of `kpis` as the standard defines them: a core KPI's question (even if a field asks
    for the KPI too), or else the fields asking for it; a KPI the standard does not define is left out."""
    figures = []
    for kpi in kpis:
        if kpi in monitoring.core:
            figures.append(Figure(kpi, core_question_id(kpi)))
            continue
        fields = tuple(
            (entry.field, field_question_id(entry.field, kpi, "actual"))
            for entry in monitoring.fields
            if kpi in entry.kpis
        )
        if fields:
            figures.append(Figure(kpi, None, fields))
    return tuple(figures)


def body_aggregates(reports: Iterable[YearReport], monitoring: Monitoring) -> Aggregates:
    """Every cell with its total and median, for the body's own view; `withheld` says which the public
    figures withhold."""
    return _aggregate(reports, monitoring, public=False)


def public_aggregates(reports: Iterable[YearReport], monitoring: Monitoring) -> Aggregates:
    """The cells as published: a withheld cell keeps its count of organisations, not its total or median."""
    return _aggregate(reports, monitoring, public=True)


def _aggregate(reports: Iterable[YearReport], monitoring: Monitoring, *, public: bool) -> Aggregates:
    by_year: dict[int, list[YearReport]] = defaultdict(list)
    for report in one_per_year(reports):
        by_year[report.year].append(report)
    figures = aggregated_figures(monitoring)
    fields = tuple(entry.field for entry in monitoring.fields)
    cells = []
    for year in sorted(by_year):
        for figure in figures:
            groups = _groups(by_year[year], figure, fields)
            withheld = _withhold(groups)
            for (breakdown, group), contributions in groups.items():
                hidden = (breakdown, group) in withheld
                cells.append(_cell((year, breakdown, group, figure.kpi), contributions, hidden, public))
    return Aggregates(tuple(figure.kpi for figure in figures), tuple(cells))


def _groups(reports: list[YearReport], figure: Figure, fields: tuple[str, ...]) -> dict[Group, Contributions]:
    """Each cell's contributions: the year's, then each region's (sorted), then each field's (the
    standard's order); a group where nobody reported the figure has no cell.

    A green field KPI's field cell holds that field's figures only; a core KPI's, the figures of the
    organisations that chose the field, so an organisation of several fields is in several of its cells.
    """
    year: Contributions = {}
    regions: dict[str, Contributions] = defaultdict(dict)
    by_field: dict[str, Contributions] = defaultdict(dict)
    for report in reports:
        chosen = [field for field in fields if field in report.fields]
        for part, value in figure.parts(report).items():
            key = (report.organisation_id, part)
            year[key] = regions[report.region][key] = value
            for field in chosen if part is None else [part]:
                by_field[field][key] = value
    if not year:
        return {}
    groups: dict[Group, Contributions] = {(Breakdown.YEAR, None): year}
    groups |= {(Breakdown.REGION, region): regions[region] for region in sorted(regions)}
    groups |= {(Breakdown.FIELD, field): by_field[field] for field in fields if field in by_field}
    return groups


def _cell(key: CellKey, contributions: Contributions, hidden: bool, public: bool) -> Cell:
    """The cell of `key`: each organisation's figure in it is the sum of its contributions."""
    values: dict[int, Decimal] = defaultdict(Decimal)
    for (organisation, _part), value in contributions.items():
        values[organisation] += value
    if public and hidden:
        return Cell(*key, organisations=len(values), total=None, median=None, withheld=True)
    figures = list(values.values())
    total, median = sum(figures, Decimal(0)), statistics.median(figures)
    return Cell(*key, organisations=len(values), total=total, median=median, withheld=hidden)


def _withhold(groups: Mapping[Group, Contributions]) -> set[Group]:
    """The cells of one year and figure whose totals the public figures withhold.

    1. Every cell of fewer than MIN_PEERS organisations.
    2. Then, taking all the totals still published together (the year's and both breakdowns', since a
       reader may combine them), the contributions are grouped by the set of published cells each is in:
       each group is an *atom*. Whatever a reader works out by adding and subtracting published totals is
       made of whole atoms' sums, so while an atom holds the contributions of 1 to MIN_PEERS − 1
       organisations, one more cell is withheld (never the year's): the smallest whose withholding merges
       that atom with another (for regions, which divide the year: the next smallest region, as when a
       single region is withheld); failing that, the smallest cell the atom is in; else the smallest
       cell still published.

    At the end every atom holds at least MIN_PEERS organisations (with only the year's total published,
    the one atom is the whole year), so neither a withheld cell nor anything else about fewer than
    MIN_PEERS organisations can be worked out from the published totals. It may withhold more cells than
    the fewest that would do.
    """
    members = {group: set(contributions) for group, contributions in groups.items()}
    withheld = {group for group, keys in members.items() if _organisations(keys) < MIN_PEERS}
    year = (Breakdown.YEAR, None)
    while True:
        published = [group for group in members if group not in withheld]
        atoms: dict[frozenset, set] = defaultdict(set)
        for key in members.get(year, ()):
            atoms[frozenset(group for group in published if key in members[group])].add(key)
        small = [signature for signature, keys in atoms.items() if _organisations(keys) < MIN_PEERS]
        candidates = sorted(
            (group for group in published if group != year), key=lambda g: _organisations(members[g])
        )
        if not small or not candidates:
            return withheld
        signature = min(small, key=lambda s: _organisations(atoms[s]))
        joining = [group for group in candidates if atoms.get(signature ^ {group})]
        inside = [group for group in candidates if group in signature]
        withheld.add((joining or inside or candidates)[0])


def _organisations(keys: Iterable[tuple[int, str | None]]) -> int:
    return len({organisation for organisation, _part in keys})


def public_json(reports: Iterable[YearReport], monitoring: Monitoring) -> dict[str, Any]:
    """The public aggregates as plain values for the API: figures as strings of decimals (exact),
    counts as integers, and a withheld cell with its count and null total and median.

    {"min_organisations": 5,
     "figures": [{"kpi": "investment_attracted", "name": {"ru", "en"}, "unit": {"ru", "en"}}, …],
     "years": [{"year": 2025, "breakdowns": {"year": [cell], "region": [cell, …], "field": [cell, …]}}]}
    where a cell is {"group": region, field or null, "kpi", "organisations", "total", "median",
    "withheld"}.
    """
    aggregates = public_aggregates(reports, monitoring)
    figures = [monitoring.kpi(kpi) for kpi in aggregates.kpis]
    years = []
    for year in aggregates.years():
        breakdowns: dict[str, list[dict[str, Any]]] = {breakdown.value: [] for breakdown in Breakdown}
        for cell in aggregates.cells:
            if cell.year == year:
                breakdowns[cell.breakdown.value].append(_cell_json(cell))
        years.append({"year": year, "breakdowns": breakdowns})
    return {
        "min_organisations": MIN_PEERS,
        "figures": [
            {
                "kpi": kpi.id,
                "name": {"ru": kpi.name.ru, "en": kpi.name.en},
                "unit": {"ru": kpi.unit.ru, "en": kpi.unit.en},
            }
            for kpi in figures
        ],
        "years": years,
    }


def _cell_json(cell: Cell) -> dict[str, Any]:
    return {
        "group": cell.group,
        "kpi": cell.kpi,
        "organisations": cell.organisations,
        "total": _decimal_text(cell.total),
        "median": _decimal_text(cell.median),
        "withheld": cell.withheld,
    }


def _decimal_text(value: Decimal | None) -> str | None:
    # "f": a median of 1000 and 2000 is Decimal("1.5E+3"), which a reader should see as 1500
    return None if value is None else format(value, "f")
