"""Append entries to the audit trail, verify its chain, and read it back (per application, filtered)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite

from certify.audit.chain import GENESIS, HASHED_FIELDS, ChainWalk, entry_hash, plain
from certify.audit.models import AuditChainHead, AuditEntry
from certify.timeutil import utcnow

HEAD_ID = 1
#: compare-and-set attempts before giving up; with the row lock (PostgreSQL) or the database's write
#: lock (SQLite, held after the first attempt) the second attempt always succeeds
MAX_ATTEMPTS = 5
#: rows fetched at a time while verifying, so a long trail is never held in memory at once
VERIFY_BATCH = 1000


class AuditChainBusy(Exception):
    """The chain head kept moving under us; the caller's transaction should be retried."""


@dataclass(frozen=True)
class VerificationReport:
    ok: bool
    checked: int
    first_bad_id: int | None = None
    reason: str | None = None


def record(
    session,
    *,
    actor,
    action: str,
    subject_type: str,
    subject_id: Any,
    application_id: int | None = None,
    before: Any = None,
    after: Any = None,
) -> AuditEntry:
    """Append an entry to the chain in the caller's transaction; flushes, never commits.

    `actor` is a user (its id and current e-mail are kept), a string naming a system actor (e.g.
    "cli"), or None. The change and its entry are committed together by the caller, and two
    transactions never chain onto the same entry: the chain head is locked (PostgreSQL) and always
    moved with a compare-and-set, so a writer that lost a race re-reads the head and tries again.
    """
    fields = {
        "occurred_at": utcnow(),
        "actor_id": getattr(actor, "id", None),
        "actor_label": _actor_label(actor),
        "action": action,
        "subject_type": subject_type,
        "subject_id": str(subject_id),
        "application_id": application_id,
        "before": plain(before),
        "after": plain(after),
    }
    previous = _advance_head(session, fields)
    entry = AuditEntry(**fields, previous_hash=previous, entry_hash=entry_hash(previous, fields))
    session.add(entry)
    session.flush()
    return entry


def _actor_label(actor) -> str:
    if isinstance(actor, str):
        return actor
    return getattr(actor, "email", None) or "system"


def _advance_head(session, fields: Mapping[str, Any]) -> str:
    """Move the chain head onto the new entry's hash; returns the hash it moved from."""
    for _attempt in range(MAX_ATTEMPTS):
        previous = _locked_head(session)
        moved = session.execute(
            sa.update(AuditChainHead)
            .where(AuditChainHead.id == HEAD_ID, AuditChainHead.last_hash == previous)
            .values(last_hash=entry_hash(previous, fields))
            .execution_options(synchronize_session=False)
        )
        if moved.rowcount == 1:
            return previous
    raise AuditChainBusy("the audit chain head kept changing; retry the transaction")


def _locked_head(session) -> str:
    """The newest entry's hash, with the head row locked until commit where the database can do that."""
    statement = sa.select(AuditChainHead.last_hash).where(AuditChainHead.id == HEAD_ID).with_for_update()
    last_hash = session.execute(statement).scalar_one_or_none()
    if last_hash is None:
        _create_head(session)
        last_hash = session.execute(statement).scalar_one()
    return last_hash


def _create_head(session) -> None:
    """Insert the head row unless a concurrent transaction just did (then wait for it, and keep theirs)."""
    dialect = session.get_bind().dialect.name
    insert = {"postgresql": postgresql.insert, "sqlite": sqlite.insert}.get(dialect)
    if insert is None:
        with session.begin_nested():
            session.add(AuditChainHead(id=HEAD_ID, last_hash=GENESIS))
        return
    session.execute(insert(AuditChainHead).values(id=HEAD_ID, last_hash=GENESIS).on_conflict_do_nothing())


def _chain_statement() -> sa.Select:
    """Every entry's id, hashes and hashed fields, in id order, fetched in batches."""
    columns = [AuditEntry.id, AuditEntry.previous_hash, AuditEntry.entry_hash]
    columns += [getattr(AuditEntry, name) for name in HASHED_FIELDS]
    return sa.select(*columns).order_by(AuditEntry.id).execution_options(yield_per=VERIFY_BATCH)


def verify_chain(session) -> VerificationReport:
    """Walk the whole trail in id order and report the first entry that breaks the chain."""
    walk, last_id = ChainWalk(), None
    # closed explicitly: on PostgreSQL the batches come from a server-side cursor
    with session.execute(_chain_statement()) as result:
        for row in result.mappings():
            reason = walk.check(row)
            if reason:
                return VerificationReport(False, walk.checked, row["id"], reason)
            last_id = row["id"]
    head = session.scalar(sa.select(AuditChainHead.last_hash).where(AuditChainHead.id == HEAD_ID))
    if (head or GENESIS) != walk.last_hash:
        reason = (
            f"the chain ends at entry #{last_id} but its head records a later entry "
            "(entries were removed from the end)"
            if last_id
            else "the trail is empty but its head records entries (they were removed)"
        )
        return VerificationReport(False, walk.checked, None, reason)
    return VerificationReport(True, walk.checked)


def history(session, application_id: int) -> list[AuditEntry]:
    """Everything recorded about one application, oldest first."""
    statement = sa.select(AuditEntry).where(AuditEntry.application_id == application_id)
    return list(session.scalars(statement.order_by(AuditEntry.id)))


@dataclass(frozen=True)
class AuditFilter:
    """What the admin page narrows the trail by; every part is optional."""

    action: str = ""  #: prefix, e.g. "application." or "application.submitted"
    actor: str = ""  #: part of the actor's e-mail
    subject_type: str = ""
    subject_id: str = ""
    application_id: int | None = None
    occurred_from: datetime | None = None  #: inclusive
    occurred_before: datetime | None = None  #: exclusive


def entries_matching(filters: AuditFilter) -> sa.Select:
    """A query for the entries matching `filters`, newest first (to paginate)."""
    statement = sa.select(AuditEntry).order_by(AuditEntry.id.desc())
    if filters.action:
        statement = statement.where(AuditEntry.action.startswith(filters.action, autoescape=True))
    if filters.actor:
        statement = statement.where(AuditEntry.actor_label.contains(filters.actor.lower(), autoescape=True))
    if filters.subject_type:
        statement = statement.where(AuditEntry.subject_type == filters.subject_type)
    if filters.subject_id:
        statement = statement.where(AuditEntry.subject_id == filters.subject_id)
    if filters.application_id is not None:
        statement = statement.where(AuditEntry.application_id == filters.application_id)
    if filters.occurred_from:
        # as UTC: SQLite compares the stored UTC wall-clock text with the bound value's own fields
        statement = statement.where(AuditEntry.occurred_at >= filters.occurred_from.astimezone(UTC))
    if filters.occurred_before:
        statement = statement.where(AuditEntry.occurred_at < filters.occurred_before.astimezone(UTC))
    return statement
