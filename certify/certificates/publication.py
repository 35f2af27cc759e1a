"""A certificate's credential, the status lists and the issuer profile, as the public endpoints serve them."""

from __future__ import annotations

from datetime import timedelta
from functools import lru_cache
from pathlib import Path

import sqlalchemy as sa
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from flask import current_app

from certify.certificates import credentials
from certify.certificates.issuance import ISSUER
from certify.certificates.models import Certificate, CertificateStatus
from certify.questionnaire.models import Application
from certify.questionnaire.services import standard_of
from certify.timeutil import as_utc, utcnow
from certify.web.urls import external_url

#: how long verifiers and caches may keep a status list (the view's Cache-Control says the same)
STATUS_LIST_TTL = timedelta(minutes=5)
#: the certificates each list marks: revocation is final, so it also takes superseded certificates (by a
#: correction or a renewal, never undone), whose credential would otherwise still look valid; suspension
#: is reversible
LISTED = {
    "revocation": sa.or_(
        Certificate.status == CertificateStatus.REVOKED.value, Certificate.superseded_by_id.is_not(None)
    ),
    "suspension": Certificate.status == CertificateStatus.SUSPENDED.value,
}


@lru_cache(maxsize=4)
def _key(instance_path: str, configured: str | None) -> Ed25519PrivateKey:
    return credentials.load_credential_key(Path(instance_path), Path(configured) if configured else None)


def credential_key() -> Ed25519PrivateKey:
    """The body's Ed25519 key, loaded once per process (CERTIFY_CREDENTIAL_KEY_PATH in production)."""
    return _key(current_app.instance_path, current_app.config.get("CERTIFY_CREDENTIAL_KEY_PATH"))


def issuer_profile() -> dict:
    """The issuer's Profile with the key that verifies its credentials."""
    return credentials.issuer_profile(
        external_url("certificates.issuer_profile"),
        external_url("web.index"),
        ISSUER,
        credential_key().public_key(),
    )


def credential_of(session, certificate: Certificate) -> dict:
    """The certificate as a signed OpenBadgeCredential; its status index is its row id."""
    standard = standard_of(session.get(Application, certificate.application_id))
    facts = credentials.CredentialFacts(
        number=certificate.number,
        holder_name_ru=certificate.holder_name_ru,
        holder_name_en=certificate.holder_name_en,
        organisation_name_ru=certificate.organisation_name_ru,
        organisation_name_en=certificate.organisation_name_en,
        standard_code=certificate.standard_code,
        standard_version=certificate.standard_version,
        standard_title_ru=standard.title.ru,
        standard_title_en=standard.title.en,
        level_id=certificate.level_id,
        level_name_ru=certificate.level_name_ru,
        level_name_en=certificate.level_name_en,
        issued_on=certificate.issued_on,
        expires_on=certificate.expires_on,
        status_index=certificate.id,
        credential_url=external_url("certificates.credential", number=certificate.number),
        verify_url=external_url("certificates.verify", number=certificate.number),
        issuer=issuer_profile(),
        status_list_urls={
            purpose: external_url("certificates.status_list", purpose=purpose)
            for purpose in credentials.STATUS_PURPOSES
        },
        subject_kind=certificate.subject_kind,
        document_name_ru=certificate.document_name_ru,
        document_name_en=certificate.document_name_en,
        areas_passed=tuple((area["ru"], area["en"]) for area in certificate.areas_passed),
    )
    # dated by the certificate's creation, so the same certificate always yields the same signed document
    return credentials.open_badge(facts, credential_key(), as_utc(certificate.created_at))


def status_list(session, purpose: str) -> dict:
    """The signed status list: bit n is set when certificate n is revoked or superseded (or suspended)."""
    indexes = session.scalars(sa.select(Certificate.id).where(LISTED[purpose]))
    return credentials.status_list_credential(
        external_url("certificates.status_list", purpose=purpose),
        purpose,
        indexes,
        issuer_profile(),
        credential_key(),
        created=utcnow(),
        ttl=STATUS_LIST_TTL,
    )
