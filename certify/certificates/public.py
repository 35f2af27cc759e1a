"""What anyone may learn about a certificate: the verification page, the registry, its API and the PDF check.

One serialiser for every public answer, so the pages, the JSON API and the upload check cannot drift apart
on what they reveal: only what the certificate itself states, plus its status today (no e-mail address,
no scores, no reviewer). A person's attestation shows the person, the document, the level and the
competence areas passed; their organisation only when they agreed to show it.
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
    person = _names(certificate, "holder_name")
    organisation_shown = certificate.organisation_public
    return {
        "number": certificate.number,
        "status": status.value,
        #: the one answer a verifier needs first: may the holder rely on this certificate today?
        "in_force": status is CertificateStatus.VALID,
        #: who is certified: "organisation" or "person"
        "subject_kind": certificate.subject_kind,
        #: what the document is: «Сертификат соответствия», «Аттестат кластерного менеджера»
        "document": _names(certificate, "document_name"),
        #: the certified person (null on an organisation's certificate)
        "person": person if certificate.is_person else None,
        #: as stated: the person on a person's certificate; on an organisation's, the head that one issued
        #: before issue 16 named, else empty
        "holder": dict(person),
        "organisation": _names(certificate, "organisation_name") if organisation_shown else _EMPTY,
        "cluster": _names(certificate, "cluster_name") if organisation_shown else _EMPTY,
        "region": certificate.region if organisation_shown else "",
        "standard": f"{certificate.standard_code} {certificate.standard_version}",
        "level": {
            "id": certificate.level_id,
            "ru": certificate.level_name_ru,
            "en": certificate.level_name_en,
        },
        "areas_passed": [dict(area) for area in certificate.areas_passed],
        "issued_on": certificate.issued_on.isoformat(),
        "expires_on": certificate.expires_on.isoformat(),
        "status_reason": certificate.status_reason if status in REASON_SHOWN else "",
        "status_changed_on": certificate.status_changed_at.date().isoformat()
        if certificate.status_changed_at
        else None,
        "superseded_by": successor.number if successor else None,
    }


_EMPTY = {"ru": "", "en": ""}


def _names(certificate: Certificate, field: str) -> dict[str, str]:
    return {"ru": getattr(certificate, f"{field}_ru"), "en": getattr(certificate, f"{field}_en")}
