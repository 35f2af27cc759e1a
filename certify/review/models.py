"""Assessors' declared ties and their assignments to applications."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from certify.accounts.models import Organisation, User
from certify.extensions import db
from certify.questionnaire.models import Application
from certify.timeutil import utcnow


class AssignmentStatus(StrEnum):
    #: waiting for the assessor to confirm independence or decline
    PENDING = "pending"
    CONFIRMED = "confirmed"
    DECLINED = "declined"
    #: taken off the team by the coordinator before submitting scores (the row stays, as history)
    REMOVED = "removed"


#: statuses of an assignment that has ended: its assessor is no longer on the team
ENDED = (AssignmentStatus.DECLINED.value, AssignmentStatus.REMOVED.value)


class ConflictDeclaration(db.Model):
    """A tie an assessor declares: to an organisation, to a whole region, or to a candidate for attestation
    (having trained them on `trained_on`, or another tie when that is None)."""

    __tablename__ = "conflict_declarations"

    id: Mapped[int] = mapped_column(primary_key=True)
    assessor_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"), index=True)
    organisation_id: Mapped[int | None] = mapped_column(sa.ForeignKey("organisations.id"))
    region: Mapped[str | None] = mapped_column(sa.String(200))
    #: a person the declarer is tied to as a candidate for attestation (issue 16)
    candidate_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"), index=True)
    #: the last day the declarer trained that candidate; a training record, read for 2 years
    trained_on: Mapped[date | None]
    note: Mapped[str] = mapped_column(sa.String(500), default="")
    declared_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)

    organisation: Mapped[Organisation | None] = relationship()
    candidate: Mapped[User | None] = relationship(foreign_keys=[candidate_id])


class Assignment(db.Model):
    """An assessor's assignment to an application (the review, or an appeal)."""

    __tablename__ = "assignments"
    __table_args__ = (sa.UniqueConstraint("application_id", "assessor_id", "for_appeal"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(sa.ForeignKey("applications.id"), index=True)
    assessor_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"), index=True)
    is_lead: Mapped[bool] = mapped_column(default=False)
    for_appeal: Mapped[bool] = mapped_column(default=False)
    status: Mapped[str] = mapped_column(sa.String(12), default=AssignmentStatus.PENDING.value)
    decline_reason: Mapped[str] = mapped_column(sa.String(1000), default="")
    assigned_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    assigned_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)
    answered_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    scores_submitted_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))

    application: Mapped[Application] = relationship()
    assessor: Mapped[User] = relationship(foreign_keys=[assessor_id])

    @property
    def active(self) -> bool:
        return self.status not in ENDED


class RubricScore(db.Model):
    """An assessor's score (0–4) and comment on one indicator."""

    __tablename__ = "rubric_scores"
    __table_args__ = (sa.UniqueConstraint("assignment_id", "indicator_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    assignment_id: Mapped[int] = mapped_column(
        sa.ForeignKey("assignments.id", ondelete="CASCADE"), index=True
    )
    indicator_id: Mapped[str] = mapped_column(sa.String(80))
    score: Mapped[int | None]
    comment: Mapped[str] = mapped_column(sa.Text, default="")


class AreaFeedback(db.Model):
    """An assessor's main strengths and areas for improvement in one area (they feed the report)."""

    __tablename__ = "area_feedback"
    __table_args__ = (sa.UniqueConstraint("assignment_id", "area_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    assignment_id: Mapped[int] = mapped_column(
        sa.ForeignKey("assignments.id", ondelete="CASCADE"), index=True
    )
    area_id: Mapped[str] = mapped_column(sa.String(80))
    strengths: Mapped[str] = mapped_column(sa.Text, default="")
    improvements: Mapped[str] = mapped_column(sa.Text, default="")


class ConsensusScore(db.Model):
    """The score the lead assessor records for an indicator after comparing the assessors' scores; an
    appeal heard by a panel of several has its own (`for_appeal`), the review's staying as they were."""

    __tablename__ = "consensus_scores"
    __table_args__ = (sa.UniqueConstraint("application_id", "indicator_id", "for_appeal"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(sa.ForeignKey("applications.id"), index=True)
    for_appeal: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    indicator_id: Mapped[str] = mapped_column(sa.String(80))
    score: Mapped[int]
    justification: Mapped[str] = mapped_column(sa.Text, default="")
    recorded_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    recorded_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)


class MarkKind(StrEnum):
    """What a mark is on: a file attached to an indicator, or a "not applicable" answer."""

    #: accepted: the file is relevant to its indicator (it may lift the evidence cap)
    FILE = "file"
    #: accepted: the assessor confirms the manager's "not applicable"
    NOT_APPLICABLE = "not_applicable"


class FindingMark(db.Model):
    """An assessor's mark on one item of the manager's case: a file relevant or not, an N/A confirmed."""

    __tablename__ = "finding_marks"
    __table_args__ = (sa.UniqueConstraint("assignment_id", "kind", "subject"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    assignment_id: Mapped[int] = mapped_column(
        sa.ForeignKey("assignments.id", ondelete="CASCADE"), index=True
    )
    #: a MarkKind value
    kind: Mapped[str] = mapped_column(sa.String(20))
    #: the evidence file's id (as text), or the id of the question answered "not applicable"
    subject: Mapped[str] = mapped_column(sa.String(80))
    accepted: Mapped[bool]


class ConsensusMark(db.Model):
    """The lead's final mark on one item, recorded with the consensus (as FindingMark, per application;
    an appeal panel's apart, as its consensus scores)."""

    __tablename__ = "consensus_marks"
    __table_args__ = (sa.UniqueConstraint("application_id", "kind", "subject", "for_appeal"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(sa.ForeignKey("applications.id"), index=True)
    for_appeal: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    kind: Mapped[str] = mapped_column(sa.String(20))
    subject: Mapped[str] = mapped_column(sa.String(80))
    accepted: Mapped[bool]
    recorded_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    recorded_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)


class Decision(db.Model):
    """The certification body's decision on an application (or on its appeal), with its reasons."""

    __tablename__ = "decisions"
    __table_args__ = (sa.UniqueConstraint("application_id", "on_appeal"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(sa.ForeignKey("applications.id"), index=True)
    on_appeal: Mapped[bool] = mapped_column(default=False)
    #: the level id the scoring rules gave (None: no level)
    computed_level: Mapped[str | None] = mapped_column(sa.String(40))
    #: the level id certified at (None: not certified)
    chosen_level: Mapped[str | None] = mapped_column(sa.String(40))
    assessed_total: Mapped[str | None] = mapped_column(sa.String(10))
    reasons: Mapped[str] = mapped_column(sa.Text)
    #: why the decision departs from the computed level (required then)
    justification: Mapped[str] = mapped_column(sa.Text, default="")
    #: a candidate's written conclusion (issue 16): {"areas": {area id: the result in words},
    #: "recommendations": text}; None for an organisation's decision
    conclusion: Mapped[dict | None] = mapped_column(sa.JSON)
    decided_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    decided_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)

    decided_by: Mapped[User | None] = relationship()


class ClarificationRequest(db.Model):
    """An assessor's question to the manager on named indicators; only their answers may then change."""

    __tablename__ = "clarification_requests"

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(sa.ForeignKey("applications.id"), index=True)
    assignment_id: Mapped[int] = mapped_column(sa.ForeignKey("assignments.id"))
    #: the indicator ids the question concerns
    indicator_ids: Mapped[list[str]] = mapped_column(sa.JSON)
    question: Mapped[str] = mapped_column(sa.Text)
    asked_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)
    answer: Mapped[str] = mapped_column(sa.Text, default="")
    answered_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    answered_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))

    assignment: Mapped[Assignment] = relationship()


class Appeal(db.Model):
    """The manager's one appeal against a decision, lodged within 30 days."""

    __tablename__ = "appeals"

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(sa.ForeignKey("applications.id"), unique=True)
    grounds: Mapped[str] = mapped_column(sa.Text)
    lodged_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)
    lodged_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
