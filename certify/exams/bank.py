"""One version of an item bank: frozen dataclasses, and `load_bank` / `validate_bank_text` to read its YAML.

Pure: no Flask, no SQLAlchemy. A bank file is read the way a standard is, by the same staged reader
(`certify.standards.reading`) and with the same located problems, in four stages, each running only when
the one before found nothing wrong, because later stages rely on what earlier ones guarantee:

1. size: more than `MAX_FILE_BYTES` is refused before parsing;
2. YAML: syntax, duplicate keys, aliases (`certify.standards.yamlmarks`);
3. shape: `schema.json`;
4. meaning: ids, areas, keys, enough active items for every blueprint (`certify.exams.bank_checks`).

A problem reads e.g. `cm-1.0.yaml:412: items[37].options: a single choice item needs exactly one correct
option, not 2`. The format is described in docs/exams.md.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from pathlib import Path
from typing import Any

from certify.exams.bank_checks import check_bank
from certify.standards.definition import Text
from certify.standards.problems import FileInvalid, Problem
from certify.standards.reading import read_data, read_file_bytes
from certify.standards.shape import validator_for

#: A bank of a few hundred items is well under a megabyte; the limit keeps uploads from tying up a worker.
MAX_FILE_BYTES = 2 * 1024 * 1024
#: The banks shipped with Certify, one YAML file per version: `<code>-<version>.yaml`.
LIBRARY = Path(__file__).with_name("library")
SCHEMA_PATH = Path(__file__).with_name("schema.json")


class ItemStatus(StrEnum):
    """Where an item is in its life; only active items are drawn onto forms."""

    DRAFT = "draft"
    ACTIVE = "active"
    SUSPENDED = "suspended"
    RETIRED = "retired"


class ItemType(StrEnum):
    #: exactly one correct option
    SINGLE_CHOICE = "single_choice"
    #: at least one correct option and one wrong; scored all-or-nothing (exactly the correct set)
    MULTIPLE_CHOICE = "multiple_choice"


@dataclass(frozen=True)
class CompetenceArea:
    id: str
    title: Text


@dataclass(frozen=True)
class BlueprintArea:
    """How many items an area contributes to a form, and the percent of them a candidate must get right."""

    area: str
    items: int
    pass_mark: Decimal


@dataclass(frozen=True)
class Blueprint:
    """The recipe of an exam form; `pass_mark` is a percent of the form's points (one per item)."""

    id: str
    title: Text
    time_limit_minutes: int
    pass_mark: Decimal
    areas: tuple[BlueprintArea, ...]

    @property
    def item_count(self) -> int:
        return sum(part.items for part in self.areas)


@dataclass(frozen=True)
class ItemOption:
    id: str
    text: Text
    correct: bool = False


@dataclass(frozen=True)
class ItemSource:
    """Where an item's key comes from: an indicator id of the standard or a document (exactly one)."""

    indicator: str | None = None
    document: Text | None = None


@dataclass(frozen=True)
class Item:
    """One version of an item. `id` stays the same across versions; a changed item gets a higher `version`."""

    id: str
    version: int
    area: str
    status: ItemStatus
    type: ItemType
    stem: Text
    options: tuple[ItemOption, ...]
    rationale: Text
    source: ItemSource

    @property
    def key(self) -> frozenset[str]:
        """The ids of the correct options: the one answer that earns the item's point."""
        return frozenset(option.id for option in self.options if option.correct)

    @property
    def option_ids(self) -> tuple[str, ...]:
        return tuple(option.id for option in self.options)


@dataclass(frozen=True)
class Bank:
    code: str
    version: str
    title: Text
    areas: tuple[CompetenceArea, ...]
    blueprints: tuple[Blueprint, ...]
    items: tuple[Item, ...]

    def blueprint(self, blueprint_id: str) -> Blueprint:
        """The blueprint with that id; KeyError when there is none."""
        for blueprint in self.blueprints:
            if blueprint.id == blueprint_id:
                return blueprint
        raise KeyError(blueprint_id)

    def active_items(self, area: str) -> tuple[Item, ...]:
        return tuple(i for i in self.items if i.area == area and i.status is ItemStatus.ACTIVE)


class BankInvalid(FileInvalid):
    """The file is not a valid item bank; `problems` lists every mistake found."""


def validate_bank_text(text_or_bytes: str | bytes, *, source_name: str = "bank.yaml") -> list[Problem]:
    """Every problem in the file, in file order within each stage; empty when it is valid."""
    return _read(text_or_bytes, source_name)[1]


def load_bank(text_or_bytes: str | bytes, *, source_name: str) -> Bank:
    """The `Bank` in the file; raises `BankInvalid` listing every problem."""
    data, problems = _read(text_or_bytes, source_name)
    if problems:
        raise BankInvalid(problems)
    return _bank(data)


def load_bank_file(path: Path) -> Bank:
    """Load a bank from `path` (e.g. `LIBRARY / 'cm-1.0.yaml'`), naming problems after it."""
    return load_bank(read_file_bytes(path, MAX_FILE_BYTES, BankInvalid), source_name=path.name)


def _read(raw: str | bytes, source_name: str) -> tuple[Any, list[Problem]]:
    validator = validator_for(SCHEMA_PATH)
    return read_data(
        raw, source_name, max_bytes=MAX_FILE_BYTES, check_meaning=check_bank, validator=validator
    )


def _bank(data: dict[str, Any]) -> Bank:
    return Bank(
        code=data["code"],
        version=data["version"],
        title=_text(data["title"]),
        areas=tuple(CompetenceArea(id=a["id"], title=_text(a["title"])) for a in data["areas"]),
        blueprints=tuple(_blueprint(b) for b in data["blueprints"]),
        items=tuple(item_from_data(i) for i in data["items"]),
    )


def _blueprint(data: dict[str, Any]) -> Blueprint:
    return Blueprint(
        id=data["id"],
        title=_text(data["title"]),
        time_limit_minutes=data["time_limit_minutes"],
        pass_mark=Decimal(data["pass_mark"]),
        areas=tuple(
            BlueprintArea(area=part["area"], items=part["items"], pass_mark=Decimal(part["pass_mark"]))
            for part in data["areas"]
        ),
    )


def item_from_data(data: dict[str, Any]) -> Item:
    """The `Item` of one entry of a bank file's `items` (as read, or as `item_content` wrote it plus its id,
    version, area and status)."""
    source = data["source"]
    return Item(
        id=data["id"],
        version=data["version"],
        area=data["area"],
        status=ItemStatus(data["status"]),
        type=ItemType(data["type"]),
        stem=_text(data["stem"]),
        options=tuple(
            ItemOption(id=o["id"], text=_text(o["text"]), correct=o.get("correct", False))
            for o in data["options"]
        ),
        rationale=_text(data["rationale"]),
        source=ItemSource(
            indicator=source.get("indicator"),
            document=_text(source["document"]) if "document" in source else None,
        ),
    )


def _text(data: dict[str, str]) -> Text:
    return Text(ru=data["ru"], en=data["en"])


def item_content(item: Item) -> dict[str, Any]:
    """The item as plain data in the bank file's shape, without its id, version, area and status.

    This is what must not change while the version stays the same (the status may), so it is what a
    stored item version keeps and compares; it is canonical (every option says whether it is correct), so
    two files that write one item differently give equal content.
    """
    source: dict[str, Any] = (
        {"indicator": item.source.indicator}
        if item.source.indicator is not None
        else {"document": _text_data(item.source.document)}
    )
    return {
        "type": item.type.value,
        "stem": _text_data(item.stem),
        "options": [
            {"id": option.id, "text": _text_data(option.text), "correct": option.correct}
            for option in item.options
        ],
        "rationale": _text_data(item.rationale),
        "source": source,
    }


def _text_data(text: Text) -> dict[str, str]:
    return {"ru": text.ru, "en": text.en}
