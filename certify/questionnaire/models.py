"""Applications, their answers page by page, and evidence files."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from certify.accounts.models import Organisation, User
from certify.extensions import db
from certify.monitoring.models import ReportPeriod
from certify.standards.models import StandardVersion
from certify.timeutil import utcnow

#: an organisation's certification draft, and a person's, as the partial unique indexes below read them
ORGANISATION_DRAFT = sa.text("state = 'draft' AND candidate_id IS NULL AND period_id IS NULL")
PERSON_DRAFT = sa.text("state = 'draft' AND candidate_id IS NOT NULL")


class Application(db.Model):
    """An application, pinned to the standard version it started on: an organisation's for certification,
    a person's for attestation on a personal scheme (`candidate_id` set, issue 16), or a certified
    organisation's yearly report (`period_id` set, issue 18), pinned to its certificate's version."""

    __tablename__ = "applications"
    __table_args__ = (
        # One application in preparation per organisation (certify.workflow.states.IN_PREPARATION), held by
        # the database too: two "Start" requests at once both pass the service's check (finding 13). A
        # person's application names the candidate's organisation too, and does not count here; nor does a
        # yearly report, prepared beside a renewal.
        sa.Index(
            "uq_applications_one_draft",
            "organisation_id",
            unique=True,
            sqlite_where=ORGANISATION_DRAFT,
            postgresql_where=ORGANISATION_DRAFT,
        ),
        # One draft per candidate and scheme version, for the same race on "Apply". An index cannot read
        # the scheme's code from standard_versions: the service refuses a second open application on any
        # version of the same scheme (certify.attestation.services).
        sa.Index(
            "uq_applications_one_candidate_draft",
            "candidate_id",
            "standard_version_id",
            unique=True,
            sqlite_where=PERSON_DRAFT,
            postgresql_where=PERSON_DRAFT,
        ),
        # The review queue's order (the longest submitted first), which it pages along by key.
        sa.Index("ix_applications_submitted_at_id", "submitted_at", "id"),
        # Someone applies: an organisation, or a person (who may belong to one).
        sa.CheckConstraint("organisation_id IS NOT NULL OR candidate_id IS NOT NULL", name="subject"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    #: the applying organisation; for a person's application the candidate's organisation when they have
    #: one (the review's conflict rule "same organisation" reads it), else None
    organisation_id: Mapped[int | None] = mapped_column(sa.ForeignKey("organisations.id"), index=True)
    #: the person a personal attestation scheme's application is for; None for an organisation's
    candidate_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"), index=True)
    #: when the candidate accepted the scheme's consent to processing personal data, before the application
    #: existed; the text accepted is the version's (`standard_version_id`), which never changes once
    #: published. None for an organisation's application
    consent_accepted_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    standard_version_id: Mapped[int] = mapped_column(sa.ForeignKey("standard_versions.id"))
    #: a value of certify.workflow State
    state: Mapped[str] = mapped_column(sa.String(30), default="draft", index=True)
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)
    submitted_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    submitted_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    #: the answers as submitted ({question id: stored value}); a person's prerequisites, joined by the
    #: practical part's answers when that is submitted; never changes otherwise
    snapshot: Mapped[dict[str, Any] | None] = mapped_column(sa.JSON)
    #: when a person's practical part was submitted (after the theory exam); None before, and for an
    #: organisation's application
    practical_submitted_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    #: the application this one was pre-filled from (a renewal or a new attempt)
    previous_id: Mapped[int | None] = mapped_column(sa.ForeignKey("applications.id"))
    #: the decision the stored assessment report was rendered for (certify.certificates.reports); no
    #: foreign key, which would make applications and decisions refer to each other
    report_decision_id: Mapped[int | None]
    #: the report's PDF, stored under a random name in the storage's `reports` area, and its SHA-256
    report_name: Mapped[str | None] = mapped_column(sa.String(64))
    report_sha256: Mapped[str | None] = mapped_column(sa.String(64))
    #: the yearly report's period (certify.monitoring.models.ReportPeriod) for a yearly report; None for
    #: an application for certification or attestation. No foreign key, which would make applications,
    #: certificates and their periods refer to one another in a circle; one report per period
    period_id: Mapped[int | None] = mapped_column(unique=True)

    organisation: Mapped[Organisation | None] = relationship()
    candidate: Mapped[User | None] = relationship(foreign_keys=[candidate_id])
    standard_version: Mapped[StandardVersion] = relationship()
    created_by: Mapped[User | None] = relationship(foreign_keys=[created_by_id])
    submitted_by: Mapped[User | None] = relationship(foreign_keys=[submitted_by_id])
    previous: Mapped[Application | None] = relationship(remote_side=[id])
    period: Mapped[ReportPeriod | None] = relationship(
        primaryjoin="foreign(Application.period_id) == ReportPeriod.id"
    )

    @property
    def is_person(self) -> bool:
        """A person applies (an attestation candidate), not an organisation."""
        return self.candidate_id is not None

    @property
    def is_yearly_report(self) -> bool:
        """A certified organisation's yearly report, not an application for a certificate."""
        return self.period_id is not None

    @property
    def is_self_assessed(self) -> bool:
        """An organisation's application for certification, whose answers earn points before any review:
        a person's are judged by the examiners alone, and a yearly report's figures are not scored."""
        return not self.is_person and not self.is_yearly_report


class ApplicationPage(db.Model):
    """The version counter of one page, for optimistic locking between people editing at once."""

    __tablename__ = "application_pages"

    application_id: Mapped[int] = mapped_column(
        sa.ForeignKey("applications.id", ondelete="CASCADE"), primary_key=True
    )
    page: Mapped[str] = mapped_column(sa.String(80), primary_key=True)
    version: Mapped[int] = mapped_column(default=0)
    updated_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    updated_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))

    updated_by: Mapped[User | None] = relationship()


class Answer(db.Model):
    """The current answer to one question, in the form's own string encoding (see answers.py)."""

    __tablename__ = "answers"

    application_id: Mapped[int] = mapped_column(
        sa.ForeignKey("applications.id", ondelete="CASCADE"), primary_key=True
    )
    question_id: Mapped[str] = mapped_column(sa.String(80), primary_key=True)
    value: Mapped[Any] = mapped_column(sa.JSON)
    updated_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))


class EvidenceFile(db.Model):
    """A document attached to an indicator or an eligibility requirement; stored under a random name."""

    __tablename__ = "evidence_files"

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(sa.ForeignKey("applications.id"), index=True)
    #: the indicator id or eligibility requirement id the file supports
    evidence_for: Mapped[str] = mapped_column(sa.String(80))
    #: the uploader's file name, cleaned for display; never used as a path
    original_name: Mapped[str] = mapped_column(sa.String(255))
    stored_name: Mapped[str] = mapped_column(sa.String(64), unique=True)
    kind: Mapped[str] = mapped_column(sa.String(10))
    size: Mapped[int] = mapped_column(sa.BigInteger)
    sha256: Mapped[str] = mapped_column(sa.String(64))
    uploaded_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    uploaded_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)
    #: 0 for the application itself; n for files added in the n-th clarification round
    round: Mapped[int] = mapped_column(default=0)

    uploaded_by: Mapped[User | None] = relationship()
