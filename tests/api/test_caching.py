"""Every GET of the API has a strong ETag of its content and Cache-Control; If-None-Match answers 304."""

from __future__ import annotations

import hashlib

import pytest

from certify.accounts.models import Role
from certify.certificates import lifecycle
from certify.certificates.models import CertificateStatus
from tests.api.helpers import bearer, make_token
from tests.factories import make_user

PUBLIC = ("/api/v1/certificates", "/api/v1/standards", "/api/v1/openapi.json")


@pytest.mark.parametrize("url", PUBLIC)
def test_a_public_answer_has_a_strong_etag_and_304_when_unchanged(db, registry, client, url):
    answer = client.get(url)
    etag = answer.headers["ETag"]
    assert etag == f'"{hashlib.sha256(answer.data).hexdigest()}"'  # strong: no W/
    assert answer.headers["Cache-Control"] == "public, no-cache"
    again = client.get(url, headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.data == b"" and again.headers["ETag"] == etag
    assert client.get(url, headers={"If-None-Match": '"something-else"'}).status_code == 200


def test_the_etag_changes_when_the_certificate_does(db, registry, client):
    certificate = registry.case.certificate
    url = f"/api/v1/certificates/{certificate.number}"
    before = client.get(url).headers["ETag"]
    lifecycle.change_status(
        db, certificate, registry.case.coordinator, CertificateStatus.SUSPENDED, "Проверка"
    )
    db.commit()
    after = client.get(url, headers={"If-None-Match": before})
    assert after.status_code == 200 and after.get_json()["status"] == "suspended"
    assert after.headers["ETag"] != before


def test_answers_read_with_a_token_are_private_and_vary_by_it(db, client):
    manager = make_user(db, Role.MANAGER)
    secret = make_token(db, manager, "read:own")
    db.commit()
    answer = client.get("/api/v1/me/applications", headers=bearer(secret))
    assert answer.headers["Cache-Control"] == "private, no-cache"
    assert "Authorization" in answer.headers["Vary"]
    again = client.get(
        "/api/v1/me/applications", headers=bearer(secret) | {"If-None-Match": answer.headers["ETag"]}
    )
    assert again.status_code == 304


def test_the_docs_page_has_an_etag_too(db, client):
    answer = client.get("/api/v1/docs")
    assert answer.status_code == 200 and answer.mimetype == "text/html"
    assert client.get("/api/v1/docs", headers={"If-None-Match": answer.headers["ETag"]}).status_code == 304
