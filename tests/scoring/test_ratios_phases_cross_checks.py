"""Ratios, maturity phases and cross-checks (issue 14, items 5, 6 and 8), on a standard read from YAML."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from certify.scoring import ScoringInputError, derived_answers, failed_checks, score
from tests.scoring.relations_standard import relations_standard

D = Decimal
TODAY = date(2026, 12, 1)


@pytest.fixture(scope="module")
def standard():
    return relations_standard()


def team(standard, on=TODAY, **answers):
    return score(standard, answers, on=on).self_assessment


def test_a_ratio_is_computed_from_its_two_answers_and_earns_its_band(standard):
    outcome = team(standard, team_fte=D("2"), members=40)
    assert derived_answers(standard, {"team_fte": D("2"), "members": 40}) == {"fte_per_10": D("0.5")}
    assert outcome.questions["fte_per_10"] == 4


def test_a_ratio_without_a_denominator_scores_nothing_and_still_counts_in_the_maximum(standard):
    for answers in ({"team_fte": D("2")}, {"team_fte": D("2"), "members": 0}):
        outcome = team(standard, **answers)
        assert outcome.questions["fte_per_10"] == 0
        assert derived_answers(standard, answers) == {}
        # members_joined (4) and fte_per_10 (4) are the indicator's maximum, silence earns 0 of it
        assert outcome.indicators["team_size"].max_points == 8


def test_nobody_can_answer_a_ratio(standard):
    with pytest.raises(ScoringInputError) as refused:
        score(standard, {"fte_per_10": D("9")}, on=TODAY)
    assert refused.value.code == "computed_answered"
    assert "вычисляется" in refused.value.message("ru")


@pytest.mark.parametrize(
    ("founded", "phase"),
    [
        (date(2025, 6, 1), "emerging"),
        (date(2023, 12, 2), "emerging"),  # two years and 364 days old
        (date(2023, 12, 1), "growing"),  # three years to the day
        (date(2019, 12, 2), "growing"),
        (date(2010, 1, 1), "mature"),
        (None, "mature"),  # no date, no allowance for youth
        (date(2027, 1, 1), "mature"),  # a founding date in the future claims nothing
    ],
)
def test_the_founding_date_gives_the_phase_on_the_scoring_day(standard, founded, phase):
    answers = {} if founded is None else {"elig_founded_on": founded}
    assert team(standard, **answers).phase.id == phase


def test_a_young_cluster_is_banded_for_its_phase_and_a_mature_one_for_its_own(standard):
    young = team(standard, elig_founded_on=date(2025, 1, 1), members_joined=4)
    mature = team(standard, elig_founded_on=date(2001, 1, 1), members_joined=4)
    assert young.questions["members_joined"] == 4
    assert mature.questions["members_joined"] == 0
    assert young.indicators["team_size"].max_points == mature.indicators["team_size"].max_points


def test_a_standard_without_phases_has_no_phase(standard):
    from tests.scoring.builders import cmq

    assert score(cmq(), {}).self_assessment.phase is None


def test_the_same_fact_entered_twice_differently_is_a_warning(standard):
    answers = {"elig_staff_fte": D("1.5"), "team_fte": D("2")}
    (failed,) = failed_checks(standard, answers)
    assert failed.check.id == "staff_same"
    assert failed.values == {"elig_staff_fte": D("1.5"), "team_fte": D("2")}
    assert failed_checks(standard, {"elig_staff_fte": D("2"), "team_fte": D("2.0")}) == ()
    assert failed_checks(standard, {"team_fte": D("2")}) == ()  # one value compares with nothing


def test_shares_over_100_are_a_warning_but_a_hidden_share_takes_no_part(standard):
    shares = {"share_business": D("60"), "share_science": D("30"), "share_other": D("20")}
    (failed,) = failed_checks(standard, {**shares, "members": 10})
    assert failed.check.id == "shares_at_most_100"
    assert failed_checks(standard, {**shares, "members": 0}) == ()  # share_other is hidden
    assert failed_checks(standard, {**shares, "share_other": D("10"), "members": 10}) == ()
    (alone,) = failed_checks(standard, {"share_business": D("60"), "share_science": D("50")})
    assert alone.check.id == "shares_at_most_100"


def test_a_cross_check_never_changes_a_score(standard):
    agreeing = score(standard, {"elig_staff_fte": D("2"), "team_fte": D("2")}, on=TODAY).self_assessment
    differing = score(standard, {"elig_staff_fte": D("1"), "team_fte": D("2")}, on=TODAY).self_assessment
    assert agreeing.total == differing.total


def test_display_helpers_leave_out_an_answer_the_engine_would_refuse(standard):
    typed_badly = {"team_fte": "2", "members": 40, "elig_staff_fte": D("-5")}
    assert derived_answers(standard, typed_badly) == {}
    assert failed_checks(standard, {**typed_badly, "team_fte": D("2")}) == ()
    assert derived_answers(standard, {**typed_badly, "team_fte": D("2")}) == {"fte_per_10": D("0.5")}
