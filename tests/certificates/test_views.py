"""The certificates' pages: lookup by number, the PDF check against the register, status changes."""

from __future__ import annotations

import io
from datetime import timedelta

import sqlalchemy as sa

from certify.accounts.models import Role
from certify.audit.models import AuditEntry
from certify.certificates.models import Certificate
from tests import factories
from tests.stored import certificate_pdf


def test_a_number_typed_loosely_leads_to_the_certificate(db, certified, client):
    certificate, *_ = certified
    response = client.post("/verify", data={"number": f"  {certificate.number.lower()} "})
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/verify/{certificate.number}")


def test_a_malformed_number_is_refused_in_place_with_what_was_typed(client):
    response = client.post("/verify", data={"number": "cmq 2026 42"})
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "как он напечатан" in page and 'value="CMQ 2026 42"' in page and "is-invalid" in page
    assert client.post("/verify", data={"number": ""}).status_code == 422


def test_the_check_without_a_file_asks_for_one(client):
    response = client.post("/verify", data={}, content_type="multipart/form-data")
    assert response.status_code == 422 and "Обязательное поле" in response.get_data(as_text=True)


def test_a_signed_pdf_that_is_not_the_issued_file_is_refused(db, certified, client):
    certificate, *_ = certified
    genuine = certificate_pdf(certificate)
    db.get(Certificate, certificate.id).pdf_sha256 = "0" * 64  # as if another file had been issued
    db.commit()
    response = client.post(
        "/verify", data={"file": (io.BytesIO(genuine), "c.pdf")}, content_type="multipart/form-data"
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "это не выданный здесь сертификат" in page and "подлинный" not in page
    assert certificate.organisation_name_ru not in page  # nothing is stated on its behalf


def test_a_status_change_without_a_reason_is_refused_in_place(db, certified):
    certificate, _, coordinator, _ = certified
    url = f"/certificates/{certificate.number}"
    empty = coordinator.post(f"{url}/suspend", data={"reason": "  "})
    assert empty.status_code == 422 and "Обязательное поле" in empty.get_data(as_text=True)
    long = "Жалоба " * 400
    too_long = coordinator.post(f"{url}/revoke", data={"reason": long, "confirm": "y"})
    page = too_long.get_data(as_text=True)
    assert too_long.status_code == 422 and "более 2000 символов" in page and long.strip() in page
    # the correction form on the page is not filled with the status form's reason
    assert page.count(long.strip()) == 1
    db.expire_all()
    assert db.get(Certificate, certificate.id).status == "valid"
    assert db.scalar(sa.select(AuditEntry).where(AuditEntry.action.like("certificate.s%"))) is None


def test_a_status_change_is_audited_and_a_refusal_explained(db, certified):
    certificate, _, coordinator, _ = certified
    url = f"/certificates/{certificate.number}"
    revoked = coordinator.post(f"{url}/revoke", data={"reason": "Нарушение условий", "confirm": "y"})
    assert revoked.status_code == 302
    refused = coordinator.post(f"{url}/suspend", data={"reason": "Ещё раз"})
    assert refused.status_code == 303 and refused.headers["Location"].endswith(url)
    assert "Отозванный сертификат больше не может меняться" in coordinator.get(url).get_data(as_text=True)
    entry = db.scalar(sa.select(AuditEntry).where(AuditEntry.action == "certificate.revoked"))
    assert entry.after == {"status": "revoked", "reason": "Нарушение условий"}


def test_the_detail_page_offers_only_what_the_status_allows(db, certified):
    certificate, _, coordinator, _ = certified
    url = f"/certificates/{certificate.number}"
    valid = coordinator.get(url).get_data(as_text=True)
    assert f"{url}/suspend" in valid and f"{url}/revoke" in valid and f"{url}/correct" in valid
    assert f"{url}/reinstate" not in valid
    coordinator.post(f"{url}/suspend", data={"reason": "Проверка жалобы"})
    suspended = coordinator.get(url).get_data(as_text=True)
    assert f"{url}/reinstate" in suspended and f"{url}/revoke" in suspended
    assert f"{url}/suspend" not in suspended and f"{url}/correct" not in suspended
    coordinator.post(f"{url}/reinstate", data={"reason": "Жалоба не подтвердилась"})
    db.expire_all()
    expired = db.get(Certificate, certificate.id)
    expired.expires_on = expired.issued_on - timedelta(days=1)
    db.commit()
    page = coordinator.get(url).get_data(as_text=True)
    assert all(f"{url}/{action}" not in page for action in ("suspend", "reinstate", "revoke", "correct"))


def test_a_holder_finds_their_certificates_in_the_menu(db, certified, client_for):
    certificate, application, _, case = certified
    holder = client_for(case.manager)
    page = holder.get("/certificates/mine").get_data(as_text=True)
    assert 'href="/certificates/mine"' in page and "Мои сертификаты" in page
    assert f"/certificates/{certificate.number}" in page and "действует" in page
    stranger = factories.make_user(db, Role.MANAGER)
    db.commit()
    other = client_for(stranger).get("/certificates/mine").get_data(as_text=True)
    assert certificate.number not in other and "пока нет сертификата" in other


def test_each_status_change_has_its_own_form_and_label(db, certified):
    certificate, _, coordinator, _ = certified
    url = f"/certificates/{certificate.number}"
    valid = coordinator.get(url).get_data(as_text=True)
    assert 'id="suspend-reason"' in valid and 'for="suspend-reason">Причина приостановки' in valid
    assert 'id="revoke-reason"' in valid and 'for="revoke-reason">Причина отзыва' in valid
    assert 'id="revoke-confirm"' in valid and "Я понимаю, что отзыв окончателен" in valid
    assert 'id="reinstate-reason"' not in valid and 'id="status-reason"' not in valid
    coordinator.post(f"{url}/suspend", data={"reason": "Проверка жалобы"})
    suspended = coordinator.get(url).get_data(as_text=True)
    assert 'for="reinstate-reason">Причина восстановления' in suspended and 'id="revoke-reason"' in suspended
    assert 'id="suspend-reason"' not in suspended


def test_revoking_without_the_confirmation_is_refused_and_keeps_the_reason(db, certified):
    certificate, _, coordinator, _ = certified
    url = f"/certificates/{certificate.number}"
    response = coordinator.post(f"{url}/revoke", data={"reason": "Нарушение условий"})
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'value="Нарушение условий"' in page and "Подтвердите, что понимаете: отзыв окончателен." in page
    # the other forms on the page stay empty
    assert page.count("Нарушение условий") == 1
    db.expire_all()
    assert db.get(Certificate, certificate.id).status == "valid"
    assert db.scalar(sa.select(AuditEntry).where(AuditEntry.action == "certificate.revoked")) is None


def test_the_message_says_which_certificate_changed_and_how(db, certified):
    certificate, _, coordinator, _ = certified
    url, number = f"/certificates/{certificate.number}", certificate.number
    for action, data, said in (
        ("suspend", {"reason": "Проверка жалобы"}, f"Сертификат {number} приостановлен."),
        ("reinstate", {"reason": "Жалоба не подтвердилась"}, f"Сертификат {number} восстановлен."),
        ("revoke", {"reason": "Нарушение условий", "confirm": "y"}, f"Сертификат {number} отозван."),
    ):
        page = coordinator.post(f"{url}/{action}", data=data, follow_redirects=True).get_data(as_text=True)
        assert said in page, action
        assert "Статус сертификата изменён" not in page
    history = coordinator.get(url).get_data(as_text=True)
    assert "Сертификат отозван. Причина: Нарушение условий" in history
    assert "Сертификат приостановлен. Причина: Проверка жалобы" in history
