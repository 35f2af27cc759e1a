"""Exams as stored: bank versions as imported, immutable item versions, exams, attempts and their answers.

The YAML source of a bank version is the record, as for the standard; the item versions are copied out of
it, so that an attempt is scored, and its page shown, on exactly the versions it drew, whichever bank
versions come later. The rules live in `certify.exams.services` and `certify.exams.attempts`.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from typing import Any

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.orm import Mapped, mapped_column, relationship

from certify.accounts.models import User
from certify.exams.bank import ItemStatus
from certify.extensions import db
from certify.timeutil import utcnow

OPEN = sa.text("closed_at IS NULL")


class PassMarkMethod(StrEnum):
    #: the blueprint's own pass mark, as written in the bank
    FIXED = "fixed"
    #: recommended by a modified-Angoff panel (`certify.exams.angoff`)
    ANGOFF = "angoff"


class AttemptEnd(StrEnum):
    SUBMITTED = "submitted"
    #: closed by the server at the deadline, with what had been saved
    TIMED_OUT = "timed_out"


class StoredVersionChanged(Exception):
    """Raised by the database layer itself when something tries to rewrite an imported or active version."""


class ExamBankVersion(db.Model):
    """One version of an item bank, exactly as imported; never changes afterwards."""

    __tablename__ = "exam_bank_versions"
    __table_args__ = (sa.UniqueConstraint("code", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(sa.String(40))
    version: Mapped[str] = mapped_column(sa.String(20))
    title_ru: Mapped[str] = mapped_column(sa.String(300))
    title_en: Mapped[str] = mapped_column(sa.String(300))
    #: the YAML file as imported (a third of a megabyte): loaded only to parse it, once per process
    source: Mapped[str] = mapped_column(sa.Text, deferred=True)
    source_sha256: Mapped[str] = mapped_column(sa.String(64))
    imported_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)
    imported_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))

    @property
    def label(self) -> str:
        return f"{self.code}/{self.version}"

    @property
    def file_name(self) -> str:
        return f"{self.code}-{self.version}.yaml"

    def title(self, locale: str) -> str:
        return self.title_en if locale.startswith("en") else self.title_ru


class ExamItemVersion(db.Model):
    """One version of an item; its content is frozen once it leaves draft (an edit makes a new version).

    `status` is the body's current decision on the version and may change (active -> suspended ->
    retired): a suspended or retired version is not drawn, whatever the bank file says.
    """

    __tablename__ = "exam_item_versions"
    __table_args__ = (sa.UniqueConstraint("item_id", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[str] = mapped_column(sa.String(80))
    version: Mapped[int]
    area: Mapped[str] = mapped_column(sa.String(40))
    #: a value of certify.exams.bank.ItemStatus
    status: Mapped[str] = mapped_column(sa.String(12))
    #: the item as written in its bank file (type, stem, options with the key, rationale, source), without
    #: the status; `certify.exams.bank.item_from_data` makes it an Item again
    content: Mapped[dict[str, Any]] = mapped_column(sa.JSON)
    #: the bank version that brought this item version in
    bank_version_id: Mapped[int] = mapped_column(sa.ForeignKey("exam_bank_versions.id"))
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)

    @property
    def label(self) -> str:
        return f"{self.item_id} v{self.version}"


class Exam(db.Model):
    """A blueprint of a bank version offered to candidates in a window, with the pass mark chosen for it."""

    __tablename__ = "exams"

    id: Mapped[int] = mapped_column(primary_key=True)
    bank_version_id: Mapped[int] = mapped_column(sa.ForeignKey("exam_bank_versions.id"), index=True)
    blueprint_id: Mapped[str] = mapped_column(sa.String(80))
    #: the blueprint's title and time limit, copied so that lists need not parse the bank
    title_ru: Mapped[str] = mapped_column(sa.String(300))
    title_en: Mapped[str] = mapped_column(sa.String(300))
    time_limit_minutes: Mapped[int]
    #: the window: attempts start from `opens_at` until `closes_at` (open-ended while None), and every
    #: attempt ends by `closes_at` at the latest
    opens_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True))
    closes_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    #: the overall pass mark (percent), its method (PassMarkMethod) and the day it was set
    pass_mark: Mapped[Decimal] = mapped_column(sa.Numeric(4, 1))
    pass_mark_method: Mapped[str] = mapped_column(sa.String(10))
    pass_mark_set_on: Mapped[date]
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))

    #: joined: an attempt's start and its pages need the bank, and its large source is deferred anyway
    bank_version: Mapped[ExamBankVersion] = relationship(lazy="joined", innerjoin=True)

    def title(self, locale: str) -> str:
        return self.title_en if locale.startswith("en") else self.title_ru


class ExamAttempt(db.Model):
    """One candidate's sitting of an exam: the form drawn, the deadline kept by the server, the result."""

    __tablename__ = "exam_attempts"
    __table_args__ = (
        # One open attempt per candidate and exam, held by the database: two tabs pressing "Start" at once
        # both pass the service's check, and the second must resume the first.
        sa.Index(
            "uq_exam_attempts_one_open",
            "exam_id",
            "candidate_id",
            unique=True,
            sqlite_where=OPEN,
            postgresql_where=OPEN,
        ),
        # Every request of the exams pages looks for open attempts past their deadline: this keeps it cheap.
        sa.Index("ix_exam_attempts_open_deadline", "deadline", sqlite_where=OPEN, postgresql_where=OPEN),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    exam_id: Mapped[int] = mapped_column(sa.ForeignKey("exams.id"), index=True)
    candidate_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"), index=True)
    #: the attestation application this attempt is the theory stage of (certify.attestation.theory); None
    #: for an attempt outside any attestation
    application_id: Mapped[int | None] = mapped_column(sa.ForeignKey("applications.id"), index=True)
    #: the form as drawn (certify.exams.records): seed, blueprint, and per slot the item id, version,
    #: area and option order; enough to show, score and re-check the draw
    form: Mapped[dict[str, Any]] = mapped_column(sa.JSON)
    #: when the form was drawn: at registration for the exam, or at the start when there was none
    registered_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True))
    #: None while the candidate is registered with a drawn form and has not started: the clock has not run
    started_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    deadline: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    closed_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    #: a value of AttemptEnd once closed
    closed_how: Mapped[str | None] = mapped_column(sa.String(12))
    #: the scored result (certify.exams.records.result_data), once closed
    result: Mapped[dict[str, Any] | None] = mapped_column(sa.JSON)

    exam: Mapped[Exam] = relationship()
    candidate: Mapped[User] = relationship()

    @property
    def is_open(self) -> bool:
        """Not closed: registered and waiting for its start, or running."""
        return self.closed_at is None

    @property
    def is_running(self) -> bool:
        return self.started_at is not None and self.closed_at is None

    @property
    def is_registered(self) -> bool:
        """Registered with its form drawn, not started yet."""
        return self.started_at is None and self.closed_at is None


class ExamAnswer(db.Model):
    """A slot of an attempt's form and what the candidate chose there; one row per item shown.

    The rows are written when the attempt starts, so that a row is what "on this form" means, the exposure
    of an item is a count of its rows, and the statistics see the items shown but left unanswered.
    """

    __tablename__ = "exam_answers"

    attempt_id: Mapped[int] = mapped_column(
        sa.ForeignKey("exam_attempts.id", ondelete="CASCADE"), primary_key=True
    )
    item_id: Mapped[str] = mapped_column(sa.String(80), primary_key=True, index=True)
    item_version: Mapped[int]
    #: the slot's place on the form, from 0
    position: Mapped[int]
    #: the option ids chosen; empty when unanswered or cleared
    chosen: Mapped[list[str]] = mapped_column(sa.JSON, default=list)
    #: when the answer was last saved; None while the item has never been answered
    saved_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))


class ItemDecision(StrEnum):
    #: by the statistics: negative discrimination, held back until a person decides
    SUSPENDED = "suspended"
    #: by a person, after reading the statistics: the item stays off new forms
    KEPT_SUSPENDED = "kept_suspended"
    #: by a person: the key is right after all, the item is drawn again
    REINSTATED = "reinstated"


class ExamItemDecision(db.Model):
    """A decision on an item version taken from its statistics: who (None: the statistics), why, on what.

    The latest row of a version is its review state; the rows are the history, never changed.
    """

    __tablename__ = "exam_item_decisions"

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[str] = mapped_column(sa.String(80))
    item_version: Mapped[int]
    #: a value of ItemDecision
    decision: Mapped[str] = mapped_column(sa.String(20))
    reason: Mapped[str | None] = mapped_column(sa.Text)
    #: the exam whose statistics were read, and what they said then
    exam_id: Mapped[int] = mapped_column(sa.ForeignKey("exams.id"), index=True)
    discrimination: Mapped[float | None] = mapped_column(sa.Float)
    exposure: Mapped[int]
    decided_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    decided_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)

    __table_args__ = (sa.Index("ix_exam_item_decisions_item", "item_id", "item_version"),)


class AngoffEstimate(db.Model):
    """One judge's estimate for one item in a modified-Angoff panel on an exam's blueprint."""

    __tablename__ = "exam_angoff_estimates"
    __table_args__ = (sa.UniqueConstraint("exam_id", "judge", "item_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    exam_id: Mapped[int] = mapped_column(sa.ForeignKey("exams.id"), index=True)
    #: the judge's name as the coordinator typed it: panel members need no account
    judge: Mapped[str] = mapped_column(sa.String(120))
    item_id: Mapped[str] = mapped_column(sa.String(80))
    item_version: Mapped[int]
    #: the share (0..1) of minimally competent candidates the judge expects to answer correctly
    estimate: Mapped[Decimal] = mapped_column(sa.Numeric(3, 2))
    recorded_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)
    recorded_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))


@event.listens_for(ExamBankVersion, "before_update")
def _refuse_rewriting_bank_versions(mapper, connection, target: ExamBankVersion) -> None:
    """A bank version is what attempts were drawn from: whatever path a change takes, it stops here."""
    changed = _changed(target, ("code", "version", "source", "source_sha256", "title_ru", "title_en"))
    if changed:
        raise StoredVersionChanged(f"bank {target.label}: {', '.join(changed)} of an imported version")


@event.listens_for(ExamItemVersion, "before_update")
def _refuse_rewriting_released_items(mapper, connection, target: ExamItemVersion) -> None:
    """Only a draft item version may change; once active, attempts show and score it as it is."""
    old_status = sa.inspect(target).attrs.status.history.deleted
    was_draft = (old_status[0] if old_status else target.status) == ItemStatus.DRAFT.value
    changed = _changed(target, ("item_id", "version", "area", "content"))
    if changed and not was_draft:
        raise StoredVersionChanged(f"item {target.label}: {', '.join(changed)} of a released version")


def _changed(target, names: tuple[str, ...]) -> list[str]:
    attributes = sa.inspect(target).attrs
    return [name for name in names if attributes[name].history.has_changes()]
