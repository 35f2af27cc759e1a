"""Banks, blueprints and items built in code for the tests of certify/exams, with every text filled."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import Decimal
from pathlib import Path

from certify.exams.bank import (
    Bank,
    Blueprint,
    BlueprintArea,
    CompetenceArea,
    Item,
    ItemOption,
    ItemSource,
    ItemStatus,
    ItemType,
    load_bank_file,
)
from certify.standards.definition import Text

TINY = Path(__file__).with_name("tiny-1.0.yaml")


def tiny_bank() -> Bank:
    return load_bank_file(TINY)


def text(value: str) -> Text:
    return Text(ru=f"{value} (ru)", en=value)


def item(
    item_id: str,
    area: str,
    *,
    status: ItemStatus = ItemStatus.ACTIVE,
    kind: ItemType = ItemType.SINGLE_CHOICE,
    key: Iterable[str] = ("a",),
    options: str = "abcd",
    version: int = 1,
) -> Item:
    correct = set(key)
    return Item(
        id=item_id,
        version=version,
        area=area,
        status=status,
        type=kind,
        stem=text(f"stem of {item_id}"),
        options=tuple(ItemOption(id=o, text=text(o), correct=o in correct) for o in options),
        rationale=text("because"),
        source=ItemSource(indicator="stg_strategy"),
    )


def blueprint(
    counts: Mapping[str, int], *, pass_mark: int = 60, area_pass_mark: int = 50, blueprint_id: str = "form"
) -> Blueprint:
    return Blueprint(
        id=blueprint_id,
        title=text(blueprint_id),
        time_limit_minutes=30,
        pass_mark=Decimal(pass_mark),
        areas=tuple(
            BlueprintArea(area=a, items=n, pass_mark=Decimal(area_pass_mark)) for a, n in counts.items()
        ),
    )


def bank(items: Iterable[Item], blueprints: Iterable[Blueprint] = ()) -> Bank:
    items = tuple(items)
    areas = dict.fromkeys(i.area for i in items)
    return Bank(
        code="built",
        version="1.0",
        title=text("built bank"),
        areas=tuple(CompetenceArea(id=a, title=text(a)) for a in areas),
        blueprints=tuple(blueprints),
        items=items,
    )
