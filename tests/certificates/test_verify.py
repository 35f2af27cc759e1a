"""Verification of uploaded PDFs: genuine certificates pass, everything else gets a reason, nothing raises."""

from __future__ import annotations

import hashlib
import os
from io import BytesIO

import pytest
from pyhanko.pdf_utils.generic import pdf_string
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

from certify.certificates import verify
from certify.certificates.render import render_certificate
from certify.certificates.signing import load_signing_key, sign_pdf
from certify.certificates.verify import MAX_PDF_BYTES, verify_certificate_pdf, verify_issued_pdf
from tests.certificates.test_render import make_context


@pytest.fixture(scope="module")
def key(tmp_path_factory):
    return load_signing_key(tmp_path_factory.mktemp("instance"))


@pytest.fixture(scope="module")
def unsigned_pdf() -> bytes:
    return render_certificate(make_context())


@pytest.fixture(scope="module")
def signed_pdf(unsigned_pdf, key) -> bytes:
    return sign_pdf(unsigned_pdf, key, reason="Certificate issued", location="Kazan")


def test_genuine_certificate(signed_pdf, key):
    result = verify_certificate_pdf(signed_pdf, [key.certificate])

    assert result.genuine
    assert result.reason == "ok"
    assert result.number == "CMQ-2026-000042"
    assert result.signer == "Certify development certification body"
    assert result.sha256 == hashlib.sha256(signed_pdf).hexdigest()


def test_a_changed_byte_inside_the_signed_range_is_detected(signed_pdf, key):
    # A byte inside the first compressed stream: the file still parses, but its digest changes.
    position = signed_pdf.index(b"stream\n", 100) + 50
    tampered = bytearray(signed_pdf)
    tampered[position] ^= 0x01

    result = verify_certificate_pdf(bytes(tampered), [key.certificate])

    assert not result.genuine
    assert result.reason == "modified_after_signing"


def test_an_appended_incremental_update_is_detected(signed_pdf, key):
    writer = IncrementalPdfFileWriter(BytesIO(signed_pdf))
    writer.root["/Lang"] = pdf_string("en")
    writer.update_root()
    output = BytesIO()
    writer.write(output)

    result = verify_certificate_pdf(output.getvalue(), [key.certificate])

    assert not result.genuine
    assert result.reason == "modified_after_signing"


def test_random_bytes_are_not_a_pdf(key):
    result = verify_certificate_pdf(os.urandom(4096), [key.certificate])
    assert (result.genuine, result.reason, result.number, result.signer) == (False, "not_a_pdf", None, None)


def test_unsigned_pdf_has_no_signature(unsigned_pdf, key):
    result = verify_certificate_pdf(unsigned_pdf, [key.certificate])
    assert (result.genuine, result.reason, result.number) == (False, "no_signature", "CMQ-2026-000042")


def test_signature_by_another_self_signed_key_is_untrusted(unsigned_pdf, key, tmp_path):
    # Another installation's development key: same certificate name, different key.
    stranger = load_signing_key(tmp_path)
    signed = sign_pdf(unsigned_pdf, stranger, reason="Certificate issued", location="Elsewhere")

    result = verify_certificate_pdf(signed, [key.certificate])

    assert not result.genuine
    assert result.reason == "untrusted_signer"


def test_without_trusted_certificates_nothing_is_genuine(signed_pdf):
    assert verify_certificate_pdf(signed_pdf, []).reason == "untrusted_signer"


def test_oversized_upload_is_refused_before_parsing(key, monkeypatch):
    monkeypatch.setattr(verify, "_open_pdf", pytest.fail)
    oversized = b"%PDF-1.7\n" + bytes(MAX_PDF_BYTES)

    result = verify_certificate_pdf(oversized, [key.certificate])

    assert (result.genuine, result.reason) == (False, "too_large")
    assert result.sha256 == hashlib.sha256(oversized).hexdigest()


@pytest.mark.parametrize("fraction", [0.1, 0.5, 0.9, 0.99])
def test_truncated_pdf_is_never_genuine(signed_pdf, key, fraction):
    result = verify_certificate_pdf(signed_pdf[: int(len(signed_pdf) * fraction)], [key.certificate])
    assert not result.genuine


@pytest.mark.parametrize(
    "garbage",
    [b"", b"%PDF-", b"%PDF-1.7\n%%EOF\n", b"%PDF-1.7\n" + bytes(range(256)) * 8, b"\x00" * 2048],
)
def test_garbage_never_raises(garbage, key):
    result = verify_certificate_pdf(garbage, [key.certificate])
    assert not result.genuine
    assert result.reason == "not_a_pdf"


def test_every_single_byte_flip_sample_is_rejected(signed_pdf, key):
    # A stride through the whole file, covering headers, xref tables and signature dictionary alike. The
    # check is the one /verify makes: a flip that turns a hex digit of the signature's /Contents from "a"
    # to "A" can leave the signature itself intact (seen: the stride sometimes lands on one), and then only
    # the issued file's SHA-256 tells the copy apart.
    issued = {"CMQ-2026-000042": hashlib.sha256(signed_pdf).hexdigest()}
    for position in range(0, len(signed_pdf), len(signed_pdf) // 25):
        tampered = bytearray(signed_pdf)
        tampered[position] ^= 0x20
        assert not verify_issued_pdf(bytes(tampered), [key.certificate], issued.get).genuine, position


def test_a_genuine_file_issued_under_its_number_is_accepted(signed_pdf, key):
    issued = {"CMQ-2026-000042": hashlib.sha256(signed_pdf).hexdigest()}

    result = verify_issued_pdf(signed_pdf, [key.certificate], issued.get)

    assert (result.genuine, result.reason, result.number) == (True, "ok", "CMQ-2026-000042")


@pytest.mark.parametrize(
    "issued",
    [
        pytest.param({}, id="a number never issued"),
        pytest.param({"CMQ-2026-000042": "0" * 64}, id="another file issued under the number"),
    ],
)
def test_a_signed_file_that_was_never_issued_is_refused(signed_pdf, key, issued):
    # e.g. rendered and signed in a transaction that was rolled back, or by a test instance with the key
    result = verify_issued_pdf(signed_pdf, [key.certificate], issued.get)

    assert (result.genuine, result.reason) == (False, "not_issued_here")
    assert result.sha256 == hashlib.sha256(signed_pdf).hexdigest()


def test_the_register_is_asked_only_about_genuine_files(unsigned_pdf, key):
    result = verify_issued_pdf(unsigned_pdf, [key.certificate], pytest.fail)

    assert result.reason == "no_signature"
