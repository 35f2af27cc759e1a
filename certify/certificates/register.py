"""Finding certificates: those in force (public, organisations' and attested managers'), all of them by
status for the certification body, a holder's own, a certificate's revisions and its history."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, timedelta

import sqlalchemy as sa

from certify import keyset
from certify.audit.models import AuditEntry
from certify.certificates.models import Certificate, CertificateStatus
from certify.questionnaire.models import Answer, Application
from certify.standards.attestation import StandardKind
from certify.standards.definition import QuestionType
from certify.standards.services import definition_of

#: "Expiring soon" on the staff register: the first reminder goes out this many days before expiry.
EXPIRING_WITHIN_DAYS = 90
#: the registry's and the register's filter by who is certified
SUBJECT_KINDS = tuple(StandardKind)


def _kind(value: str) -> StandardKind | None:
    return StandardKind(value) if value in set(StandardKind) else None


def in_force(today: date | None = None) -> sa.Select:
    """Certificates in force today: valid status, not superseded, not expired."""
    return sa.select(Certificate).where(with_status(CertificateStatus.VALID, today or date.today()))


def levels_in_force(session, today: date | None = None) -> list[tuple[str, str, str]]:
    """(id, name ru, name en) of the levels held by certificates in force, for the registry's filter.

    Found one level at a time, each the first in force after the last found in the index on these
    columns: a handful of index probes, where reading every certificate in force grew with the registry.
    """
    columns = (Certificate.level_id, Certificate.level_name_ru, Certificate.level_name_en)
    first_in_force = (
        sa.select(*columns)
        .where(with_status(CertificateStatus.VALID, today or date.today()))
        .order_by(*columns)
        .limit(1)
    )
    levels: list[tuple[str, str, str]] = []
    while row := session.execute(
        first_in_force.where(sa.tuple_(*columns) > sa.tuple_(*levels[-1])) if levels else first_in_force
    ).first():
        levels.append(tuple(row))
    return sorted(levels)


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
    """Narrow to certificates whose number, names, region or level contain `text` (any case, any script).

    `search_text` holds only what the public pages show (`subjects.search_text`): a person's organisation
    that is not public cannot find them.
    """
    if not text:
        return statement
    return statement.where(Certificate.search_text.contains(text.casefold(), autoescape=True))


@dataclass(frozen=True)
class RegistryFilter:
    """What the public registry narrows by: a name (or number, region, level), the kind, the level."""

    text: str = ""
    kind: StandardKind | None = None
    level: str = ""

    @classmethod
    def from_args(cls, args) -> RegistryFilter:
        return cls(
            text=args.get("q", "").strip()[:200],
            kind=_kind(args.get("kind", "")),
            level=args.get("level", "")[:40],
        )


def registry(filters: RegistryFilter, today: date | None = None) -> sa.Select:
    """The certificates in force that match the registry's filters, newest first."""
    statement = search(in_force(today), filters.text)
    if filters.kind:
        statement = statement.where(Certificate.subject_kind == filters.kind.value)
    if filters.level:
        statement = statement.where(Certificate.level_id == filters.level)
    return statement.order_by(Certificate.issued_on.desc(), Certificate.id.desc())


@dataclass(frozen=True)
class RegisterFilter:
    """What the staff register narrows by; every part is optional."""

    text: str = ""
    status: CertificateStatus | None = None
    expiring: bool = False
    kind: StandardKind | None = None

    @classmethod
    def from_args(cls, args) -> RegisterFilter:
        status = args.get("status", "")
        return cls(
            text=args.get("q", "").strip()[:200],
            status=CertificateStatus(status) if status in set(CertificateStatus) else None,
            expiring=args.get("expiring") == "1",
            kind=_kind(args.get("kind", "")),
        )


def matching(filters: RegisterFilter, today: date | None = None) -> sa.Select:
    """All certificates matching the staff register's filters, newest first."""
    today = today or date.today()
    statement = search(sa.select(Certificate), filters.text)
    if filters.status:
        statement = statement.where(with_status(filters.status, today))
    if filters.kind:
        statement = statement.where(Certificate.subject_kind == filters.kind.value)
    if filters.expiring:
        statement = statement.where(
            with_status(CertificateStatus.VALID, today),
            Certificate.expires_on <= today + timedelta(days=EXPIRING_WITHIN_DAYS),
        )
    return statement.order_by(Certificate.issued_on.desc(), Certificate.id.desc())


#: the certificates' lists in issue order, newest first, along the index on (issued_on, id)
ISSUE_ORDER = keyset.Keyset((Certificate.issued_on, Certificate.id))
#: a page of certificates: `items`, and the cursors of the `newer` and the `older` page
CertificatePage = keyset.KeysetPage


def page_of(
    session, statement: sa.Select, *, per_page: int, before: int | None = None, after: int | None = None
) -> CertificatePage:
    """The page of `statement`'s certificates (`registry` or `matching`: newest first) just after the
    certificate `before` in issue order, just ahead of the certificate `after`, or the first; two queries
    along the index on (issued_on, id) however deep the page (`certify.keyset`)."""
    return keyset.page_of(session, statement, ISSUE_ORDER, per_page=per_page, before=before, after=after)


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
    return session.scalar(_latest_of(application_id))


def latest_number_of(application_id) -> sa.ScalarSelect:
    """The number of `latest_of_application`, as a subquery on `application_id` (a column)."""
    return _latest_of(application_id).with_only_columns(Certificate.number).scalar_subquery()


def _latest_of(application_id) -> sa.Select:
    return (
        sa.select(Certificate)
        .where(Certificate.application_id == application_id)
        .order_by(Certificate.id.desc())
        .limit(1)
    )


def of_organisation(session, organisation_id: int) -> list[Certificate]:
    """Every certificate issued to the organisation's own applications, newest first (for its managers).

    Its members' attestations are theirs: a person's application names their organisation too, but its
    certificate is not the organisation's.
    """
    return list(
        session.scalars(
            sa.select(Certificate)
            .join(Application, Application.id == Certificate.application_id)
            .where(Application.organisation_id == organisation_id, Application.candidate_id.is_(None))
            .order_by(Certificate.id.desc())
        )
    )


def of_person(session, user_id: int) -> list[Certificate]:
    """Every attestation issued to the person's own applications, newest first (for them)."""
    return list(
        session.scalars(
            sa.select(Certificate)
            .join(Application, Application.id == Certificate.application_id)
            .where(Application.candidate_id == user_id)
            .order_by(Certificate.id.desc())
        )
    )


def assessments_led(session, certificate: Certificate) -> list[Application]:
    """The organisations' submitted applications that name one of the holder's attestations as their
    head's (a question of type attestation), the newest first: the person's side of that link."""
    holder = sa.select(Application.candidate_id).where(Application.id == certificate.application_id)
    numbers = session.scalars(
        sa.select(Certificate.number)
        .join(Application, Application.id == Certificate.application_id)
        .where(Application.candidate_id == holder.scalar_subquery())
    ).all()
    # stored answers are JSON: the number's text is compared as JSON writes it, on SQLite and PostgreSQL
    rows = session.execute(
        sa.select(Application, Answer.question_id)
        .join(Answer, Answer.application_id == Application.id)
        .where(
            Application.candidate_id.is_(None),
            Application.submitted_at.is_not(None),
            sa.cast(Answer.value, sa.Text).in_([json.dumps(number) for number in numbers]),
        )
        .order_by(Application.submitted_at.desc(), Application.id.desc())
    )
    led = []
    for application, question_id in rows:
        questions = {q.id: q for q in definition_of(application.standard_version).all_questions()}
        question = questions.get(question_id)
        if question is not None and question.type == QuestionType.ATTESTATION and application not in led:
            led.append(application)
    return led
