"""The holder downloads the certificate, its QR code leads to the verification page, and /verify accepts
the downloaded file as genuine."""

from __future__ import annotations

import subprocess

import pytest
import zxingcpp
from PIL import Image

from certify.accounts.models import Role
from certify.certificates.issuance import latest_for_decision
from certify.certificates.lifecycle import change_status
from certify.certificates.models import Certificate, CertificateStatus
from certify.demo.applications import submitted_application
from certify.demo.review import decide_after_review
from tests.browser.conftest import log_in
from tests.factories import install_default_standard, make_user
from tests.pdfs import pdf_text


def qr_codes_in(pdf_path, folder) -> list[str]:
    """The texts of the QR codes on the PDF's first page, read from a 150 dpi raster as a phone would."""
    subprocess.run(
        ["pdftoppm", "-png", "-r", "150", "-singlefile", str(pdf_path), str(folder / "page")], check=True
    )
    return [code.text for code in zxingcpp.read_barcodes(Image.open(folder / "page.png"))]


@pytest.fixture
def certified_holder(live_server, db):
    """A holder whose certificate was issued through the real path, as the demo takes it.

    Issued before the browser starts: Playwright's event loop would stop pyHanko's asyncio.run().
    """
    install_default_standard(db)
    holder = make_user(db, Role.MANAGER, full_name_ru="Елена Викторовна Куликова")
    coordinator = make_user(db, Role.COORDINATOR)
    lead, second = make_user(db, Role.ASSESSOR), make_user(db, Role.ASSESSOR)
    application = submitted_application(db, holder, seed=21, strength=0.9)
    decision = decide_after_review(db, application, coordinator, lead, second, seed=1)
    db.commit()
    return holder, application, latest_for_decision(db, decision.id)


def test_download_the_certificate_and_follow_its_qr_code(live_server, certified_holder, page, tmp_path, db):
    holder, application, certificate = certified_holder
    log_in(page, live_server, holder, f"/applications/{application.id}/summary")
    page.get_by_role("link", name=f"Сертификат {certificate.number}").click()
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Скачать сертификат (PDF)").click()
    download = download_info.value
    assert download.suggested_filename == f"{certificate.number}.pdf"
    pdf = tmp_path / download.suggested_filename
    download.save_as(pdf)
    text = pdf_text(pdf)
    assert certificate.number in text and certificate.organisation_name_ru in text

    (target,) = qr_codes_in(pdf, tmp_path)
    assert target == f"{live_server}/verify/{certificate.number}"
    page.goto(target)
    page.get_by_role("heading", name="Проверка сертификата").wait_for()
    assert page.locator("main").get_by_text(certificate.organisation_name_ru).first.is_visible()
    assert page.get_by_text("действует").first.is_visible()

    page.goto(f"{live_server}/verify")
    page.set_input_files("input[type=file]", str(pdf))
    page.locator("form:has(input[type=file]) button[type=submit]").click()
    page.get_by_text("подлинный").first.wait_for()
    assert page.locator(".verdict").get_by_text("ДЕЙСТВИТЕЛЕН", exact=True).is_visible()

    # the same genuine file, once the certificate is revoked, is declared NOT valid first of all
    revoked = db.get(Certificate, certificate.id)
    change_status(db, revoked, "coordinator", CertificateStatus.REVOKED, "Нарушение условий сертификации")
    db.commit()
    page.goto(f"{live_server}/verify")
    page.set_input_files("input[type=file]", str(pdf))
    page.locator("form:has(input[type=file]) button[type=submit]").click()
    verdict = page.locator(".verdict")
    verdict.get_by_text("НЕ ДЕЙСТВИТЕЛЕН").wait_for()
    assert verdict.get_by_text("Нарушение условий сертификации").is_visible()
    assert page.locator(".alert-success").count() == 0
