"""cmq 1.2: the published cmq 1.1, unchanged, with the monitoring section (issue 18)."""

from __future__ import annotations

import re
from dataclasses import replace

import pytest

from certify.standards.format import LIBRARY, diff_standards, load_standard_file
from certify.standards.monitoring import KpiType, Surveillance

CYRILLIC = re.compile("[а-яё]", re.IGNORECASE)


@pytest.fixture(scope="module")
def versions():
    return load_standard_file(LIBRARY / "cmq-1.1.yaml"), load_standard_file(LIBRARY / "cmq-1.2.yaml")


def test_version_1_2_is_1_1_with_monitoring_and_nothing_else(versions):
    old, new = versions
    assert old.monitoring is None
    assert replace(new, version="1.1", monitoring=None) == old
    lines = diff_standards(old, new)
    assert lines[:2] == ["~ standard cmq: version 1.1 -> 1.2", "~ standard cmq: monitoring added"]
    assert lines[2:] == [f"+ KPI {kpi.id}: {kpi.name.en}" for kpi in new.monitoring.kpis]


def test_the_seed_kpis_are_there_with_their_types(versions):
    monitoring = versions[1].monitoring
    types = {kpi.id: kpi.type for kpi in monitoring.kpis}
    assert {
        "participants": KpiType.COUNT,
        "team_fte": KpiType.NUMBER,
        "non_budget_share": KpiType.SHARE,
        "joint_projects_started": KpiType.COUNT,
        "joint_projects_completed": KpiType.COUNT,
        "investment_attracted": KpiType.MONEY,
        "new_products": KpiType.COUNT,
        "international_projects": KpiType.COUNT,
        "energy_saved": KpiType.ENERGY,
        "water_saved": KpiType.WATER,
        "green_floor_area": KpiType.AREA,
        "waste_recovered": KpiType.MASS,
        "co2_avoided": KpiType.CO2,
    }.items() <= types.items()
    assert {"participants_business", "participants_research_education", "participant_types"} <= set(types)


def test_every_green_field_of_the_application_has_its_kpis(versions):
    standard = versions[1]
    monitoring = standard.monitoring
    question = next(q for q in standard.all_questions() if q.id == monitoring.fields_question)
    assert [f.field for f in monitoring.fields] == [option.value for option in question.options]
    assert all("co2_avoided" in f.kpis for f in monitoring.fields if f.field != "water")


def test_names_definitions_and_units_are_in_russian_and_english(versions):
    for kpi in versions[1].monitoring.kpis:
        for text in (kpi.name, kpi.definition):
            assert CYRILLIC.search(text.ru), (kpi.id, text.ru)
            assert not CYRILLIC.search(text.en), (kpi.id, text.en)
        assert kpi.unit.ru and kpi.unit.en


def test_the_surveillance_and_the_level_limits(versions):
    standard = versions[1]
    monitoring = standard.monitoring
    assert monitoring.surveillance == Surveillance(
        reminders_days=(30, 7), alert_after_days=30, suspension_after_days=60
    )
    limits = {(limit.level, limit.kpi): limit.value for limit in monitoring.thresholds.limits}
    for level in standard.levels:
        assert limits[(level.id, "participants")] == 15, "every level keeps the eligibility's 15 participants"
    assert ("basic", "non_budget_share") not in limits
    assert limits[("advanced", "non_budget_share")] == limits[("excellence", "non_budget_share")] == 20
