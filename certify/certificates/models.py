"""Issued certificates and the per-series sequences their numbers come from.

A certificate has a subject kind: an organisation's certificate (the specialised organisation of a
cluster, against an organisation standard) or a person's attestation (a cluster manager, against a
personal scheme, issue 16). Both share the numbering, signing, verification, registry and lifecycle.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from certify.extensions import db
from certify.standards.attestation import StandardKind
from certify.timeutil import utcnow


class CertificateStatus(StrEnum):
    VALID = "valid"
    SUSPENDED = "suspended"
    REVOKED = "revoked"
    #: computed, never stored: past the expiry date, or replaced by a newer certificate
    EXPIRED = "expired"
    SUPERSEDED = "superseded"


class CertificateSequence(db.Model):
    """The last number issued in a series (a prefix such as CMQ or CMA) and year; the row is locked while
    a number is taken. Each series counts on its own, so a person's attestations run CMA-2026-000001,
    000002 … however many organisations' certificates were issued that year."""

    __tablename__ = "certificate_sequences"

    prefix: Mapped[str] = mapped_column(sa.String(10), primary_key=True)
    year: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    last_number: Mapped[int] = mapped_column(default=0)


class Certificate(db.Model):
    """A certificate as issued: what it states never changes; a correction is a new certificate."""

    __tablename__ = "certificates"
    __table_args__ = (
        sa.UniqueConstraint("decision_id", "revision"),
        # the registry's and the register's order: their first page reads the index's end, not every row
        sa.Index("ix_certificates_issued_on_id", "issued_on", "id"),
        # the registry's filter by level: each level in force is found by one probe (`levels_in_force`)
        sa.Index("ix_certificates_level", "level_id", "level_name_ru", "level_name_en"),
        # the registry's search for any part of a name (`search_text LIKE '%…%'`): on PostgreSQL a trigram
        # index (pg_trgm, created with the table) finds the matches without reading every certificate;
        # SQLite, for the embedded install's few certificates, gets a plain index it leaves unused
        sa.Index(
            "ix_certificates_search_text",
            "search_text",
            postgresql_using="gin",
            postgresql_ops={"search_text": "gin_trgm_ops"},
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(sa.String(32), unique=True)
    application_id: Mapped[int] = mapped_column(sa.ForeignKey("applications.id"), index=True)
    #: one certificate per decision and revision: a retried issuance returns the same certificate, and a
    #: correction is the decision's next revision (a new number superseding the old one)
    decision_id: Mapped[int] = mapped_column(sa.ForeignKey("decisions.id"))
    revision: Mapped[int] = mapped_column(default=0)
    #: why this revision was issued (a correction), shown beside the certificate it supersedes
    correction_reason: Mapped[str] = mapped_column(sa.Text, default="")
    #: who is certified: "organisation" (the specialised organisation of a cluster) or "person" (an
    #: attested cluster manager); a value of certify.standards.attestation.StandardKind
    subject_kind: Mapped[str] = mapped_column(
        sa.String(12), default=StandardKind.ORGANISATION.value, server_default=StandardKind.ORGANISATION.value
    )
    #: what the document is called, as printed: the scheme's `document` («Аттестат кластерного
    #: менеджера») for a person, «Сертификат соответствия» for an organisation
    document_name_ru: Mapped[str] = mapped_column(sa.String(200))
    document_name_en: Mapped[str] = mapped_column(sa.String(200))
    #: for a person's certificate, the certified person's name. Empty on an organisation's certificate
    #: issued since issue 16: it names no person (the submitter need not be the head). Earlier ones keep
    #: the head's name they were issued with.
    holder_name_ru: Mapped[str] = mapped_column(sa.String(200))
    holder_name_en: Mapped[str] = mapped_column(sa.String(200))
    #: the certified organisation; on a person's certificate their organisation (empty without one),
    #: stored as issued but public only with `organisation_public`
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
    #: a person's competence areas passed: the practical part's areas whose consensus score met the
    #: level's area minimum, as issued ([{"id", "ru", "en"}], in the scheme's order); [] for an organisation
    areas_passed: Mapped[list[dict]] = mapped_column(sa.JSON, default=list)
    #: may the public pages show the organisation? Always for an organisation's certificate; for a
    #: person's only with their separate consent (cma 1.0's consent text says so)
    organisation_public: Mapped[bool] = mapped_column(default=True, server_default=sa.true())
    issued_on: Mapped[date]
    expires_on: Mapped[date]
    #: valid, suspended or revoked; expiry and supersession are computed
    status: Mapped[str] = mapped_column(sa.String(12), default=CertificateStatus.VALID.value)
    status_reason: Mapped[str] = mapped_column(sa.Text, default="")
    status_changed_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    superseded_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("certificates.id"))
    #: the signed PDF, stored once under a random name in the storage's `certificates` area (certify.storage)
    pdf_name: Mapped[str] = mapped_column(sa.String(64))
    pdf_sha256: Mapped[str] = mapped_column(sa.String(64))
    lookups: Mapped[int] = mapped_column(default=0)
    #: the last expiry reminder sent (90 or 30 days before), so cron can run daily without repeating one
    reminded_days_before: Mapped[int | None]
    #: what the public may search for (number, names, level; a person's organisation only when public),
    #: case-folded in Python: SQLite's lower() is ASCII-only
    search_text: Mapped[str] = mapped_column(sa.Text, default="")
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)

    @property
    def is_person(self) -> bool:
        """A person's attestation, not an organisation's certificate."""
        return self.subject_kind == StandardKind.PERSON.value

    def name(self, field: str, locale: str) -> str:
        """`name('organisation_name', 'en')` -> organisation_name_en."""
        return getattr(self, f"{field}_{'en' if locale.startswith('en') else 'ru'}")

    def subject_name(self, locale: str) -> str:
        """Who is certified: the person for a person's certificate, else the organisation."""
        return self.name("holder_name" if self.is_person else "organisation_name", locale)


# the trigram index's operator class comes from pg_trgm, a trusted extension a database owner may create
sa.event.listen(
    Certificate.__table__,
    "before_create",
    sa.DDL("CREATE EXTENSION IF NOT EXISTS pg_trgm").execute_if(dialect="postgresql"),
)
