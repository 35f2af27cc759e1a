"""Recording entries, verifying the chain, and refusing changes (on SQLite, and on PostgreSQL in CI)."""

from __future__ import annotations

import shutil
import threading

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import Session

import certify.audit.models  # noqa: F401  (the tables, until the app imports them)
from certify.accounts.models import Role
from certify.audit import services
from certify.audit.chain import GENESIS
from certify.audit.keys import checkpoint_folder
from certify.audit.models import AuditChainHead, AuditEntry, AuditEntryImmutable
from tests.factories import make_user


def record_some(db, count: int = 5, actor=None) -> list[AuditEntry]:
    entries = [
        services.record(
            db,
            actor=actor,
            action="application.submitted",
            subject_type="application",
            subject_id=n,
            application_id=n % 2 or None,
            before={"state": "draft"},
            after={"state": "submitted", "n": n},
        )
        for n in range(1, count + 1)
    ]
    db.commit()
    return entries


def test_recorded_entries_chain_and_verify(db):
    user = make_user(db, Role.COORDINATOR, email="coordinator@certify-test.example.org")
    first, second = record_some(db, 2, actor=user)
    assert first.previous_hash == GENESIS and second.previous_hash == first.entry_hash
    assert (first.actor_id, first.actor_label) == (user.id, "coordinator@certify-test.example.org")
    assert db.get(AuditChainHead, 1).last_hash == second.entry_hash
    report = services.verify_chain(db)
    assert (report.ok, report.checked, report.checkpoint.entry_id) == (True, 2, second.id)


def test_an_empty_trail_verifies(db):
    assert services.verify_chain(db) == services.VerificationReport(ok=True, checked=0)
    assert services.checkpoint_chain(db) == (services.VerificationReport(ok=True, checked=0), None)


def test_record_flushes_but_leaves_the_commit_to_the_caller(db):
    services.record(db, actor="cli", action="standard.published", subject_type="standard", subject_id=1)
    db.rollback()
    assert db.scalar(sa.select(sa.func.count(AuditEntry.id))) == 0
    assert services.verify_chain(db).ok


def test_values_survive_the_database_round_trip_unchanged(db):
    from datetime import UTC, datetime
    from decimal import Decimal

    services.record(
        db,
        actor=None,
        action="score.recorded",
        subject_type="score",
        subject_id="q-1",
        after={"points": Decimal("2.5"), "at": datetime(2025, 1, 1, tzinfo=UTC), "text": "Оценка «5»"},
    )
    db.commit()
    db.expire_all()
    entry = db.scalar(sa.select(AuditEntry))
    assert entry.after == {"points": "2.5", "at": "2025-01-01T00:00:00.000000+00:00", "text": "Оценка «5»"}
    assert entry.actor_label == "system"
    assert services.verify_chain(db).ok


def tamper(db, sql: str, **params) -> None:
    """Change the table behind the ORM's back, as someone with database access could."""
    db.execute(sa.text(sql), params)
    db.commit()


def test_editing_one_row_in_the_database_is_reported_at_that_row(db):
    entries = record_some(db, 5)
    tamper(
        db, "UPDATE audit_entries SET after = :v WHERE id = :id", v='{"state": "approved"}', id=entries[2].id
    )
    report = services.verify_chain(db)
    assert (report.ok, report.first_bad_id, report.checked) == (False, entries[2].id, 3)
    assert "do not match its MAC" in report.reason


@pytest.mark.parametrize("column", ["occurred_at", "actor_label", "action", "subject_id"])
def test_editing_any_hashed_column_is_noticed(db, column):
    entries = record_some(db, 3)
    value = {"occurred_at": "2020-01-01 00:00:00.000000"}.get(column, "forged")
    statement = f"UPDATE audit_entries SET {column} = :value WHERE id = :id"  # noqa: S608 (fixed names)
    tamper(db, statement, value=value, id=entries[1].id)
    assert services.verify_chain(db).first_bad_id == entries[1].id


def test_deleting_a_row_in_the_middle_is_reported_at_the_next_one(db):
    entries = record_some(db, 5)
    tamper(db, "DELETE FROM audit_entries WHERE id = :id", id=entries[2].id)
    report = services.verify_chain(db)
    assert (report.ok, report.first_bad_id) == (False, entries[3].id)
    assert "does not follow" in report.reason


def test_deleting_the_last_rows_is_noticed_through_the_head(app, db):
    entries = record_some(db, 5)
    shutil.rmtree(checkpoint_folder(app.config))  # without checkpoints, the head still notices
    tamper(db, "DELETE FROM audit_entries WHERE id >= :id", id=entries[3].id)
    report = services.verify_chain(db)
    assert (report.ok, report.first_bad_id, report.checked, report.checkpoint) == (False, None, 3, None)
    assert report.reason.startswith(f"the chain ends at entry #{entries[2].id} but its head records a later")
    tamper(db, "DELETE FROM audit_entries")
    assert not services.verify_chain(db).ok


def test_the_orm_refuses_to_change_or_delete_entries(db):
    entry = record_some(db, 1)[0]
    entry.after = {"state": "approved"}
    with pytest.raises(AuditEntryImmutable):
        db.flush()
    db.rollback()
    db.delete(entry)
    with pytest.raises(AuditEntryImmutable):
        db.flush()
    db.rollback()
    for statement in (sa.update(AuditEntry).values(action="x"), sa.delete(AuditEntry)):
        with pytest.raises(AuditEntryImmutable):
            db.execute(statement)
        db.rollback()
    assert services.verify_chain(db).ok


def test_history_of_an_application_holds_only_its_entries_oldest_first(db):
    record_some(db, 6)
    entries = services.history(db, 1)
    assert [e.subject_id for e in entries] == ["1", "3", "5"]
    assert services.history(db, 404) == []


def test_a_writer_that_lost_the_race_chains_onto_the_winner(db, monkeypatch):
    """The head moved between reading it and moving it: the compare-and-set fails and is retried."""
    first = record_some(db, 1)[0]
    real, calls = services._locked_head, []

    def stale_once(session):
        calls.append(1)
        return GENESIS if len(calls) == 1 else real(session)

    monkeypatch.setattr(services, "_locked_head", stale_once)
    second = services.record(db, actor=None, action="x.y", subject_type="x", subject_id=1)
    db.commit()
    assert len(calls) == 2 and second.previous_hash == first.entry_hash
    assert services.verify_chain(db).ok


def test_concurrent_writers_never_fork_the_chain(app, db):
    """Writers in separate transactions queue up on the head; none chains onto an entry another used."""
    engine, errors = db.get_bind(), []
    writers, per_writer = 4, 8

    def write(number: int) -> None:
        with app.app_context():  # as every request and command has: the audit key is the app's
            write_some(number)

    def write_some(number: int) -> None:
        for n in range(per_writer):
            for _attempt in range(50):  # SQLite may answer "database is locked": retry the transaction
                with Session(engine) as session:
                    try:
                        services.record(
                            session,
                            actor=None,
                            action="t.w",
                            subject_type="w",
                            subject_id=n,
                            after={"w": number},
                        )
                        session.commit()
                        break
                    except sa.exc.OperationalError:
                        session.rollback()
            else:
                errors.append(number)

    threads = [threading.Thread(target=write, args=(number,)) for number in range(writers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    previous = db.scalars(sa.select(AuditEntry.previous_hash)).all()
    assert len(previous) == len(set(previous)) == writers * per_writer
    report = services.verify_chain(db)
    assert (report.ok, report.checked) == (True, writers * per_writer)
    assert report.checkpoint.entry_hash == db.get(AuditChainHead, 1).last_hash  # the last commit's checkpoint


def test_filters_for_the_admin_page(db):
    user = make_user(db, Role.ADMIN, email="admin@certify-test.example.org")
    record_some(db, 3, actor=user)
    services.record(db, actor=None, action="standard.published", subject_type="standard", subject_id=9)
    db.commit()

    def ids(**filters):
        return [e.subject_id for e in db.scalars(services.entries_matching(services.AuditFilter(**filters)))]

    assert ids() == ["9", "3", "2", "1"]
    assert ids(action="standard.") == ["9"]
    assert ids(action="application.sub", actor="ADMIN@certify") == ["3", "2", "1"]
    assert ids(action="%") == []
    assert ids(subject_type="application", subject_id="2") == ["2"]
    assert ids(application_id=1) == ["3", "1"]
    from datetime import UTC, datetime, timedelta

    now = datetime.now(UTC)
    assert len(ids(occurred_from=now - timedelta(hours=1), occurred_before=now + timedelta(hours=1))) == 4
    assert ids(occurred_before=now - timedelta(hours=1)) == []
