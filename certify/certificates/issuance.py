"""Issuing certificates on a positive decision: number, signed PDF stored once, status and lookup."""

from __future__ import annotations

import calendar
import secrets
from collections.abc import Iterable
from datetime import date
from decimal import Decimal
from functools import lru_cache
from pathlib import Path

import sqlalchemy as sa
from flask import current_app
from flask_babel import lazy_gettext as _l

from certify.audit import services as audit
from certify.certificates import subjects
from certify.certificates.models import Certificate, CertificateSequence, CertificateStatus
from certify.certificates.render import CertificateContext, render_certificate
from certify.certificates.signing import SigningKey, load_signing_key, sign_pdf
from certify.errors import DomainError
from certify.questionnaire.models import Application
from certify.questionnaire.services import maturity_phase, standard_of
from certify.review.models import Decision
from certify.standards.attestation import StandardKind
from certify.standards.definition import Phase
from certify.storage import CERTIFICATES, storage
from certify.timeutil import as_utc
from certify.web.urls import external_url

ISSUER = ("Орган по сертификации Certify", "Certify certification body")


class CertificateError(DomainError):
    """A refused certificate operation; `message` is shown to the user."""


def add_months(day: date, months: int) -> date:
    """The same day `months` later (the month's last day when it is shorter)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def next_number(session, prefix: str, year: int) -> str:
    """The next number of the series and year, e.g. CMQ-2026-000042; the row is locked until commit."""
    row = session.scalar(
        sa.select(CertificateSequence)
        .where(CertificateSequence.prefix == prefix, CertificateSequence.year == year)
        .with_for_update()
    )
    if row is None:
        row = CertificateSequence(prefix=prefix, year=year, last_number=0)
        session.add(row)
        session.flush()
    row.last_number += 1
    session.flush()
    return f"{prefix}-{year}-{row.last_number:06d}"


@lru_cache(maxsize=4)
def _signing_key(folder: str, pkcs12: str | None, password: str | None) -> SigningKey:
    return load_signing_key(
        Path(folder), Path(pkcs12) if pkcs12 else None, password.encode() if password else None
    )


def signing_key() -> SigningKey:
    """The certification body's key, loaded once per process (the PKCS#12 file in production)."""
    config = current_app.config
    return _signing_key(
        current_app.instance_path, config.get("CERTIFY_PKCS12_PATH"), config.get("CERTIFY_PKCS12_PASSWORD")
    )


#: The stated names of the subject (which of them a correction may change: `subjects.CORRECTABLE`, by kind).
NAME_FIELDS = (
    "holder_name_ru",
    "holder_name_en",
    "organisation_name_ru",
    "organisation_name_en",
    "cluster_name_ru",
    "cluster_name_en",
    "region",
)
#: What a certificate states, copied as issued into the row (and printed on the PDF), and kept by a
#: correction but for the names it corrects.
STATED_FIELDS = (
    "subject_kind",
    "document_name_ru",
    "document_name_en",
    *NAME_FIELDS,
    "country",
    "standard_code",
    "standard_version",
    "level_id",
    "level_name_ru",
    "level_name_en",
    "assessed_score",
    "areas_passed",
    "organisation_public",
)


def issue_certificate(session, decision: Decision, actor, *, until: date | None = None) -> Certificate:
    """The certificate of a positive decision; issuing again for the same decision returns the same one.

    An organisation's application certifies the organisation; a person's (`Application.is_person`) the
    candidate, with the competence areas passed. `until` caps the expiry: an appeal that changes the level
    replaces the certificate under appeal without extending its validity.
    """
    existing = latest_for_decision(session, decision.id)
    if existing is not None:
        return existing
    if not decision.chosen_level:
        raise CertificateError(_l("Only a decision to certify leads to a certificate."))
    application = session.get(Application, decision.application_id)
    standard = standard_of(application)
    level = next(lv for lv in standard.levels if lv.id == decision.chosen_level)
    # dated by the decision, so a retry on a later day still states the same dates
    issued_on = as_utc(decision.decided_at).date()
    certificate = create_certificate(
        session,
        decision,
        stated=_subject_stated(session, application, decision, standard, level)
        | {
            "standard_code": standard.code,
            "standard_version": standard.version,
            "level_id": level.id,
            "level_name_ru": level.name.ru,
            "level_name_en": level.name.en,
            "assessed_score": decision.assessed_total or "0",
        },
        issued_on=issued_on,
        expires_on=min(add_months(issued_on, standard.validity_months), until or date.max),
    )
    _supersede_earlier(session, certificate, application)
    audit.record(
        session,
        actor=actor,
        action="certificate.issued",
        subject_type="certificate",
        subject_id=certificate.number,
        application_id=application.id,
        after={
            "kind": certificate.subject_kind,
            "level": level.id,
            "expires_on": certificate.expires_on,
            "sha256": certificate.pdf_sha256,
        },
    )
    return certificate


def _subject_stated(session, application: Application, decision: Decision, standard, level) -> dict:
    """Who the certificate is for: the organisation, or the candidate with the areas they passed."""
    if not application.is_person:
        return subjects.organisation_stated(application)
    scores = subjects.decided_areas(session, application, decision)
    if scores is None:
        raise CertificateError(
            _l("The practical part has no recorded scores: the competence areas passed cannot be stated.")
        )
    return subjects.person_stated(application, standard, level, scores)


def latest_for_decision(session, decision_id: int) -> Certificate | None:
    return session.scalar(
        sa.select(Certificate)
        .where(Certificate.decision_id == decision_id)
        .order_by(Certificate.revision.desc())
        .limit(1)
    )


def create_certificate(
    session,
    decision: Decision,
    *,
    stated: dict,
    issued_on: date,
    expires_on: date,
    revision: int = 0,
    correction_reason: str = "",
) -> Certificate:
    """A new numbered certificate: rendered, signed and stored once, never to change."""
    application = session.get(Application, decision.application_id)
    certificate = Certificate(
        number=next_number(session, stated["standard_code"].upper(), issued_on.year),
        application_id=application.id,
        decision_id=decision.id,
        revision=revision,
        correction_reason=correction_reason,
        issued_on=issued_on,
        expires_on=expires_on,
        **{field: stated[field] for field in STATED_FIELDS},
    )
    certificate.search_text = subjects.search_text(certificate)
    pdf = sign_pdf(
        render_certificate(context_of(certificate, standard_of(application), maturity_phase(application))),
        signing_key(),
        reason=f"{certificate.document_name_ru} / {certificate.document_name_en}",
        location="Certify",
    )
    certificate.pdf_name = secrets.token_hex(16)
    certificate.pdf_sha256 = storage().store(CERTIFICATES, certificate.pdf_name, pdf)
    session.add(certificate)
    session.flush()
    return certificate


#: The stated fields the PDF prints as they are (the level's id, the organisation's publicity and the
#: areas, kept as dicts, are not among them).
PRINTED_FIELDS = tuple(
    f for f in STATED_FIELDS if f not in ("level_id", "organisation_public", "areas_passed", "assessed_score")
)


def context_of(certificate: Certificate, standard, phase: Phase | None = None) -> CertificateContext:
    """The plain values printed on the certificate's PDF; `phase`, the cluster's when it applied."""
    return CertificateContext(
        **{field: getattr(certificate, field) for field in PRINTED_FIELDS}
        | {
            "number": certificate.number,
            "assessed_score": Decimal(certificate.assessed_score),
            "areas_passed": tuple((area["ru"], area["en"]) for area in certificate.areas_passed),
            "issued_on": certificate.issued_on,
            "expires_on": certificate.expires_on,
            "standard_title_ru": standard.title.ru,
            "standard_title_en": standard.title.en,
            "verify_url": external_url("certificates.verify", number=certificate.number),
            "issuer_name_ru": ISSUER[0],
            "issuer_name_en": ISSUER[1],
            "phase_name_ru": phase.name.ru if phase else None,
            "phase_name_en": phase.name.en if phase else None,
        }
    )


def _supersede_earlier(session, certificate: Certificate, application: Application) -> None:
    """A renewal's certificate replaces the subject's earlier ones still in force: the organisation's own
    (never its members' attestations), or the person's earlier attestations on the same scheme."""
    if application.is_person:
        same_subject = sa.and_(
            Application.candidate_id == application.candidate_id,
            Certificate.standard_code == certificate.standard_code,
        )
    else:
        same_subject = sa.and_(
            Application.organisation_id == application.organisation_id, Application.candidate_id.is_(None)
        )
    earlier = session.scalars(
        sa.select(Certificate)
        .join(Application, Application.id == Certificate.application_id)
        .where(
            same_subject,
            Certificate.id != certificate.id,
            Certificate.superseded_by_id.is_(None),
            Certificate.status != CertificateStatus.REVOKED.value,
        )
    )
    for old in earlier:
        old.superseded_by_id = certificate.id
    session.flush()


def status_of(certificate: Certificate, today: date | None = None) -> CertificateStatus:
    """What the certificate is worth today: revoked and suspended first, then superseded, then expired."""
    today = today or date.today()
    if certificate.status in (CertificateStatus.REVOKED, CertificateStatus.SUSPENDED):
        return CertificateStatus(certificate.status)
    if certificate.superseded_by_id is not None:
        return CertificateStatus.SUPERSEDED
    if certificate.expires_on < today:
        return CertificateStatus.EXPIRED
    return CertificateStatus.VALID


def attestations_numbered(session, numbers: Iterable[str]) -> list[Certificate]:
    """The persons' attestations among `numbers` (one query, whatever their state)."""
    wanted = sorted(set(numbers))
    if not wanted:
        return []
    statement = sa.select(Certificate).where(
        Certificate.number.in_(wanted), Certificate.subject_kind == StandardKind.PERSON.value
    )
    return list(session.scalars(statement))


def in_force_on(attestations: Iterable[Certificate], on: date) -> dict[str, str]:
    """{number: scheme code} of the attestations in force on `on`: issued by then, and not expired,
    suspended, revoked or replaced — what a question naming one reads (`typed_answers`)."""
    return {
        row.number: row.standard_code
        for row in attestations
        if row.issued_on <= on and status_of(row, on) is CertificateStatus.VALID
    }


def find(session, number: str) -> Certificate | None:
    return session.scalar(sa.select(Certificate).where(Certificate.number == number))
