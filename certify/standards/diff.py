"""Human-readable differences between two versions of a standard (`certify standard diff`).

Items are matched by id, so a renamed id shows as one removal and one addition. Each line starts with
`+` (added), `-` (removed) or `~` (changed), and names the item by kind and id.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import fields
from decimal import Decimal
from typing import Any

from certify.standards.definition import (
    Area,
    Indicator,
    Level,
    Question,
    Requirement,
    Standard,
    Text,
)
from certify.textmarks import N_

ADDED = N_("+ {kind} {id}: {title}")
REMOVED = N_("- {kind} {id}: {title}")
MOVED = N_("~ {kind} {id}: moved from {old} to {new}")
TEXT_CHANGED = N_("~ {kind} {id}: {field} text changed ({languages})")
VALUE_CHANGED = N_("~ {kind} {id}: {field} {old} -> {new}")

#: Fields compared as nested items of their own, not as values.
_NESTED = frozenset({"areas", "indicators", "questions", "eligibility", "levels"})


def diff_standards(old: Standard, new: Standard) -> list[str]:
    """The changes from `old` to `new`, one line each; empty when they are the same."""
    lines = list(_changed_fields("standard", new.code, old, new))
    lines += _diff_items("requirement", old.eligibility, new.eligibility)
    lines += _diff_items("level", old.levels, new.levels)
    lines += _diff_items("area", old.areas, new.areas)
    lines += _diff_items("indicator", old.indicators(), new.indicators())
    lines += _moves(
        "indicator",
        {i.id: a.id for a in old.areas for i in a.indicators},
        {i.id: a.id for a in new.areas for i in a.indicators},
    )
    lines += _diff_items("question", old.all_questions(), new.all_questions())
    return lines


def _title(item: Any) -> str:
    for name in ("title", "name", "label"):
        if isinstance(getattr(item, name, None), Text):
            return getattr(item, name).en
    return ""


def _diff_items(
    kind: str,
    old: Iterable[Area | Indicator | Level | Question | Requirement],
    new: Iterable[Area | Indicator | Level | Question | Requirement],
) -> Iterator[str]:
    old_by_id = {item.id: item for item in old}
    new_by_id = {item.id: item for item in new}
    for item_id, item in old_by_id.items():
        if item_id not in new_by_id:
            yield REMOVED.format(kind=kind, id=item_id, title=_title(item))
    for item_id, item in new_by_id.items():
        if item_id not in old_by_id:
            yield ADDED.format(kind=kind, id=item_id, title=_title(item))
        else:
            yield from _changed_fields(kind, item_id, old_by_id[item_id], item)


def _moves(kind: str, old: dict[str, str], new: dict[str, str]) -> Iterator[str]:
    for item_id, area_id in new.items():
        if item_id in old and old[item_id] != area_id:
            yield MOVED.format(kind=kind, id=item_id, old=old[item_id], new=area_id)


def _changed_fields(kind: str, item_id: str, old: Any, new: Any) -> Iterator[str]:
    for field in fields(old):
        if field.name in _NESTED or field.name == "id":
            continue
        before, after = getattr(old, field.name), getattr(new, field.name)
        if before == after:
            continue
        if isinstance(before, Text) and isinstance(after, Text):
            languages = [lang for lang in ("ru", "en") if getattr(before, lang) != getattr(after, lang)]
            yield TEXT_CHANGED.format(kind=kind, id=item_id, field=field.name, languages=", ".join(languages))
        elif field.name == "rubric":
            scores = [str(s) for s, (a, b) in enumerate(zip(before, after, strict=True)) if a != b]
            yield TEXT_CHANGED.format(
                kind=kind, id=item_id, field="rubric", languages="scores " + ", ".join(scores)
            )
        else:
            yield VALUE_CHANGED.format(
                kind=kind, id=item_id, field=field.name, old=_show(before), new=_show(after)
            )


def _show(value: Any) -> str:
    """A compact, stable rendering of a field value for one diff line."""
    if value is None:
        return "(none)"
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    if isinstance(value, Text):
        return repr(value.en)
    if isinstance(value, tuple):
        return "[" + ", ".join(_show(item) for item in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {_show(v)}" for k, v in sorted(value.items())) + "}"
    if hasattr(value, "source"):
        return repr(value.source)
    if hasattr(value, "__dataclass_fields__"):
        parts = (f"{f.name}={_show(getattr(value, f.name))}" for f in fields(value))
        return "(" + ", ".join(parts) + ")"
    return str(value)
