"""Audit entries (append-only, MAC-chained) and the one-row head that serialises appends to the chain."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.orm import Mapped, Session, mapped_column

from certify.extensions import db
from certify.timeutil import utcnow

#: the id of the chain head's one row
HEAD_ID = 1


class AuditEntryImmutable(Exception):
    """Raised when application code tries to change or delete an audit entry: the trail is append-only."""


class AuditEntry(db.Model):
    __tablename__ = "audit_entries"
    __table_args__ = (sa.Index("ix_audit_entries_subject", "subject_type", "subject_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    occurred_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)
    #: None for the system (CLI, scheduled jobs)
    actor_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    #: the actor's e-mail when it happened, so the history reads the same after the user changes
    actor_label: Mapped[str] = mapped_column(sa.String(254), default="")
    #: "<domain>.<verb>", e.g. "application.submitted", "standard.published"
    action: Mapped[str] = mapped_column(sa.String(60))
    subject_type: Mapped[str] = mapped_column(sa.String(40))
    subject_id: Mapped[str] = mapped_column(sa.String(40))
    #: the application the change belongs to, if any: an application's history is one indexed query
    application_id: Mapped[int | None] = mapped_column(index=True)
    before: Mapped[Any | None] = mapped_column(sa.JSON(none_as_null=True))
    after: Mapped[Any | None] = mapped_column(sa.JSON(none_as_null=True))
    #: entry_hash of the entry before this one (chain.GENESIS for the first)
    previous_hash: Mapped[str] = mapped_column(sa.String(64))
    #: HMAC-SHA256 under the audit key over previous_hash and this entry's fields (certify.audit.chain)
    entry_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)


class AuditChainHead(db.Model):
    """One row (id 1) holding the newest entry's hash; appending locks and moves it.

    It makes concurrent appends queue up instead of chaining onto the same entry, and lets
    verification notice entries removed from the end of the chain.
    """

    __tablename__ = "audit_chain_head"

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    last_hash: Mapped[str] = mapped_column(sa.String(64))


@event.listens_for(AuditEntry, "before_update")
@event.listens_for(AuditEntry, "before_delete")
def _refuse_changing_entries(mapper, connection, target: AuditEntry) -> None:
    """The trail is append-only: whatever path a change takes through the ORM, it stops here."""
    raise AuditEntryImmutable(f"audit entry #{target.id} cannot be changed or deleted")


@event.listens_for(Session, "do_orm_execute")
def _refuse_bulk_changes(state) -> None:
    """Also stop `session.execute(update(AuditEntry))` and delete(), which skip the mapper events."""
    if (state.is_update or state.is_delete) and getattr(state.statement.table, "name", None) == (
        AuditEntry.__tablename__
    ):
        raise AuditEntryImmutable("audit entries cannot be changed or deleted")
