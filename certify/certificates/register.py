"""Finding certificates: those in force (public), all of them by status for the certification body,
a certificate's revisions and its history."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import sqlalchemy as sa

from certify.audit.models import AuditEntry
from certify.certificates.models import Certificate, CertificateStatus
from certify.questionnaire.models import Application

#: "Expiring soon" on the staff register: the first reminder goes out this many days before expiry.
EXPIRING_WITHIN_DAYS = 90


def in_force(today: date | None = None) -> sa.Select:
    """Certificates in force today: valid status, not superseded, not expired."""
    return sa.select(Certificate).where(with_status(CertificateStatus.VALID, today or date.today()))


def levels_in_force(session) -> list[tuple[str, str, str]]:
    """(id, name ru, name en) of the levels held by certificates in force, for the registry's filter."""
    names = in_force().with_only_columns(
        Certificate.level_id, Certificate.level_name_ru, Certificate.level_name_en
    )
    return sorted({tuple(row) for row in session.execute(names)})


def with_status(status: CertificateStatus, today: date) -> sa.ColumnElement[bool]:
    """The condition for a status as `issuance.status_of` computes it, in SQL."""
    if status in (CertificateStatus.SUSPENDED, CertificateStatus.REVOKED):
        return Certificate.status == status.value
    unrestricted = Certificate.status == CertificateStatus.VALID.value
    if status == CertificateStatus.SUPERSEDED:
        return sa.and_(unrestricted, Certificate.superseded_by_id.is_not(None))
    current = sa.and_(unrestricted, Certificate.superseded_by_id.is_(None))
    if status == CertificateStatus.EXPIRED:
        return sa.and_(current, Certificate.expires_on < today)
    return sa.and_(current, Certificate.expires_on >= today)


def search(statement: sa.Select, text: str) -> sa.Select:
    """Narrow to certificates whose number, names, region or level contain `text` (any case, any script)."""
    if not text:
        return statement
    return statement.where(Certificate.search_text.contains(text.casefold(), autoescape=True))


@dataclass(frozen=True)
class RegisterFilter:
    """What the staff register narrows by; every part is optional."""

    text: str = ""
    status: CertificateStatus | None = None
    expiring: bool = False

    @classmethod
    def from_args(cls, args) -> RegisterFilter:
        status = args.get("status", "")
        return cls(
            text=args.get("q", "").strip()[:200],
            status=CertificateStatus(status) if status in set(CertificateStatus) else None,
            expiring=args.get("expiring") == "1",
        )


def matching(filters: RegisterFilter, today: date | None = None) -> sa.Select:
    """All certificates matching the staff register's filters, newest first."""
    today = today or date.today()
    statement = search(sa.select(Certificate), filters.text)
    if filters.status:
        statement = statement.where(with_status(filters.status, today))
    if filters.expiring:
        statement = statement.where(
            with_status(CertificateStatus.VALID, today),
            Certificate.expires_on <= today + timedelta(days=EXPIRING_WITHIN_DAYS),
        )
    return statement.order_by(Certificate.issued_on.desc(), Certificate.id.desc())


def revisions_of(session, certificate: Certificate) -> list[Certificate]:
    """Every certificate issued on the same decision (the original and its corrections), oldest first."""
    return list(
        session.scalars(
            sa.select(Certificate)
            .where(Certificate.decision_id == certificate.decision_id)
            .order_by(Certificate.revision)
        )
    )


def history_of(session, certificate: Certificate) -> list[AuditEntry]:
    """What the audit trail records about this certificate, oldest first."""
    return list(
        session.scalars(
            sa.select(AuditEntry)
            .where(AuditEntry.subject_type == "certificate", AuditEntry.subject_id == certificate.number)
            .order_by(AuditEntry.id)
        )
    )


def latest_of_application(session, application_id: int) -> Certificate | None:
    """The application's most recent certificate (after corrections, the one in force)."""
    return session.scalar(
        sa.select(Certificate)
        .where(Certificate.application_id == application_id)
        .order_by(Certificate.id.desc())
        .limit(1)
    )


def of_organisation(session, organisation_id: int) -> list[Certificate]:
    """Every certificate issued to the organisation's applications, newest first (for its managers)."""
    return list(
        session.scalars(
            sa.select(Certificate)
            .join(Application, Application.id == Certificate.application_id)
            .where(Application.organisation_id == organisation_id)
            .order_by(Certificate.id.desc())
        )
    )
