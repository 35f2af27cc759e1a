"""Evidence files: checked by content, stored outside any public folder under a random name, hashed."""

from __future__ import annotations

import secrets
from typing import BinaryIO

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from certify.audit import services as audit
from certify.questionnaire import filetypes
from certify.questionnaire.models import Application, EvidenceFile
from certify.questionnaire.pages import evidence_targets
from certify.questionnaire.services import (
    SUBMITTED,
    QuestionnaireError,
    editable_questions,
    ensure_editable,
    open_indicators,
    open_part,
    part_of,
    standard_of,
)
from certify.storage import EVIDENCE, StorageUnavailable, storage

STORAGE_UNAVAILABLE = _l(
    "The file could not be stored: the server's file storage is not available. Nothing was saved; try "
    "again in a few minutes, and tell the certification body if it goes on."
)


def upload_limit() -> int:
    return int(current_app.config.get("EVIDENCE_MAX_BYTES", 20 * 1024 * 1024))


def add_evidence(
    session, application: Application, target: str, stream: BinaryIO, filename: str, user, round_: int = 0
) -> EvidenceFile:
    """Check the file's size and content type, store it under a random name and record it."""
    # the part being filled, or (under clarification) the part submitted last
    part = open_part(session, application) or part_of(session, application)
    if target not in evidence_targets(standard_of(application), part):
        raise QuestionnaireError(_l("There is no such indicator in this questionnaire."), 404)
    allowed = editable_questions(session, application)
    if allowed is not None:
        # Under clarification, files are added to the indicators asked about, in a new round.
        if target not in open_indicators(session, application):
            raise QuestionnaireError(
                _l("Files may be added only to the indicators the assessors asked about."), 409
            )
        round_ = max(round_, 1)
    return store_evidence(session, application, target, stream, filename, user, round_=round_)


def store_evidence(
    session, application: Application, evidence_for: str, stream: BinaryIO, filename: str, user, *, round_=0
) -> EvidenceFile:
    """Check a file's size and content type, store it privately under a random name, record and audit it.

    The one upload path of the application's files: the questionnaire's evidence and the attestation's CPD
    entries (`certify.attestation.cpd_evidence`), each checking first what the file may be attached to.
    """
    size = _size_of(stream)
    try:
        filetypes.check_size(size, upload_limit())
        kind = filetypes.detect_kind(stream, size=size)
    except filetypes.FileRefused as error:
        raise QuestionnaireError(_(error.message, **error.params), 415) from error
    stored_name = secrets.token_hex(16)
    digest = _store(stream, stored_name)
    row = EvidenceFile(
        application_id=application.id,
        evidence_for=evidence_for,
        original_name=filetypes.safe_display_name(filename or ""),
        stored_name=stored_name,
        kind=kind.value,
        size=size,
        sha256=digest,
        uploaded_by_id=user.id,
        round=round_,
    )
    session.add(row)
    session.flush()
    audit.record(
        session,
        actor=user,
        action="evidence.added",
        subject_type="evidence",
        subject_id=str(row.id),
        application_id=application.id,
        after={
            "for": evidence_for,
            "name": row.original_name,
            "sha256": digest,
            "size": size,
            "round": round_,
        },
    )
    return row


def remove_evidence(session, application: Application, row: EvidenceFile, user) -> str:
    """Forget a file before submission (afterwards evidence is read-only); returns its stored name.

    The caller deletes the stored file only after the commit (`discard_evidence`), so a failed
    transaction loses nothing.
    """
    part = ensure_editable(session, application)
    if row.evidence_for not in evidence_targets(standard_of(application), part):
        raise QuestionnaireError(SUBMITTED, 409)  # a prerequisite's file, once the practical part is open
    session.delete(row)
    session.flush()
    audit.record(
        session,
        actor=user,
        action="evidence.removed",
        subject_type="evidence",
        subject_id=str(row.id),
        application_id=application.id,
        before={"for": row.evidence_for, "name": row.original_name, "sha256": row.sha256},
    )
    return row.stored_name


def discard_evidence(stored_name: str | None) -> None:
    """Delete the stored file of a removal just committed (None: nothing was removed)."""
    if stored_name is not None:
        storage().discard(EVIDENCE, stored_name)


def _size_of(stream: BinaryIO) -> int:
    stream.seek(0, 2)
    size = stream.tell()
    stream.seek(0)
    return size


def _store(stream: BinaryIO, stored_name: str) -> str:
    """Store the upload; its SHA-256.

    Storage that refuses the write (read-only, full, missing, unreachable) is refused as "try again" (503)
    before any row is recorded, and keeps no partly written file: no row ever names a file that is not there.
    """
    try:
        return storage().store(EVIDENCE, stored_name, stream)
    except StorageUnavailable as error:
        current_app.logger.error("evidence storage refused a file: %s", error)
        raise QuestionnaireError(STORAGE_UNAVAILABLE, 503) from error
