"""Issue 14, item 4, in Chromium: ticking "not applicable" disables the answer and asks for the reason,
the autosave keeps the declaration, and unticking gives the answer back."""

from __future__ import annotations

import pytest

from certify.accounts.models import Role
from certify.questionnaire import services
from certify.questionnaire.models import Application
from tests.browser.conftest import app_settings, live_server, log_in, page  # noqa: F401 (fixtures)
from tests.factories import make_user
from tests.questionnaire.test_not_applicable_questionnaire import REASON, install_standard

pytestmark = pytest.mark.browser


@pytest.fixture
def draft(db):
    install_standard(db)
    manager = make_user(db, Role.MANAGER)
    application = services.start_application(db, manager.organisation, manager)
    db.commit()
    return manager, application


def test_ticking_not_applicable_disables_the_answer_and_the_autosave_keeps_it(live_server, page, draft, db):  # noqa: F811
    manager, application = draft
    log_in(page, live_server, manager, f"/applications/{application.id}/pages/green")
    box = page.locator("[name='green_share-not-applicable']")
    reason = page.locator("[name='green_share-justification']")
    options = page.locator("[name=green_share]")
    assert not reason.is_visible() and options.first.is_enabled()

    box.check()
    assert reason.is_visible() and options.first.is_disabled()
    reason.fill(REASON)
    page.locator("#save-status", has_text="Все изменения сохранены").wait_for()
    db.expire_all()
    saved = services.load_answers(db, db.get(Application, application.id))
    assert saved["green_share"] == {"not_applicable": REASON}

    page.reload()
    assert box.is_checked() and reason.input_value() == REASON and options.first.is_disabled()
    box.uncheck()
    assert not reason.is_visible() and options.first.is_enabled()
