"""The effectiveness index (issue 18): core KPIs by percentile rank among the year's reports, green field
KPIs by attainment of the organisation's own target, the two halves weighted equally, one decimal half up."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from certify.monitoring.effectiveness import effectiveness_index, index_inputs, one_decimal
from certify.monitoring.report import core_question_id, field_question_id
from certify.monitoring.trends import YearReport
from certify.standards.definition import Text
from certify.standards.format import LIBRARY, load_standard_file
from certify.standards.monitoring import FieldKpis, Kpi, KpiType, Monitoring, Thresholds


def kpi(kpi_id: str, higher_is_better: bool = True) -> Kpi:
    name = Text(ru=kpi_id, en=kpi_id)
    return Kpi(kpi_id, name, name, KpiType.NUMBER, name, higher_is_better)


#: a core KPI and a green KPI each way, so that every reversal is exercised
MONITORING = Monitoring(
    kpis=(kpi("participants"), kpi("landfill", False), kpi("recovered"), kpi("landfilled", False)),
    core=("participants", "landfill"),
    thresholds=Thresholds(worsening_percent=Decimal(20)),
    fields_question="grn_fields",
    fields=(FieldKpis("waste", ("recovered", "landfilled")),),
)


def core(**values) -> dict[str, Decimal]:
    return {core_question_id(kpi_id): Decimal(value) for kpi_id, value in values.items()}


def green(kpi_id: str, actual, baseline, target, field: str = "waste") -> dict[str, Decimal]:
    figures = {"actual": actual, "baseline": baseline, "target": target}
    return {field_question_id(field, kpi_id, name): Decimal(value) for name, value in figures.items()}


def report(organisation_id: int, figures: dict[str, Decimal], fields=("waste",), year=2024) -> YearReport:
    return YearReport(organisation_id, year, "advanced", "Tatarstan", frozenset(fields), figures)


YEAR = [
    report(
        1,
        core(participants=10, landfill=5) | green("recovered", 30, 10, 50) | green("landfilled", 80, 100, 60),
    ),
    # past its target on one KPI; its other target is no better than the baseline
    report(
        2,
        core(participants=20, landfill=5) | green("recovered", 60, 10, 50) | green("landfilled", 1, 100, 120),
    ),
    report(3, core(participants=20, landfill=1), fields=()),
    report(4, core(participants=40) | green("recovered", 5, 10, 20)),
    report(5, green("recovered", 49, 0, 400)),
    report(6, {}),
]


def test_core_kpis_are_ranked_by_mid_rank_and_reversed_when_lower_is_better():
    made = index_inputs(YEAR, MONITORING)
    ranks = {o: {s.kpi: s.score for s in inputs.core} for o, inputs in made.items()}
    # participants 10, 20, 20, 40: (below + half the equal) / 4
    assert [ranks[o]["participants"] for o in (1, 2, 3, 4)] == [
        Decimal(v) for v in ("12.5", "50.0", "50.0", "87.5")
    ]
    # landfill 5, 5, 1, lower is better: (above + half the equal) / 3
    assert [ranks[o]["landfill"] for o in (1, 2, 3)] == [Decimal("33.3"), Decimal("33.3"), Decimal("83.3")]
    assert "landfill" not in ranks[4] and ranks[5] == {} and ranks[6] == {}
    (landfill,) = [s for s in made[3].core if s.kpi == "landfill"]
    assert (landfill.value, landfill.worse, landfill.equal, landfill.reporting) == (Decimal(1), 2, 1, 3)


def test_green_kpis_score_the_attainment_of_the_organisation_s_own_target():
    made = index_inputs(YEAR, MONITORING)
    scores = {o: {(s.field, s.kpi): s.score for s in inputs.green} for o, inputs in made.items()}
    assert scores[1] == {("waste", "recovered"): Decimal(50), ("waste", "landfilled"): Decimal(50)}
    # past the target counts as the target; a target above the baseline of a lower-is-better KPI sets nothing
    assert scores[2] == {("waste", "recovered"): Decimal(100), ("waste", "landfilled"): None}
    assert scores[3] == {} and scores[4] == {("waste", "recovered"): Decimal(0)}  # short of the baseline
    (left_out,) = [s for s in made[2].green if not s.counted]
    assert (left_out.actual, left_out.baseline, left_out.target) == (Decimal(1), Decimal(100), Decimal(120))
    assert left_out.question_id == field_question_id("waste", "landfilled", "actual")


def test_the_index_weighs_core_and_green_as_two_halves_and_rounds_half_up_once():
    assert effectiveness_index(YEAR, MONITORING) == {
        1: Decimal("36.5"),  # ((12.5 + 33.33…) / 2 + 50) / 2 = 36.458…
        2: Decimal("70.8"),  # ((50 + 33.33…) / 2 + 100) / 2 = 70.83…
        3: Decimal("66.7"),  # core only: (50 + 83.33…) / 2
        4: Decimal("43.8"),  # (87.5 + 0) / 2 = 43.75, half up
        5: Decimal("12.3"),  # green only: 49 / 400 = 12.25 %, half up (half even would give 12.2)
    }  # 6 reported nothing: no index
    assert index_inputs(YEAR, MONITORING)[6].index is None


def test_a_field_the_organisation_did_not_choose_or_did_not_report_in_full_is_not_scored():
    figures = green("recovered", 30, 10, 50)
    assert index_inputs([report(1, figures, fields=())], MONITORING)[1].green == ()
    partial = {k: v for k, v in figures.items() if not k.endswith("_target")}
    assert index_inputs([report(1, partial)], MONITORING)[1].green == ()


@pytest.mark.parametrize(
    ("reports", "message"),
    [
        ([report(1, {}, year=2023), report(2, {}, year=2024)], "one year"),
        ([report(1, {}), report(1, {})], "more than one report"),
    ],
)
def test_reports_of_several_years_or_twice_one_organisation_are_refused(reports, message):
    with pytest.raises(ValueError, match=message):
        effectiveness_index(reports, MONITORING)


def test_the_index_reads_the_standard_s_own_kpis():
    monitoring = load_standard_file(LIBRARY / "cmq-1.3.yaml").monitoring
    water = green("water_saved", 175, 100, 200, "water")
    reports = [
        report(1, core(participants=15, team_fte=1) | water, fields=("water",)),
        report(2, core(participants=30, team_fte="0.5"), fields=("water",)),
    ]
    # participants rank 25 and 75, the team 75 and 25: both 50 on the core; 75 % of the water target
    assert effectiveness_index(reports, monitoring) == {1: Decimal("62.5"), 2: Decimal("50.0")}
    made = index_inputs(reports, monitoring)
    assert [s.kpi for s in made[1].core] == ["participants", "team_fte"]
    assert [(s.field, s.kpi, s.score) for s in made[1].green] == [("water", "water_saved", Decimal(75))]


@pytest.mark.parametrize(
    ("value", "expected"), [(Fraction(1, 20), "0.1"), (Fraction(1249, 100), "12.5"), (Fraction(100), "100.0")]
)
def test_one_decimal_rounds_half_up_exactly(value, expected):
    assert one_decimal(value) == Decimal(expected) and str(one_decimal(value)) == expected


FIGURES = st.decimals(min_value=0, max_value=1000, places=1, allow_nan=False, allow_infinity=False)
CORE_IDS = [core_question_id(kpi_id) for kpi_id in MONITORING.core]
GREEN_KPIS = MONITORING.fields[0].kpis


@st.composite
def figures(draw) -> dict[str, Decimal]:
    """Some core figures, and some green KPIs reported in full."""
    found = {question_id: draw(FIGURES) for question_id in CORE_IDS if draw(st.booleans())}
    for kpi_id in GREEN_KPIS:
        if draw(st.booleans()):
            found |= green(kpi_id, draw(FIGURES), draw(FIGURES), draw(FIGURES))
    return found


@st.composite
def worse(draw, better: dict[str, Decimal]) -> dict[str, Decimal]:
    """The same figures made no better on any KPI: the same baselines and targets, no better actuals."""
    made = dict(better)
    compared = [(core_question_id(kpi_id), kpi_id) for kpi_id in MONITORING.core]
    compared += [(field_question_id("waste", kpi_id, "actual"), kpi_id) for kpi_id in GREEN_KPIS]
    for question_id, kpi_id in compared:
        if question_id in better:
            value = better[question_id]
            bounds = (0, value) if MONITORING.kpi(kpi_id).higher_is_better else (value, 2000)
            made[question_id] = draw(st.decimals(*bounds, places=1))
    return made


@st.composite
def a_year(draw):
    others = draw(st.lists(figures(), max_size=8))
    better = draw(figures())
    return others, better, draw(worse(better))


@given(a_year())
def test_the_index_is_between_0_and_100_and_better_on_every_kpi_is_never_lower(year):
    others, better, worse_figures = year
    reports = [report(1, better), report(2, worse_figures)]
    reports += [report(n, f) for n, f in enumerate(others, start=3)]
    index = effectiveness_index(reports, MONITORING)
    assert all(Decimal(0) <= value <= Decimal(100) for value in index.values())
    assert (1 in index) == (2 in index)
    if 1 in index:
        assert index[1] >= index[2]
