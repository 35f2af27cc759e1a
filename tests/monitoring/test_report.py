"""The yearly report's questions, made from the standard's monitoring section, and the flags its figures
raise (issue 18): each flag names the KPI and the threshold."""

from __future__ import annotations

from decimal import Decimal

import pytest

from certify.monitoring.report import (
    CORE_PAGE,
    Flag,
    FlagKind,
    core_question_id,
    field_page,
    field_question_id,
    flags,
    report_pages,
)
from certify.questionnaire.answers import typed_answers
from certify.questionnaire.forms import page_form
from certify.questionnaire.pages import required_open
from certify.standards.definition import QuestionType
from certify.standards.format import LIBRARY, load_standard_file


@pytest.fixture(scope="module")
def standard():
    return load_standard_file(LIBRARY / "cmq-1.3.yaml")


def test_the_core_page_asks_every_core_kpi_with_its_definition_unit_and_type(standard):
    monitoring = standard.monitoring
    (core,) = report_pages(standard, fields=())
    assert core.key == CORE_PAGE
    asked = {q.id: q for q in core.questions}
    assert [q for q in asked if q != f"{CORE_PAGE}_documents"] == [
        core_question_id(k) for k in monitoring.core
    ]
    participants = asked[core_question_id("participants")]
    assert participants.type == QuestionType.INTEGER and participants.minimum == 0
    assert participants.help == monitoring.kpi("participants").definition
    share = asked[core_question_id("non_budget_share")]
    assert share.type == QuestionType.PERCENTAGE and share.maximum == 100 and share.unit.ru == "%"
    assert asked[core_question_id("investment_attracted")].type == QuestionType.MONEY
    assert asked[f"{CORE_PAGE}_documents"].type == QuestionType.EVIDENCE


def test_each_chosen_field_gets_a_page_of_actual_baseline_and_target(standard):
    pages = report_pages(standard, fields=("water", "construction", "unknown"))
    assert [page.key for page in pages] == [CORE_PAGE, field_page("water"), field_page("construction")]
    water = pages[1]
    assert water.title.en.startswith("Efficient use of water") or "water" in water.title.en.lower()
    assert [q.id for q in water.questions] == [
        field_question_id("water", "water_saved", figure) for figure in ("actual", "baseline", "target")
    ] + [f"{field_page('water')}_documents"]
    assert "базовое значение" in water.questions[1].label.ru and "baseline" in water.questions[1].label.en


def test_the_questionnaire_s_forms_and_rules_read_the_report_as_any_page(standard, app):
    (core,) = report_pages(standard, fields=())
    stored = {core_question_id("participants"): "-3", core_question_id("team_fte"): "2.5"}
    with app.test_request_context(method="POST", data={"version": "0", **stored}):
        form = page_form(core, "ru")
        form.validate()
        assert core_question_id("participants") in form.errors  # below zero: the number rule's message
        assert core_question_id("team_fte") not in form.errors
    answers = typed_answers(standard, {}, {})
    assert {q.id for q in required_open(core, answers)} == {
        core_question_id(k) for k in standard.monitoring.core
    }


def figures(**values) -> dict[str, Decimal]:
    return {core_question_id(kpi): Decimal(value) for kpi, value in values.items()}


def test_a_kpi_worse_by_more_than_the_share_is_flagged_with_the_year_before_and_the_share(standard):
    previous = figures(joint_projects_started=10, participants=40)
    current = figures(joint_projects_started=7, participants=32)  # -30 %, and exactly -20 %
    assert flags(standard, "basic", current, previous) == [
        Flag(
            FlagKind.WORSENED,
            "joint_projects_started",
            core_question_id("joint_projects_started"),
            Decimal(7),
            Decimal(10),
            Decimal(20),
        )
    ]


def test_a_green_field_s_actual_figure_is_compared_year_on_year(standard):
    question = field_question_id("water", "water_saved", "actual")
    current, previous = {question: Decimal(500)}, {question: Decimal(1000)}
    (flag,) = flags(standard, "basic", current, previous)
    assert (flag.kind, flag.kpi, flag.question_id) == (FlagKind.WORSENED, "water_saved", question)


def test_a_core_kpi_below_the_certified_level_s_limit_is_flagged_with_the_limit(standard):
    current = figures(participants=14, non_budget_share=15, team_fte="0.5")
    at_basic = flags(standard, "basic", current)
    assert [(f.kind, f.kpi, f.threshold) for f in at_basic] == [(FlagKind.BELOW_LEVEL, "participants", 15)]
    at_advanced = {(f.kpi, f.threshold) for f in flags(standard, "advanced", current)}
    assert at_advanced == {("participants", Decimal(15)), ("non_budget_share", Decimal(20))}
    assert flags(standard, "advanced", figures(participants=15, non_budget_share=20)) == []


def test_a_standard_without_monitoring_has_no_report():
    with pytest.raises(ValueError, match="no monitoring"):
        report_pages(load_standard_file(LIBRARY / "cmq-1.1.yaml"), fields=())
