"""The coordinator's checks of a candidate's prerequisites: admitted to the exam, or returned with reasons."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from certify.accounts.models import User
from certify.extensions import db
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
