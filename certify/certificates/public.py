"""What anyone may learn about a certificate: the verification page, the registry API and the PDF check.

One serialiser for every public answer, so the page, the JSON API and the upload check cannot drift apart
on what they reveal: only what the certificate itself states, plus its status today (no e-mail address,
no scores, no reviewer).
"""

from __future__ import annotations

from datetime import date

from certify.certificates.issuance import status_of
from certify.certificates.models import Certificate, CertificateStatus

#: the statuses whose reason is public: a verifier must learn why a certificate stopped being in force
REASON_SHOWN = frozenset({CertificateStatus.REVOKED, CertificateStatus.SUSPENDED})


def public_view(session, certificate: Certificate, today: date | None = None) -> dict:
    """The certificate as the public sees it, in both languages, as plain JSON-ready values."""
    status = status_of(certificate, today)
    successor = certificate.superseded_by_id and session.get(Certificate, certificate.superseded_by_id)
    return {
        "number": certificate.number,
        "status": status.value,
        #: the one answer a verifier needs first: may the holder rely on this certificate today?
        "in_force": status is CertificateStatus.VALID,
        "holder": {"ru": certificate.holder_name_ru, "en": certificate.holder_name_en},
        "organisation": {"ru": certificate.organisation_name_ru, "en": certificate.organisation_name_en},
        "cluster": {"ru": certificate.cluster_name_ru, "en": certificate.cluster_name_en},
        "region": certificate.region,
        "standard": f"{certificate.standard_code} {certificate.standard_version}",
        "level": {
            "id": certificate.level_id,
            "ru": certificate.level_name_ru,
            "en": certificate.level_name_en,
        },
        "issued_on": certificate.issued_on.isoformat(),
        "expires_on": certificate.expires_on.isoformat(),
        "status_reason": certificate.status_reason if status in REASON_SHOWN else "",
        "status_changed_on": certificate.status_changed_at.date().isoformat()
        if certificate.status_changed_at
        else None,
        "superseded_by": successor.number if successor else None,
    }
