"""What a bank holds per area and status, and whether it can fill a blueprint's forms: `blueprint_supply`.

Pure: no Flask, no SQLAlchemy. Used by `flask certify exam bank stats` and before an exam is opened, so
that a bank which cannot fill its forms is refused before a candidate starts, not when one does.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection
from dataclasses import dataclass

from certify.exams.bank import Bank, Blueprint, ItemStatus

#: Issue 15: at least three times the items an area contributes to a form, so that retakes can avoid
#: repeats and exposure stays near a third.
TARGET_MULTIPLE = 3


@dataclass(frozen=True)
class AreaSupply:
    area: str
    #: the items a form draws from the area
    draws: int
    #: its active items that may be drawn (not suspended or retired by the body)
    drawable: int

    @property
    def feasible(self) -> bool:
        return self.drawable >= self.draws

    @property
    def meets_target(self) -> bool:
        return self.drawable >= TARGET_MULTIPLE * self.draws


def blueprint_supply(
    bank: Bank, blueprint: Blueprint, suspended: Collection[str] = frozenset()
) -> tuple[AreaSupply, ...]:
    """Per blueprint area, in its order: what a form draws and what the bank can offer."""
    return tuple(
        AreaSupply(
            area=part.area,
            draws=part.items,
            drawable=sum(1 for item in bank.active_items(part.area) if item.id not in suspended),
        )
        for part in blueprint.areas
    )


def status_counts(bank: Bank) -> dict[str, Counter[ItemStatus]]:
    """Per area of the bank, in its order: how many items it has in each status."""
    counts: dict[str, Counter[ItemStatus]] = {area.id: Counter() for area in bank.areas}
    for item in bank.items:
        counts[item.area][item.status] += 1
    return counts
