"""What an organisation's standard says about the years between certifications: frozen dataclasses.

The optional `monitoring` section (docs/monitoring.md) names the yearly KPIs a certified organisation
reports, the ones it reports per green priority field against a baseline and a target, the thresholds
that flag a report to the coordinator, and the surveillance rules: a report due on each anniversary of
issue, reminders before it, an alert when it is overdue and a suspension proposed after a further
period. Pure (no Flask, no SQLAlchemy); `build_monitoring` makes it from a checked file.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from typing import Any

from certify.standards.definition import Text


class KpiType(StrEnum):
    """What a KPI's value is; the type fixes the unit, but for counts and plain numbers."""

    #: a whole number of things (participants, projects); the file names the things in `unit`
    COUNT = "count"
    #: a number with a fraction (full-time equivalents); the file names the unit
    NUMBER = "number"
    #: a share in per cent, 0 to 100
    SHARE = "share"
    #: an amount in roubles
    MONEY = "money"
    #: energy in kilowatt-hours
    ENERGY = "energy"
    #: water in cubic metres
    WATER = "water"
    #: floor area in square metres
    AREA = "area"
    #: mass in tonnes (waste)
    MASS = "mass"
    #: greenhouse gases in tonnes of CO₂ equivalent
    CO2 = "co2"


#: The unit of each type that has one: the same for every KPI of the type, so reports compare.
FIXED_UNITS: dict[KpiType, Text] = {
    KpiType.SHARE: Text(ru="%", en="%"),
    KpiType.MONEY: Text(ru="руб.", en="RUB"),
    KpiType.ENERGY: Text(ru="кВт·ч", en="kWh"),
    KpiType.WATER: Text(ru="м³", en="m³"),
    KpiType.AREA: Text(ru="м²", en="m²"),
    KpiType.MASS: Text(ru="т", en="t"),
    KpiType.CO2: Text(ru="т CO₂-экв.", en="t CO₂e"),
}
#: Types whose value is a whole number.
WHOLE_TYPES = frozenset({KpiType.COUNT})

#: Defaults of the surveillance rules when the file leaves them out.
DEFAULT_REMINDERS_DAYS = (30, 7)
DEFAULT_ALERT_AFTER_DAYS = 30
DEFAULT_SUSPENSION_AFTER_DAYS = 60


@dataclass(frozen=True)
class Kpi:
    """One yearly figure, defined once so that every organisation counts it the same way."""

    id: str
    name: Text
    definition: Text
    type: KpiType
    unit: Text
    higher_is_better: bool


@dataclass(frozen=True)
class FieldKpis:
    """The KPIs reported for one green priority field, each as actual against baseline and target."""

    #: an option value of the standard's priority-field question (`Monitoring.fields_question`)
    field: str
    kpis: tuple[str, ...]


@dataclass(frozen=True)
class LevelLimit:
    """What a certified level requires of a KPI: at least `value`, or at most when lower is better."""

    level: str
    kpi: str
    value: Decimal


@dataclass(frozen=True)
class Thresholds:
    """When a yearly report is flagged to the coordinator."""

    #: a KPI worse than the year before by more than this many per cent of that year's value
    worsening_percent: Decimal
    limits: tuple[LevelLimit, ...] = ()

    def worsened(self, kpi: Kpi, previous: Decimal, current: Decimal) -> bool:
        """Whether `current` is worse than `previous` by more than the allowed share of `previous`.

        A share of nothing is nothing: a higher-is-better KPI that was 0 cannot fall, and a
        lower-is-better one that was 0 is worse as soon as it is above 0.
        """
        allowed = abs(previous) * self.worsening_percent / 100
        change = previous - current if kpi.higher_is_better else current - previous
        return change > allowed


@dataclass(frozen=True)
class Surveillance:
    """When the yearly report is due and what follows when it is late (docs/monitoring.md)."""

    #: days before the due date on which the managers are reminded, largest first
    reminders_days: tuple[int, ...] = DEFAULT_REMINDERS_DAYS
    #: days after the due date on which the coordinators are alerted to a missing report
    alert_after_days: int = DEFAULT_ALERT_AFTER_DAYS
    #: further days after the alert on which a suspension is proposed; a person decides it
    suspension_after_days: int = DEFAULT_SUSPENSION_AFTER_DAYS


@dataclass(frozen=True)
class Monitoring:
    """The `monitoring` section of an organisation's standard."""

    kpis: tuple[Kpi, ...]
    #: the KPIs every certified organisation reports each year, in report order
    core: tuple[str, ...]
    thresholds: Thresholds
    surveillance: Surveillance = Surveillance()
    #: the multiple-choice question in which the cluster chose its green priority fields
    fields_question: str | None = None
    fields: tuple[FieldKpis, ...] = ()

    def kpi(self, kpi_id: str) -> Kpi:
        return next(kpi for kpi in self.kpis if kpi.id == kpi_id)


def build_monitoring(data: dict[str, Any] | None) -> Monitoring | None:
    """The `Monitoring` described by a checked file's `monitoring` section; None without one."""
    if data is None:
        return None
    thresholds = data["thresholds"]
    rules = data.get("surveillance", {})
    return Monitoring(
        kpis=tuple(_kpi(item) for item in data["kpis"]),
        core=tuple(data["core"]),
        thresholds=Thresholds(
            worsening_percent=Decimal(thresholds["worsening_percent"]),
            limits=tuple(
                LevelLimit(level=item["level"], kpi=item["kpi"], value=Decimal(item["value"]))
                for item in thresholds.get("limits", ())
            ),
        ),
        surveillance=Surveillance(
            reminders_days=tuple(rules.get("reminders_days", DEFAULT_REMINDERS_DAYS)),
            alert_after_days=rules.get("alert_after_days", DEFAULT_ALERT_AFTER_DAYS),
            suspension_after_days=rules.get("suspension_after_days", DEFAULT_SUSPENSION_AFTER_DAYS),
        ),
        fields_question=data.get("fields_question"),
        fields=tuple(
            FieldKpis(field=item["field"], kpis=tuple(item["kpis"])) for item in data.get("fields", ())
        ),
    )


def _kpi(data: dict[str, Any]) -> Kpi:
    kind = KpiType(data["type"])
    return Kpi(
        id=data["id"],
        name=_text(data["name"]),
        definition=_text(data["definition"]),
        type=kind,
        unit=FIXED_UNITS.get(kind) or _text(data["unit"]),
        higher_is_better=data["higher_is_better"],
    )


def _text(value: dict[str, str]) -> Text:
    return Text(ru=value["ru"].strip(), en=value["en"].strip())
