"""A CPD entry's evidence: an ordinary evidence file, stored and checked by the questionnaire's machinery.

The file belongs to the application the attestation was issued on, under the target CPD_EVIDENCE, so the
questionnaire's download (`questionnaire.download_evidence`, for the holder and the certification body)
serves it as any other. `certify.questionnaire.evidence.add_evidence` refuses a target that is not an
indicator or a requirement of an application still being filled, so the entry's file is stored by the
upload step the two share, `evidence.store_evidence`.
"""

from __future__ import annotations

from typing import BinaryIO

from certify.attestation.models import CPD_EVIDENCE
from certify.audit import services as audit
from certify.questionnaire import evidence
from certify.questionnaire.models import Application, EvidenceFile


def store_cpd_evidence(
    session, application: Application, stream: BinaryIO, filename: str, user
) -> EvidenceFile:
    """Check the file as the questionnaire does, store it under a random name, record it and audit it."""
    return evidence.store_evidence(session, application, CPD_EVIDENCE, stream, filename, user)


def forget_cpd_evidence(session, row: EvidenceFile, user) -> str:
    """Forget the file of an entry deleted or given a new file; returns its stored name, which the caller
    deletes once the change is committed (`evidence.discard_evidence`: a rolled-back change keeps its
    file)."""
    stored_name = row.stored_name
    session.delete(row)
    session.flush()
    _audit(
        session,
        user,
        "evidence.removed",
        row,
        before={"for": CPD_EVIDENCE, "name": row.original_name, "sha256": row.sha256},
    )
    return stored_name


def _audit(session, user, action: str, row: EvidenceFile, **change) -> None:
    audit.record(
        session,
        actor=user,
        action=action,
        subject_type="evidence",
        subject_id=str(row.id),
        application_id=row.application_id,
        **change,
    )
