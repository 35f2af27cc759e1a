"""Critical indicators per level and areas exempt from the every-area minimum (issue 14, item 1)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from certify.scoring import ScoringInputError, score
from certify.standards.definition import Critical, QuestionType
from tests.scoring.builders import area, choice, indicator, level, plain, standard

D = Decimal
GRADES = {str(n): str(n) for n in range(101)}


def subject(*levels, evidence_required=False):
    """Area "main" (weight 90) holds "core" (weight 1) and "plan" (4); area "small" (10) holds "side".

    Each indicator has one question whose answer is its percentage; "core" may require evidence. "core"
    weighs little, so the total alone would reach a level that "core" must withhold.
    """
    core = indicator(
        "core",
        choice("core_q", GRADES),
        plain("core_file", QuestionType.EVIDENCE),
        evidence_required=evidence_required,
    )
    plan = indicator("plan", choice("plan_q", GRADES), weight="4")
    return standard(
        area("main", core, plan, weight="90"),
        area("small", indicator("side", choice("side_q", GRADES)), weight="10"),
        levels=levels,
    )


def answers(core: int, plan: int = 100, side: int = 100) -> dict:
    return {"core_q": str(core), "plan_q": str(plan), "side_q": str(side)}


def codes(outcome) -> list[tuple]:
    return [(r.code, r.params.get("level_id"), r.params.get("indicator_id")) for r in outcome.reasons]


BASIC = level("basic", 1, "40", critical=(Critical("core", 1),))
TOP = level("top", 2, "80", critical=(Critical("core", 3), Critical("plan", 2)))


def test_an_assessed_critical_indicator_below_its_rubric_minimum_withholds_the_level():
    rubric = {"core": 2, "plan": 4, "side": 4}  # total 91.0: the total alone would reach "top"
    outcome = score(subject(BASIC, TOP), answers(100), rubric=rubric).assessed
    assert outcome.total == D("91.0")
    assert outcome.level.id == "basic"
    assert codes(outcome) == [("critical_below_minimum", "top", "core"), ("level_reached", "basic", None)]
    reason = outcome.reasons[0]
    assert (reason.params["score"], reason.params["required"]) == (D("50.0"), D(75))
    assert reason.message("en") == "Critical indicator 'core' is 50.0, below the 75.0 level 'top' requires."
    assert reason.message("ru") == (
        "Критический индикатор «core»: 50,0 — ниже 75,0, требуемых для уровня «top»."
    )


def test_the_reasons_name_every_unmet_critical_indicator():
    rubric = {"core": 0, "plan": 1, "side": 4}
    outcome = score(subject(BASIC, TOP), answers(100), rubric=rubric).assessed
    assert outcome.level is None
    assert codes(outcome) == [
        ("total_below_minimum", "top", None),
        ("critical_below_minimum", "top", "core"),
        ("critical_below_minimum", "top", "plan"),
        ("total_below_minimum", "basic", None),
        ("critical_below_minimum", "basic", "core"),
    ]


def test_a_self_assessment_judges_a_critical_indicator_on_its_score_from_the_answers():
    # rubric 3 stands for 75 in the answers, unless the level says otherwise with `answers`
    outcome = score(subject(BASIC, TOP), answers(74)).self_assessment
    assert outcome.level.id == "basic"
    assert codes(outcome)[0] == ("critical_below_minimum", "top", "core")
    assert outcome.reasons[0].params["required"] == D(75)
    assert score(subject(BASIC, TOP), answers(75)).self_assessment.level.id == "top"
    lenient = level("top", 2, "80", critical=(Critical("core", 3, answers=D(60)),))
    assert score(subject(BASIC, lenient), answers(74)).self_assessment.level.id == "top"


def test_without_the_critical_indicator_no_level_at_all_whatever_the_total():
    outcome = score(subject(BASIC, TOP), answers(0)).self_assessment
    assert (outcome.total, outcome.level) == (D("82.0"), None)
    assert codes(outcome) == [
        ("critical_below_minimum", "top", "core"),
        ("critical_below_minimum", "basic", "core"),
    ]


def test_a_level_needs_the_critical_indicators_of_the_levels_below_it_too():
    forgetful = level("top", 2, "80", critical=(Critical("plan", 2),))  # does not repeat "core"
    outcome = score(subject(BASIC, forgetful), answers(0), rubric={"core": 0, "plan": 4, "side": 4}).assessed
    assert (outcome.total, outcome.level) == (D("82.0"), None)
    assert codes(outcome) == [
        ("critical_below_minimum", "top", "core"),
        ("critical_below_minimum", "basic", "core"),
    ]
    # the stricter minimum wins when both name the indicator: Basic's 3 (75), not top's 2 (50)
    stricter_below = level("basic", 1, "40", critical=(Critical("plan", 3),))
    outcome = score(subject(stricter_below, forgetful), answers(100, plan=70)).self_assessment
    top_plan = [
        r for r in outcome.reasons if r.code == "critical_below_minimum" and r.params["level_id"] == "top"
    ]
    assert [(r.params["indicator_id"], r.params["required"]) for r in top_plan] == [("plan", D(75))]


def test_missing_evidence_caps_the_critical_indicator_it_is_judged_on():
    rubric = {"core": 4, "plan": 4, "side": 4}
    capped = score(subject(BASIC, TOP, evidence_required=True), answers(100), rubric=rubric).assessed
    assert capped.indicators["core"].score == D("25.0")
    assert capped.level.id == "basic"  # 25 meets rubric 1 (Basic), not rubric 3 (top)
    with_file = score(
        subject(BASIC, TOP, evidence_required=True), answers(100) | {"core_file": ("f",)}, rubric=rubric
    ).assessed
    assert with_file.level.id == "top"


def test_a_critical_indicator_the_answers_cannot_score_is_pending_in_a_self_assessment():
    texts = indicator("texts", plain("texts_q", QuestionType.LONG_TEXT))
    subject_ = standard(
        area("a", indicator("core", choice("core_q", GRADES)), texts),
        levels=(level("basic", 1, "40", critical=(Critical("texts", 2),)),),
    )
    outcome = score(subject_, {"core_q": "100"}).self_assessment
    assert outcome.level is None
    assert codes(outcome) == [("rubric_pending", "basic", "texts")]
    assessed = score(subject_, {"core_q": "100"}, rubric={"core": 4, "texts": 2}).assessed
    assert assessed.level.id == "basic"


def test_an_exempt_area_does_not_veto_the_level_through_the_every_area_minimum():
    plain_top = level("top", 2, "80", "60")
    exempt_top = level("top", 2, "80", "60", min_area_exempt=("small",))
    low_small = answers(100, side=10)  # total 91.0, area "small" 10.0
    assert score(subject(BASIC, plain_top), low_small).self_assessment.level.id == "basic"
    outcome = score(subject(BASIC, exempt_top), low_small).self_assessment
    assert (outcome.total, outcome.level.id) == (D("91.0"), "top")
    # the exemption is only from `min_area`: the small area still counts in the total
    assert score(subject(BASIC, exempt_top), answers(70, plan=70, side=0)).self_assessment.total == D("63.0")


@pytest.mark.parametrize(
    ("bad_level", "code"),
    [
        (level("basic", 1, "40", critical=(Critical("nothing", 1),)), "unknown_critical_indicator"),
        (level("basic", 1, "40", critical=(Critical("core", 5),)), "bad_critical_minimum"),
        (level("basic", 1, "40", critical=(Critical("core", 1, answers=D(101)),)), "bad_critical_minimum"),
        (level("basic", 1, "40", min_area_exempt=("nowhere",)), "unknown_exempt_area"),
    ],
)
def test_a_standard_built_in_code_with_a_bad_level_is_refused(bad_level, code):
    with pytest.raises(ScoringInputError) as caught:
        score(subject(bad_level), answers(100))
    assert caught.value.code == code
    assert caught.value.message("ru") != caught.value.message("en")
