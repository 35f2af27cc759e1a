"""Issuance on a positive decision, public verification, the registry, the API, the PDF and the lifecycle."""

from __future__ import annotations

import io
import re
from datetime import timedelta

import sqlalchemy as sa

from certify.accounts.models import Role
from certify.certificates import issuance
from certify.certificates.models import Certificate
from certify.config import settings_from_environment
from certify.review.decisions import decision_of
from tests.certificates.test_signing import make_pkcs12
from tests.pdfs import pdf_text
from tests.stored import certificate_pdf, certificate_pdf_path


def test_a_positive_decision_issues_one_numbered_signed_certificate(db, certified):
    certificate, application, *_ = certified
    assert re.fullmatch(r"CMQ-\d{4}-000001", certificate.number)
    assert certificate.organisation_name_ru and certificate.expires_on > certificate.issued_on
    assert (certificate.subject_kind, certificate.holder_name_ru, certificate.areas_passed) == (
        "organisation",
        "",
        [],
    )
    again = issuance.issue_certificate(db, decision_of(db, application), None)
    assert again.id == certificate.id
    assert db.scalar(sa.select(sa.func.count(Certificate.id))) == 1
    stored = certificate_pdf(certificate)
    import hashlib

    assert hashlib.sha256(stored).hexdigest() == certificate.pdf_sha256


def test_the_verification_page_shows_what_the_certificate_states_and_nothing_more(db, certified, client):
    certificate, application, *_ = certified
    page = client.get(f"/verify/{certificate.number}").get_data(as_text=True)
    assert certificate.organisation_name_ru in page and certificate.level_name_ru in page
    assert "действует" in page and "Сертификат организации" in page
    assert "@" not in page.split("<main")[1].split("</main>")[0]
    for bad in ("CMQ-2026-999999", "not-a-number", "C" * 300):
        assert client.get(f"/verify/{bad}").status_code == 404


def test_the_certificate_states_the_organisation_as_certified_and_names_no_person(db, certified, client):
    """The manager who submitted is not necessarily the organisation's head: no person is stated."""
    certificate, application, *_ = certified
    organisation, submitter = application.organisation, application.submitted_by
    text = " ".join(pdf_text(certificate_pdf_path(certificate)).split())
    subject = text.index("Настоящим удостоверяется, что специализированная организация кластера")
    assert subject < text.index(organisation.name_ru) < text.index("соответствует требованиям стандарта")
    assert "Руководитель" not in text and submitter.full_name_ru not in text
    page = client.get(f"/verify/{certificate.number}").get_data(as_text=True)
    assert "Сертифицированная организация" in page and "Руководитель организации" not in page
    assert submitter.full_name_ru not in page


def test_the_uploaded_pdf_is_checked(db, certified, client):
    certificate, *_ = certified
    genuine = certificate_pdf(certificate)
    ok = client.post(
        "/verify", data={"file": (io.BytesIO(genuine), "c.pdf")}, content_type="multipart/form-data"
    )
    assert ok.status_code == 200 and "подлинный" in ok.get_data(as_text=True)
    tampered = bytearray(genuine)
    position = genuine.index(b"/Title")
    tampered[position + 8] ^= 1
    bad = client.post(
        "/verify", data={"file": (io.BytesIO(bytes(tampered)), "c.pdf")}, content_type="multipart/form-data"
    )
    assert bad.status_code == 422
    junk = client.post(
        "/verify", data={"file": (io.BytesIO(b"hello"), "c.pdf")}, content_type="multipart/form-data"
    )
    assert junk.status_code == 422 and "не является PDF" in junk.get_data(as_text=True)


def test_registry_and_api_list_certificates_in_force(db, certified, client):
    certificate, *_ = certified
    assert certificate.number in client.get("/registry").get_data(as_text=True)
    assert certificate.number in client.get(f"/registry?q={certificate.region[:4]}").get_data(as_text=True)
    assert certificate.number not in client.get("/registry?q=nothing-like-this").get_data(as_text=True)
    by_level = client.get(f"/registry?level={certificate.level_id}").get_data(as_text=True)
    assert certificate.number in by_level and f'<option value="{certificate.level_id}" selected>' in by_level
    assert certificate.number not in client.get("/registry?level=no-such-level").get_data(as_text=True)
    listing = client.get("/api/v1/certificates").get_json()
    assert [item["number"] for item in listing["items"]] == [certificate.number]
    detail = client.get(f"/api/v1/certificates/{certificate.number}").get_json()
    assert detail["status"] == "valid" and "email" not in str(detail)


def test_the_pdf_is_for_the_holder_and_the_certification_body(db, certified, login):
    certificate, application, coordinator, _ = certified
    holder, _ = login(Role.MANAGER, organisation=application.organisation)
    stranger, _ = login(Role.MANAGER)
    with holder.get(f"/certificates/{certificate.number}.pdf") as response:
        assert response.status_code == 200 and response.data.startswith(b"%PDF")
    with coordinator.get(f"/certificates/{certificate.number}.pdf") as response:
        assert response.status_code == 200
    assert stranger.get(f"/certificates/{certificate.number}.pdf").status_code == 404


def test_suspend_reinstate_revoke_and_expiry(db, certified, client):
    certificate, _, coordinator, _ = certified
    url = f"/certificates/{certificate.number}"
    assert coordinator.post(f"{url}/suspend", data={"reason": ""}).status_code == 422
    assert coordinator.post(f"{url}/suspend", data={"reason": "Проверка жалобы"}).status_code == 302
    assert "приостановлен" in client.get(f"/verify/{certificate.number}").get_data(as_text=True)
    assert certificate.number not in client.get("/registry").get_data(as_text=True)
    assert coordinator.post(f"{url}/reinstate", data={"reason": "Жалоба не подтвердилась"}).status_code == 302
    assert (
        coordinator.post(f"{url}/revoke", data={"reason": "Нарушение условий", "confirm": "y"}).status_code
        == 302
    )
    page = client.get(f"/verify/{certificate.number}").get_data(as_text=True)
    assert "отозван" in page and "Нарушение условий" in page
    assert coordinator.post(f"{url}/reinstate", data={"reason": "Нет"}).status_code == 303
    db.expire_all()
    fresh = db.get(Certificate, certificate.id)
    fresh.status, fresh.expires_on = "valid", fresh.issued_on - timedelta(days=1)
    db.commit()
    assert issuance.status_of(fresh).value == "expired"


def test_a_100_mb_upload_to_verify_is_refused_before_it_is_read(client):
    declared = 100 * 1024 * 1024
    response = client.post(
        "/verify",
        input_stream=io.BytesIO(b"--x\r\n" + b"0" * 1024),
        content_type="multipart/form-data; boundary=x",
        # what a client sending 100 MB declares; the stream behind it is never read
        environ_overrides={"CONTENT_LENGTH": str(declared)},
    )
    assert response.status_code == 413
    assert "слишком большой" in response.get_data(as_text=True)


def test_a_configured_pkcs12_file_signs_the_certificates(app, monkeypatch, tmp_path):
    path = tmp_path / "body.p12"
    path.write_bytes(make_pkcs12(b"correct horse"))
    monkeypatch.setenv("CERTIFY_PKCS12_PATH", str(path))
    monkeypatch.setenv("CERTIFY_PKCS12_PASSWORD", "correct horse")
    settings = settings_from_environment(tmp_path)
    for name in ("CERTIFY_PKCS12_PATH", "CERTIFY_PKCS12_PASSWORD"):
        monkeypatch.setitem(app.config, name, settings[name])
    with app.app_context():
        key = issuance.signing_key()
    assert key.certificate.subject.native["common_name"] == "Certify production test"
