"""A CPD entry's evidence: an ordinary evidence file, stored and checked by the questionnaire's machinery.

The file belongs to the application the attestation was issued on, under the target CPD_EVIDENCE, so the
questionnaire's download (`questionnaire.download_evidence`, for the holder and the certification body)
serves it as any other. `certify.questionnaire.evidence.add_evidence` itself refuses a target that is
not an indicator or a requirement of an application still being filled, so the steps it shares with
this module (size, content type, private storage, hash) are its own helpers, called here.
"""

from __future__ import annotations

import secrets
from pathlib import Path
from typing import BinaryIO

from flask_babel import gettext as _

from certify.attestation.models import CPD_EVIDENCE
from certify.audit import services as audit
from certify.errors import DomainError
from certify.questionnaire import evidence, filetypes
from certify.questionnaire.models import Application, EvidenceFile


class EvidenceRefused(DomainError):
    """The file is refused (too large, empty, not an accepted type)."""

    status = 415


def store_cpd_evidence(
    session, application: Application, stream: BinaryIO, filename: str, user
) -> EvidenceFile:
    """Check the file as the questionnaire does, store it under a random name, record it and audit it."""
    size = evidence._size_of(stream)
    try:
        filetypes.check_size(size, evidence.upload_limit())
        kind = filetypes.detect_kind(stream, size=size)
    except filetypes.FileRefused as error:
        raise EvidenceRefused(_(error.message, **error.params)) from error
    stored_name = secrets.token_hex(16)
    digest = evidence._copy_hashing(stream, evidence.evidence_folder() / stored_name)
    row = EvidenceFile(
        application_id=application.id,
        evidence_for=CPD_EVIDENCE,
        original_name=filetypes.safe_display_name(filename or ""),
        stored_name=stored_name,
        kind=kind.value,
        size=size,
        sha256=digest,
        uploaded_by_id=user.id,
    )
    session.add(row)
    session.flush()
    _audit(
        session,
        user,
        "evidence.added",
        row,
        after={"for": CPD_EVIDENCE, "name": row.original_name, "sha256": digest, "size": size},
    )
    return row


def forget_cpd_evidence(session, row: EvidenceFile, user) -> Path:
    """Forget the file of an entry deleted or given a new file; returns the path the caller deletes once
    the change is committed (a rolled-back change keeps its file)."""
    path = evidence.evidence_path(row)
    session.delete(row)
    session.flush()
    _audit(
        session,
        user,
        "evidence.removed",
        row,
        before={"for": CPD_EVIDENCE, "name": row.original_name, "sha256": row.sha256},
    )
    return path


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
