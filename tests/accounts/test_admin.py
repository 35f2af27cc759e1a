"""The admin's user pages: access, create, edit roles, deactivate."""

from __future__ import annotations

import sqlalchemy as sa

from certify.accounts.models import Role, User
from tests.conftest import log_in
from tests.factories import make_organisation


def test_only_admins_reach_the_user_pages(login, client):
    assert client.get("/admin/users/").status_code == 302
    for role in (Role.MANAGER, Role.ASSESSOR, Role.COORDINATOR):
        other, _ = login(role)
        assert other.get("/admin/users/").status_code == 403
        assert other.get("/admin/users/new").status_code == 403
    admin, _ = login(Role.ADMIN)
    assert admin.get("/admin/users/").status_code == 200


def test_admin_creates_a_user_who_can_log_in(admin_client, app, db):
    organisation = make_organisation(db)
    db.commit()
    response = admin_client.post(
        "/admin/users/new",
        data={
            "email": "Expert@certify-test.example.org",
            "full_name_ru": "Павел Андреевич Кузнецов",
            "full_name_en": "Pavel Kuznetsov",
            "locale": "en",
            "roles": ["assessor", "coordinator"],
            "organisation_id": str(organisation.id),
            "active": "y",
            "password": "Birch-Compass-Window-3",
        },
    )
    assert response.status_code == 302
    user = db.scalar(sa.select(User).where(User.email == "expert@certify-test.example.org"))
    assert user.roles == {Role.ASSESSOR, Role.COORDINATOR}
    assert log_in(app.test_client(), user.email, "Birch-Compass-Window-3").status_code == 302


def test_admin_create_refuses_a_duplicate_and_keeps_the_input(admin_client, login):
    _, existing = login(Role.ASSESSOR)
    response = admin_client.post(
        "/admin/users/new",
        data={
            "email": existing.email,
            "full_name_ru": "Дубликат",
            "locale": "ru",
            "organisation_id": "0",
            "password": "Birch-Compass-Window-3",
        },
    )
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "уже существует" in page and "Дубликат" in page


def test_admin_changes_roles(admin_client, login, db):
    _, user = login(Role.MANAGER)
    response = admin_client.post(
        f"/admin/users/{user.id}",
        data={
            "full_name_ru": "Новое Имя",
            "locale": "en",
            "roles": ["assessor"],
            "organisation_id": "0",
            "active": "y",
        },
    )
    assert response.status_code == 302
    db.expire_all()
    changed = db.get(User, user.id)
    assert changed.roles == {Role.ASSESSOR}
    assert changed.full_name_ru == "Новое Имя" and changed.active


def test_admin_search_by_role(admin_client, login):
    _, assessor = login(Role.ASSESSOR)
    _, manager = login(Role.MANAGER)
    page = admin_client.get("/admin/users/?role=assessor").get_data(as_text=True)
    assert assessor.email in page and manager.email not in page


def test_unknown_user_is_a_friendly_404(admin_client):
    response = admin_client.get("/admin/users/99999")
    assert response.status_code == 404
    assert "Страница не найдена" in response.get_data(as_text=True)
