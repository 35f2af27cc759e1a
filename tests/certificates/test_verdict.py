"""The verifier leads with the verdict: in force, or NOT valid and why; unknown numbers get an answer too."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from babel.dates import format_date

from certify.certificates.forms import canonical_number
from certify.certificates.models import Certificate, CertificateStatus
from certify.timeutil import utcnow
from tests.stored import certificate_pdf


@pytest.mark.parametrize(
    "typed",
    [
        "CMQ-2026-000002",
        "cmq 2026 000002",
        "  Cmq–2026—000002 ",
        "CMQ2026000002",
        "cmq_2026.000002",
        "CMQ - 2026 - 000002",
    ],
)
def test_a_number_is_read_however_it_was_typed(typed):
    assert canonical_number(typed) == "CMQ-2026-000002"


@pytest.mark.parametrize("typed", ["cmq 2026 42", "CMQ-26-000002", "2026-000002", "CMQ-2026-0000021", ""])
def test_text_that_is_no_number_stays_as_typed_for_the_form_to_refuse(typed):
    assert canonical_number(typed) == typed.strip().upper()


def _set(db, certificate: Certificate, **changes) -> None:
    row = db.get(Certificate, certificate.id)
    for name, value in changes.items():
        setattr(row, name, value)
    db.commit()


def _upload(client, pdf: bytes):
    return client.post(
        "/verify", data={"file": (io.BytesIO(pdf), "c.pdf")}, content_type="multipart/form-data"
    )


def test_a_valid_certificate_is_declared_in_force(db, certified, client):
    certificate, *_ = certified
    page = client.get(f"/verify/{certificate.number}").get_data(as_text=True)
    assert "ДЕЙСТВИТЕЛЕН" in page and "НЕ ДЕЙСТВИТЕЛЕН" not in page
    assert f"действует до {format_date(certificate.expires_on, locale='ru')}" in page


def test_the_genuine_pdf_of_a_revoked_certificate_is_declared_not_valid(db, certified, client):
    certificate, _, coordinator, _ = certified
    genuine = certificate_pdf(certificate)
    coordinator.post(
        f"/certificates/{certificate.number}/revoke", data={"reason": "Нарушение условий", "confirm": "y"}
    )
    response = _upload(client, genuine)
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    verdict = page[page.index('class="alert') :]
    assert verdict.index("НЕ ДЕЙСТВИТЕЛЕН") < verdict.index("Срок, указанный в сертификате")
    assert "подлинный сертификат, выданный органом по сертификации, но сертификат больше не действует" in page
    assert "отозван" in page and "Нарушение условий" in page
    assert "alert-success" not in page


@pytest.mark.parametrize(
    ("status", "said"),
    [
        (CertificateStatus.SUSPENDED, "приостановлено"),
        (CertificateStatus.REVOKED, "отозван"),
    ],
)
def test_a_certificate_out_of_force_says_so_first_on_its_page(db, certified, client, status, said):
    certificate, *_ = certified
    _set(db, certificate, status=status.value, status_reason="Жалоба", status_changed_at=utcnow())
    page = client.get(f"/verify/{certificate.number}").get_data(as_text=True)
    assert page.index("НЕ ДЕЙСТВИТЕЛЕН") < page.index(certificate.organisation_name_ru)
    assert said in page and "Жалоба" in page and "alert-success" not in page


def test_an_expired_certificate_names_the_day_it_expired(db, certified, client):
    certificate, *_ = certified
    expired_on = certificate.issued_on - timedelta(days=1)
    _set(db, certificate, expires_on=expired_on)
    page = client.get(f"/verify/{certificate.number}").get_data(as_text=True)
    assert "НЕ ДЕЙСТВИТЕЛЕН" in page and f"истёк {format_date(expired_on, locale='ru')}" in page


def test_an_unknown_number_answers_no_such_certificate_on_the_verify_page(db, certified, client):
    response = client.get("/verify/CMQ-2026-999999")
    page = response.get_data(as_text=True)
    assert response.status_code == 404
    assert "Такого сертификата нет" in page and "CMQ-2026-999999" in page and 'type="file"' in page
    garbage = client.get("/verify/not-a-number")
    assert garbage.status_code == 404 and "Такого сертификата нет" in garbage.get_data(as_text=True)


def test_a_number_in_the_address_typed_loosely_leads_to_its_own_address(db, certified, client):
    certificate, *_ = certified
    loose = certificate.number.lower().replace("-", " ")
    response = client.get(f"/verify/{loose}")
    assert response.status_code == 301 and response.headers["Location"].endswith(
        f"/verify/{certificate.number}"
    )


def test_an_unknown_number_typed_in_the_form_is_answered_in_place(db, certified, client):
    response = client.post("/verify", data={"number": "cmq 2026 999999"})
    page = response.get_data(as_text=True)
    assert response.status_code == 404
    assert "Такого сертификата нет" in page and 'value="CMQ-2026-999999"' in page
    known = client.post("/verify", data={"number": certified[0].number.lower().replace("-", " ")})
    assert known.status_code == 302
