"""Checks of a standard's `monitoring` section (docs/monitoring.md), on the plain YAML values.

The section must be something the surveillance can follow as written: KPIs named once and reported
somewhere, the green fields those the cluster can actually choose in its application, limits on levels
that exist and that never make a higher level the easier one to keep, and reminders that count down to a
due date inside the reporting year. The days themselves are at least 1 by the schema.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from certify.standards import messages
from certify.standards.attestation import StandardKind
from certify.standards.located import items_of, questions_of, report_duplicates
from certify.standards.monitoring import FIXED_UNITS, WHOLE_TYPES, KpiType
from certify.standards.problems import Locator, PathParts
from certify.textmarks import N_

#: The shortest reporting year: a reminder this many days before the due date or more comes before it.
YEAR_DAYS = 365

MONITORING_NOT_ORGANISATION = N_(
    "monitoring belongs to an organisation's standard; a personal attestation is renewed, not monitored"
)
MONITORING_NO_ANNIVERSARY = N_(
    "a certificate valid for {months} months has no anniversary of issue before it expires, so no yearly"
    " report would ever be due; monitoring needs a validity of more than 12 months"
)
KPI_UNKNOWN = N_("names '{id}', which is not a KPI of this standard's monitoring")
KPI_LISTED_TWICE = N_("KPI '{id}' is listed twice here")
KPI_UNUSED = N_("KPI '{id}' is reported nowhere: list it in core or under a field")
KPI_CORE_AND_FIELD = N_(
    "KPI '{id}' is in core and also under a field; a core KPI is one yearly figure, a field's is reported"
    " against its baseline and target, so a KPI is one or the other"
)
KPI_UNIT_MISSING = N_("a {type} KPI needs a unit naming what it counts")
KPI_UNIT_FIXED = N_("a {type} KPI is always in {unit}; leave the unit out")
FIELDS_QUESTION_MISSING = N_(
    "fields need fields_question: the question in which a cluster chooses its fields"
)
FIELDS_QUESTION_NOT_CHOICE = N_("fields_question names '{id}', which is not a multiple-choice question")
FIELD_UNKNOWN = N_("'{field}' is not an option of '{question}' (its options: {options})")
FIELD_TWICE = N_("field '{field}' is listed twice")
LIMIT_LEVEL_UNKNOWN = N_("names level '{id}', which is not a level of this standard")
LIMIT_FIELD_KPI = N_(
    "'{id}' is a field KPI; a level's limit applies to a core KPI, which every certified organisation reports"
)
LIMIT_TWICE = N_("level '{level}' has a second limit on '{kpi}'")
LIMIT_SHARE_OVER_100 = N_("'{id}' is a share; {value} is more than 100 %")
LIMIT_NOT_WHOLE = N_("'{id}' is a count; {value} is not a whole number")
LIMIT_EASIER = N_(
    "level '{id}' ranks above '{lower}' but its limit on '{kpi}' ({value}) is easier to keep than"
    " '{lower}''s ({lower_value})"
)
REMINDER_BEFORE_YEAR = N_(
    "a reminder {value} days before the due date would come before the reporting year begins"
    " (a year is at least {days} days)"
)


def check_monitoring(data: dict[str, Any], locator: Locator) -> None:
    """Report the mistakes of the `monitoring` section, if the file has one."""
    section = data.get("monitoring")
    if section is None:
        return
    if data.get("kind") == StandardKind.PERSON:
        locator.report(("monitoring",), MONITORING_NOT_ORGANISATION)
    if data["validity_months"] <= 12:
        locator.report(("monitoring",), MONITORING_NO_ANNIVERSARY, months=data["validity_months"])
    kpis = {kpi["id"]: kpi for kpi in section["kpis"]}
    located_kpis = [(("monitoring", "kpis", i), kpi) for i, kpi in enumerate(section["kpis"])]
    report_duplicates("KPI", located_kpis, "id", locator)
    for path, kpi in located_kpis:
        _check_unit(path, kpi, locator)
    _check_named(("monitoring", "core"), section["core"], kpis, locator)
    field_kpis = _check_fields(data, section, kpis, locator)
    for path, kpi in located_kpis:
        if kpi["id"] in section["core"] and kpi["id"] in field_kpis:
            locator.report((*path, "id"), KPI_CORE_AND_FIELD, id=kpi["id"])
        elif kpi["id"] not in section["core"] and kpi["id"] not in field_kpis:
            locator.report((*path, "id"), KPI_UNUSED, id=kpi["id"])
    _check_limits(data, section, kpis, field_kpis, locator)
    _check_reminders(section.get("surveillance", {}), locator)


def _check_unit(path: PathParts, kpi: dict[str, Any], locator: Locator) -> None:
    kind = KpiType(kpi["type"])
    if kind in FIXED_UNITS and "unit" in kpi:
        locator.report((*path, "unit"), KPI_UNIT_FIXED, type=kind.value, unit=FIXED_UNITS[kind].en)
    elif kind not in FIXED_UNITS and "unit" not in kpi:
        locator.report(path, KPI_UNIT_MISSING, type=kind.value)


def _check_named(path: PathParts, names: list[str], kpis: dict[str, Any], locator: Locator) -> None:
    """Every name is a KPI, each once."""
    seen: set[str] = set()
    for index, name in enumerate(names):
        if name not in kpis:
            locator.report((*path, index), KPI_UNKNOWN, id=name)
        elif name in seen:
            locator.report((*path, index), KPI_LISTED_TWICE, id=name)
        seen.add(name)


def _check_fields(
    data: dict[str, Any], section: dict[str, Any], kpis: dict[str, Any], locator: Locator
) -> set[str]:
    """The fields are options of the priority-field question, each once; returns their KPIs' ids."""
    fields = section.get("fields", [])
    options = _field_options(data, section, bool(fields), locator)
    seen: set[str] = set()
    used: set[str] = set()
    for index, item in enumerate(fields):
        path = ("monitoring", "fields", index)
        if options is not None and item["field"] not in options:
            params = {"question": section["fields_question"], "options": ", ".join(options)}
            locator.report((*path, "field"), FIELD_UNKNOWN, field=item["field"], **params)
        elif item["field"] in seen:
            locator.report((*path, "field"), FIELD_TWICE, field=item["field"])
        seen.add(item["field"])
        _check_named((*path, "kpis"), item["kpis"], kpis, locator)
        used.update(item["kpis"])
    return used


def _field_options(
    data: dict[str, Any], section: dict[str, Any], needed: bool, locator: Locator
) -> list[str] | None:
    """The option values of `fields_question`, or None when it is missing or not a multiple choice."""
    if "fields_question" not in section:
        if needed:
            locator.report(("monitoring", "fields"), FIELDS_QUESTION_MISSING)
        return None
    name = section["fields_question"]
    question = next((q for _, q in questions_of(data) if q["id"] == name), None)
    if question is None or question["type"] != "multiple_choice":
        locator.report(("monitoring", "fields_question"), FIELDS_QUESTION_NOT_CHOICE, id=name)
        return None
    return [option["value"] for option in question.get("options", ())]


def _check_limits(
    data: dict[str, Any],
    section: dict[str, Any],
    kpis: dict[str, Any],
    field_kpis: set[str],
    locator: Locator,
) -> None:
    ranks = {level["id"]: level["rank"] for _, level in items_of(data, "levels")}
    limits = section["thresholds"].get("limits", [])
    known: list[tuple[PathParts, dict[str, Any]]] = []
    seen: set[tuple[str, str]] = set()
    for index, limit in enumerate(limits):
        path = ("monitoring", "thresholds", "limits", index)
        kpi = kpis.get(limit["kpi"])
        if limit["level"] not in ranks:
            locator.report((*path, "level"), LIMIT_LEVEL_UNKNOWN, id=limit["level"])
        elif kpi is None:
            locator.report((*path, "kpi"), KPI_UNKNOWN, id=limit["kpi"])
        elif limit["kpi"] in field_kpis:
            locator.report((*path, "kpi"), LIMIT_FIELD_KPI, id=limit["kpi"])
        elif (limit["level"], limit["kpi"]) in seen:
            locator.report(path, LIMIT_TWICE, level=limit["level"], kpi=limit["kpi"])
        else:
            _check_limit_value((*path, "value"), kpi, Decimal(limit["value"]), locator)
            known.append((path, limit))
        seen.add((limit["level"], limit["kpi"]))
    _check_limits_order(known, kpis, ranks, locator)


def _check_limit_value(path: PathParts, kpi: dict[str, Any], value: Decimal, locator: Locator) -> None:
    kind = KpiType(kpi["type"])
    if kind == KpiType.SHARE and value > 100:
        locator.report(path, LIMIT_SHARE_OVER_100, id=kpi["id"], value=value)
    if kind in WHOLE_TYPES and value != value.to_integral_value():
        locator.report(path, LIMIT_NOT_WHOLE, id=kpi["id"], value=value)


def _check_limits_order(
    known: list[tuple[PathParts, dict[str, Any]]],
    kpis: dict[str, Any],
    ranks: dict[str, int],
    locator: Locator,
) -> None:
    """A higher level keeps at least what a lower one keeps, as its certificate says more."""
    for path, limit in known:
        higher_is_better = kpis[limit["kpi"]]["higher_is_better"]
        for _, lower in known:
            if lower["kpi"] != limit["kpi"] or ranks[lower["level"]] >= ranks[limit["level"]]:
                continue
            value, lower_value = Decimal(limit["value"]), Decimal(lower["value"])
            easier = value < lower_value if higher_is_better else value > lower_value
            if easier:
                params = {"lower": lower["level"], "kpi": limit["kpi"], "lower_value": lower_value}
                locator.report((*path, "value"), LIMIT_EASIER, id=limit["level"], value=value, **params)


def _check_reminders(rules: dict[str, Any], locator: Locator) -> None:
    """Largest first and inside the reporting year: each reminder is sent once, counting down."""
    days = rules.get("reminders_days", [])
    for index, value in enumerate(days):
        where = ("monitoring", "surveillance", "reminders_days", index)
        if index and value >= days[index - 1]:
            locator.report(where, messages.REMINDERS_ORDER, value=value, previous=days[index - 1])
        if value >= YEAR_DAYS:
            locator.report(where, REMINDER_BEFORE_YEAR, value=value, days=YEAR_DAYS)
