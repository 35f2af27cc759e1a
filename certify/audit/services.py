"""Append entries to the audit trail, verify it against its checkpoints, and read it back (filtered)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite

from certify import keyset
from certify.audit.chain import GENESIS, HASHED_FIELDS, ChainWalk, Checkpoint, entry_mac, plain
from certify.audit.checkpoints import checkpoint_after_commit, read_checkpoints, write_checkpoint
from certify.audit.keys import audit_key, checkpoint_folder
from certify.audit.models import HEAD_ID, AuditChainHead, AuditEntry
from certify.timeutil import utcnow

#: compare-and-set attempts before giving up; with the row lock (PostgreSQL) or the database's write
#: lock (SQLite, held after the first attempt) the second attempt always succeeds
MAX_ATTEMPTS = 5
#: the trail's page counts the entries matching its filters up to this many, then says "more than": an
#: exact count of a million entries would cost the page more than everything else on it
COUNT_CAP = 1000
#: rows fetched at a time while verifying, so a long trail is never held in memory at once (a few MB)
VERIFY_BATCH = 2000


class AuditChainBusy(Exception):
    """The chain head kept moving under us; the caller's transaction should be retried."""


@dataclass(frozen=True)
class VerificationReport:
    """The outcome of `verify_chain`: the chain's first problem, if any, and the checkpoints' problems."""

    ok: bool
    checked: int
    first_bad_id: int | None = None
    #: what is wrong with the chain (None when it holds)
    reason: str | None = None
    #: the newest valid checkpoint, which the chain was compared against
    checkpoint: Checkpoint | None = None
    #: checkpoint files whose MAC does not hold: (file name, why)
    invalid_checkpoints: tuple[tuple[str, str], ...] = ()
    #: the newest entry walked (id, MAC), which `checkpoint_chain` vouches for
    last_entry: tuple[int, str] | None = None


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
    Once the transaction commits, a checkpoint of the new head is written outside the database.
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
    key = audit_key()
    previous, mac = _advance_head(session, key, fields)
    entry = AuditEntry(**fields, previous_hash=previous, entry_hash=mac)
    session.add(entry)
    session.flush()
    checkpoint_after_commit(session, checkpoint_folder(), key)
    return entry


def _actor_label(actor) -> str:
    if isinstance(actor, str):
        return actor
    return getattr(actor, "email", None) or "system"


def _advance_head(session, key: bytes, fields: Mapping[str, Any]) -> tuple[str, str]:
    """Move the chain head onto the new entry's MAC; returns the MAC it moved from, and the new one."""
    for _attempt in range(MAX_ATTEMPTS):
        previous = _locked_head(session)
        mac = entry_mac(key, previous, fields)
        moved = session.execute(
            sa.update(AuditChainHead)
            .where(AuditChainHead.id == HEAD_ID, AuditChainHead.last_hash == previous)
            .values(last_hash=mac)
            .execution_options(synchronize_session=False)
        )
        if moved.rowcount == 1:
            return previous, mac
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


def verify_chain(session, *, key: bytes | None = None, folder: Path | None = None) -> VerificationReport:
    """Check every entry's MAC and link, and that the trail reaches its head and newest valid checkpoint.

    Checkpoint files that are not valid are reported too. `key` and `folder` default to the app's audit
    key and checkpoint folder. With no checkpoint at all the report is ok, its `checkpoint` None: the CLI
    says what that leaves unchecked.
    """
    key = audit_key() if key is None else key
    folder = checkpoint_folder() if folder is None else folder
    # Read before the trail: the checkpoints and the head then name committed entries the walk must reach,
    # however many are appended meanwhile.
    stored = read_checkpoints(folder, key)
    head = session.scalar(sa.select(AuditChainHead.last_hash).where(AuditChainHead.id == HEAD_ID)) or GENESIS
    report = _walk(session, key, stored.newest, head)
    if stored.invalid:
        report = replace(report, ok=False, invalid_checkpoints=stored.invalid)
    return report


def _walk(session, key: bytes, checkpoint: Checkpoint | None, head: str) -> VerificationReport:
    walk, last = ChainWalk(key), None
    reached_checkpoint, reached_head = checkpoint is None, head == GENESIS

    def broken(entry_id, reason):
        return VerificationReport(False, walk.checked, entry_id, reason, checkpoint, last_entry=last)

    # On the session's connection, without the ORM's loading, and each row made a dict: plain columns,
    # where the ORM and row mappings add nothing but time to a million rows. Closed explicitly: on
    # PostgreSQL the batches come from a server-side cursor.
    with session.connection().execute(_chain_statement()) as result:
        names = tuple(result.keys())
        for row in (dict(zip(names, values, strict=True)) for values in result):
            if reason := walk.check(row):
                return broken(row["id"], reason)
            if checkpoint is not None and row["id"] == checkpoint.entry_id:
                if row["entry_hash"] != checkpoint.entry_hash:
                    return broken(
                        row["id"], f"it is not the entry {_vouched(checkpoint)} (the trail was rewritten)"
                    )
                reached_checkpoint = True
            reached_head = reached_head or row["entry_hash"] == head
            last = (row["id"], row["entry_hash"])
    if not reached_checkpoint:
        return broken(None, _missing(last, checkpoint))
    if not reached_head:
        return broken(None, _cut_short(last, "its head records a later entry"))
    return VerificationReport(True, walk.checked, checkpoint=checkpoint, last_entry=last)


def _vouched(checkpoint: Checkpoint) -> str:
    return f"the checkpoint written at {checkpoint.written_at} vouches for"


def _missing(last: tuple[int, str] | None, checkpoint: Checkpoint) -> str:
    if last is not None and last[0] > checkpoint.entry_id:
        gone = f"entry #{checkpoint.entry_id}, which {_vouched(checkpoint)}, is missing"
        return f"{gone} (the trail was rewritten)"
    return _cut_short(last, f"{_vouched(checkpoint)} entry #{checkpoint.entry_id}")


def _cut_short(last: tuple[int, str] | None, expected: str) -> str:
    if last is None:
        return f"the trail is empty but {expected} (entries were removed)"
    return f"the chain ends at entry #{last[0]} but {expected} (entries were removed from the end)"


def checkpoint_chain(session, *, key: bytes | None = None, folder: Path | None = None):
    """Verify the trail, then vouch for its newest entry with a checkpoint (`flask certify audit checkpoint`).

    Returns the report and the checkpoint written: none when the trail does not verify (a checkpoint
    would vouch for a tampered trail) or is empty.
    """
    key = audit_key() if key is None else key
    folder = checkpoint_folder() if folder is None else folder
    report = verify_chain(session, key=key, folder=folder)
    if not report.ok or report.last_entry is None:
        return report, None
    return report, write_checkpoint(folder, key, *report.last_entry)


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


@dataclass(frozen=True)
class EntryPage:
    """One page of entries, newest first, found from an entry's id (keyset) rather than by an offset, so
    the thousandth page costs what the first does."""

    items: list[AuditEntry]
    #: the matching entries, counted up to COUNT_CAP + 1 (`counted_all` says whether that is all of them)
    total: int
    #: the id to pass as `after` for the page of newer entries (None: there are none)
    newer: int | None
    #: the id to pass as `before` for the page of older entries (None: there are none)
    older: int | None

    @property
    def counted_all(self) -> bool:
        return self.total <= COUNT_CAP


#: the trail's pages, newest first, along its primary key
TRAIL_ORDER = keyset.Keyset((AuditEntry.id,))


def page_of_entries(
    session, statement: sa.Select, *, per_page: int, before: int | None = None, after: int | None = None
) -> EntryPage:
    """The page of `statement`'s entries (newest first, `entries_matching`) just older than the entry
    `before`, just newer than the entry `after`, or the newest (`certify.keyset`), with the matching
    entries counted up to the cap. Three indexed queries at most."""
    page = keyset.page_of(session, statement, TRAIL_ORDER, per_page=per_page, before=before, after=after)
    counted = statement.order_by(None).with_only_columns(AuditEntry.id).limit(COUNT_CAP + 1).subquery()
    return EntryPage(
        items=page.items,
        total=session.scalar(sa.select(sa.func.count()).select_from(counted)),
        newer=page.newer,
        older=page.older,
    )
