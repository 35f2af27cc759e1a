"""The admin page of the audit trail: staff only, filters, and the per-application history partial."""

from __future__ import annotations

import html
import re

import pytest
from flask import render_template

import certify.audit.models  # noqa: F401  (the tables, until the app imports them)
from certify.accounts.models import Role
from certify.audit import services, views
from certify.audit.views import bp


@pytest.fixture(autouse=True)
def audit_pages(app):
    """The blueprint, until the lead registers it in certify/app.py (before any request is made)."""
    if "audit" not in app.blueprints:
        app.register_blueprint(bp)


@pytest.fixture
def entries(db, login):
    client, admin = login(Role.ADMIN, email="admin@certify-test.example.org")
    services.record(
        db,
        actor=admin,
        action="application.submitted",
        subject_type="application",
        subject_id=12,
        application_id=12,
        before={"state": "draft"},
        after={"state": "submitted"},
    )
    services.record(
        db,
        actor=None,
        action="standard.published",
        subject_type="standard",
        subject_id=3,
        after={"title": "Стандарт"},
    )
    db.commit()
    return client


def test_staff_only(login, client):
    assert client.get("/admin/audit/").status_code == 302
    for role, status in (
        (Role.MANAGER, 403),
        (Role.ASSESSOR, 403),
        (Role.COORDINATOR, 200),
        (Role.ADMIN, 200),
    ):
        assert login(role)[0].get("/admin/audit/").status_code == status


def test_admin_sees_every_entry_as_a_sentence_with_its_data_one_click_away(entries):
    page = entries.get("/admin/audit/").get_data(as_text=True)
    assert "Заявка подана" in page and "Версия стандарта 3 опубликована" in page
    assert "admin@certify-test.example.org" in page
    # the raw record, in a <details> "Данные": the action's code and its values, indented
    assert page.count('<details class="audit-data small">') == 3  # and the admin's login
    assert "<summary>Данные</summary>" in page and "Вход выполнен" in page
    assert "<code>application.submitted</code>" in page and "<code>standard.published</code>" in page
    assert '<pre class="audit-json">{\n  &#34;state&#34;: &#34;submitted&#34;\n}</pre>' in page
    assert "Стандарт" in page


def test_the_page_reads_in_the_reader_s_language(db, entries, login):
    client, _ = login(Role.COORDINATOR, locale="en")
    page = client.get("/admin/audit/").get_data(as_text=True)
    assert "Application submitted" in page and "Standard version 3 published" in page
    assert "<summary>Data</summary>" in page


@pytest.mark.parametrize(
    ("query", "shown", "hidden"),
    [
        ("action=standard", "standard.published", "application.submitted"),
        ("actor=admin%40certify", "application.submitted", "standard.published"),
        ("subject_type=application&subject_id=12", "application.submitted", "standard.published"),
        ("application=12", "application.submitted", "standard.published"),
        ("date_to=2000-01-01", "", "standard.published"),
        ("date_from=2000-01-01", "standard.published", ""),
        ("kind=standard", "standard.published", "application.submitted"),
        ("kind=application.submitted", "application.submitted", "standard.published"),
        ("kind=application.started", "", "application.submitted"),
    ],
)
def test_filters(entries, query, shown, hidden):
    page = entries.get(f"/admin/audit/?{query}").get_data(as_text=True)
    assert shown in page
    assert not hidden or f"<code>{hidden}</code>" not in page


def test_the_kind_of_event_is_chosen_from_a_list_grouped_by_domain(entries):
    page = entries.get("/admin/audit/?kind=review.assigned").get_data(as_text=True)
    assert '<select class="form-select form-select-sm" id="kind" name="kind">' in page
    assert '<option value="">Любое событие</option>' in page
    assert '<optgroup label="Заявки">' in page and '<optgroup label="Сертификаты">' in page
    assert '<option value="review">Все: Оценка</option>' in page
    assert '<option selected value="review.assigned">Назначена команда</option>' in page
    assert '<option value="certificate.revoked">Сертификат отозван</option>' in page


def test_an_exact_kind_is_not_a_prefix(db, entries):
    """ "account.password_reset" must not also list "account.password_reset_requested"."""
    services.record(
        db, actor=None, action="account.password_reset_requested", subject_type="user", subject_id=1
    )
    db.commit()
    page = entries.get("/admin/audit/?kind=account.password_reset").get_data(as_text=True)
    assert "<code>account.password_reset_requested</code>" not in page
    page = entries.get("/admin/audit/?kind=account").get_data(as_text=True)
    assert "<code>account.password_reset_requested</code>" in page


def test_a_bad_filter_is_shown_and_ignored(entries):
    response = entries.get("/admin/audit/?date_from=yesterday&application=x&kind=no.such")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "is-invalid" in page and "standard.published" in page


def test_history_partial_shows_an_applications_entries(app, db, entries):
    with app.test_request_context():
        html = render_template("audit/_history.html", entries=services.history(db, 12))
    assert "application.submitted" in html and "standard.published" not in html
    assert "admin@certify-test.example.org" in html
    assert "Заявка подана" in html and "<summary>Данные</summary>" in html


def _link(page: str, label: str) -> str | None:
    """The address of the pagination link labelled `label`, None when it is disabled."""
    found = re.search(rf'<a class="page-link" href="([^"]*)"[^>]*>[^<]*{label}', page)
    return None if found is None or found.group(1) == "#" else html.unescape(found.group(1))


def test_pages_follow_the_entries_by_id_and_keep_the_filters(db, entries, login, monkeypatch):
    monkeypatch.setattr(views, "PAGE_SIZE", 2)
    for version in range(4, 9):
        services.record(
            db, actor=None, action="standard.published", subject_type="standard", subject_id=version
        )
    db.commit()
    client, _ = login(Role.COORDINATOR, locale="en")
    newest = client.get("/admin/audit/?kind=standard").get_data(as_text=True)
    assert "Standard version 8 published" in newest and "Standard version 7 published" in newest
    assert _link(newest, "Newer") is None
    older_url = _link(newest, "Older")
    assert "kind=standard" in older_url and "before=" in older_url
    older = client.get(older_url).get_data(as_text=True)
    assert "Standard version 6 published" in older and "Standard version 5 published" in older
    assert "Standard version 7 published" not in older
    oldest = client.get(_link(older, "Older")).get_data(as_text=True)
    assert "Standard version 3 published" in oldest and _link(oldest, "Older") is None
    assert "<code>application.submitted</code>" not in oldest  # the filter holds on every page
    back = client.get(_link(older, "Newer")).get_data(as_text=True)
    assert "Standard version 8 published" in back and _link(back, "Newer") is None


def test_the_count_stops_at_its_cap(entries, login, monkeypatch):
    monkeypatch.setattr(services, "COUNT_CAP", 1)
    monkeypatch.setattr(views, "COUNT_CAP", 1)
    client, _ = login(Role.COORDINATOR, locale="en")
    assert "More than 1 entries" in client.get("/admin/audit/").get_data(as_text=True)
    assert "1 entry" in client.get("/admin/audit/?kind=standard").get_data(as_text=True)
