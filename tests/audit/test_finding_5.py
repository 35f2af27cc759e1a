"""Issue 12, finding 5: someone with database access alone cannot rewrite or shorten the audit trail.

The attacks are made with SQL on the connection, past the ORM's append-only guard, as someone holding
the database's credentials (but neither the audit key nor the checkpoint folder) could.
"""

from __future__ import annotations

import shutil

import sqlalchemy as sa

from certify.audit import services
from certify.audit.chain import GENESIS, UNKEYED, Checkpoint, checkpoint_bytes, unkeyed_hash
from certify.audit.keys import audit_key, checkpoint_folder
from certify.audit.models import AuditEntry


def record_some(db, count: int = 3) -> list[tuple[int, str]]:
    """(id, MAC) of `count` new entries, committed."""
    entries = [
        services.record(
            db, actor="cli", action="demo.made", subject_type="demo", subject_id=n, after={"n": n}
        )
        for n in range(count)
    ]
    db.commit()
    return [(entry.id, entry.entry_hash) for entry in entries]


def tamper(db, sql: str, **params) -> None:
    db.execute(sa.text(sql), params)
    db.commit()


def test_finding_5_deleting_the_last_entry_and_rewinding_the_head_fails_verification(db):
    _, (second, second_mac), (last, _) = record_some(db, 3)
    tamper(db, "DELETE FROM audit_entries WHERE id = :id", id=last)
    tamper(db, "UPDATE audit_chain_head SET last_hash = :h", h=second_mac)
    report = services.verify_chain(db)
    assert not report.ok
    assert report.checkpoint.entry_id == last
    assert report.reason.startswith(f"the chain ends at entry #{second} but the checkpoint written at ")
    assert report.reason.endswith(f"vouches for entry #{last} (entries were removed from the end)")


def test_finding_5_emptying_the_trail_and_its_head_fails_verification(db):
    last, _ = record_some(db, 2)[-1]
    tamper(db, "DELETE FROM audit_entries")
    tamper(db, "UPDATE audit_chain_head SET last_hash = :h", h=GENESIS)
    report = services.verify_chain(db)
    assert not report.ok and report.reason.startswith("the trail is empty but the checkpoint")
    assert report.reason.endswith(f"vouches for entry #{last} (entries were removed)")


def _recompute_without_the_key(db, change_id: int) -> None:
    """Change one entry and rehash the whole chain and its head, the way it was hashed before finding 5."""
    table, previous, connection = AuditEntry.__table__, GENESIS, db.connection()
    for row in connection.execute(sa.select(table).order_by(table.c.id)).mappings().all():
        fields = {**row, "after": {"n": "forged"}} if row["id"] == change_id else dict(row)
        previous, linked = unkeyed_hash(previous, fields), previous
        changes = {"after": fields["after"], "previous_hash": linked, "entry_hash": previous}
        connection.execute(table.update().where(table.c.id == row["id"]).values(**changes))
    tamper(db, "UPDATE audit_chain_head SET last_hash = :h", h=previous)


def test_finding_5_a_chain_recomputed_without_the_key_fails_even_without_checkpoints(app, db):
    first, second, _ = record_some(db, 3)
    _recompute_without_the_key(db, second[0])
    shutil.rmtree(checkpoint_folder(app.config))  # not the checkpoints: the MACs refuse it
    report = services.verify_chain(db)
    assert (report.ok, report.first_bad_id, report.reason) == (False, first[0], UNKEYED)


def test_a_forged_checkpoint_is_reported_and_not_believed(app, db):
    last, _ = record_some(db, 2)[-1]
    folder = checkpoint_folder(app.config)
    later = Checkpoint(entry_id=last + 5, entry_hash="f" * 64, written_at="2030-01-01T00:00:00.000000+00:00")
    (folder / "999999999999.json").write_bytes(checkpoint_bytes(b"a guessed key, not the audit key", later))
    report = services.verify_chain(db)
    assert not report.ok and report.reason is None  # the chain holds, up to the newest valid checkpoint
    assert report.checkpoint.entry_id == last
    assert report.invalid_checkpoints == (
        ("999999999999.json", "its MAC does not match: forged, changed, or written with another audit key"),
    )


def test_a_genuine_checkpoint_of_another_entry_under_that_id_means_a_rewritten_trail(app, db):
    """E.g. the database replaced by another installation's, or one restored over a newer trail."""
    first, _ = record_some(db, 2)
    folder = checkpoint_folder(app.config)
    shutil.rmtree(folder)
    folder.mkdir()
    other = Checkpoint(entry_id=first[0], entry_hash="e" * 64, written_at="2030-01-01T00:00:00.000000+00:00")
    (folder / f"{first[0]:012d}.json").write_bytes(checkpoint_bytes(audit_key(), other))
    report = services.verify_chain(db)
    assert (report.ok, report.first_bad_id) == (False, first[0])
    assert report.reason == (
        "it is not the entry the checkpoint written at 2030-01-01T00:00:00.000000+00:00 vouches for "
        "(the trail was rewritten)"
    )
