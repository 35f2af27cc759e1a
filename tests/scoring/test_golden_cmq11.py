"""Issue 14's table and its other findings, run on the published cmq 1.1.

Unless a test says otherwise: the best answer to every question, every file attached, a mature cluster
(founded 2010, scored on 1 June 2025), and an assessed rubric of 4 on every indicator but the case's. The
expected numbers are worked out by hand in each test's comments, from cmq-1.1.yaml's weights:

    areas       str 10, gov 10, fin 15, stg 20, srv 20, intl 5, res 10, grn 10
    fin         non_budget 30, sources 20, plan 25, member_contribution 25
    srv         portfolio 15, information 10, collaboration 15, member_contracts 15,
                joint_projects 25, satisfaction 20
    intl        inter_cluster, partnerships, projects, exports: 25 each

An assessed indicator scores rubric x 25; with every file attached nothing is capped, so an indicator
at rubric r costs its area (100 - 25 r) x its weight / 100, and the area costs the total that x the
area's weight / 100.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from certify.scoring import score
from certify.standards.definition import NOT_APPLICABLE, QuestionType
from tests.scoring.builders import cmq_1_1
from tests.scoring.test_golden import ELIGIBLE, best_answer, reasons, without

D = Decimal
SCORED_ON = date(2025, 6, 1)
#: the sources of the ratio questions and the answers that the generic best answer cannot give (a base
#: year, the founding date, shares without points), chosen so that every ratio lands in its top band
SOURCES = {
    "elig_staff_fte": D(5),
    "elig_members_signed": 100,
    "str_cluster_founded": date(2010, 3, 1),
    "str_new_members_2y": 20,  # 20 % of 100 participants
    "str_share_companies": D(70),
    "str_share_research_education": D(15),
    "str_share_other": D(15),
    "gov_team_fte": D(5),  # 0.5 FTE per 10 participants
    "fin_income_total": D(10000),
    "fin_non_budget_income": D(7000),  # 70 %
    "fin_paid_services_income": D(3500),  # 35 %
    "stg_involvement_members": 50,  # 50 %
    "srv_funding_applications": 30,  # 3 per 10 participants
    "srv_funding_successful": 18,  # 60 %
    "srv_new_collaborations": 50,  # 5 per 10 participants
    "srv_participants_with_contracts": 100,  # 100 %
    "srv_joint_projects_participants": 50,  # 50 %
    "intl_export_members": 20,  # 20 %
    "res_investment_attracted": D(500000),  # RUB 5,000 thousand per participant
    "grn_members_energy_audit": 50,  # 50 %
    "grn_members_ems": 50,  # 50 %
    "grn_co2_target": D(1000),
    "grn_co2_avoided": D(1000),  # 100 % of the target
    **{
        f"grn_{field}_{name}": value
        for field, target, achieved in (
            ("energy", "target_saving", "achieved_saving"),
            ("water", "target_saving", "achieved_saving"),
            ("construction", "target_area", "achieved_area"),
            ("waste", "target_diverted", "achieved_diverted"),
        )
        for name, value in (("base_year", 2020), (target, D(1000)), (achieved, D(1000)))
    },
}


def best_answers() -> dict:
    """The best answer everywhere (a ratio is computed, never answered), every file attached."""
    areas = {
        q.id: best_answer(q)
        for a in cmq_1_1().areas
        for i in a.indicators
        for q in i.questions
        if q.type != QuestionType.RATIO
    }
    return ELIGIBLE | areas | SOURCES


def rubric(**changes: int) -> dict[str, int]:
    return {i.id: 4 for i in cmq_1_1().indicators()} | changes


def assessed(answers: dict, **changes: int):
    return score(cmq_1_1(), answers, rubric=rubric(**changes), on=SCORED_ON).assessed


def self_assessed(answers: dict, on: date = SCORED_ON):
    return score(cmq_1_1(), answers, on=on).self_assessment


def area_indicators(*area_ids: str) -> list[str]:
    return [i.id for a in cmq_1_1().areas if a.id in area_ids for i in a.indicators]


def green_field_questions(field: str) -> list[str]:
    """The questions shown only when `field` ('energy', 'water'...) is among the chosen green fields."""
    option = {"energy": "energy_cities", "waste": "environment_waste"}.get(field, field)
    return [
        q.id
        for q in cmq_1_1().all_questions()
        if q.visible_if is not None and q.visible_if.source == f"'{option}' in grn_fields"
    ]


INTL_AT_1 = dict.fromkeys(area_indicators("intl"), 1)
FOUR_AREAS_AT_0 = dict.fromkeys(area_indicators("stg", "fin", "grn", "intl"), 0)


def test_the_best_answers_score_100_everywhere_and_the_assessors_give_the_top_level():
    answers = best_answers()
    own = self_assessed(answers)
    assert own.phase.id == "mature"
    assert {i: s.score for i, s in own.indicators.items() if s.score != D(100)} == {}
    assert own.total == D("100.0")
    # The self-assessment cannot show excellence's rubric minimums on the three strategy indicators.
    assert own.level.id == "advanced"
    outcome = assessed(answers)
    assert (outcome.total, outcome.level.id, reasons(outcome)) == (
        D("100.0"),
        "excellence",
        [("level_reached", "excellence", None)],
    )


@pytest.mark.parametrize(
    ("case", "changes", "total", "level"),
    [
        # srv_joint_projects weighs 25 of srv's 20: 20 x 25 / 100 = 5 -> 95.0; below both higher levels'
        # critical minimum (75, 50), so Basic only (1.0 gave Excellence at 96.3).
        ("no joint projects", {"srv_joint_projects": 0}, "95.0", "basic"),
        # fin_non_budget at 0 costs 15 x 30 / 100 = 4.5; srv_joint_projects at 1 (25) costs 5 x 3 / 4
        # = 3.75: 100 - 8.25 = 91.75 -> 91.8 (half up); joint projects 25 < 50 fails Advanced too.
        (
            "no non-budget income, one joint project",
            {"fin_non_budget": 0, "srv_joint_projects": 1},
            "91.8",
            "basic",
        ),
        # srv_satisfaction weighs 20 of srv: 20 x 20 / 100 = 4 -> 96.0
        ("satisfaction not measured", {"srv_satisfaction": 0}, "96.0", "basic"),
        # srv_collaboration weighs 15 of srv: 20 x 15 / 100 = 3 -> 97.0
        ("no new links between participants", {"srv_collaboration": 0}, "97.0", "basic"),
        # stg_strategy weighs 25 of stg's 20: 20 x 25 / 100 = 5 -> 95.0, but Basic needs a strategy
        ("no strategy", {"stg_strategy": 0}, "95.0", None),
        # stg 20 + fin 15 + grn 10 + intl 5 = 50 points lost -> 50.0; no strategy, no financial plan
        ("stg, fin, grn and intl all at 0", FOUR_AREAS_AT_0, "50.0", None),
        # intl at 25 costs 5 x 75 / 100 = 3.75 -> 96.25 -> 96.3; intl is exempt from the area minimum
        ("the four intl indicators at 1", INTL_AT_1, "96.3", "excellence"),
    ],
)
def test_the_issues_table_on_cmq_1_1(case, changes, total, level):
    outcome = assessed(best_answers(), **changes)
    assert outcome.total == D(total), case
    assert (outcome.level.id if outcome.level else None) == level, case


def test_no_joint_projects_names_the_indicator_for_both_higher_levels():
    outcome = assessed(best_answers(), srv_joint_projects=0)
    assert reasons(outcome) == [
        ("critical_below_minimum", "excellence", "srv_joint_projects"),
        ("critical_below_minimum", "advanced", "srv_joint_projects"),
        ("level_reached", "basic", None),
    ]
    assert outcome.reasons[1].message("ru") == (
        "Критический индикатор «Совместные проекты участников»: 0,0 — ниже 50,0, требуемых для уровня"
        " «Развитый»."
    )


def test_non_budget_income_at_2_is_enough_for_the_top_level():
    # Excellence asks 3 of the other critical indicators but 2 of fin_non_budget: 100 - 15 x 30 / 100 x
    # 2 / 4 = 97.75 -> 97.8.
    outcome = assessed(best_answers(), fin_non_budget=2)
    assert (outcome.total, outcome.level.id) == (D("97.8"), "excellence")


def test_no_strategy_and_no_financial_plan_means_no_level_and_says_which():
    outcome = assessed(best_answers(), **FOUR_AREAS_AT_0)
    basic = [(code, indicator) for code, level, indicator in reasons(outcome) if level == "basic"]
    assert basic == [
        ("critical_below_minimum", "stg_strategy"),
        ("critical_below_minimum", "fin_plan"),
    ]


def test_silence_on_the_survey_scores_nothing_and_costs_the_higher_levels():
    # No answer on how often participants are surveyed hides the share, the response rate and the
    # actions: srv_satisfaction has 0 of 4 points -> 0.0; srv = 100 - 20 = 80.0; total 100 - 20 x 20 /
    # 100 = 96.0; Advanced needs 50 of srv_satisfaction's answers -> Basic.
    outcome = self_assessed(without(best_answers(), "srv_survey_frequency"))
    assert outcome.indicators["srv_satisfaction"].score == D("0.0")
    assert (outcome.areas["srv"].score, outcome.total, outcome.level.id) == (D("80.0"), D("96.0"), "basic")
    assert ("critical_below_minimum", "advanced", "srv_satisfaction") in reasons(outcome)


@pytest.mark.parametrize(
    ("founded", "phase"),
    [
        (date(2023, 9, 1), "emerging"),  # 1 full year on 1 June 2025
        (date(2022, 6, 2), "emerging"),  # 2 years and 364 days: still under 3
        (date(2022, 6, 1), "growing"),  # 3 full years
        (date(2018, 6, 2), "growing"),  # 6 full years
        (date(2018, 6, 1), "mature"),  # 7 full years
        (None, "mature"),  # no founding date: no allowance for youth
    ],
)
def test_the_founding_date_gives_the_phase(founded, phase):
    answers = best_answers() | {"str_cluster_founded": founded}
    assert self_assessed(answers).phase.id == phase


def test_an_emerging_cluster_is_judged_on_what_it_can_show():
    # 3 joint projects, 40 % non-budget income, 45 participants, 2 FTE: the emerging phase's bands give
    # 4, 3, 4, 4 points; the same answers of a mature cluster give 2, 2, 2 and 3.
    answers = best_answers() | {
        "srv_joint_projects_count": 3,
        "fin_non_budget_income": D(4000),
        "str_members_total": 45,
        "elig_members_signed": 45,
        "gov_team_fte": D(2),
        "elig_staff_fte": D(2),
        "srv_joint_projects_participants": 22,
    }
    asked = ("srv_joint_projects_count", "fin_non_budget_income_share", "str_members_total", "gov_team_fte")
    young = self_assessed(answers | {"str_cluster_founded": date(2024, 1, 15)})
    old = self_assessed(answers)
    assert young.phase.id == "emerging"
    assert [young.questions[q] for q in asked] == [4, 3, 4, 4]
    assert [old.questions[q] for q in asked] == [2, 2, 2, 3]
    # srv_joint_projects: count + share of participants in projects (22 of 45 = 48.9 %: 3 points), of 8:
    # emerging (4 + 3) / 8 = 87.5, mature (2 + 3) / 8 = 62.5.
    assert young.indicators["srv_joint_projects"].score == D("87.5")
    assert old.indicators["srv_joint_projects"].score == D("62.5")


def test_the_green_area_with_no_field_chosen_is_scored_on_the_general_questions_only():
    no_field = without(best_answers(), "grn_fields")
    outcome = self_assessed(no_field)
    # Every field question is hidden. grn_strategy: coverage 4 + own carbon plan 2 + a field chosen 0
    # = 6 of 7 = 85.714...; the other three indicators earn their general questions' maximum: 100.
    # grn = (20 x 600 / 7 + 25 x 100 + 35 x 100 + 20 x 100) / 100 = 97.142... -> 97.1, never 100.
    assert outcome.indicators["grn_strategy"].score == D("85.7")
    assert outcome.areas["grn"].score == D("97.1")
    # The general questions left unanswered too: nothing is earned by default.
    (green,) = (a for a in cmq_1_1().areas if a.id == "grn")
    general = [
        q.id
        for i in green.indicators
        for q in i.questions
        if q.visible_if is None and q.type != QuestionType.EVIDENCE
    ]
    silent = self_assessed(without(no_field, *general))
    assert silent.areas["grn"].score == D("0.0")


def test_silence_on_a_chosen_green_field_scores_nothing():
    water_only = best_answers() | {"grn_fields": ("water",)}
    assert self_assessed(water_only).areas["grn"].score == D("100.0")
    water = green_field_questions("water")
    assert len(water) == 8  # the reduction in treatment energy, then baseline .. verification
    outcome = self_assessed(without(water_only, *water))
    # grn_projects: projects 4 + the water reduction unanswered 0 = 4 of 8 = 50.0. grn_impact: water's
    # target reached (its sources unanswered), method and verification 0 of 12, the general questions
    # (greenhouse gases 4, their method 4, publication 2) 10 of 10: 10 / 22 = 45.45... -> 45.5.
    # grn = (20 x 100 + 25 x 50 + 35 x 1000 / 22 + 20 x 100) / 100 = 68.409... -> 68.4
    assert outcome.indicators["grn_projects"].score == D("50.0")
    assert outcome.indicators["grn_impact"].score == D("45.5")
    assert outcome.areas["grn"].score == D("68.4")


def test_weak_green_figures_score_by_the_share_of_the_target_reached():
    # Water: 400 of a 1,000 m³ target is 40 %: 1 point; a documented national method 2; not verified 0.
    # grn_impact = (1 + 2 + 0 + 10) / 22 = 59.09... -> 59.1
    answers = best_answers() | {
        "grn_fields": ("water",),
        "grn_water_achieved_saving": D(400),
        "grn_water_method": "national_method",
        "grn_water_verified": False,
    }
    outcome = self_assessed(answers)
    assert outcome.questions["grn_water_target_reached"] == 1
    assert outcome.indicators["grn_impact"].score == D("59.1")


def test_not_applicable_takes_a_question_out_of_the_maximum_and_never_raises_the_area():
    # The cluster's water projects do not touch treatment: grn_projects is its general count alone.
    answers = best_answers() | {"grn_fields": ("water",), "grn_water_energy_reduction": NOT_APPLICABLE}
    outcome = self_assessed(answers)
    assert outcome.indicators["grn_projects"].score == D("100.0")
    weak = answers | {"grn_projects_count": 1}  # 1 point of 4
    assert self_assessed(weak).indicators["grn_projects"].score == D("25.0")
