"""The audit trail's hash chain: canonical bytes of an entry, its hash, and finding the first broken link.

Pure: neither Flask nor SQLAlchemy, so the rules of the chain can be checked (and re-implemented by an
outside auditor) from this file alone. Each entry's hash covers the previous entry's hash and the entry's
own fields (HASHED_FIELDS), so changing, removing or reordering any entry breaks the chain from there on.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from enum import Enum
from typing import Any

#: the previous hash of the very first entry
GENESIS = "0" * 64

#: what an entry's hash covers; the row id is left out because it is only known after the insert
HASHED_FIELDS = (
    "occurred_at",
    "actor_id",
    "actor_label",
    "action",
    "subject_type",
    "subject_id",
    "application_id",
    "before",
    "after",
)


def iso_utc(moment: datetime) -> str:
    """An ISO 8601 UTC timestamp with microseconds; naive datetimes are taken to be UTC already."""
    moment = moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)
    return moment.isoformat(timespec="microseconds")


def plain(value: Any) -> Any:
    """`value` as plain JSON data (dicts with string keys, lists, str, int, float, bool, None).

    Before/after values are stored in a JSON column and hashed; converting them first makes what is
    stored exactly what was hashed, so the hash still matches after the database hands the value back.
    """
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, Enum):
        return plain(value.value)
    if isinstance(value, datetime):
        return iso_utc(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, Mapping):
        return {str(key): plain(item) for key, item in value.items()}
    if isinstance(value, set | frozenset):
        return sorted((plain(item) for item in value), key=repr)
    if isinstance(value, list | tuple):
        return [plain(item) for item in value]
    raise TypeError(f"cannot record a {type(value).__name__} in the audit trail")


def canonical(entry_fields: Mapping[str, Any]) -> bytes:
    """The bytes an entry's hash is taken over: its HASHED_FIELDS as sorted, compact UTF-8 JSON."""
    fields = {name: plain(entry_fields.get(name)) for name in HASHED_FIELDS}
    text = json.dumps(fields, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False)
    return text.encode("utf-8")


def entry_hash(previous_hash: str, fields: Mapping[str, Any]) -> str:
    """The SHA-256 (hex) of the previous entry's hash followed by this entry's canonical bytes."""
    return hashlib.sha256(previous_hash.encode("ascii") + canonical(fields)).hexdigest()


@dataclass
class ChainWalk:
    """Checks entries one at a time, in id order, remembering only the last hash (for streaming)."""

    last_hash: str = GENESIS
    checked: int = 0

    def check(self, entry: Mapping[str, Any]) -> str | None:
        """Why `entry` breaks the chain, or None when both of its links hold."""
        self.checked += 1
        expected_previous, self.last_hash = self.last_hash, entry["entry_hash"]
        if entry["previous_hash"] != expected_previous:
            return "it does not follow the entry before it (an entry was removed, inserted or changed)"
        if entry_hash(entry["previous_hash"], entry) != entry["entry_hash"]:
            return "its contents do not match its hash (the entry was changed)"
        return None


def first_broken(entries: Iterable[Mapping[str, Any]]) -> tuple[Any, str] | None:
    """(id, reason) of the first entry that breaks the chain, or None if all hold.

    `entries` are walked in the order given, which must be id order; an entry without an "id" is
    named by its position.
    """
    walk = ChainWalk()
    for index, entry in enumerate(entries):
        reason = walk.check(entry)
        if reason:
            return entry.get("id", index), reason
    return None
