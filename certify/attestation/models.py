"""The coordinator's checks of a candidate's prerequisites: admitted to the exam, or returned with reasons."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from typing import Any

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.orm import Mapped, Session, mapped_column, object_session, relationship

from certify.accounts.models import User
from certify.certificates.models import Certificate
from certify.exams.models import ExamAttempt
from certify.extensions import db
from certify.questionnaire.models import EvidenceFile
from certify.timeutil import utcnow


class AdmissionOutcome(StrEnum):
    ADMITTED = "admitted"
    RETURNED = "returned"


class AdmissionCheck(db.Model):
    """One check of a submitted person's application; a returned one is checked again once resubmitted."""

    __tablename__ = "admission_checks"

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(sa.ForeignKey("applications.id"), index=True)
    #: a value of AdmissionOutcome
    outcome: Mapped[str] = mapped_column(sa.String(10))
    #: {eligibility requirement id: what the candidate has to complete}; empty when admitted
    reasons: Mapped[dict[str, Any]] = mapped_column(sa.JSON, default=dict)
    #: the submission checked (the application's `submitted_at` then): the clock of the admission deadline
    submitted_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True))
    checked_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    checked_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)

    checked_by: Mapped[User | None] = relationship()


class CpdEntry(db.Model):
    """One entry of a holder's continuing professional development, counted towards renewing an attestation.

    Recorded on the attestation it renews (within its validity); its evidence is an ordinary evidence
    file of the application the attestation was issued on (`evidence_for` CPD_EVIDENCE), stored, checked
    and downloaded as the questionnaire's are.
    """

    __tablename__ = "cpd_entries"

    id: Mapped[int] = mapped_column(primary_key=True)
    certificate_id: Mapped[int] = mapped_column(sa.ForeignKey("certificates.id"), index=True)
    #: a CPD kind id of the scheme's `recertification.cpd_kinds`
    kind: Mapped[str] = mapped_column(sa.String(40))
    title: Mapped[str] = mapped_column(sa.String(300))
    provider: Mapped[str] = mapped_column(sa.String(300))
    done_on: Mapped[date]
    hours: Mapped[Decimal] = mapped_column(sa.Numeric(5, 1))
    evidence_file_id: Mapped[int] = mapped_column(sa.ForeignKey("evidence_files.id"))
    recorded_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    recorded_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)

    certificate: Mapped[Certificate] = relationship()
    evidence: Mapped[EvidenceFile] = relationship()


#: the `evidence_for` of a CPD entry's evidence file (no indicator or requirement is called so)
CPD_EVIDENCE = "cpd"


class Renewal(db.Model):
    """A person's application that renews an earlier attestation, carrying its CPD record."""

    __tablename__ = "renewals"

    application_id: Mapped[int] = mapped_column(sa.ForeignKey("applications.id"), primary_key=True)
    #: the attestation renewed: its CPD entries are the renewal's record
    certificate_id: Mapped[int] = mapped_column(sa.ForeignKey("certificates.id"), index=True)
    #: the route the coordinator confirmed at admission, a value of RenewalRoute (cpd: no new theory
    #: exam; exam); None until admitted
    route: Mapped[str | None] = mapped_column(sa.String(10))
    #: the CPD hours that counted when the route was confirmed, as the scheme counts them
    counted_hours: Mapped[Decimal | None] = mapped_column(sa.Numeric(6, 1))
    confirmed_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    confirmed_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))

    certificate: Mapped[Certificate] = relationship()


# The theory result reaches the candidate when its attempt closes, however it closes (submitted, timed out
# on the next request, by the command): certify.exams scores it, and knows nothing of attestations, so the
# attestation notes the linked attempts scored in the transaction and e-mails them before it commits.
_SCORED = "attestation_theory_scored"


@event.listens_for(ExamAttempt.result, "set")
def _note_scored(target: ExamAttempt, value, oldvalue, initiator) -> None:
    session = object_session(target)
    if value is not None and target.application_id is not None and session is not None:
        session.info.setdefault(_SCORED, set()).add(target.id)


@event.listens_for(Session, "before_commit")
def _mail_scored(session) -> None:
    scored = session.info.pop(_SCORED, None)
    if scored:
        from certify.attestation.results import theory_results  # services, imported once needed

        theory_results(session, sorted(scored))
