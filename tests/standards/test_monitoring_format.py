"""The `monitoring` section of an organisation's standard: its shape, its meaning and located problems."""

from __future__ import annotations

from decimal import Decimal

import pytest

from certify.standards.definition import Text
from certify.standards.format import load_standard, validate_standard_text
from certify.standards.monitoring import KpiType, Surveillance
from tests.standards.test_attestation_checks import SCHEME
from tests.standards.test_format import MINIMAL, line_of

MONITORING = """\
monitoring:
  kpis:
    - id: members
      name: {ru: "Участники", en: "Members"}
      definition: {ru: "Участники на конец года", en: "Members at the end of the year"}
      type: count
      unit: {ru: "участников", en: "members"}
      higher_is_better: true
    - id: income_share
      name: {ru: "Доля доходов", en: "Income share"}
      definition: {ru: "Доля внебюджетных доходов", en: "Share of non-budget income"}
      type: share
      higher_is_better: true
    - id: waste_landfilled
      name: {ru: "Захоронённые отходы", en: "Waste landfilled"}
      definition: {ru: "Отходы, вывезенные на полигон", en: "Waste sent to landfill"}
      type: mass
      higher_is_better: false
    - id: energy_saved
      name: {ru: "Экономия энергии", en: "Energy saved"}
      definition: {ru: "Экономия против базового уровня", en: "Saved against the baseline"}
      type: energy
      higher_is_better: true
  core: [members, income_share, waste_landfilled]
  fields_question: two_fields
  fields:
    - {field: energy, kpis: [energy_saved]}
  thresholds:
    worsening_percent: 20
    limits:
      - {level: basic, kpi: members, value: 15}
      - {level: advanced, kpi: members, value: 20}
  surveillance:
    reminders_days: [30, 7]
    alert_after_days: 30
    suspension_after_days: 60
"""
FIELDS_QUESTION = """\
        questions:
          - id: two_fields
            type: multiple_choice
            label: {ru: "Направления", en: "Fields"}
            options:
              - {value: energy, label: {ru: "Энергия", en: "Energy"}}
              - {value: water, label: {ru: "Вода", en: "Water"}}
"""
ADVANCED = """\
  - id: advanced
    name: {ru: "Продвинутый", en: "Advanced"}
    rank: 2
    min_total: 60
areas:"""
MONITORED = MINIMAL.replace("areas:", ADVANCED, 1) + FIELDS_QUESTION + MONITORING


def monitored(old: str, new: str) -> str:
    assert old in MONITORED, old
    return MONITORED.replace(old, new, 1)


def problems_of(text: str) -> list[tuple[str, int | None, str]]:
    return [(p.path, p.line, p.message) for p in validate_standard_text(text, source_name="demo.yaml")]


def test_a_standard_carries_its_kpis_fields_thresholds_and_surveillance():
    monitoring = load_standard(MONITORED, source_name="demo.yaml").monitoring
    members, share = monitoring.kpi("members"), monitoring.kpi("income_share")
    assert (members.type, members.unit, members.higher_is_better) == (
        KpiType.COUNT,
        Text(ru="участников", en="members"),
        True,
    )
    assert share.unit == Text(ru="%", en="%"), "a share's unit is fixed by its type"
    assert monitoring.kpi("waste_landfilled").higher_is_better is False
    assert monitoring.core == ("members", "income_share", "waste_landfilled")
    assert [(f.field, f.kpis) for f in monitoring.fields] == [("energy", ("energy_saved",))]
    assert [(limit.level, limit.value) for limit in monitoring.thresholds.limits] == [
        ("basic", Decimal(15)),
        ("advanced", Decimal(20)),
    ]
    assert monitoring.surveillance == Surveillance(reminders_days=(30, 7), alert_after_days=30)


def test_without_the_section_a_standard_has_no_monitoring():
    assert load_standard(MINIMAL, source_name="demo.yaml").monitoring is None


def test_the_surveillance_rules_default_to_30_and_7_days_reminders():
    start = MONITORED.index("  surveillance:")
    text = MONITORED[:start]
    assert load_standard(text, source_name="demo.yaml").monitoring.surveillance == Surveillance(
        reminders_days=(30, 7), alert_after_days=30, suspension_after_days=60
    )


@pytest.mark.parametrize(
    ("old", "new", "path", "needle", "message"),
    [
        (
            "    - id: income_share",
            "    - id: members  # again",
            "monitoring.kpis[1].id",
            "# again",
            "duplicate KPI id 'members' (first used on line",
        ),
        (
            "{field: energy, kpis",
            "{field: heat, kpis",
            "monitoring.fields[0].field",
            "{field: heat",
            "'heat' is not an option of 'two_fields' (its options: energy, water)",
        ),
        (
            "reminders_days: [30, 7]",
            "reminders_days: [7, 30]",
            "monitoring.surveillance.reminders_days[1]",
            "reminders_days",
            "30 days is not fewer than the 7 before it",
        ),
        (
            "reminders_days: [30, 7]",
            "reminders_days: [400, 7]",
            "monitoring.surveillance.reminders_days[0]",
            "reminders_days",
            "would come before the reporting year begins",
        ),
        (
            "core: [members, income_share, waste_landfilled]",
            "core: [members, income_share, waste_landfilled, members_total]",
            "monitoring.core[3]",
            "core:",
            "names 'members_total', which is not a KPI",
        ),
        (
            "core: [members, income_share, waste_landfilled]",
            "core: [members, income_share]",
            "monitoring.kpis[2].id",
            "- id: waste_landfilled",
            "KPI 'waste_landfilled' is reported nowhere",
        ),
        (
            "core: [members, income_share, waste_landfilled]",
            "core: [members, income_share, waste_landfilled, energy_saved]",
            "monitoring.kpis[3].id",
            "- id: energy_saved",
            "KPI 'energy_saved' is in core and also under a field",
        ),
        (
            "      type: share\n",
            '      type: share\n      unit: {ru: "доля", en: "share"}\n',
            "monitoring.kpis[1].unit",
            'unit: {ru: "доля"',
            "a share KPI is always in %; leave the unit out",
        ),
        (
            '      unit: {ru: "участников", en: "members"}\n',
            "",
            "monitoring.kpis[0]",
            "    - id: members",
            "a count KPI needs a unit",
        ),
        (
            "{level: basic, kpi: members, value: 15}",
            "{level: gold, kpi: members, value: 15}",
            "monitoring.thresholds.limits[0].level",
            "{level: gold",
            "names level 'gold', which is not a level",
        ),
        (
            "{level: advanced, kpi: members, value: 20}",
            "{level: advanced, kpi: members, value: 10}",
            "monitoring.thresholds.limits[1].value",
            "{level: advanced",
            "its limit on 'members' (10) is easier to keep than 'basic''s (15)",
        ),
        (
            "{level: advanced, kpi: members, value: 20}",
            "{level: advanced, kpi: income_share, value: 120}",
            "monitoring.thresholds.limits[1].value",
            "{level: advanced",
            "'income_share' is a share; 120 is more than 100 %",
        ),
        (
            "{level: advanced, kpi: members, value: 20}",
            "{level: advanced, kpi: energy_saved, value: 20}",
            "monitoring.thresholds.limits[1].kpi",
            "{level: advanced",
            "'energy_saved' is a field KPI",
        ),
        (
            "fields_question: two_fields",
            "fields_question: one_kind",
            "monitoring.fields_question",
            "fields_question:",
            "names 'one_kind', which is not a multiple-choice question",
        ),
        (
            "  fields_question: two_fields\n",
            "",
            "monitoring.fields",
            "  fields:",
            "fields need fields_question",
        ),
        (
            "validity_months: 24",
            "validity_months: 12",
            "monitoring",
            "monitoring:",
            "a certificate valid for 12 months has no anniversary of issue before it expires",
        ),
    ],
)
def test_a_mistake_in_the_section_is_reported_on_its_line_and_path(old, new, path, needle, message):
    text = monitored(old, new)
    problems = problems_of(text)
    # a duplicate id also leaves the KPI it replaced unknown where it is named: the first problem is the cause
    found_path, line, found_message = problems[0]
    assert len(problems) == (2 if "duplicate" in message else 1), problems
    assert found_path == path
    assert line == line_of(text, needle)
    assert message in found_message


@pytest.mark.parametrize(("key", "value"), [("alert_after_days", 30), ("suspension_after_days", 60)])
def test_negative_days_are_refused_with_their_place(key, value):
    text = monitored(f"    {key}: {value}", f"    {key}: -3")
    ((path, line, message),) = problems_of(text)
    assert (path, line) == (f"monitoring.surveillance.{key}", line_of(text, f"{key}: -3"))
    assert message == "must be at least 1, not -3"


PERSON_MONITORING = """\
monitoring:
  kpis:
    - id: exams
      name: {ru: "Экзамены", en: "Exams"}
      definition: {ru: "Сданные экзамены", en: "Exams passed"}
      type: count
      unit: {ru: "экзаменов", en: "exams"}
      higher_is_better: true
  core: [exams]
  thresholds: {worsening_percent: 20}
"""


def test_a_personal_scheme_cannot_be_monitored():
    ((path, line, message),) = problems_of(SCHEME + PERSON_MONITORING)
    assert (path, line) == ("monitoring", line_of(SCHEME + PERSON_MONITORING, "monitoring:"))
    assert message.startswith("monitoring belongs to an organisation's standard")


def test_a_report_is_worse_when_a_kpi_moved_the_wrong_way_by_more_than_the_share():
    monitoring = load_standard(MONITORED, source_name="demo.yaml").monitoring
    thresholds, members = monitoring.thresholds, monitoring.kpi("members")
    landfilled = monitoring.kpi("waste_landfilled")
    assert thresholds.worsened(members, Decimal(100), Decimal(79))
    assert not thresholds.worsened(members, Decimal(100), Decimal(80)), "exactly the share is allowed"
    assert not thresholds.worsened(members, Decimal(100), Decimal(150))
    assert thresholds.worsened(landfilled, Decimal(100), Decimal("120.5")), "lower is better here"
    assert not thresholds.worsened(landfilled, Decimal(100), Decimal(50))
    assert thresholds.worsened(landfilled, Decimal(0), Decimal(1)), "any waste after none is worse"
    assert not thresholds.worsened(members, Decimal(0), Decimal(0))


def test_the_validate_command_prints_the_located_problem(runner, tmp_path):
    text = monitored("{field: energy, kpis", "{field: heat, kpis")
    path = tmp_path / "demo.yaml"
    path.write_text(text, encoding="utf-8")
    result = runner.invoke(args=["certify", "standard", "validate", str(path)])
    assert result.exit_code == 1
    line = line_of(text, "{field: heat")
    assert f"demo.yaml:{line}: monitoring.fields[0].field: 'heat' is not an option of 'two_fields'" in (
        result.output
    )
