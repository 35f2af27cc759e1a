"""Issue 12, finding 11: e-mails, evidence and certificates are written owner-only, whatever the umask."""

from __future__ import annotations

import io
import os
import stat

import pytest

from certify import mail
from certify.questionnaire.evidence import add_evidence
from certify.questionnaire.pages import evidence_targets
from certify.questionnaire.services import standard_of
from certify.storage import EVIDENCE
from tests import factories
from tests.factories import make_application, make_user
from tests.questionnaire.test_services import MINIMAL_PDF
from tests.stored import certificate_pdf_path, stored_path


@pytest.fixture
def permissive_umask():
    """The most permissive umask, so that only the app's own modes can keep others out."""
    previous = os.umask(0)
    yield
    os.umask(previous)


def _mode(path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_eml_files_are_owner_only(app, permissive_umask):
    with app.app_context():
        mail.send(mail.compose("a@example.org", "Тема", "Ссылка для сброса пароля\n"))
    folder = app.config["MAIL_FOLDER"]
    (saved,) = folder.glob("*.eml")
    assert (_mode(folder), _mode(saved)) == (0o700, 0o600)


def test_evidence_files_are_owner_only(app, db, permissive_umask):
    manager = make_user(db)
    application = make_application(db, manager)
    target = next(iter(evidence_targets(standard_of(application))))
    row = add_evidence(db, application, target, io.BytesIO(MINIMAL_PDF), "устав.pdf", manager)
    stored = stored_path(EVIDENCE, row.stored_name)
    assert (_mode(stored.parent), _mode(stored)) == (0o700, 0o600)


def test_certificate_files_are_owner_only(db, permissive_umask):
    stored = certificate_pdf_path(factories.certified(db).certificate)
    assert (_mode(stored.parent), _mode(stored)) == (0o700, 0o600)
