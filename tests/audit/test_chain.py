"""The hash chain itself: canonical bytes, hashes, and finding the first broken link (no app)."""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from certify.audit.chain import GENESIS, canonical, entry_hash, first_broken, plain

PROJECT_ROOT = Path(__file__).resolve().parents[2]
MOMENT = datetime(2025, 3, 14, 9, 26, 53, 589793, tzinfo=UTC)


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


def chain(count: int) -> list[dict]:
    entries, previous = [], GENESIS
    for n in range(1, count + 1):
        entry = fields(n, id=n, previous_hash=previous)
        entry["entry_hash"] = previous = entry_hash(previous, entry)
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


def test_hash_covers_the_previous_hash_and_every_field():
    expected = hashlib.sha256(GENESIS.encode() + canonical(fields())).hexdigest()
    assert entry_hash(GENESIS, fields()) == expected
    assert entry_hash("1" * 64, fields()) != expected
    for name, value in fields(2).items():
        if value != fields()[name]:
            assert entry_hash(GENESIS, fields(**{name: value})) != expected, name


def test_an_intact_chain_and_an_empty_one_hold():
    assert first_broken(chain(5)) is None
    assert first_broken([]) is None


def test_a_changed_entry_is_reported_by_its_own_hash():
    entries = chain(5)
    entries[2]["after"] = {"state": "approved"}
    assert first_broken(entries) == (3, "its contents do not match its hash (the entry was changed)")


def test_a_rehashed_entry_breaks_the_link_of_the_next_one():
    entries = chain(5)
    entries[2]["after"] = {"state": "approved"}
    entries[2]["entry_hash"] = entry_hash(entries[2]["previous_hash"], entries[2])
    assert first_broken(entries)[0] == 4


def test_a_removed_or_reordered_entry_is_reported_where_the_chain_breaks():
    entries = chain(5)
    assert first_broken(entries[:2] + entries[3:])[0] == 4
    assert first_broken([entries[1], entries[0], *entries[2:]])[0] == 2
    assert first_broken(entries[1:])[0] == 2


def test_entries_without_ids_are_named_by_position():
    entries = [{k: v for k, v in entry.items() if k != "id"} for entry in chain(3)]
    entries[1]["actor_label"] = "someone-else@example.org"
    assert first_broken(entries)[0] == 1


@given(st.integers(min_value=0, max_value=7), st.text(max_size=20))
def test_any_single_change_is_found_at_that_entry(position, text):
    entries = chain(8)
    if entries[position]["actor_label"] == text:
        return
    entries[position]["actor_label"] = text
    assert first_broken(entries)[0] == position + 1


def test_the_chain_module_is_pure():
    code = (
        "import certify.audit.chain, sys; "
        "assert 'flask' not in sys.modules and 'sqlalchemy' not in sys.modules"
    )
    subprocess.run([sys.executable, "-c", code], check=True, cwd=PROJECT_ROOT)
