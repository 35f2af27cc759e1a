"""The assessment report of a decision: rendered once, when the decision is recorded, then served as stored.

Rendering scores the application and every certified peer and runs WeasyPrint, so a download that
rendered could be repeated to tie up the workers (issue 12, finding 12). A download now reads the file
stored with the decision. The stored report is also what the decision said at the time, like a
certificate: peers certified later, a new edition of the standard or a renamed organisation do not
change it. A decision on appeal stores a report of its own; the earlier one stays on disk as it was.

Files are stored owner-only under a random name in CERTIFY_STORAGE/reports, their SHA-256 kept beside
the name on the application (`certify.files`, as certificates are).
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from pathlib import Path

import sqlalchemy as sa
from flask import current_app

from certify.certificates import report_data, report_pdf
from certify.files import private_folder, write_private
from certify.questionnaire.models import Application
from certify.review.models import Decision


@dataclass(frozen=True)
class StoredReport:
    """A stored report and the name it is downloaded under."""

    path: Path
    download_name: str


def storage_folder() -> Path:
    return private_folder(Path(current_app.config["CERTIFY_STORAGE"]) / "reports")


def store_report(session, application: Application) -> None:
    """Render the report of the decision just recorded (the application's latest) and keep it."""
    _render_and_store(session, application, report_data.decision_reported(session, application))


def stored_report(session, application: Application) -> StoredReport:
    """The report of the decision that stands, as stored; CertificateError (409) before a decision.

    An application decided before reports were stored gets its report rendered and stored now, once:
    when two first downloads race, both render, one stores, and both serve the stored one.
    """
    decision = report_data.decision_reported(session, application)
    if application.report_decision_id != decision.id or not application.report_name:
        _render_and_store(session, application, decision)
    certificate = report_data.certificate_reported(session, application, decision)
    return StoredReport(
        path=storage_folder() / application.report_name,
        download_name=f"report-{certificate.number if certificate else application.id}.pdf",
    )


def _render_and_store(session, application: Application, decision: Decision) -> None:
    """Write the report of `decision` and record it, unless another transaction recorded one first.

    The conditional UPDATE makes storing idempotent: on PostgreSQL a second one waits for the first's
    row lock and then matches nothing; on SQLite the write lock orders them. It only ever moves to a
    later decision (ids grow), so a download that rendered the first decision's report while an appeal
    was decided cannot overwrite the appeal's. The loser's file, never referred to, is removed; the
    application's columns are read again either way.
    """
    pdf = report_pdf.render_report(report_data.report_context(session, application))
    name = secrets.token_hex(16)
    path = storage_folder() / name
    write_private(path, pdf)
    stored = session.execute(
        sa.update(Application)
        .where(
            Application.id == application.id,
            sa.or_(Application.report_decision_id.is_(None), Application.report_decision_id < decision.id),
        )
        .values(
            report_decision_id=decision.id, report_name=name, report_sha256=hashlib.sha256(pdf).hexdigest()
        )
        .execution_options(synchronize_session=False)
    )
    if stored.rowcount != 1:
        path.unlink()
    session.refresh(application, ["report_decision_id", "report_name", "report_sha256"])
