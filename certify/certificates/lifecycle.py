"""A certificate's life after issuance: suspension, reinstatement, revocation and corrections."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from flask_babel import format_date
from flask_babel import lazy_gettext as _l

from certify.audit import services as audit
from certify.certificates import subjects
from certify.certificates.issuance import STATED_FIELDS, CertificateError, create_certificate, status_of
from certify.certificates.models import Certificate, CertificateStatus
from certify.review.models import Decision
from certify.timeutil import utcnow

#: what the coordinator is offered on a certificate in each status (as `status_of` tells it, so an expired
#: or superseded one is offered nothing); each is also refused by its service when it does not apply
OFFERED_CHANGES: dict[CertificateStatus, frozenset[str]] = {
    CertificateStatus.VALID: frozenset({"suspend", "revoke", "correct"}),
    CertificateStatus.SUSPENDED: frozenset({"reinstate", "revoke"}),
}


def offered_changes(certificate: Certificate, today: date | None = None) -> frozenset[str]:
    """The changes to offer on `certificate` now: "suspend", "reinstate", "revoke", "correct"."""
    return OFFERED_CHANGES.get(status_of(certificate, today), frozenset())


def lock(session, certificate: Certificate) -> None:
    """Lock the certificate's row until commit and re-read it, so a change made meanwhile is seen.

    Two coordinators acting at once (suspend and revoke, correct and revoke) are serialised: the second
    waits for the first to commit, then its checks see the new status and refuse with a clear message
    instead of overwriting "revoked" or correcting a certificate no longer in force.
    """
    session.scalar(sa.select(Certificate.id).where(Certificate.id == certificate.id).with_for_update())
    session.refresh(certificate)


def change_status(session, certificate: Certificate, actor, status: CertificateStatus, reason: str) -> None:
    """Suspend (reversible), reinstate, or revoke (final); each with a reason, audited."""
    if not reason.strip():
        raise CertificateError(_l("Give the reason."), 422)
    lock(session, certificate)
    if certificate.status == CertificateStatus.REVOKED:
        raise CertificateError(_l("A revoked certificate cannot change any more."))
    if certificate.superseded_by_id is not None:
        raise CertificateError(
            _l("This certificate has been replaced by a newer one; change that one instead.")
        )
    if status_of(certificate) is CertificateStatus.EXPIRED:  # the page offers nothing; a direct POST neither
        raise CertificateError(
            _l(
                "This certificate expired on %(day)s; its status no longer changes.",
                day=format_date(certificate.expires_on),
            )
        )
    if status == CertificateStatus.VALID and certificate.status != CertificateStatus.SUSPENDED:
        raise CertificateError(_l("Only a suspended certificate can be reinstated."))
    before = certificate.status
    certificate.status, certificate.status_reason, certificate.status_changed_at = (
        status.value,
        reason.strip(),
        utcnow(),
    )
    session.flush()
    audit.record(
        session,
        actor=actor,
        action=f"certificate.{status.value}",
        subject_type="certificate",
        subject_id=certificate.number,
        application_id=certificate.application_id,
        before={"status": before},
        after={"status": status.value, "reason": reason.strip()},
    )


def correct_certificate(
    session, certificate: Certificate, actor, corrections: dict, reason: str
) -> Certificate:
    """Re-issue a certificate with corrected names under a new number; the old one is superseded.

    An issued PDF never changes, so a misspelt name is fixed by a new certificate of the same decision
    (its next revision), valid until the same date, that supersedes the old one. Which names may change
    depends on who is certified (`subjects.CORRECTABLE`): a person's name and organisation, or an
    organisation's names, cluster and region. A new organisation's certificate names no person, so the
    correction of one issued before issue 16 leaves out the head it named.
    """
    if not reason.strip():
        raise CertificateError(_l("Give the reason."), 422)
    lock(session, certificate)
    if status_of(certificate) != CertificateStatus.VALID:
        raise CertificateError(_l("Only a certificate in force can be corrected."))
    kind = certificate.subject_kind
    changes = {
        field: (value or "").strip()
        for field, value in corrections.items()
        if field in subjects.CORRECTABLE[kind] and (value or "").strip() != getattr(certificate, field)
    }
    if not changes:
        raise CertificateError(_l("Nothing to correct: the new values are the same as the old ones."), 422)
    if any(not value for field, value in changes.items() if field in subjects.REQUIRED[kind]):
        raise CertificateError(_l("A name cannot be left empty."), 422)
    stated = {field: getattr(certificate, field) for field in STATED_FIELDS} | changes
    if not certificate.is_person:
        stated |= {"holder_name_ru": "", "holder_name_en": ""}
    last_revision = session.scalar(
        sa.select(sa.func.max(Certificate.revision)).where(Certificate.decision_id == certificate.decision_id)
    )
    corrected = create_certificate(
        session,
        session.get(Decision, certificate.decision_id),
        stated=stated,
        issued_on=date.today(),
        expires_on=certificate.expires_on,
        revision=last_revision + 1,
        correction_reason=reason.strip(),
    )
    certificate.superseded_by_id = corrected.id
    session.flush()
    audit.record(
        session,
        actor=actor,
        action="certificate.corrected",
        subject_type="certificate",
        subject_id=corrected.number,
        application_id=certificate.application_id,
        before={"number": certificate.number} | {field: getattr(certificate, field) for field in changes},
        after={"number": corrected.number, "reason": reason.strip()} | changes,
    )
    return corrected
