"""The body's monitoring view in figures (issue 18, item 4): totals and medians per year, region and green
field; the public figures withhold a cell of fewer than five organisations and as many more as it takes
for nothing about fewer than five to be worked out from the published totals."""

from __future__ import annotations

import json
import subprocess
import sys
from dataclasses import replace
from decimal import Decimal
from fractions import Fraction
from itertools import combinations
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from certify.monitoring.aggregates import (
    AGGREGATED_KPIS,
    Breakdown,
    Cell,
    aggregated_figures,
    body_aggregates,
    public_aggregates,
    public_json,
)
from certify.monitoring.report import core_question_id, field_question_id
from certify.monitoring.trends import MIN_PEERS, YearReport
from certify.standards.format import LIBRARY, load_standard_file

MONITORING = load_standard_file(LIBRARY / "cmq-1.2.yaml").monitoring
INVESTMENT = core_question_id("investment_attracted")
YEAR, REGION, FIELD = Breakdown.YEAR, Breakdown.REGION, Breakdown.FIELD


def energy(field: str, actual, baseline=0, target=1000) -> dict[str, Decimal]:
    figures = {"actual": actual, "baseline": baseline, "target": target}
    return {field_question_id(field, "energy_saved", name): Decimal(value) for name, value in figures.items()}


def report(organisation_id, investment=None, region="Tatarstan", fields=(), year=2025, **figures):
    answered = {} if investment is None else {INVESTMENT: Decimal(investment)}
    answered |= {question: Decimal(value) for question, value in figures.items()}
    return YearReport(organisation_id, year, "advanced", region, frozenset(fields), answered)


def region_reports(*sizes: int, investment=100) -> list[YearReport]:
    """`sizes[i]` organisations in region R<i>, each reporting the same investment."""
    reports = []
    for region, size in enumerate(sizes):
        for _ in range(size):
            reports.append(report(len(reports) + 1, investment, region=f"R{region}"))
    return reports


def test_the_figures_come_from_the_standard_s_monitoring_section():
    figures = {figure.kpi: figure for figure in aggregated_figures(MONITORING)}
    assert tuple(figures) == AGGREGATED_KPIS
    assert figures["investment_attracted"].question_id == INVESTMENT
    assert figures["joint_projects_completed"].question_id == core_question_id("joint_projects_completed")
    # the fields that ask for the KPI, in the standard's order, by their actual figure
    assert figures["energy_saved"].question_id is None
    assert figures["energy_saved"].field_questions == (
        ("energy_cities", "kpi_energy_cities_energy_saved_actual"),
        ("construction", "kpi_construction_energy_saved_actual"),
    )
    assert [field for field, _ in figures["co2_avoided"].field_questions] == [
        "energy_cities",
        "construction",
        "environment_waste",
    ]
    assert aggregated_figures(MONITORING, ["water_saved", "not_in_the_standard"])[0].kpi == "water_saved"
    assert len(aggregated_figures(MONITORING, ["not_in_the_standard"])) == 0


def test_an_organisation_s_energy_saved_is_the_sum_of_its_chosen_fields_actual_figures():
    (figure,) = aggregated_figures(MONITORING, ["energy_saved"])
    chosen = frozenset({"energy_cities", "construction"})
    figures = energy("energy_cities", 30) | energy("construction", 12)
    both = YearReport(1, 2025, "advanced", "T", chosen, figures)
    assert figure.parts(both) == {"energy_cities": Decimal(30), "construction": Decimal(12)}
    # a field it did not choose is not counted, even if a figure was stored for it
    one = YearReport(1, 2025, "advanced", "T", frozenset({"construction"}), both.figures)
    assert figure.parts(one) == {"construction": Decimal(12)}
    # no actual figure: the organisation does not report energy saved (it is not a zero)
    target_only = {field_question_id("energy_cities", "energy_saved", "target"): Decimal(5)}
    assert figure.parts(YearReport(1, 2025, "advanced", "T", chosen, target_only)) == {}


def test_the_body_sees_every_total_and_median_per_year_region_and_field():
    reports = [
        report(1, 100, region="Tatarstan", fields=("energy_cities",), **energy("energy_cities", 10)),
        report(
            2,
            300,
            region="Tatarstan",
            fields=("energy_cities", "construction"),
            **energy("energy_cities", 20) | energy("construction", 5),
        ),
        report(3, 200, region="Moscow", fields=("construction",), **energy("construction", 1)),
        report(4, None, region="Moscow", fields=("water",)),
        report(5, 700, region="Moscow", year=2024),
    ]
    made = body_aggregates(reports, MONITORING)
    assert made.years() == [2024, 2025]
    assert made.cell(2025, YEAR, None, "investment_attracted") == Cell(
        2025, YEAR, None, "investment_attracted", 3, Decimal(600), Decimal(200), withheld=True
    )
    tatarstan = made.cell(2025, REGION, "Tatarstan", "investment_attracted")
    assert (tatarstan.organisations, tatarstan.total, tatarstan.median) == (2, Decimal(400), Decimal(200))
    # a core KPI per field: the organisations that chose the field, one of them in two fields
    construction = made.cell(2025, FIELD, "construction", "investment_attracted")
    assert (construction.organisations, construction.total) == (2, Decimal(500))
    assert made.cell(2025, FIELD, "water", "investment_attracted") is None  # nobody there reported it
    # energy saved: 10 + (20 + 5) + 1, each field's figure once; per field, that field's figures only
    assert made.cell(2025, YEAR, None, "energy_saved").total == Decimal(36)
    assert made.cell(2025, YEAR, None, "energy_saved").median == Decimal(10)
    assert made.cell(2025, FIELD, "energy_cities", "energy_saved").total == Decimal(30)
    assert made.cell(2025, FIELD, "construction", "energy_saved").total == Decimal(6)
    assert made.cell(2025, REGION, "Tatarstan", "energy_saved").total == Decimal(35)
    assert made.cell(2024, YEAR, None, "investment_attracted").total == Decimal(700)
    assert made.cell(2025, YEAR, None, "joint_projects_started") is None


def test_a_cell_of_fewer_than_five_is_withheld_but_still_counted():
    made = public_aggregates(region_reports(5, 4), MONITORING)
    small = made.cell(2025, REGION, "R1", "investment_attracted")
    assert (small.organisations, small.total, small.median, small.withheld) == (4, None, None, True)
    assert made.cell(2025, YEAR, None, "investment_attracted").total == Decimal(900)


def test_a_year_of_fewer_than_five_withholds_every_cell():
    made = public_aggregates(region_reports(2, 2), MONITORING)
    assert made.cells and all(cell.withheld and cell.total is None for cell in made.cells)


def test_one_withheld_cell_takes_the_next_smallest_with_it():
    # R2 alone would be the year's total less R0 and R1
    made = public_aggregates(region_reports(7, 6, 2, 8), MONITORING)
    withheld = {c.group for c in made.cells if c.breakdown == REGION and c.withheld}
    assert withheld == {"R1", "R2"}
    body = body_aggregates(region_reports(7, 6, 2, 8), MONITORING)
    r1 = body.cell(2025, REGION, "R1", "investment_attracted")
    assert r1.total == Decimal(600) and r1.withheld  # the body sees it, and that the public does not


@pytest.mark.parametrize(
    ("sizes", "withheld"),
    [
        ((6, 1, 1, 9), {"R1", "R2", "R0"}),  # 1 + 1 is still a sum of two organisations
        ((6, 3, 2, 9), {"R1", "R2"}),  # 3 + 2: the two together are five
        ((6, 9), set()),
    ],
)
def test_withheld_cells_together_hold_at_least_five_organisations(sizes, withheld):
    made = public_aggregates(region_reports(*sizes), MONITORING)
    assert {c.group for c in made.cells if c.breakdown == REGION and c.withheld} == withheld


def test_a_withheld_region_is_not_recovered_through_the_fields():
    # R1's one organisation is all of field construction beyond R3; so construction less R3 would be it
    reports = [report(n, 10 * n, region="R0", fields=("energy_cities",)) for n in range(1, 7)]
    reports += [report(n, 10 * n, region="R3", fields=("construction",)) for n in range(7, 13)]
    reports += [report(13, 5, region="R1", fields=("energy_cities",))]
    reports += [report(14, 7, region="R2", fields=("construction",))]
    assert_nothing_about_fewer_than_five(reports)


def test_an_organisation_is_not_recovered_from_two_overlapping_fields():
    # six chose both fields, one only construction: construction (the whole year) less energy_cities
    # would be that one; energy_cities is withheld, construction tells no more than the year
    reports = [report(n, 10 * n, fields=("energy_cities", "construction")) for n in range(1, 7)]
    reports += [report(7, 99, fields=("construction",))]
    made = public_aggregates(reports, MONITORING)
    assert made.cell(2025, YEAR, None, "investment_attracted").total == Decimal(309)
    fields = [c for c in made.cells if c.breakdown == FIELD and c.kpi == "investment_attracted"]
    assert [(c.group, c.withheld) for c in fields] == [("energy_cities", True), ("construction", False)]
    assert_nothing_about_fewer_than_five(reports)


def test_an_organisation_has_one_report_a_year():
    with pytest.raises(ValueError, match="more than one report"):
        body_aggregates([report(1, 5), report(1, 6)], MONITORING)


def test_the_public_json_has_years_breakdowns_and_cells_as_exact_strings():
    reports = region_reports(5, 1, investment=1000) + [report(7, 2000, region="R0")]
    document = public_json(reports, MONITORING)
    assert json.loads(json.dumps(document)) == document
    assert document["min_organisations"] == MIN_PEERS
    assert [figure["kpi"] for figure in document["figures"]] == list(AGGREGATED_KPIS)
    assert document["figures"][0]["unit"] == {"ru": "руб.", "en": "RUB"}
    (year,) = document["years"]
    assert year["year"] == 2025 and set(year["breakdowns"]) == {"year", "region", "field"}
    assert year["breakdowns"]["year"] == [
        {
            "group": None,
            "kpi": "investment_attracted",
            "organisations": 7,
            "total": "8000",
            "median": "1000",
            "withheld": False,
        }
    ]
    regions = {cell["group"]: cell for cell in year["breakdowns"]["region"]}
    assert regions["R1"] == {
        "group": "R1",
        "kpi": "investment_attracted",
        "organisations": 1,
        "total": None,
        "median": None,
        "withheld": True,
    }
    assert regions["R0"]["withheld"] and regions["R0"]["total"] is None  # the next smallest


def test_a_median_is_written_as_a_plain_decimal():
    reports = [report(n, 1000 if n % 2 else 2000) for n in range(1, 7)]
    (year,) = public_json(reports, MONITORING)["years"]
    assert year["breakdowns"]["year"][0]["median"] == "1500"


# Nothing about fewer than five organisations can be worked out from the public totals -------------------


def assert_nothing_about_fewer_than_five(reports: list[YearReport]) -> None:
    """Every published total is a sum of contributions (an organisation's figure, or for a green field
    KPI its figure in one field). If some combination of the published totals involved only the
    contributions of fewer than five organisations, leaving out those organisations' contributions would
    lower the rank of the published totals' matrix."""
    made = public_aggregates(reports, MONITORING)
    figures = {figure.kpi: figure for figure in aggregated_figures(MONITORING)}
    for year in made.years():
        for kpi in made.kpis:
            year_reports = [r for r in reports if r.year == year]
            contributions = [
                (r, part, value) for r in year_reports for part, value in figures[kpi].parts(r).items()
            ]
            published = [c for c in made.cells if (c.year, c.kpi) == (year, kpi) and not c.withheld]
            rows = []
            for cell in published:
                row = [1 if _in_cell(cell, r, part) else 0 for r, part, _ in contributions]
                assert cell.total == sum(v for (_, _, v), x in zip(contributions, row, strict=True) if x)
                rows.append(row)
            organisations = sorted({r.organisation_id for r, _, _ in contributions})
            whole = _rank(rows)
            for few in combinations(organisations, min(MIN_PEERS - 1, len(organisations))):
                kept = [i for i, (r, _, _) in enumerate(contributions) if r.organisation_id not in few]
                assert _rank([[row[i] for i in kept] for row in rows]) == whole, (year, kpi, few)


def _in_cell(cell: Cell, report: YearReport, part: str | None) -> bool:
    if cell.breakdown == YEAR:
        return True
    if cell.breakdown == REGION:
        return report.region == cell.group
    return part == cell.group if part is not None else cell.group in report.fields


def _rank(rows: list[list[int]]) -> int:
    matrix = [[Fraction(x) for x in row] for row in rows]
    rank = 0
    columns = len(matrix[0]) if matrix else 0
    for column in range(columns):
        pivot = next((i for i in range(rank, len(matrix)) if matrix[i][column] != 0), None)
        if pivot is None:
            continue
        matrix[rank], matrix[pivot] = matrix[pivot], matrix[rank]
        for i in range(len(matrix)):
            if i != rank and matrix[i][column] != 0:
                factor = matrix[i][column] / matrix[rank][column]
                matrix[i] = [a - factor * b for a, b in zip(matrix[i], matrix[rank], strict=True)]
        rank += 1
    return rank


def test_the_check_finds_an_organisation_that_the_body_s_totals_give_away():
    reports = [report(n, 10 * n, fields=("energy_cities", "construction")) for n in range(1, 7)]
    reports += [report(7, 99, fields=("construction",))]
    published = body_aggregates(reports, MONITORING)
    cells = [c for c in published.cells if c.kpi == "investment_attracted"]
    rows = [[1 if _in_cell(c, r, None) else 0 for r in reports] for c in cells]
    without_seven = [row[:-1] for row in rows]
    assert _rank(without_seven) < _rank(rows)


FIELDS = ("energy_cities", "construction", "water")


@st.composite
def year_of_reports(draw) -> list[YearReport]:
    reports = []
    for organisation_id in range(1, draw(st.integers(1, 9)) + 1):
        fields = draw(st.frozensets(st.sampled_from(FIELDS)))
        figures = {}
        if draw(st.booleans()):
            figures[INVESTMENT] = Decimal(draw(st.integers(0, 1000)))
        for field in sorted(fields & {"energy_cities", "construction"}):
            if draw(st.booleans()):
                figures |= energy(field, draw(st.integers(0, 1000)))
        region = draw(st.sampled_from(("R0", "R1", "R2")))
        reports.append(YearReport(organisation_id, 2025, "advanced", region, fields, figures))
    return reports


@settings(max_examples=60, deadline=None)
@given(year_of_reports())
def test_no_combination_of_public_totals_concerns_fewer_than_five_organisations(reports):
    assert_nothing_about_fewer_than_five(reports)


@settings(max_examples=60, deadline=None)
@given(year_of_reports())
def test_the_public_cells_are_the_body_s_with_the_withheld_ones_emptied(reports):
    body, public = body_aggregates(reports, MONITORING), public_aggregates(reports, MONITORING)
    emptied = [replace(cell, total=None, median=None) if cell.withheld else cell for cell in body.cells]
    assert list(public.cells) == emptied


@settings(max_examples=60, deadline=None)
@given(year_of_reports())
def test_the_regions_and_a_green_kpi_s_fields_each_add_up_to_the_year(reports):
    made = body_aggregates(reports, MONITORING)
    for kpi in made.kpis:
        year = made.cell(2025, YEAR, None, kpi)
        if year is None:
            continue
        regions = [c.total for c in made.cells if (c.kpi, c.breakdown) == (kpi, REGION)]
        assert sum(regions, Decimal(0)) == year.total
        if kpi == "energy_saved":
            fields = [c.total for c in made.cells if (c.kpi, c.breakdown) == (kpi, FIELD)]
            assert sum(fields, Decimal(0)) == year.total


def test_the_aggregates_and_the_workbook_are_pure():
    code = (
        "import certify.monitoring.aggregates, certify.monitoring.export;"
        " import sys; assert 'flask' not in sys.modules and 'sqlalchemy' not in sys.modules"
    )
    subprocess.run([sys.executable, "-c", code], check=True, cwd=Path(__file__).resolve().parents[2])
