"""The published standard cmq 1.1 (issue 14): what its content promises, checked on the library file."""

from __future__ import annotations

import re
from decimal import Decimal

from certify.scoring.cross_checks import failed_checks
from certify.standards.definition import Critical, QuestionType, ReviewRules, Text
from tests.scoring.builders import cmq, cmq_1_1
from tests.scoring.test_golden_cmq11 import best_answers

NEW_INDICATORS = {"srv_member_contracts", "intl_inter_cluster", "gov_communication"}
#: the only questions a manager may answer "not applicable", each for a reason given in its help text
NOT_APPLICABLE = {
    "fin_non_budget_share_previous",  # no previous financial year yet
    "fin_fee_paying_share",  # an institution or a company has no members who pay fees
    "res_ip_titles",  # joint projects that by nature create nothing protectable (tourism)
    "grn_energy_buildings_retrofitted",  # energy projects outside housing
    "grn_energy_light_points",  # energy projects without lighting
    "grn_water_energy_reduction",  # water projects that do not touch treatment
}
#: «члены» and its forms: participants are «участники»; «членство» (of a network) and «членский» are fine
MEMBERS_AS_PERSONS = re.compile(r"\bчлен(?:ы|ов|ам|ами|ах|а|у|ом|е)?\b", re.IGNORECASE)


def texts(value) -> list[Text]:
    """Every `Text` inside a dataclass tree of the standard."""
    if isinstance(value, Text):
        return [value]
    if isinstance(value, (tuple, list)):
        return [t for item in value for t in texts(item)]
    if isinstance(value, dict):
        return [t for item in value.values() for t in texts(item)]
    if hasattr(value, "__dataclass_fields__"):
        return [t for name in value.__dataclass_fields__ for t in texts(getattr(value, name))]
    return []


def test_cmq_1_1_loads_with_eight_areas_and_37_indicators():
    standard = cmq_1_1()
    assert (standard.code, standard.version) == ("cmq", "1.1")
    assert [a.id for a in standard.areas] == ["str", "gov", "fin", "stg", "srv", "intl", "res", "grn"]
    assert len(standard.indicators()) == 37


def test_every_indicator_of_1_0_keeps_its_id_and_its_area():
    def placed(standard):
        return {i.id: a.id for a in standard.areas for i in a.indicators}

    old, new = placed(cmq()), placed(cmq_1_1())
    assert {i: new.get(i) for i in old} == old
    assert set(new) - set(old) == NEW_INDICATORS


def test_every_indicator_requires_evidence_and_has_an_evidence_question():
    known = {q.id for q in cmq().all_questions()}
    for indicator in cmq_1_1().indicators():
        evidence = [q for q in indicator.questions if q.type == QuestionType.EVIDENCE]
        assert indicator.evidence_required and indicator.cap_without_evidence == 25, indicator.id
        assert evidence, indicator.id
        assert indicator.expected_evidence.ru and indicator.expected_evidence.en, indicator.id
        # Where 1.0 had no evidence question, 1.1 adds `<id>_documents`: optional (a rubric of 1 needs
        # no file) and always shown.
        added = [q for q in evidence if q.id not in known]
        assert [(q.id, q.required, q.visible_if) for q in added] in (
            [],
            [(f"{indicator.id}_documents", False, None)],
        ), indicator.id


def test_every_indicator_says_why_it_is_in_the_standard():
    missing = [
        i.id for i in cmq_1_1().indicators() if not (i.rationale and i.rationale.ru and i.rationale.en)
    ]
    assert missing == []


def test_the_levels_names_critical_indicators_and_review_settings():
    levels = {level.id: level for level in cmq_1_1().levels}
    assert {i: (lv.name.ru, lv.name.en) for i, lv in levels.items()} == {
        "basic": ("Базовый", "Basic"),
        "advanced": ("Развитый", "Advanced"),
        "excellence": ("Высший", "Excellence"),
    }
    core = ("srv_joint_projects", "srv_collaboration", "srv_satisfaction", "fin_non_budget", "stg_strategy")
    assert levels["basic"].critical == (Critical("stg_strategy", 1), Critical("fin_plan", 1))
    assert levels["advanced"].critical == (*(Critical(i, 2) for i in core), Critical("fin_plan", 1))
    assert levels["excellence"].critical == (
        *(Critical(i, 2 if i == "fin_non_budget" else 3) for i in core),
        Critical("fin_plan", 1),
    )
    assert [lv.min_area_exempt for lv in levels.values()] == [(), ("intl",), ("intl",)]
    assert [lv.assessors for lv in levels.values()] == [1, 2, 2]
    assert levels["excellence"].min_rubric == {"stg_strategy": 3, "stg_action_plan": 3, "stg_monitoring": 3}
    assert cmq_1_1().review == ReviewRules(Decimal(30), 2)


def test_the_phases_come_from_an_unconditional_founding_date():
    standard = cmq_1_1()
    assert standard.phases.founded == "str_cluster_founded"
    assert [(p.id, p.under_years) for p in standard.phases.phases] == [
        ("emerging", 3),
        ("growing", 7),
        ("mature", None),
    ]
    (founded,) = [q for q in standard.all_questions() if q.id == "str_cluster_founded"]
    assert (founded.type, founded.visible_if) == (QuestionType.DATE, None)


def test_not_applicable_is_allowed_only_where_the_question_may_truly_not_apply():
    allowed = {q.id for q in cmq_1_1().all_questions() if q.not_applicable}
    assert allowed == NOT_APPLICABLE
    for question in cmq_1_1().all_questions():
        if question.not_applicable:
            assert "«не применимо»" in question.help.ru and '"not applicable"' in question.help.en


def test_no_answer_that_measures_nothing_earns_points():
    nothing = {"none", "never", "no_method", "rarely"}
    paid = [
        (q.id, o.value)
        for q in cmq_1_1().all_questions()
        for o in q.options
        if o.value in nothing and o.points > 0
    ]
    assert paid == []


def test_participants_are_called_participants_and_the_organisation_area_reads_right():
    standard = cmq_1_1()
    wrong = [t.ru for t in texts(standard) if MEMBERS_AS_PERSONS.search(t.ru)]
    assert wrong == []
    (gov,) = [a for a in standard.areas if a.id == "gov"]
    assert gov.title.ru == "Специализированная организация: полномочия, команда, процессы"


def test_the_same_fact_entered_twice_is_cross_checked():
    assert failed_checks(cmq_1_1(), best_answers()) == ()
    answers = best_answers() | {"elig_staff_fte": Decimal("1.5"), "str_share_other": Decimal(30)}
    failed = {f.check.id: dict(f.values) for f in failed_checks(cmq_1_1(), answers)}
    assert failed == {
        "staff_fte_same": {"elig_staff_fte": Decimal("1.5"), "gov_team_fte": Decimal(5)},
        "participant_shares_at_most_100": {
            "str_share_companies": Decimal(70),
            "str_share_research_education": Decimal(15),
            "str_share_other": Decimal(30),
        },
    }
    assert failed_checks(cmq_1_1(), best_answers() | {"str_members_total": 90})[0].check.id == (
        "participants_count_same"
    )
