"""Checkpoints outside the database: written whole after each commit, by several writers at once."""

from __future__ import annotations

import json
import logging
import os
import stat
import threading

import pytest

from certify.audit import checkpoints, services
from certify.audit.chain import read_checkpoint
from certify.audit.keys import audit_key, checkpoint_folder
from certify.audit.models import AuditChainHead

KEY = b"k" * 32


def record(db, n: int = 1):
    return services.record(db, actor="cli", action="demo.made", subject_type="demo", subject_id=n)


def stored(folder) -> list[str]:
    return sorted(os.listdir(folder)) if folder.exists() else []


def test_a_commit_that_appended_writes_the_checkpoint_of_its_newest_entry(app, db):
    folder = checkpoint_folder(app.config)
    assert folder == app.config["CERTIFY_STORAGE"] / "audit-checkpoints"
    record(db, 1)
    last = record(db, 2)
    assert stored(folder) == []  # nothing is vouched for before the commit
    db.commit()
    assert stored(folder) == [f"{last.id:012d}.json"]
    checkpoint = read_checkpoint(audit_key(), (folder / stored(folder)[0]).read_bytes())
    assert (checkpoint.entry_id, checkpoint.entry_hash) == (last.id, last.entry_hash)
    assert stat.S_IMODE(os.stat(folder / stored(folder)[0]).st_mode) == 0o600
    assert stat.S_IMODE(os.stat(folder).st_mode) == 0o700


def test_a_rolled_back_append_writes_no_checkpoint_and_a_later_commit_without_one_neither(app, db):
    folder = checkpoint_folder(app.config)
    record(db)
    db.rollback()
    db.get(AuditChainHead, 1)
    db.commit()
    assert stored(folder) == []


def test_an_append_undone_by_a_savepoint_is_not_vouched_for(app, db):
    folder = checkpoint_folder(app.config)
    kept = record(db, 1)
    with db.begin_nested() as savepoint:
        record(db, 2)
        savepoint.rollback()
    db.commit()
    assert stored(folder) == [f"{kept.id:012d}.json"]
    assert services.verify_chain(db).ok


def test_the_checkpoint_folder_can_be_set(app_settings, tmp_path, app, db):
    app.config["CERTIFY_AUDIT_CHECKPOINTS"] = str(tmp_path / "elsewhere")
    entry = record(db)
    db.commit()
    assert stored(tmp_path / "elsewhere") == [f"{entry.id:012d}.json"]
    assert services.verify_chain(db).checkpoint.entry_id == entry.id


def test_a_failed_checkpoint_write_keeps_the_commit_and_is_logged(app, db, tmp_path, caplog):
    (tmp_path / "not-a-folder").write_text("")
    app.config["CERTIFY_AUDIT_CHECKPOINTS"] = str(tmp_path / "not-a-folder")
    entry = record(db)
    with caplog.at_level(logging.ERROR, logger="certify.audit.checkpoints"):
        db.commit()
    assert f"could not write the audit checkpoint of entry #{entry.id}" in caplog.text
    assert db.get(type(entry), entry.id) is not None


def test_only_the_newest_checkpoints_are_kept(tmp_path, monkeypatch):
    monkeypatch.setattr(checkpoints, "KEEP", 3)
    for entry_id in range(1, 8):
        checkpoints.write_checkpoint(tmp_path, KEY, entry_id, f"{entry_id:064x}")
    assert stored(tmp_path) == [f"{n:012d}.json" for n in (5, 6, 7)]
    assert checkpoints.read_checkpoints(tmp_path, KEY).newest.entry_id == 7


def test_writers_at_once_leave_only_whole_checkpoints(tmp_path, monkeypatch):
    """Threads (as workers or hosts would) write checkpoints of the same and of different entries at once."""
    monkeypatch.setattr(checkpoints, "KEEP", 10)
    barrier, errors = threading.Barrier(6), []

    def write(number: int) -> None:
        barrier.wait()
        try:
            for entry_id in range(1, 31):
                checkpoints.write_checkpoint(tmp_path, KEY, entry_id, f"{entry_id:064x}")
        except Exception as error:  # noqa: BLE001  (reported by the assertion below)
            errors.append(error)

    threads = [threading.Thread(target=write, args=(n,)) for n in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert stored(tmp_path) == [f"{n:012d}.json" for n in range(21, 31)]  # and no drafts left behind
    found = checkpoints.read_checkpoints(tmp_path, KEY)
    assert (found.newest.entry_id, found.invalid) == (30, ())


def test_a_missing_folder_holds_no_checkpoints(tmp_path):
    assert checkpoints.read_checkpoints(tmp_path / "missing", KEY) == checkpoints.StoredCheckpoints(None)


def test_damaged_files_are_named_and_other_files_ignored(tmp_path):
    checkpoints.write_checkpoint(tmp_path, KEY, 1, "a" * 64)
    (tmp_path / "000000000002.json").write_bytes(b"")
    (tmp_path / "README").write_text("checkpoints of the audit chain")
    (tmp_path / ".draft-x").write_bytes(b"{")
    found = checkpoints.read_checkpoints(tmp_path, KEY)
    assert found.newest.entry_id == 1
    assert found.invalid == (("000000000002.json", "it cannot be read (damaged, or not a checkpoint)"),)


def test_the_stored_form_is_one_line_of_json(tmp_path):
    checkpoint = checkpoints.write_checkpoint(tmp_path, KEY, 12, "a" * 64)
    data = json.loads((tmp_path / "000000000012.json").read_bytes())
    assert set(data) == {"entry_id", "entry_hash", "written_at", "mac"}
    assert (data["entry_id"], data["written_at"]) == (12, checkpoint.written_at)


@pytest.mark.parametrize("count", [0, 3])
def test_checkpoint_chain_vouches_for_the_newest_verified_entry(app, db, count):
    entries = [record(db, n) for n in range(count)]
    db.commit()
    report, checkpoint = services.checkpoint_chain(db)
    assert report.ok and report.checked == count
    if count:
        assert (checkpoint.entry_id, checkpoint.entry_hash) == (entries[-1].id, entries[-1].entry_hash)
    else:
        assert checkpoint is None
