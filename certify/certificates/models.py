"""Issued certificates and the per-year sequence their numbers come from."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from certify.extensions import db
from certify.timeutil import utcnow


class CertificateStatus(StrEnum):
    VALID = "valid"
    SUSPENDED = "suspended"
    REVOKED = "revoked"
    #: computed, never stored: past the expiry date, or replaced by a newer certificate
    EXPIRED = "expired"
    SUPERSEDED = "superseded"


class CertificateSequence(db.Model):
    """The last number issued in a year; the row is locked while a number is taken."""

    __tablename__ = "certificate_sequences"

    year: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    last_number: Mapped[int] = mapped_column(default=0)


class Certificate(db.Model):
    """A certificate as issued: what it states never changes; a correction is a new certificate."""

    __tablename__ = "certificates"
    __table_args__ = (sa.UniqueConstraint("decision_id", "revision"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(sa.String(32), unique=True)
    application_id: Mapped[int] = mapped_column(sa.ForeignKey("applications.id"), index=True)
    #: one certificate per decision and revision: a retried issuance returns the same certificate, and a
    #: correction is the decision's next revision (a new number superseding the old one)
    decision_id: Mapped[int] = mapped_column(sa.ForeignKey("decisions.id"))
    revision: Mapped[int] = mapped_column(default=0)
    #: why this revision was issued (a correction), shown beside the certificate it supersedes
    correction_reason: Mapped[str] = mapped_column(sa.Text, default="")
    holder_name_ru: Mapped[str] = mapped_column(sa.String(200))
    holder_name_en: Mapped[str] = mapped_column(sa.String(200))
    organisation_name_ru: Mapped[str] = mapped_column(sa.String(300))
    organisation_name_en: Mapped[str] = mapped_column(sa.String(300))
    cluster_name_ru: Mapped[str] = mapped_column(sa.String(300))
    cluster_name_en: Mapped[str] = mapped_column(sa.String(300))
    region: Mapped[str] = mapped_column(sa.String(200))
    country: Mapped[str] = mapped_column(sa.String(2))
    standard_code: Mapped[str] = mapped_column(sa.String(40))
    standard_version: Mapped[str] = mapped_column(sa.String(20))
    level_id: Mapped[str] = mapped_column(sa.String(40))
    level_name_ru: Mapped[str] = mapped_column(sa.String(100))
    level_name_en: Mapped[str] = mapped_column(sa.String(100))
    assessed_score: Mapped[str] = mapped_column(sa.String(10))
    issued_on: Mapped[date]
    expires_on: Mapped[date]
    #: valid, suspended or revoked; expiry and supersession are computed
    status: Mapped[str] = mapped_column(sa.String(12), default=CertificateStatus.VALID.value)
    status_reason: Mapped[str] = mapped_column(sa.Text, default="")
    status_changed_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    superseded_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("certificates.id"))
    #: the signed PDF, stored once under a random name in CERTIFY_STORAGE/certificates
    pdf_name: Mapped[str] = mapped_column(sa.String(64))
    pdf_sha256: Mapped[str] = mapped_column(sa.String(64))
    lookups: Mapped[int] = mapped_column(default=0)
    #: the last expiry reminder sent (90 or 30 days before), so cron can run daily without repeating one
    reminded_days_before: Mapped[int | None]
    #: names, organisation, region, level and number, case-folded in Python: SQLite's lower() is ASCII-only
    search_text: Mapped[str] = mapped_column(sa.Text, default="")
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)

    def name(self, field: str, locale: str) -> str:
        """`name('organisation_name', 'en')` -> organisation_name_en."""
        return getattr(self, f"{field}_{'en' if locale.startswith('en') else 'ru'}")
