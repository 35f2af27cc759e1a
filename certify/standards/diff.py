"""Human-readable differences between two versions of a standard (`certify standard diff`).

Items are matched by id, so a renamed id shows as one removal and one addition. Each line starts with
`+` (added), `-` (removed) or `~` (changed), and names the item by kind and id.

Every field of every item is compared (`_changed_fields`), so nothing a new version changes goes
unreported. A part that reads better item by item than as one value (a level's critical indicators, the
review settings) has its own small function in `SECTIONS`, and its field is named in `_SHOWN_APART` so
it is not reported twice: a new feature of the format is one more such function.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import fields
from decimal import Decimal
from typing import Any

from certify.standards.attestation import PERSON_SECTIONS
from certify.standards.definition import (
    Area,
    Critical,
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
TEXT_ADDED = N_("~ {kind} {id}: {field} added")
TEXT_REMOVED = N_("~ {kind} {id}: {field} removed")
VALUE_CHANGED = N_("~ {kind} {id}: {field} {old} -> {new}")
CRITICAL_ADDED = N_("+ level {id}: critical {indicator} {minimum}")
CRITICAL_REMOVED = N_("- level {id}: critical {indicator} {minimum}")
CRITICAL_CHANGED = N_("~ level {id}: critical {indicator} {old} -> {new}")

#: Fields reported by a section of their own (nested items, or values compared item by item).
_SHOWN_APART = frozenset(
    {
        "areas",
        "indicators",
        "questions",
        "eligibility",
        "levels",
        "critical",
        "review",
        "phases",
        "cross_checks",
        # a personal scheme's sections (docs/attestation.md), compared section by section
        "attestation",
        "exam",
        "attempts",
        "practical",
        "procedure",
        "recertification",
        "cpd_kinds",
        # the monitoring section (docs/monitoring.md): its rules field by field, its KPIs by id
        "monitoring",
        "kpis",
        "thresholds",
        "surveillance",
    }
)


def diff_standards(old: Standard, new: Standard) -> list[str]:
    """The changes from `old` to `new`, one line each; empty when they are the same."""
    return [line for section in SECTIONS for line in section(old, new)]


def _header(old: Standard, new: Standard) -> Iterator[str]:
    return _changed_fields("standard", new.code, old, new)


def _review(old: Standard, new: Standard) -> Iterator[str]:
    return _changed_fields("standard", new.code, old.review, new.review, prefix="review.")


def _requirements(old: Standard, new: Standard) -> Iterator[str]:
    return _diff_items("requirement", old.eligibility, new.eligibility)


def _levels(old: Standard, new: Standard) -> Iterator[str]:
    return _diff_items("level", old.levels, new.levels)


def _critical(old: Standard, new: Standard) -> Iterator[str]:
    """Each level's critical indicators, one line per indicator added, removed or with a new minimum."""
    before = {level.id: {c.indicator: c for c in level.critical} for level in old.levels}
    after = {level.id: {c.indicator: c for c in level.critical} for level in new.levels}
    for level_id in dict.fromkeys([*before, *after]):
        was, now = before.get(level_id, {}), after.get(level_id, {})
        for indicator, critical in was.items():
            if indicator not in now:
                yield CRITICAL_REMOVED.format(id=level_id, indicator=indicator, minimum=_minimum(critical))
        for indicator, critical in now.items():
            if indicator not in was:
                yield CRITICAL_ADDED.format(id=level_id, indicator=indicator, minimum=_minimum(critical))
            elif was[indicator] != critical:
                old_minimum, new_minimum = _minimum(was[indicator]), _minimum(critical)
                yield CRITICAL_CHANGED.format(
                    id=level_id, indicator=indicator, old=old_minimum, new=new_minimum
                )


def _minimum(critical: Critical) -> str:
    shown = f"rubric >= {critical.rubric}"
    if critical.answers is not None:
        shown += f", answers >= {_show(critical.answers)}"
    return shown


def _phases(old: Standard, new: Standard) -> Iterator[str]:
    """The maturity phases item by item, and the founding-date question they are read from."""
    was, now = old.phases, new.phases
    if (was.founded if was else None) != (now.founded if now else None):
        yield VALUE_CHANGED.format(
            kind="standard",
            id=new.code,
            field="phases.founded",
            old=was.founded if was else "(none)",
            new=now.founded if now else "(none)",
        )
    yield from _diff_items("phase", was.phases if was else (), now.phases if now else ())


def _cross_checks(old: Standard, new: Standard) -> Iterator[str]:
    return _diff_items("cross-check", old.cross_checks, new.cross_checks)


def _attestation(old: Standard, new: Standard) -> Iterator[str]:
    """A personal scheme's sections field by field (`exam.window_days 30 -> 21`), CPD kinds by id."""
    was, now = old.attestation, new.attestation
    if was is None or now is None:
        if was is not now:  # the kind changed: every section came or went
            template = TEXT_ADDED if was is None else TEXT_REMOVED
            yield from (template.format(kind="standard", id=new.code, field=name) for name in PERSON_SECTIONS)
        return
    code = new.code
    yield from _changed_fields("standard", code, was, now)  # the document's name, the consent
    for name in ("exam", "practical", "procedure", "recertification"):
        yield from _changed_fields(
            "standard", code, getattr(was, name), getattr(now, name), prefix=f"{name}."
        )
    yield from _changed_fields(
        "standard", code, was.exam.attempts, now.exam.attempts, prefix="exam.attempts."
    )
    cpd_before, cpd_after = was.recertification.cpd_kinds, now.recertification.cpd_kinds
    yield from _diff_items("CPD kind", cpd_before, cpd_after)


def _monitoring(old: Standard, new: Standard) -> Iterator[str]:
    """The monitoring section: its lists and rules field by field (`monitoring.surveillance.alert_after_days
    30 -> 14`), its KPIs by id; a section that came or went, with every KPI it brought or took."""
    was, now = old.monitoring, new.monitoring
    if was is None or now is None:
        if was is not now:
            template = TEXT_ADDED if was is None else TEXT_REMOVED
            yield template.format(kind="standard", id=new.code, field="monitoring")
            yield from _diff_items("KPI", was.kpis if was else (), now.kpis if now else ())
        return
    code = new.code
    yield from _changed_fields("standard", code, was, now, prefix="monitoring.")
    for name in ("thresholds", "surveillance"):
        yield from _changed_fields(
            "standard", code, getattr(was, name), getattr(now, name), prefix=f"monitoring.{name}."
        )
    yield from _diff_items("KPI", was.kpis, now.kpis)


def _areas(old: Standard, new: Standard) -> Iterator[str]:
    return _diff_items("area", old.areas, new.areas)


def _indicators(old: Standard, new: Standard) -> Iterator[str]:
    return _diff_items("indicator", old.indicators(), new.indicators())


def _indicator_moves(old: Standard, new: Standard) -> Iterator[str]:
    return _moves(
        "indicator",
        {i.id: a.id for a in old.areas for i in a.indicators},
        {i.id: a.id for a in new.areas for i in a.indicators},
    )


def _questions(old: Standard, new: Standard) -> Iterator[str]:
    return _diff_items("question", old.all_questions(), new.all_questions())


#: The parts of a diff, in the order they are listed.
SECTIONS: tuple[Callable[[Standard, Standard], Iterable[str]], ...] = (
    _header,
    _review,
    _requirements,
    _levels,
    _critical,
    _phases,
    _cross_checks,
    _attestation,
    _monitoring,
    _areas,
    _indicators,
    _indicator_moves,
    _questions,
)


def _title(item: Any) -> str:
    for name in ("title", "name", "label", "message"):
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


def _changed_fields(kind: str, item_id: str, old: Any, new: Any, prefix: str = "") -> Iterator[str]:
    for field in fields(old):
        if field.name in _SHOWN_APART or field.name == "id":
            continue
        before, after = getattr(old, field.name), getattr(new, field.name)
        if before == after:
            continue
        name = prefix + field.name
        if isinstance(before, Text) and isinstance(after, Text):
            languages = [lang for lang in ("ru", "en") if getattr(before, lang) != getattr(after, lang)]
            yield TEXT_CHANGED.format(kind=kind, id=item_id, field=name, languages=", ".join(languages))
        elif isinstance(after, Text) and before is None:
            yield TEXT_ADDED.format(kind=kind, id=item_id, field=name)
        elif isinstance(before, Text) and after is None:
            yield TEXT_REMOVED.format(kind=kind, id=item_id, field=name)
        elif field.name == "rubric":
            scores = [str(s) for s, (a, b) in enumerate(zip(before, after, strict=True)) if a != b]
            yield TEXT_CHANGED.format(
                kind=kind, id=item_id, field="rubric", languages="scores " + ", ".join(scores)
            )
        else:
            yield VALUE_CHANGED.format(kind=kind, id=item_id, field=name, old=_show(before), new=_show(after))


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
    if isinstance(value, Mapping):
        return "{" + ", ".join(f"{k}: {_show(v)}" for k, v in sorted(value.items())) + "}"
    if hasattr(value, "source"):
        return repr(value.source)
    if hasattr(value, "__dataclass_fields__"):
        parts = (f"{f.name}={_show(getattr(value, f.name))}" for f in fields(value))
        return "(" + ", ".join(parts) + ")"
    return str(value)
