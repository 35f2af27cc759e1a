"""The audit trail's keyed chain: canonical bytes of an entry, its MAC, checkpoints, the first broken link.

Pure: neither Flask nor SQLAlchemy, so the rules of the chain can be checked (and re-implemented by an
outside auditor holding the key) from this file alone. Each entry's MAC is HMAC-SHA256, under the audit
key, of the previous entry's MAC followed by the entry's own fields (HASHED_FIELDS), so changing,
removing or reordering any entry breaks the chain from there on, and without the key nobody can make a
changed chain whole again (issue 12, finding 5). What a chain cannot show is entries cut off its end:
for that, checkpoints (the newest entry's id and MAC, MACed again) are kept outside the database.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from enum import Enum
from typing import Any

#: the previous hash of the very first entry
GENESIS = "0" * 64

#: what an entry's MAC covers; the row id is left out because it is only known after the insert
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

#: what a checkpoint's MAC is taken over begins with this; an entry's begins with 64 hex digits, so the
#: MAC of one can never pass for the other's
CHECKPOINT_PREFIX = b"certify audit checkpoint v1\n"

CHANGED = (
    "its contents do not match its MAC (the entry was changed, or the audit key is not the one it was "
    "written with)"
)
UNKEYED = (
    "it is hashed with plain SHA-256, without the audit key: a trail written before the chain was keyed "
    "(issue 12, finding 5), or one recomputed by someone who does not hold the key"
)
UNLINKED = "it does not follow the entry before it (an entry was removed, inserted or changed)"


def iso_utc(moment: datetime) -> str:
    """An ISO 8601 UTC timestamp with microseconds; naive datetimes are taken to be UTC already."""
    moment = moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)
    return moment.isoformat(timespec="microseconds")


#: types `plain` hands back as they are; tested by exact type first, since verifying a long trail calls
#: `plain` on every field of every entry (subclasses, such as a StrEnum, take the general path)
PLAIN_SCALARS = frozenset({str, int, float, bool, type(None)})


def plain(value: Any) -> Any:
    """`value` as plain JSON data (dicts with string keys, lists, str, int, float, bool, None).

    Before/after values are stored in a JSON column and hashed; converting them first makes what is
    stored exactly what was hashed, so the hash still matches after the database hands the value back.
    """
    if type(value) in PLAIN_SCALARS:
        return value
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


def _compact_json(data: Mapping[str, Any]) -> bytes:
    text = json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False)
    return text.encode("utf-8")


def canonical(entry_fields: Mapping[str, Any]) -> bytes:
    """The bytes an entry's MAC is taken over: its HASHED_FIELDS as sorted, compact UTF-8 JSON."""
    return _compact_json({name: plain(entry_fields.get(name)) for name in HASHED_FIELDS})


def entry_mac(key: bytes | hmac.HMAC, previous_hash: str, fields: Mapping[str, Any]) -> str:
    """HMAC-SHA256 (hex) under `key` of the previous entry's MAC followed by this entry's canonical bytes.

    `key` may also be `keyed(key)`: an HMAC already keyed, copied for each entry, which spares a long
    walk setting the key up again for every entry.
    """
    message = previous_hash.encode("ascii") + canonical(fields)
    if isinstance(key, hmac.HMAC):
        mac = key.copy()
        mac.update(message)
        return mac.hexdigest()
    return hmac.new(key, message, hashlib.sha256).hexdigest()


def keyed(key: bytes) -> hmac.HMAC:
    """An HMAC-SHA256 keyed with `key` and fed nothing yet, for `entry_mac` to copy."""
    return hmac.new(key, digestmod=hashlib.sha256)


def unkeyed_hash(previous_hash: str, fields: Mapping[str, Any]) -> str:
    """The plain SHA-256 the chain used before it was keyed; only to say why such an entry fails."""
    return hashlib.sha256(previous_hash.encode("ascii") + canonical(fields)).hexdigest()


@dataclass
class ChainWalk:
    """Checks entries one at a time, in id order, remembering only the last MAC (for streaming)."""

    key: bytes
    last_hash: str = GENESIS
    checked: int = 0

    def __post_init__(self) -> None:
        self._keyed = keyed(self.key)

    def check(self, entry: Mapping[str, Any]) -> str | None:
        """Why `entry` breaks the chain, or None when both of its links hold."""
        self.checked += 1
        expected_previous, self.last_hash = self.last_hash, entry["entry_hash"]
        if entry["previous_hash"] != expected_previous:
            return UNLINKED
        mac = entry_mac(self._keyed, entry["previous_hash"], entry)
        if not hmac.compare_digest(mac.encode(), str(entry["entry_hash"]).encode()):
            unkeyed = unkeyed_hash(entry["previous_hash"], entry) == entry["entry_hash"]
            return UNKEYED if unkeyed else CHANGED
        return None


def first_broken(entries: Iterable[Mapping[str, Any]], key: bytes) -> tuple[Any, str] | None:
    """(id, reason) of the first entry that breaks the chain, or None if all hold.

    `entries` are walked in the order given, which must be id order; an entry without an "id" is
    named by its position.
    """
    walk = ChainWalk(key)
    for index, entry in enumerate(entries):
        reason = walk.check(entry)
        if reason:
            return entry.get("id", index), reason
    return None


# --- Checkpoints: the chain's newest entry, vouched for outside the database ---------------------------


class CheckpointInvalid(ValueError):
    """A checkpoint that cannot be read, or whose MAC does not hold."""


@dataclass(frozen=True)
class Checkpoint:
    """The newest entry when it was written: the trail must still hold that entry, with that MAC."""

    entry_id: int
    entry_hash: str
    written_at: str  #: iso_utc of when the checkpoint was written


def checkpoint_mac(key: bytes, checkpoint: Checkpoint) -> str:
    """HMAC-SHA256 (hex) under `key` of CHECKPOINT_PREFIX and the checkpoint's fields as compact JSON."""
    return hmac.new(key, CHECKPOINT_PREFIX + _compact_json(asdict(checkpoint)), hashlib.sha256).hexdigest()


def checkpoint_bytes(key: bytes, checkpoint: Checkpoint) -> bytes:
    """The checkpoint as stored: its fields and their MAC as one line of JSON."""
    return _compact_json({**asdict(checkpoint), "mac": checkpoint_mac(key, checkpoint)}) + b"\n"


def read_checkpoint(key: bytes, data: bytes) -> Checkpoint:
    """The checkpoint stored as `data`; raises CheckpointInvalid unless it is whole and its MAC holds."""
    try:
        fields = json.loads(data)
        mac = fields.pop("mac")
        checkpoint = Checkpoint(**fields)
        well_formed = isinstance(checkpoint.entry_id, int) and isinstance(mac, str)
    except (ValueError, TypeError, KeyError, AttributeError) as error:
        raise CheckpointInvalid("it cannot be read (damaged, or not a checkpoint)") from error
    if not (well_formed and hmac.compare_digest(checkpoint_mac(key, checkpoint).encode(), mac.encode())):
        raise CheckpointInvalid("its MAC does not match: forged, changed, or written with another audit key")
    return checkpoint
