"""The holder's CPD record: entries of continuing professional development on their attestation.

Recorded by the attested person on the attestation it renews, each entry of a kind the scheme names,
dated within the attestation's validity, with its evidence file. The holder edits or deletes their own
entries until a renewal carrying the record is submitted; then the record is what the coordinator
confirms at the renewal's admission. The rule itself (hours per kind against the caps, the total
against the requirement, the renewal route) is `certify.attestation.cpd_rules`. Services flush, never
commit; every change is audited.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import BinaryIO

import sqlalchemy as sa
from flask_babel import format_date, gettext
from flask_babel import lazy_gettext as _l

from certify.attestation.cpd_evidence import forget_cpd_evidence, store_cpd_evidence
from certify.attestation.cpd_rules import HOURS_RANGE, CpdTally, date_refusal, hours_by_kind, tally
from certify.attestation.models import CpdEntry, Renewal
from certify.audit import services as audit
from certify.certificates.issuance import status_of
from certify.certificates.models import Certificate, CertificateStatus
from certify.errors import DomainError
from certify.questionnaire.models import Application
from certify.standards.attestation import Recertification
from certify.standards.services import definition_of
from certify.timeutil import utcnow
from certify.workflow import State

#: a renewal in these states has not been submitted (or was given up): its CPD record may still change
RECORD_OPEN = frozenset({State.DRAFT.value, State.WITHDRAWN.value})

NOT_THE_HOLDER = _l("Only the holder of the attestation records their CPD.")
LOCKED = _l(
    "Your renewal has been submitted with this CPD record: it no longer changes. If the coordinator "
    "returns the renewal, you can change the record again."
)
CLOSED = _l("CPD is recorded only on an attestation that is neither revoked nor replaced by a newer one.")


class CpdError(DomainError):
    """A refused change of a CPD record."""

    status = 422


@dataclass(frozen=True)
class CpdFields:
    """What the holder types for one entry."""

    kind: str
    title: str
    provider: str
    done_on: date
    hours: Decimal


def recertification_of(session, certificate: Certificate) -> Recertification:
    """The recertification rule of the scheme version the attestation was issued on: the rule its holder
    was attested under, whatever later versions say."""
    application = session.get(Application, certificate.application_id)
    return definition_of(application.standard_version).attestation.recertification


def entries_of(session, certificate: Certificate) -> list[CpdEntry]:
    """The record's entries, oldest first."""
    return list(
        session.scalars(
            sa.select(CpdEntry)
            .where(CpdEntry.certificate_id == certificate.id)
            .order_by(CpdEntry.done_on, CpdEntry.id)
        )
    )


def cpd_tally(session, certificate: Certificate) -> CpdTally:
    """The record against the scheme's rule: hours per kind, the total that counts, the route today."""
    hours = hours_by_kind((entry.kind, entry.hours) for entry in entries_of(session, certificate))
    return tally(recertification_of(session, certificate), hours)


def record_locked(session, certificate: Certificate) -> bool:
    """A renewal carrying this record has been submitted (and neither returned nor withdrawn)."""
    states = session.scalars(
        sa.select(Application.state)
        .join(Renewal, Renewal.application_id == Application.id)
        .where(Renewal.certificate_id == certificate.id)
    )
    return any(state not in RECORD_OPEN for state in states)


def may_change(session, certificate: Certificate, user) -> bool:
    """May `user` add, edit or delete entries of this record now (the page offers the forms)?"""
    try:
        _refuse_change(session, certificate, user)
    except CpdError:
        return False
    return True


def record_entry(
    session, certificate: Certificate, user, fields: CpdFields, stream: BinaryIO, filename: str
) -> CpdEntry:
    """Add an entry with its evidence file to the holder's record."""
    _refuse_change(session, certificate, user)
    _refuse_fields(session, certificate, fields)
    application = session.get(Application, certificate.application_id)
    evidence = store_cpd_evidence(session, application, stream, filename, user)
    entry = CpdEntry(certificate_id=certificate.id, evidence_file_id=evidence.id, recorded_by_id=user.id)
    _fill(entry, fields)
    session.add(entry)
    session.flush()
    _audit(session, user, "cpd.recorded", entry, after=_stated(entry))
    return entry


def update_entry(
    session, entry: CpdEntry, user, fields: CpdFields, stream: BinaryIO | None = None, filename: str = ""
) -> str | None:
    """Change an entry, and its file when a new one is given; returns the replaced file's stored name,
    which the caller deletes once the change is committed."""
    certificate = entry.certificate
    _refuse_change(session, certificate, user)
    _refuse_fields(session, certificate, fields)
    before = _stated(entry)
    replaced = None
    if stream is not None:
        application = session.get(Application, certificate.application_id)
        old = entry.evidence
        entry.evidence_file_id = store_cpd_evidence(session, application, stream, filename, user).id
        session.flush()
        replaced = forget_cpd_evidence(session, old, user)
    _fill(entry, fields)
    entry.updated_at = utcnow()
    session.flush()
    session.refresh(entry)
    _audit(session, user, "cpd.changed", entry, before=before, after=_stated(entry))
    return replaced


def delete_entry(session, entry: CpdEntry, user) -> str:
    """Delete an entry and forget its file; returns the file's stored name, to delete once committed."""
    _refuse_change(session, entry.certificate, user)
    before, evidence = _stated(entry), entry.evidence
    _audit(session, user, "cpd.deleted", entry, before=before)
    session.delete(entry)
    session.flush()
    return forget_cpd_evidence(session, evidence, user)


def holder_id(session, certificate: Certificate) -> int | None:
    """The person the attestation was issued to (None for an organisation's certificate)."""
    return session.scalar(
        sa.select(Application.candidate_id).where(Application.id == certificate.application_id)
    )


def _refuse_change(session, certificate: Certificate, user) -> None:
    if not certificate.is_person or holder_id(session, certificate) != user.id:
        raise CpdError(NOT_THE_HOLDER, 403)
    if status_of(certificate) in (CertificateStatus.REVOKED, CertificateStatus.SUPERSEDED):
        raise CpdError(CLOSED, 409)
    if record_locked(session, certificate):
        raise CpdError(LOCKED, 409)


def _refuse_fields(session, certificate: Certificate, fields: CpdFields) -> None:
    """The service's own checks of what the form checked for shape: the kind, the hours, the date."""
    rules = recertification_of(session, certificate)
    if fields.kind not in {kind.id for kind in rules.cpd_kinds}:
        raise CpdError(_l("The scheme has no such kind of CPD."))
    least, most = HOURS_RANGE
    if not least <= fields.hours <= most:
        raise CpdError(_l("An entry has %(least)s to %(most)s hours.", least=least, most=most))
    refusal = date_refusal(fields.done_on, certificate.issued_on, certificate.expires_on, date.today())
    if refusal is not None:
        message, params = refusal
        raise CpdError(gettext(message) % {k: format_date(v, "long") for k, v in params.items()})


def _fill(entry: CpdEntry, fields: CpdFields) -> None:
    entry.kind, entry.title, entry.provider = fields.kind, fields.title.strip(), fields.provider.strip()
    entry.done_on, entry.hours = fields.done_on, fields.hours.quantize(Decimal("0.1"))


def _stated(entry: CpdEntry) -> dict:
    return {
        "certificate": entry.certificate.number,
        "kind": entry.kind,
        "title": entry.title,
        "provider": entry.provider,
        "done_on": entry.done_on.isoformat(),
        "hours": str(entry.hours),
        "evidence": entry.evidence_file_id,
    }


def _audit(session, user, action: str, entry: CpdEntry, **change) -> None:
    audit.record(
        session,
        actor=user,
        action=action,
        subject_type="cpd_entry",
        subject_id=str(entry.id),
        application_id=entry.certificate.application_id,
        **change,
    )
