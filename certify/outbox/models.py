"""Queued e-mails, each a row written in the transaction of the change it announces."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from certify.extensions import db
from certify.timeutil import utcnow


class MessageStatus(StrEnum):
    #: waiting for its first or next attempt (see next_attempt_at)
    QUEUED = "queued"
    SENT = "sent"
    #: given up after MAIL_MAX_ATTEMPTS tries, or refused for good by the server; an admin may retry it
    FAILED = "failed"


class OutboxMessage(db.Model):
    """One e-mail to one recipient, rendered when it was queued, sent after its transaction committed."""

    __tablename__ = "outbox_messages"
    __table_args__ = (sa.Index("ix_outbox_messages_due", "status", "next_attempt_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    recipient: Mapped[str] = mapped_column(sa.String(254))
    #: subject and body in the recipient's language, rendered at queue time: what the change looked like
    #: then, with no ORM object to reload at delivery
    subject: Mapped[str] = mapped_column(sa.Text)
    body: Mapped[str] = mapped_column(sa.Text)
    #: the templates/mail/<template>.txt it was rendered from, and in which language
    template: Mapped[str] = mapped_column(sa.String(60))
    locale: Mapped[str] = mapped_column(sa.String(5))
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)
    status: Mapped[str] = mapped_column(sa.String(10), default=MessageStatus.QUEUED.value)
    #: tries so far, counted when a deliverer claims the message (so a deliverer that dies counts too)
    attempts: Mapped[int] = mapped_column(default=0)
    #: not to be tried before this moment: the backoff after a failure
    next_attempt_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)
    #: the lease of the deliverer sending it now; another deliverer leaves it alone until then
    claimed_until: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    last_error: Mapped[str] = mapped_column(sa.Text, default="")
    sent_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
