"""The document of a decision: rendered once, when the decision is recorded, then served as stored.

An organisation's decision is stated in its assessment report (report_data, report_pdf); a person's in the
written conclusion of the attestation (conclusion_data, conclusion_pdf). Both are stored the same way, in
the application's `report_*` columns: one application has one kind of subject, so one kind of document.

Rendering scores the application and every certified peer and runs WeasyPrint, so a download that
rendered could be repeated to tie up the workers (issue 12, finding 12). A download now reads the file
stored with the decision. The stored report is also what the decision said at the time, like a
certificate: peers certified later, a new edition of the standard or a renamed organisation do not
change it. A decision on appeal stores a document of its own; the earlier one stays on disk as it was.

Files are stored under a random name in the storage's `reports` area (`certify.storage`, as certificates
are), their SHA-256 kept beside the name on the application.
"""

from __future__ import annotations

import functools
import secrets
from collections.abc import Callable
from dataclasses import dataclass

import sqlalchemy as sa

from certify.certificates import conclusion_data, conclusion_pdf, report_data, report_pdf
from certify.certificates.register import latest_number_of
from certify.questionnaire.models import Application
from certify.review.blind import kept_blind_on
from certify.review.models import Decision
from certify.storage import REPORTS, storage
from certify.textmarks import N_


@dataclass(frozen=True)
class StoredReport:
    """A stored document (its name in the storage's `reports` area and its SHA-256) and the name it is
    downloaded under."""

    name: str
    sha256: str
    download_name: str


@dataclass(frozen=True)
class DecisionDocument:
    """One kind of document a decision stores: how it is rendered, and how it is named."""

    #: (session, application) -> the PDF of the decision that stands
    render: Callable[..., bytes]
    #: the downloaded file's name before "-<certificate number or application id>.pdf"
    file_prefix: str
    #: what a page's link calls it (a msgid, translated where shown)
    label: str


def _render_report(session, application: Application) -> bytes:
    return report_pdf.render_report(report_data.report_context(session, application))


def _render_conclusion(session, application: Application) -> bytes:
    return conclusion_pdf.render_conclusion(conclusion_data.conclusion_context(session, application))


ASSESSMENT_REPORT = DecisionDocument(_render_report, "report", N_("Assessment report (PDF)"))
CONCLUSION = DecisionDocument(_render_conclusion, "conclusion", N_("Conclusion of the attestation (PDF)"))


def document_of(application: Application) -> DecisionDocument:
    """A person's decision is stated in the written conclusion, an organisation's in the assessment report."""
    return CONCLUSION if application.is_person else ASSESSMENT_REPORT


def store_report(session, application: Application) -> None:
    """Render the document of the decision just recorded (the application's latest) and keep it."""
    _render_and_store(session, application, report_data.decision_reported(session, application))


@dataclass(frozen=True)
class ReportDownload:
    """What a download of an application's document needs to know, read in one query (`download_of`)."""

    application: Application
    #: the decision that stands (on appeal, the appeal's); None before any decision
    decision_id: int | None
    #: the number of the certificate the document names (`report_data.certificate_reported`), if any
    certificate_number: str | None
    #: the reader still has to submit scores on it (`certify.review.blind.kept_blind`)
    kept_blind: bool


def download_of(session, application_id: int, reader) -> ReportDownload | None:
    """The application and what its download depends on for `reader`; None when there is no such application.

    One query, as a certificate's download makes one: the download is the page's most frequent request.
    """
    row = session.execute(
        _download_query(), {"application_id": application_id, "reader_id": reader.id}
    ).first()
    if row is None:
        return None
    application, decision_id, chosen_level, certificate_number, blind = row
    # an upheld appeal keeps the first decision's certificate; a decision not to certify names none
    return ReportDownload(application, decision_id, certificate_number if chosen_level else None, blind)


@functools.cache
def _download_query() -> sa.Select:
    # built once, with bound parameters: composing its subqueries took a third of the download's time
    standing = report_data.standing_decision(Application.id)
    return sa.select(
        Application,
        standing.with_only_columns(Decision.id).scalar_subquery(),
        standing.with_only_columns(Decision.chosen_level).scalar_subquery(),
        latest_number_of(Application.id),
        kept_blind_on(sa.bindparam("reader_id"), Application.id),
    ).where(Application.id == sa.bindparam("application_id"))


def stored_report(session, download: ReportDownload) -> StoredReport:
    """The document of the decision that stands, as stored; CertificateError (409) before a decision.

    An application decided before documents were stored (or by a step that stores none) gets its document
    rendered and stored now, once: when two first downloads race, both render, one stores, and both serve
    the stored one.
    """
    application = download.application
    if download.decision_id is None:
        raise report_data.not_decided()
    if application.report_decision_id != download.decision_id or not application.report_name:
        _render_and_store(session, application, session.get(Decision, download.decision_id))
    named = download.certificate_number or application.id
    return StoredReport(
        name=application.report_name,
        sha256=application.report_sha256,
        download_name=f"{document_of(application).file_prefix}-{named}.pdf",
    )


def _render_and_store(session, application: Application, decision: Decision) -> None:
    """Write the document of `decision` and record it, unless another transaction recorded one first.

    The conditional UPDATE makes storing idempotent: on PostgreSQL a second one waits for the first's
    row lock and then matches nothing; on SQLite the write lock orders them. It only ever moves to a
    later decision (ids grow), so a download that rendered the first decision's document while an appeal
    was decided cannot overwrite the appeal's. The loser's file, never referred to, is removed; the
    application's columns are read again either way.
    """
    pdf = document_of(application).render(session, application)
    name = secrets.token_hex(16)
    sha256 = storage().store(REPORTS, name, pdf)
    stored = session.execute(
        sa.update(Application)
        .where(
            Application.id == application.id,
            sa.or_(Application.report_decision_id.is_(None), Application.report_decision_id < decision.id),
        )
        .values(report_decision_id=decision.id, report_name=name, report_sha256=sha256)
        .execution_options(synchronize_session=False)
    )
    if stored.rowcount != 1:
        storage().discard(REPORTS, name)
    session.refresh(application, ["report_decision_id", "report_name", "report_sha256"])
