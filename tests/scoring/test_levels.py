"""Levels and their reasons: eligibility, minimum total, every-area minimum, minimum rubric scores."""

from __future__ import annotations

from decimal import Decimal

import pytest

from certify.scoring import score
from certify.standards.definition import QuestionType, Text
from tests.scoring.builders import (
    area,
    at_least,
    choice,
    equals,
    indicator,
    level,
    number,
    plain,
    requirement,
    standard,
    text,
)

D = Decimal
LEVELS = (
    level("basic", 1, "40"),
    level("advanced", 2, "60", "40"),
    level("excellence", 3, "80", "60", min_rubric={"core": 3}),
)
#: the same levels without the rubric minimum, for standards that have no indicator "core"
SCORE_LEVELS = (*LEVELS[:2], level("excellence", 3, "80", "60"))
GRADES = {str(n): str(n) for n in range(101)}


def subject(eligibility=()):
    """Two areas of one indicator each; the answer to `core_q` / `side_q` is the indicator's percentage."""
    return standard(
        area("main", indicator("core", choice("core_q", GRADES)), weight="3"),
        area("side", indicator("side", choice("side_q", GRADES)), weight="1"),
        levels=LEVELS,
        eligibility=eligibility,
    )


def answers(core: int, side: int) -> dict:
    return {"core_q": str(core), "side_q": str(side)}


def codes(outcome) -> list[tuple[str, str]]:
    return [(r.code, r.params.get("level_id", r.params.get("requirement_id"))) for r in outcome.reasons]


def test_the_highest_level_whose_minimums_hold_is_reached():
    outcome = score(subject(), answers(0, 0), rubric={"core": 3, "side": 4}).assessed  # total 81.3
    assert outcome.level.id == "excellence"
    assert codes(outcome) == [("level_reached", "excellence")]


@pytest.mark.parametrize(
    ("core", "side", "level_id"),
    [(100, 0, "basic"), (70, 40, "advanced"), (30, 100, "basic"), (20, 20, None)],
)
def test_self_assessment_levels(core, side, level_id):
    outcome = score(subject(), answers(core, side)).self_assessment
    assert (outcome.level.id if outcome.level else None) == level_id


def test_an_area_below_the_minimum_blocks_the_level_and_says_so():
    outcome = score(subject(), answers(100, 0)).self_assessment  # total 75.0, area "side" 0.0
    assert codes(outcome) == [
        ("total_below_minimum", "excellence"),
        ("area_below_minimum", "excellence"),
        ("area_below_minimum", "advanced"),
        ("level_reached", "basic"),
    ]
    side = outcome.reasons[1]
    assert side.params["area_id"] == "side"
    assert side.message("en") == "Area 'side' is 0.0, below the 60.0 level 'excellence' requires."
    assert outcome.reasons[-1].message("en") == "Level 'basic' is reached with a total score of 75.0."


def test_a_self_assessment_cannot_show_a_minimum_rubric_score():
    outcome = score(subject(), answers(90, 90)).self_assessment
    assert outcome.level.id == "advanced"
    pending = outcome.reasons[0]
    assert (pending.code, pending.params["indicator_id"], pending.params["required"]) == (
        "rubric_pending",
        "core",
        3,
    )
    assert codes(outcome) == [("rubric_pending", "excellence"), ("level_reached", "advanced")]


def test_rubric_pending_is_not_reported_when_the_scores_already_fail():
    outcome = score(subject(), answers(70, 70)).self_assessment
    assert [r.code for r in outcome.reasons] == ["total_below_minimum", "level_reached"]


def test_a_rubric_score_below_the_minimum_blocks_the_level():
    outcome = score(subject(), answers(0, 0), rubric={"core": 2, "side": 4}).assessed
    assert outcome.total == D("62.5")
    assert [r.code for r in outcome.reasons] == [
        "total_below_minimum",
        "area_below_minimum",
        "rubric_below_minimum",
        "level_reached",
    ]
    below = outcome.reasons[2]
    assert (below.params["indicator_id"], below.params["rubric"], below.params["required"]) == ("core", 2, 3)
    assert below.message("en") == "Indicator 'core' was scored 2, below the 3 level 'excellence' requires."


def test_an_unmet_eligibility_requirement_means_no_level_whatever_the_score():
    members = number("members")
    site = plain("site", QuestionType.YES_NO)
    eligibility = (
        requirement("elig_members", at_least("members", 15), members),
        requirement("elig_site", equals("site", True), site),
    )
    outcome = score(subject(eligibility), {**answers(100, 100), "members": 3, "site": True}).self_assessment
    assert outcome.level is None
    assert outcome.eligibility == {"elig_members": False, "elig_site": True}
    assert codes(outcome) == [("eligibility_unmet", "elig_members")]
    assert outcome.reasons[0].message("en") == (
        "Eligibility requirement 'elig_members' is not met, so no level can be granted."
    )


def test_thresholds_compare_the_rounded_score_the_user_sees():
    # 799 of 2000 points is 39.95 %, shown as 40.0: the level that needs 40 is reached.
    one = standard(area("a", indicator("i", choice("q", {"a": "799", "b": "2000"}))), levels=SCORE_LEVELS)
    outcome = score(one, {"q": "a"}).self_assessment
    assert outcome.total == D("40.0")
    assert outcome.level.id == "basic"


def test_an_unscored_area_is_not_held_against_the_every_area_minimum():
    texts = area("texts", indicator("t", plain("t", QuestionType.LONG_TEXT)))
    scored = area("scored", indicator("s", choice("q", GRADES)))
    outcome = score(standard(texts, scored, levels=SCORE_LEVELS), {"q": "70"}).self_assessment
    assert outcome.level.id == "advanced"


def test_no_total_means_no_level():
    only_text = standard(area("a", indicator("i", plain("t", QuestionType.LONG_TEXT))), levels=SCORE_LEVELS)
    outcome = score(only_text, {}).self_assessment
    assert (outcome.total, outcome.level, [r.code for r in outcome.reasons]) == (
        None,
        None,
        ["total_missing"],
    )


def test_no_level_when_even_the_lowest_fails():
    outcome = score(subject(), answers(10, 10)).self_assessment
    assert outcome.level is None
    assert codes(outcome)[-1] == ("total_below_minimum", "basic")


def test_reason_params_keep_texts_for_the_web_layer():
    outcome = score(subject(), answers(10, 10)).self_assessment
    assert isinstance(outcome.reasons[0].params["level"], Text)
    assert outcome.reasons[0].params["level"] == text("excellence")
