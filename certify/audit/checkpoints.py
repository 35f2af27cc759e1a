"""Checkpoints of the audit chain written outside the database, so a shortened trail is noticed.

A checkpoint (certify.audit.chain.Checkpoint: the newest entry's id and MAC, and when) is MACed with
the audit key and written to its own file in the checkpoint folder, named by the entry's id. The app
writes one after every commit that appended to the chain; `flask certify audit checkpoint` writes one
after verifying the chain (for cron, and after a lost write). Files are written whole and renamed into
place, so several workers and hosts writing at once leave only whole checkpoints; two writing the same
entry's checkpoint write the same facts. The newest KEEP files are kept; older ones add nothing, since
the newest valid checkpoint vouches for every entry before it through the chain's MACs.

The folder and the key are passed in: nothing here reads the app's settings.
"""

from __future__ import annotations

import logging
import os
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.orm import Session

from certify.audit.chain import Checkpoint, CheckpointInvalid, checkpoint_bytes, iso_utc, read_checkpoint
from certify.audit.models import HEAD_ID, AuditChainHead, AuditEntry
from certify.files import private_folder
from certify.timeutil import utcnow

log = logging.getLogger(__name__)

#: checkpoint files kept in the folder
KEEP = 100
NAME = re.compile(r"\A\d{12}\.json\Z")
#: session.info keys: a transaction that appended to the chain, and the checkpoint it will write
APPENDED = "certify.audit.appended"
READY = "certify.audit.checkpoint"


@dataclass(frozen=True)
class StoredCheckpoints:
    """What the folder holds: the newest checkpoint whose MAC holds, and the files that are not valid."""

    newest: Checkpoint | None
    #: (file name, why it is not valid), by name
    invalid: tuple[tuple[str, str], ...] = ()


def write_checkpoint(folder: Path, key: bytes, entry_id: int, entry_hash: str) -> Checkpoint:
    """Write the checkpoint of entry `entry_id` (a temporary file renamed into place), then prune."""
    checkpoint = Checkpoint(entry_id=entry_id, entry_hash=entry_hash, written_at=iso_utc(utcnow()))
    private_folder(folder)
    descriptor, draft = tempfile.mkstemp(prefix=".draft-", dir=folder)  # created 0600
    try:
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(checkpoint_bytes(key, checkpoint))
            handle.flush()
            os.fsync(handle.fileno())  # whole on disk before its name is: no empty checkpoint after a crash
        os.replace(draft, folder / f"{entry_id:012d}.json")
    except BaseException:
        Path(draft).unlink(missing_ok=True)
        raise
    _prune(folder)
    return checkpoint


def _prune(folder: Path) -> None:
    """Remove all but the KEEP newest checkpoint files (another writer may be removing the same ones)."""
    names = sorted(name for name in os.listdir(folder) if NAME.match(name))
    for name in names[:-KEEP]:
        (folder / name).unlink(missing_ok=True)


def read_checkpoints(folder: Path, key: bytes) -> StoredCheckpoints:
    """Every checkpoint file in `folder` checked against `key`: the newest valid one, and the invalid."""
    newest, invalid = None, []
    names = sorted(name for name in os.listdir(folder) if name.endswith(".json")) if folder.is_dir() else []
    for name in names:
        try:
            checkpoint = read_checkpoint(key, (folder / name).read_bytes())
        except FileNotFoundError:
            continue  # pruned meanwhile
        except CheckpointInvalid as error:
            invalid.append((name, str(error)))
            continue
        if newest is None or checkpoint.entry_id > newest.entry_id:
            newest = checkpoint
    return StoredCheckpoints(newest, tuple(invalid))


# --- After a commit that appended to the chain, checkpoint its head ------------------------------------


def checkpoint_after_commit(session, folder: Path, key: bytes) -> None:
    """Have the session write a checkpoint once its transaction commits (called by `record`)."""
    session.info[APPENDED] = (folder, key)


@event.listens_for(Session, "before_commit")
def _note_the_head(session: Session) -> None:
    """Read the head the transaction leaves, while it still can (a savepoint may have undone an append)."""
    appended = session.info.pop(APPENDED, None)
    if appended is None:
        return
    statement = sa.select(AuditEntry.id, AuditEntry.entry_hash).join(
        AuditChainHead, (AuditChainHead.id == HEAD_ID) & (AuditChainHead.last_hash == AuditEntry.entry_hash)
    )
    head = session.execute(statement).first()
    if head is not None:
        session.info[READY] = (*appended, head.id, head.entry_hash)


@event.listens_for(Session, "after_commit")
def _write_the_checkpoint(session: Session) -> None:
    """The entries are committed: vouch for the newest outside the database.

    A failed write does not undo the commit; it is logged, and the next commit or `flask certify audit
    checkpoint` writes a newer one.
    """
    ready = session.info.pop(READY, None)
    if ready is None:
        return
    folder, key, entry_id, entry_hash = ready
    try:
        write_checkpoint(folder, key, entry_id, entry_hash)
    except OSError:
        log.exception("could not write the audit checkpoint of entry #%s to %s", entry_id, folder)


@event.listens_for(Session, "after_transaction_end")
def _forget_the_checkpoint(session: Session, transaction) -> None:
    """A transaction rolled back vouches for nothing (a savepoint's end leaves the outer one's plans)."""
    if transaction.parent is None:
        session.info.pop(APPENDED, None)
        session.info.pop(READY, None)
