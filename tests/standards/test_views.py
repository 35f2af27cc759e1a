"""Admin pages for standards and the public JSON API."""

from __future__ import annotations

import io

import pytest
import sqlalchemy as sa
from markupsafe import escape

from certify.accounts.models import Role
from certify.standards import services
from certify.standards.models import StandardVersion
from tests.standards.test_format import MINIMAL


@pytest.fixture
def library(db):
    rows = services.install_library(db)
    db.commit()
    return rows[0]


def test_staff_only(login, client, library):
    assert client.get("/admin/standards/").status_code == 302
    for role, status in (
        (Role.MANAGER, 403),
        (Role.ASSESSOR, 403),
        (Role.COORDINATOR, 200),
        (Role.ADMIN, 200),
    ):
        assert login(role)[0].get(f"/admin/standards/{library.id}").status_code == status


def test_preview_shows_every_question_in_both_languages(admin_client, library):
    standard = services.definition_of(library)
    russian = admin_client.get(f"/admin/standards/{library.id}?lang=ru").get_data(as_text=True)
    english = admin_client.get(f"/admin/standards/{library.id}?lang=en").get_data(as_text=True)
    for question in standard.all_questions():
        assert f'data-question="{question.id}"' in russian
        assert str(escape(question.label.ru)) in russian
        assert str(escape(question.label.en)) in english


def test_import_of_a_broken_file_lists_problems_and_stores_nothing(admin_client, db):
    upload = {"file": (io.BytesIO(MINIMAL.replace("weight: 60", "weight: 65").encode()), "demo.yaml")}
    response = admin_client.post("/admin/standards/import", data=upload, content_type="multipart/form-data")
    assert response.status_code == 422
    assert "105" in response.get_data(as_text=True)
    assert db.scalar(sa.select(sa.func.count(StandardVersion.id))) == 0


def test_import_then_publish(admin_client, db):
    upload = {"file": (io.BytesIO(MINIMAL.encode()), "demo.yaml")}
    response = admin_client.post("/admin/standards/import", data=upload, content_type="multipart/form-data")
    assert response.status_code == 302
    row = db.scalar(sa.select(StandardVersion))
    url = f"/admin/standards/{row.id}"
    assert f"{url}/publish" in admin_client.get(url).get_data(as_text=True)
    assert admin_client.post(f"{url}/publish").status_code == 302
    published = admin_client.get(url).get_data(as_text=True)
    assert "demo 1.0: статус — опубликован" in published and f"{url}/retire" in published
    again = admin_client.post(f"{url}/publish")
    assert again.status_code == 303 and again.headers["Location"].endswith(url)
    assert "Опубликовать можно только черновик" in admin_client.get(url).get_data(as_text=True)
    db.expire_all()
    assert db.get(StandardVersion, row.id).status == "published"
    assert admin_client.post(f"{url}/retire").status_code == 302
    retired = admin_client.get(url).get_data(as_text=True)
    assert f"{url}/publish" not in retired and f"{url}/retire" not in retired


def test_a_coordinator_cannot_publish(login, db):
    row = services.import_standard(db, MINIMAL, source_name="demo.yaml")
    db.commit()
    coordinator, _ = login(Role.COORDINATOR)
    assert f"/admin/standards/{row.id}/publish" not in coordinator.get(f"/admin/standards/{row.id}").get_data(
        as_text=True
    )
    assert coordinator.post(f"/admin/standards/{row.id}/publish").status_code == 403


def test_api_lists_published_versions_only(client, db, library):
    services.import_standard(db, MINIMAL, source_name="demo.yaml")
    db.commit()
    listing = client.get("/api/v1/standards").get_json()
    # retired versions stay public (certificates name them); the draft "demo" does not appear
    # current: what new applications start on, one organisation standard and one personal scheme
    assert [(v["code"], v["version"], v["kind"], v["status"], v["current"]) for v in listing] == [
        ("cma", "1.0", "person", "published", True),
        ("cmq", "1.0", "organisation", "retired", False),
        ("cmq", "1.1", "organisation", "retired", False),
        ("cmq", "1.2", "organisation", "retired", False),
        ("cmq", "1.3", "organisation", "published", True),
    ]
    detail = client.get("/api/v1/standards/cmq/1.2").get_json()
    assert detail["definition"]["code"] == "cmq" and len(detail["definition"]["areas"]) >= 7
    assert client.get("/api/v1/standards/demo/1.0").status_code == 404


def test_deeply_nested_yaml_is_refused_with_its_line_in_the_users_language(admin_client, db):
    text = MINIMAL + "deep: " + "[" * 5000 + "]" * 5000 + "\n"
    upload = {"file": (io.BytesIO(text.encode()), "deep.yaml")}
    response = admin_client.post("/admin/standards/import", data=upload, content_type="multipart/form-data")
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert f"строка {MINIMAL.count(chr(10)) + 1}" in page
    assert "глубина вложенности списков и словарей превышает 32 (столбец 38)" in page
    assert db.scalar(sa.select(sa.func.count(StandardVersion.id))) == 0
