"""Worked examples on cmq-1.0; every expected number is computed by hand in docs/scoring.md."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from certify.scoring import score
from certify.standards.definition import NUMBER_TYPES, Question, QuestionType
from tests.scoring.builders import cmq

D = Decimal
ELIGIBLE = {
    "elig_legal_form": "association",
    "elig_legal_documents": ("statutes.pdf",),
    "elig_staff_fte": D("1.5"),
    "elig_staff_documents": ("staff.pdf",),
    "elig_members_signed": 40,
    "elig_members_register": ("register.xlsx",),
    "elig_member_types": ("business", "research"),
    "elig_website_url": "https://cluster.example",
    "elig_website_active": True,
}


def best_answer(question: Question):
    """The answer that earns `question` its maximum points; a file for evidence, something for the rest."""
    kind = question.type
    if kind == QuestionType.SINGLE_CHOICE:
        return max(question.options, key=lambda option: option.points).value
    if kind == QuestionType.MULTIPLE_CHOICE:
        return tuple(option.value for option in question.options)
    if kind == QuestionType.YES_NO:
        return question.points_yes >= question.points_no
    if kind in NUMBER_TYPES:
        top = max(question.bands, key=lambda band: band.points, default=None)
        value = 1 if top is None else top.minimum if top.minimum is not None else top.maximum - 1
        return int(value) if kind == QuestionType.INTEGER else D(value)
    if kind == QuestionType.DATE:
        return date(2024, 1, 31)
    return ("file.pdf",) if kind == QuestionType.EVIDENCE else "An answer."


def best_answers() -> dict:
    areas = {q.id: best_answer(q) for a in cmq().areas for i in a.indicators for q in i.questions}
    return ELIGIBLE | areas


def area_scores(outcome) -> dict:
    return {area_id: area.score for area_id, area in outcome.areas.items()}


def reasons(outcome) -> list[tuple]:
    return [
        (r.code, r.params.get("level_id"), r.params.get("area_id") or r.params.get("indicator_id"))
        for r in outcome.reasons
    ]


ALL_100 = {"str", "gov", "fin", "stg", "srv", "intl", "res", "grn"}
#: the indicators with `evidence_required`; the last five got their evidence question `<id>_documents` late
EVIDENCE_REQUIRED = {
    "str_rules",
    "gov_mandate",
    "gov_bodies",
    "fin_non_budget",
    "fin_plan",
    "stg_strategy",
    "stg_action_plan",
    "srv_joint_projects",
    "res_investment",
    "res_success_stories",
    "str_members",
    "str_growth",
    "stg_monitoring",
    "srv_satisfaction",
    "grn_impact",
}
LATE_EVIDENCE = ("str_members", "str_growth", "stg_monitoring", "srv_satisfaction", "grn_impact")


def without(answers: dict, *question_ids: str) -> dict:
    """`answers` with these questions unanswered, as the questionnaire sends them: the keys left out."""
    return {key: value for key, value in answers.items() if key not in question_ids}


def test_every_indicator_that_requires_evidence_has_an_evidence_question():
    indicators = {i.id: i for i in cmq().indicators()}
    assert {i for i, indicator in indicators.items() if indicator.evidence_required} == EVIDENCE_REQUIRED
    for indicator_id in LATE_EVIDENCE:
        evidence = [q for q in indicators[indicator_id].questions if q.type == QuestionType.EVIDENCE]
        assert [(q.id, q.required, q.visible_if) for q in evidence] == [
            (f"{indicator_id}_documents", False, None)
        ]


# Example 1: the best answer everywhere, every file attached.
def test_example_1_best_answers_score_100_but_a_self_assessment_cannot_show_the_rubric():
    outcome = score(cmq(), best_answers()).self_assessment
    assert all(s.score == D("100.0") and not s.capped for s in outcome.indicators.values())
    assert area_scores(outcome) == dict.fromkeys(ALL_100, D("100.0"))
    assert outcome.total == D("100.0")
    assert outcome.level.id == "advanced"
    assert reasons(outcome) == [
        ("rubric_pending", "excellence", "stg_strategy"),
        ("rubric_pending", "excellence", "stg_action_plan"),
        ("rubric_pending", "excellence", "stg_monitoring"),
        ("level_reached", "advanced", None),
    ]


def test_example_1_assessed_with_4_everywhere_reaches_excellence():
    rubric = {i.id: 4 for i in cmq().indicators()}
    outcome = score(cmq(), best_answers(), rubric=rubric).assessed
    assert (outcome.total, outcome.level.id, reasons(outcome)) == (
        D("100.0"),
        "excellence",
        [("level_reached", "excellence", None)],
    )


def test_example_1_without_the_str_files_is_capped_below_excellence():
    rubric = {i.id: 4 for i in cmq().indicators()}
    answers = without(best_answers(), "str_members_documents", "str_growth_documents")
    outcome = score(cmq(), answers, rubric=rubric).assessed
    capped = {i for i, s in outcome.indicators.items() if s.capped}
    assert (capped, outcome.indicators["str_members"].score) == ({"str_members", "str_growth"}, D("25.0"))
    assert area_scores(outcome) == dict.fromkeys(ALL_100, D("100.0")) | {"str": D("58.8")}
    assert outcome.total == D("95.9")
    assert outcome.level.id == "advanced"
    assert reasons(outcome) == [
        ("area_below_minimum", "excellence", "str"),
        ("level_reached", "advanced", None),
    ]


# Example 2: a partial self-assessment: hidden questions, a cap, renormalisation, unanswered areas.
EXAMPLE_2 = ELIGIBLE | {
    "stg_strategy_status": "approved",
    "stg_strategy_topics": ("market_analysis", "member_needs", "green_transition"),
    "stg_involvement_mode": "co_created",
    "stg_plan_kpis": 7,
    "stg_plan_owners": True,
    "stg_plan_document": ("plan.pdf",),
    "stg_reporting_frequency": "never",
    "stg_kpis_met_share": D(95),
    "stg_improvements_count": 2,
    "intl_partners_count": 4,
    "intl_networks": ("cluster_platform", "alliance"),
    "intl_projects_count": 1,
    "intl_value_chain": False,
    "intl_export_members": 0,
    "res_investment_attracted": D(0),
    "res_new_products": 3,
    "res_stories_count": 1,
    "res_recognition_kinds": ("regional", "national_status", "national_award", "quality_label"),
}


def test_example_2_a_partial_self_assessment():
    outcome = score(cmq(), EXAMPLE_2).self_assessment
    indicators = outcome.indicators
    assert (indicators["stg_strategy"].score, indicators["stg_strategy"].capped) == (D("25.0"), True)
    assert (indicators["stg_strategy"].points, indicators["stg_strategy"].max_points) == (D(7), D(8))
    assert indicators["stg_involvement"].score == D("75.0")
    assert indicators["stg_action_plan"].score == D("87.5")
    assert (indicators["stg_monitoring"].score, indicators["stg_monitoring"].capped) == (D("0.0"), False)
    assert "stg_kpis_met_share" not in outcome.questions
    assert indicators["stg_improvement"].score == D("50.0")
    assert indicators["intl_projects"].score == D("12.5")
    assert outcome.questions["res_recognition_kinds"] == D(4)
    assert indicators["res_innovation"].score == D("25.0")
    # Silence scores nothing: no survey date hides the only pointed question, and the indicator is 0.
    assert (indicators["srv_satisfaction"].score, indicators["srv_satisfaction"].max_points) == (D("0.0"), 0)
    assert area_scores(outcome) == {
        "str": D("0.0"),
        "gov": D("0.0"),
        "fin": D("0.0"),
        "stg": D("45.0"),
        "srv": D("0.0"),
        "intl": D("21.9"),
        "res": D("37.5"),
        "grn": D("0.0"),
    }
    assert outcome.total == D("13.8")
    assert outcome.level is None
    counted = [(code, level) for code, level, _ in reasons(outcome)]
    assert counted == [("total_below_minimum", "excellence")] + [("area_below_minimum", "excellence")] * 8 + [
        ("total_below_minimum", "advanced")
    ] + [("area_below_minimum", "advanced")] * 7 + [("total_below_minimum", "basic")]


# Example 3: the assessors' rubric on example 1 without the monitoring reports; a half-up tie in "intl".
ANSWERS_3 = without(best_answers(), "stg_monitoring_documents")
RUBRIC_3 = {i.id: 4 for i in cmq().indicators()} | {
    "stg_monitoring": 2,
    "intl_partnerships": 1,
    "intl_projects": 0,
    "intl_exports": 1,
}


def test_example_3_the_assessed_outcome():
    result = score(cmq(), ANSWERS_3, rubric=RUBRIC_3)
    monitoring = result.self_assessment.indicators["stg_monitoring"]
    assert (monitoring.score, monitoring.capped, result.self_assessment.total) == (D("25.0"), True, D("97.0"))
    outcome = result.assessed
    assert (outcome.indicators["stg_monitoring"].score, outcome.indicators["stg_monitoring"].capped) == (
        D("25.0"),
        True,
    )
    assert area_scores(outcome) == dict.fromkeys(ALL_100, D("100.0")) | {"stg": D("85.0"), "intl": D("16.3")}
    assert outcome.total == D("92.8")
    assert outcome.level.id == "basic"
    assert reasons(outcome) == [
        ("area_below_minimum", "excellence", "intl"),
        ("rubric_below_minimum", "excellence", "stg_monitoring"),
        ("area_below_minimum", "advanced", "intl"),
        ("level_reached", "basic", None),
    ]


def test_example_3_an_empty_tuple_of_files_is_no_evidence_either():
    answers = best_answers() | {"stg_monitoring_documents": ()}
    assert score(cmq(), answers, rubric=RUBRIC_3) == score(cmq(), ANSWERS_3, rubric=RUBRIC_3)


def test_example_3_reasons_read_in_both_languages():
    first = score(cmq(), ANSWERS_3, rubric=RUBRIC_3).assessed.reasons[0]
    assert first.message("en") == (
        "Area 'International cooperation' is 16.3, below the 60.0 level 'Excellence' requires."
    )
    assert first.message("ru") == (
        "Область «Международное сотрудничество»: 16,3 — ниже 60,0, требуемых для уровня «Превосходство»."
    )


def test_example_4_one_unmet_requirement_withholds_every_level():
    outcome = score(cmq(), best_answers() | {"elig_website_active": False}).self_assessment
    assert outcome.total == D("100.0")
    assert (outcome.level, reasons(outcome)) == (None, [("eligibility_unmet", None, None)])
    assert outcome.reasons[0].params["requirement_id"] == "elig_website"
    assert outcome.reasons[0].message("en") == (
        "Eligibility requirement 'A live cluster website' is not met, so no level can be granted."
    )
