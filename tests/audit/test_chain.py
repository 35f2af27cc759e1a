"""The keyed chain itself: canonical bytes, MACs, checkpoints, and finding the first broken link (no app)."""

from __future__ import annotations

import hashlib
import hmac
import json
import subprocess
import sys
from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal
from enum import StrEnum
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from certify.audit.chain import (
    CHANGED,
    GENESIS,
    UNKEYED,
    Checkpoint,
    CheckpointInvalid,
    canonical,
    checkpoint_bytes,
    entry_mac,
    first_broken,
    keyed,
    plain,
    read_checkpoint,
    unkeyed_hash,
)

PROJECT_ROOT = Path(__file__).resolve().parents[2]
MOMENT = datetime(2025, 3, 14, 9, 26, 53, 589793, tzinfo=UTC)
KEY = b"k" * 32


def fields(n: int = 1, **changes) -> dict:
    values = {
        "occurred_at": MOMENT + timedelta(minutes=n),
        "actor_id": 7,
        "actor_label": "coordinator@certify-test.example.org",
        "action": "application.submitted",
        "subject_type": "application",
        "subject_id": str(n),
        "application_id": n,
        "before": {"state": "draft"},
        "after": {"state": "submitted", "комментарий": "готово"},
    }
    values.update(changes)
    return values


def chain(count: int, mac=lambda previous, entry: entry_mac(KEY, previous, entry)) -> list[dict]:
    entries, previous = [], GENESIS
    for n in range(1, count + 1):
        entry = fields(n, id=n, previous_hash=previous)
        entry["entry_hash"] = previous = mac(previous, entry)
        entries.append(entry)
    return entries


def test_canonical_form_is_sorted_compact_utf8_json():
    data = json.loads(canonical(fields()))
    assert list(data) == sorted(data)
    assert b" " not in canonical(fields(actor_label="x")).replace(b"application.submitted", b"")
    assert "готово".encode() in canonical(fields())
    assert data["occurred_at"] == "2025-03-14T09:27:53.589793+00:00"


def test_canonical_form_ignores_key_order_storage_details_and_unhashed_fields():
    shuffled = dict(reversed(list(fields().items())))
    naive = fields(occurred_at=(MOMENT + timedelta(minutes=1)).replace(tzinfo=None))
    moscow = fields(occurred_at=(MOMENT + timedelta(minutes=1)).astimezone(timezone(timedelta(hours=3))))
    assert canonical(shuffled) == canonical(naive) == canonical(moscow) == canonical(fields())
    assert canonical(fields(id=99, entry_hash="x")) == canonical(fields())


def test_datetimes_keep_their_microseconds_and_decimals_become_strings():
    assert plain({"at": MOMENT, "day": date(2025, 1, 2), "score": Decimal("2.50")}) == {
        "at": "2025-03-14T09:26:53.589793+00:00",
        "day": "2025-01-02",
        "score": "2.50",
    }
    assert plain({1: ("a", {"b"})}) == {"1": ["a", ["b"]]}


@pytest.mark.parametrize("bad", [object(), float("nan")])
def test_values_json_cannot_hold_are_refused(bad):
    with pytest.raises((TypeError, ValueError)):
        canonical(fields(after={"x": bad}))


def test_the_mac_covers_the_previous_mac_and_every_field_under_the_key():
    expected = hmac.new(KEY, GENESIS.encode() + canonical(fields()), hashlib.sha256).hexdigest()
    assert entry_mac(KEY, GENESIS, fields()) == expected
    assert entry_mac(KEY, "1" * 64, fields()) != expected
    assert entry_mac(b"K" * 32, GENESIS, fields()) != expected
    for name, value in fields(2).items():
        if value != fields()[name]:
            assert entry_mac(KEY, GENESIS, fields(**{name: value})) != expected, name


def test_a_pre_keyed_hmac_gives_the_same_mac_and_stays_unfed_for_the_next_entry():
    mac = keyed(KEY)
    for n in (1, 2, 1):
        assert entry_mac(mac, GENESIS, fields(n)) == entry_mac(KEY, GENESIS, fields(n))


class Colour(StrEnum):
    RED = "red"


@pytest.mark.parametrize("value", ["текст", 7, 2.5, True, None, Colour.RED, {"a": [Colour.RED, 1]}])
def test_plain_values_and_str_subclasses_come_back_as_json_writes_them(value):
    assert plain(value) == value and json.dumps(plain(value)) == json.dumps(value)


def test_an_intact_chain_and_an_empty_one_hold():
    assert first_broken(chain(5), KEY) is None
    assert first_broken([], KEY) is None


def test_a_changed_entry_is_reported_by_its_own_hash():
    entries = chain(5)
    entries[2]["after"] = {"state": "approved"}
    assert first_broken(entries, KEY) == (3, CHANGED)


def test_a_rehashed_entry_breaks_the_link_of_the_next_one():
    entries = chain(5)
    entries[2]["after"] = {"state": "approved"}
    entries[2]["entry_hash"] = entry_mac(KEY, entries[2]["previous_hash"], entries[2])
    assert first_broken(entries, KEY)[0] == 4


def test_a_removed_or_reordered_entry_is_reported_where_the_chain_breaks():
    entries = chain(5)
    assert first_broken(entries[:2] + entries[3:], KEY)[0] == 4
    assert first_broken([entries[1], entries[0], *entries[2:]], KEY)[0] == 2
    assert first_broken(entries[1:], KEY)[0] == 2


def test_entries_without_ids_are_named_by_position():
    entries = [{k: v for k, v in entry.items() if k != "id"} for entry in chain(3)]
    entries[1]["actor_label"] = "someone-else@example.org"
    assert first_broken(entries, KEY)[0] == 1


@given(st.integers(min_value=0, max_value=7), st.text(max_size=20))
def test_any_single_change_is_found_at_that_entry(position, text):
    entries = chain(8)
    if entries[position]["actor_label"] == text:
        return
    entries[position]["actor_label"] = text
    assert first_broken(entries, KEY)[0] == position + 1


def test_a_chain_recomputed_without_the_key_or_under_another_key_is_refused_at_its_first_entry():
    assert first_broken(chain(3, mac=unkeyed_hash), KEY) == (1, UNKEYED)
    other = chain(3, mac=lambda previous, entry: entry_mac(b"o" * 32, previous, entry))
    assert first_broken(other, KEY) == (1, CHANGED)


def test_an_unkeyed_hash_is_plain_sha256_as_before_finding_5():
    expected = hashlib.sha256(GENESIS.encode() + canonical(fields())).hexdigest()
    assert unkeyed_hash(GENESIS, fields()) == expected != entry_mac(KEY, GENESIS, fields())


CHECKPOINT = Checkpoint(entry_id=42, entry_hash="a" * 64, written_at="2025-03-14T09:26:53.589793+00:00")


def test_a_checkpoint_reads_back_under_its_key():
    stored = checkpoint_bytes(KEY, CHECKPOINT)
    assert stored.endswith(b"\n") and stored.count(b"\n") == 1
    assert read_checkpoint(KEY, stored) == CHECKPOINT


def test_a_checkpoint_mac_is_not_an_entry_mac():
    stored = json.loads(checkpoint_bytes(KEY, CHECKPOINT))
    assert stored["mac"] != entry_mac(KEY, GENESIS, stored)


@pytest.mark.parametrize(
    ("change", "why"),
    [
        ({"entry_id": 43}, "MAC does not match"),
        ({"entry_hash": "b" * 64}, "MAC does not match"),
        ({"written_at": "2030-01-01T00:00:00.000000+00:00"}, "MAC does not match"),
        ({"mac": "0" * 64}, "MAC does not match"),
        ({"mac": "готово"}, "MAC does not match"),
        ({"entry_id": "42"}, "MAC does not match"),
        ({"extra": 1}, "cannot be read"),
        ({"mac": None}, "MAC does not match"),
    ],
)
def test_a_changed_checkpoint_is_refused(change, why):
    stored = {**json.loads(checkpoint_bytes(KEY, CHECKPOINT)), **change}
    with pytest.raises(CheckpointInvalid, match=why):
        read_checkpoint(KEY, json.dumps(stored).encode())


@pytest.mark.parametrize("data", [b"", b"{", b"[]", b"null", b'{"entry_id": 1}', "ы".encode("cp1251")])
def test_a_damaged_checkpoint_is_refused(data):
    with pytest.raises(CheckpointInvalid, match="cannot be read"):
        read_checkpoint(KEY, data)


def test_a_checkpoint_under_another_key_is_refused():
    with pytest.raises(CheckpointInvalid, match="another audit key"):
        read_checkpoint(b"o" * 32, checkpoint_bytes(KEY, CHECKPOINT))


def test_the_chain_module_is_pure():
    code = (
        "import certify.audit.chain, sys; "
        "assert 'flask' not in sys.modules and 'sqlalchemy' not in sys.modules"
    )
    subprocess.run([sys.executable, "-c", code], check=True, cwd=PROJECT_ROOT)
