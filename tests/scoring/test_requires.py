"""A level's `requires`: a condition on the answers the level needs, and every level above it too."""

from __future__ import annotations

from decimal import Decimal

from certify.scoring import score
from certify.standards.definition import QuestionType, Text
from tests.scoring.builders import area, at_least, choice, indicator, level, plain, standard

GRADES = {str(n): str(n) for n in range(101)}
SENIOR_NOTE = Text(ru="не менее 5 лет опыта", en="at least 5 years of experience")


def subject(*levels):
    """One indicator scored by `grade` (its percentage), and a years question no points depend on."""
    years = plain("years", QuestionType.INTEGER)
    return standard(area("main", indicator("core", choice("grade", GRADES), years)), levels=levels)


def reasons(outcome) -> list[tuple[str, str]]:
    return [(r.code, r.params["level_id"]) for r in outcome.reasons]


LEVELS = (
    level("attested", 1, "60"),
    level("senior", 2, "75", requires=at_least("years", 5), requires_note=SENIOR_NOTE),
)


def test_a_level_whose_requires_fails_is_not_reached_and_the_next_one_down_is():
    outcome = score(subject(*LEVELS), {"grade": "90", "years": 3}, rubric={"core": 4}).assessed
    assert outcome.level.id == "attested"
    assert reasons(outcome) == [("requires_unmet", "senior"), ("level_reached", "attested")]
    assert outcome.reasons[0].message("en") == (
        "Level 'senior' also requires at least 5 years of experience, which the answers do not show."
    )
    assert outcome.reasons[0].message("ru") == (
        "Для уровня «senior» требуется также не менее 5 лет опыта, а ответы этого не подтверждают."
    )


def test_when_it_holds_the_scores_decide():
    standard_ = subject(*LEVELS)
    assert score(standard_, {"grade": "90", "years": 6}, rubric={"core": 4}).assessed.level.id == "senior"
    low = score(standard_, {"grade": "90", "years": 6}, rubric={"core": 2}).assessed  # 50: neither
    assert low.level is None
    assert reasons(low) == [("total_below_minimum", "senior"), ("total_below_minimum", "attested")]


def test_an_unanswered_condition_fails_and_the_self_assessment_applies_it_too():
    result = score(subject(*LEVELS), {"grade": "90"}, rubric={"core": 4})
    assert result.assessed.level.id == "attested"
    assert result.self_assessment.total == Decimal("90.0")
    assert reasons(result.self_assessment)[0] == ("requires_unmet", "senior")


def test_a_lower_levels_condition_binds_every_level_above_it():
    levels = (level("basic", 1, "40", requires=at_least("years", 2)), level("advanced", 2, "60"))
    outcome = score(subject(*levels), {"grade": "90", "years": 1}, rubric={"core": 4}).assessed
    assert outcome.level is None
    assert reasons(outcome) == [("requires_unmet", "advanced"), ("requires_unmet", "basic")]
    # without a note, the reason shows the condition as written
    assert "years >= 2" in outcome.reasons[0].message("en")
