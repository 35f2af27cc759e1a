"""Nothing typed is lost in the questionnaire: an upload the server refuses keeps the answers typed before it.

A manager types an answer and, without saving, attaches a file the server refuses (not a document): the
page saves the answer first, then shows the refusal beside the file field, and the answer is still there,
also after reloading the page.
"""

from __future__ import annotations

import pytest

from certify.accounts.models import Role
from tests.browser.conftest import log_in
from tests.factories import install_default_standard, make_application, make_user

pytestmark = pytest.mark.browser


@pytest.fixture
def draft(db):
    install_default_standard(db)
    manager = make_user(db, Role.MANAGER)
    application = make_application(db, manager)
    db.commit()
    return manager, application


def test_a_refused_upload_keeps_the_typed_answers(live_server, page, draft, tmp_path):
    manager, application = draft
    url = f"/applications/{application.id}/pages/str"
    log_in(page, live_server, manager, url)
    page.fill("[name=str_members_total]", "1 250")  # typed, not saved yet
    not_a_document = tmp_path / "реестр.pdf"
    not_a_document.write_bytes(b"MZ\x90\x00 this is a program, not a PDF")
    page.set_input_files("#file-str_members", str(not_a_document))
    page.locator("#file-str_members ~ button").click()

    refusal = page.locator("#file-str_members-refused")
    refusal.wait_for()
    assert refusal.inner_text().strip() != ""
    assert page.locator("#file-str_members").get_attribute("aria-invalid") == "true"
    assert page.input_value("[name=str_members_total]") == "1250"  # saved, shown the Russian way

    page.goto(f"{live_server}{url}")
    assert page.input_value("[name=str_members_total]") == "1250"
