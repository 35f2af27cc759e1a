"""The statistics as pure functions of decided records (certify.insight.statistics), worked out by hand."""

from __future__ import annotations

import subprocess
import sys
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from zoneinfo import ZoneInfo

from certify.insight.statistics import (
    Decided,
    Step,
    clarification_rounds,
    durations,
    level_counts,
    missed,
    needed_steps,
    peer_comparison,
)
from tests.scoring.builders import cmq_1_1

PROJECT_ROOT = Path(__file__).resolve().parents[2]
MOSCOW = ZoneInfo("Europe/Moscow")
START = datetime(2025, 1, 1, 9, tzinfo=UTC)


def decided(
    n: int, level=None, *, rubric=None, organisation=None, days=10, at=START, areas=None, rounds=0
) -> Decided:
    """Application `n` (of organisation `n` unless told), decided `days` after its submission, `at`."""
    return Decided(
        application=n,
        organisation=n if organisation is None else organisation,
        level=level,
        submitted_at=at - timedelta(days=days),
        decided_at=at,
        first_decided_at=at,
        total=None,
        areas=areas or {},
        rubric=rubric or {},
        rounds=rounds,
    )


def test_levels_are_counted_from_the_highest_and_not_certified_last():
    standard = cmq_1_1()
    records = [decided(1, "basic"), decided(2, "basic"), decided(3, "excellence"), decided(4)]
    counted = [(level.id if level else None, n) for level, n in level_counts(records, standard.levels)]
    assert counted == [("excellence", 1), ("advanced", 0), ("basic", 2), (None, 1)]


def test_a_level_needs_its_critical_minimums_and_those_below_it_and_its_rubric_minimums():
    needed = needed_steps(cmq_1_1())
    assert needed["basic"] == (Step("fin_plan", 1, True), Step("stg_strategy", 1, True))
    excellence = {step.indicator: (step.step, step.critical) for step in needed["excellence"]}
    assert excellence == {
        "fin_non_budget": (2, True),
        "fin_plan": (1, True),
        "stg_strategy": (3, True),  # critical and a rubric minimum alike: critical
        "stg_action_plan": (3, False),
        "stg_monitoring": (3, False),
        "srv_collaboration": (3, True),
        "srv_joint_projects": (3, True),
        "srv_satisfaction": (3, True),
    }


def rubric(value: int, **overrides: int) -> dict[str, int]:
    return {i.id: overrides.get(i.id, value) for i in cmq_1_1().indicators()}


def test_the_indicators_missed_for_a_level_critical_first_then_the_most_missed():
    records = [
        decided(1, "basic", rubric=rubric(3, srv_joint_projects=1)),
        decided(2, "basic", rubric=rubric(2)),
        decided(3, None, rubric=rubric(1, stg_strategy=0)),
        decided(4, "basic", rubric=rubric(3, fin_non_budget=1, srv_satisfaction=1)),
        decided(5, "basic", rubric=rubric(2, stg_strategy=1)),
        decided(6, "advanced", rubric=rubric(3)),  # not below advanced: left out of its misses
    ]
    basic, advanced, excellence = missed(records, cmq_1_1())
    assert (basic.level.id, basic.applications, basic.shown, basic.misses) == ("basic", 1, False, ())
    assert advanced.applications == 5
    assert [(m.step.indicator, m.count, m.share) for m in advanced.misses] == [
        ("fin_non_budget", 2, Fraction(2, 5)),
        ("stg_strategy", 2, Fraction(2, 5)),
        ("srv_joint_projects", 2, Fraction(2, 5)),
        ("srv_satisfaction", 2, Fraction(2, 5)),
        ("srv_collaboration", 1, Fraction(1, 5)),
    ]
    assert [(m.step.indicator, m.count, m.step.critical) for m in excellence.misses] == [
        ("srv_joint_projects", 4, True),
        ("srv_satisfaction", 4, True),
        ("stg_strategy", 3, True),
        ("srv_collaboration", 3, True),
        ("fin_non_budget", 2, True),
        ("stg_action_plan", 3, False),
        ("stg_monitoring", 3, False),
    ]


def test_days_to_a_decision_overall_and_by_the_month_on_the_bodys_clock():
    january = [decided(n, days=10 * n, at=START + timedelta(days=n)) for n in range(1, 6)]
    # 23:30 on 31 January in UTC is already February in Moscow
    late = decided(6, days=60, at=datetime(2025, 1, 31, 23, 30, tzinfo=UTC))
    timing = durations([*january, late], MOSCOW)
    assert (timing.overall.count, timing.overall.median, timing.overall.p90) == (6, 35, 55)
    (jan, jan_timing), (feb, feb_timing) = timing.months
    assert (jan, jan_timing.median, jan_timing.p90) == (date(2025, 1, 1), 30, 46)
    assert (feb, feb_timing.count, feb_timing.shown) == (date(2025, 2, 1), 1, False)


def test_the_review_is_timed_to_the_first_decision_not_the_appeals():
    record = decided(1, "basic", days=30)
    appealed = Decided(**{**record.__dict__, "decided_at": START + timedelta(days=40)})
    assert durations([appealed] * 5, MOSCOW).overall.median == 30


def test_clarification_rounds_from_none_to_the_most():
    records = [decided(n, rounds=r) for n, r in enumerate([0, 2, 0, 1, 0, 2])]
    rounds = clarification_rounds(records)
    assert rounds.shown and rounds.distribution == ((0, 3), (1, 1), (2, 2))
    assert clarification_rounds(records[:4]).distribution == ()


def area(score: str) -> dict[str, Decimal]:
    return {"str": Decimal(score)}


def test_a_percentile_counts_the_peers_below_and_half_of_those_tied():
    standard = cmq_1_1()
    peers = [decided(n, areas=area(s)) for n, s in enumerate(["100", "75", "75", "25", "75", "50"], start=2)]
    own = decided(1, areas=area("50"))
    comparison = peer_comparison([own, *peers], 1, standard.areas[:1])
    assert comparison.shown and comparison.peers == 6
    (standing,) = comparison.areas
    assert (standing.own, standing.peers, standing.percentile) == (Decimal(50), 6, 25)  # (1 + 1/2) / 6


def test_each_organisation_counts_by_its_latest_decided_application():
    standard = cmq_1_1()
    older = decided(1, organisation=1, areas=area("90"), at=START)
    latest = decided(2, organisation=1, areas=area("10"), at=START + timedelta(days=30))
    peers = [decided(n, areas=area("50")) for n in range(3, 8)]
    comparison = peer_comparison([latest, older, *peers], 1, standard.areas[:1])
    assert comparison.own.application == 2 and comparison.areas[0].percentile == 0
    # the organisation's older application is not a peer of its own
    assert comparison.peers == 5


def test_fewer_than_five_peers_give_no_percentile():
    standard = cmq_1_1()
    records = [decided(n, areas=area("50")) for n in range(1, 5)]
    comparison = peer_comparison(records, 1, standard.areas[:1])
    assert not comparison.shown and comparison.peers == 3 and comparison.areas[0].percentile is None
    assert peer_comparison(records, 99, standard.areas[:1]) is None


def test_the_statistics_figures_and_the_writer_import_neither_flask_nor_sqlalchemy():
    code = (
        "import certify.insight.statistics, certify.insight.figures, certify.insight.xlsx; import sys; "
        "assert 'flask' not in sys.modules and 'sqlalchemy' not in sys.modules"
    )
    subprocess.run([sys.executable, "-c", code], check=True, cwd=PROJECT_ROOT)
