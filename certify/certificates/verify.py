"""Checking an uploaded certificate PDF: is it one we signed, unchanged since, and the very file we issued?

The input is whatever a visitor uploads, so `verify_certificate_pdf` answers every input with a
`VerificationResult` and never raises: a parser error on garbage is an answer ("not_a_pdf"), not a bug.
`verify_issued_pdf` adds the register's word: the file's hash must be the one stored at issuance.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from io import BytesIO
from typing import Literal

from asn1crypto import x509 as asn1_x509
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.pdf_embedded import EmbeddedPdfSignature
from pyhanko.sign.validation.status import SignatureCoverageLevel
from pyhanko_certvalidator import ValidationContext

MAX_PDF_BYTES = 20 * 1024 * 1024
#: A PDF header may follow up to 1 KiB of junk (ISO 32000-1, Annex H); anything else is not a PDF.
HEADER_WINDOW = 1024
#: Longer keywords are not a number we wrote; do not echo them back.
MAX_NUMBER_LENGTH = 64

Reason = Literal[
    "ok",
    "too_large",
    "not_a_pdf",
    "no_signature",
    "modified_after_signing",
    "signature_invalid",
    "untrusted_signer",
    "not_issued_here",
]


@dataclass(frozen=True)
class VerificationResult:
    """The verdict on one uploaded PDF; `number` and `signer` are what the file claims."""

    genuine: bool
    reason: Reason
    number: str | None
    sha256: str
    signer: str | None


def verify_certificate_pdf(
    pdf_bytes: bytes, trusted_certificates: Iterable[asn1_x509.Certificate]
) -> VerificationResult:
    """Return whether `pdf_bytes` is a certificate signed by a trusted key and unchanged since."""
    digest = hashlib.sha256(pdf_bytes).hexdigest()
    # Checked before parsing: a huge upload must not cost parser time or memory.
    if len(pdf_bytes) > MAX_PDF_BYTES:
        return VerificationResult(False, "too_large", None, digest, None)
    opened = _open_pdf(pdf_bytes)
    if opened is None:
        return VerificationResult(False, "not_a_pdf", None, digest, None)
    number, signatures = opened
    if not signatures:
        return VerificationResult(False, "no_signature", number, digest, None)
    # The last signature is checked: it must cover the whole file, hence every earlier revision too.
    reason, signer = _check_signature(signatures[-1], list(trusted_certificates))
    return VerificationResult(reason == "ok", reason, number, digest, signer)


def verify_issued_pdf(
    pdf_bytes: bytes,
    trusted_certificates: Iterable[asn1_x509.Certificate],
    issued_sha256: Callable[[str], str | None],
) -> VerificationResult:
    """Return whether `pdf_bytes` is genuine and is the file issued under the number it states.

    `issued_sha256(number)` is the SHA-256 stored when that certificate was issued (None for a number never
    issued). A valid signature alone is not enough: the body's key also signs files that were never issued,
    such as a certificate rendered in a transaction that was then rolled back, or one from a test instance
    that shares the key; the register is what says a certificate exists.
    """
    result = verify_certificate_pdf(pdf_bytes, trusted_certificates)
    if result.genuine and (result.number is None or issued_sha256(result.number) != result.sha256):
        return replace(result, genuine=False, reason="not_issued_here")
    return result


def _open_pdf(pdf_bytes: bytes) -> tuple[str | None, list[EmbeddedPdfSignature]] | None:
    """Return the certificate number and the signatures, or None if the bytes are not a readable PDF."""
    if b"%PDF-" not in pdf_bytes[:HEADER_WINDOW]:
        return None
    try:
        reader = PdfFileReader(BytesIO(pdf_bytes))
        return _certificate_number(reader), list(reader.embedded_signatures)
    except Exception:  # pyHanko raises many types on damaged files; each one means "unreadable"
        return None


def _certificate_number(reader: PdfFileReader) -> str | None:
    """Return the number that render.py writes into the document's Keywords, if present."""
    # Indexing (not .get) dereferences indirect objects, and the Info dictionary is one.
    try:
        keywords = reader.trailer_view["/Info"]["/Keywords"]
    except KeyError:
        return None
    if not isinstance(keywords, str):
        return None
    number = keywords.strip()
    return number if 0 < len(number) <= MAX_NUMBER_LENGTH else None


def _check_signature(
    signature: EmbeddedPdfSignature, trusted: list[asn1_x509.Certificate]
) -> tuple[Reason, str | None]:
    # No fetching: verification must not reach the network on behalf of an uploaded file.
    context = ValidationContext(trust_roots=trusted, allow_fetching=False, revocation_mode="soft-fail")
    try:
        status = validate_pdf_signature(signature, context)
    except Exception:  # a malformed signature dictionary or CMS blob
        return "signature_invalid", None
    signer = status.signing_cert.subject.native.get("common_name") if status.signing_cert else None
    if not status.intact:
        return "modified_after_signing", signer
    if not status.valid:
        return "signature_invalid", signer
    # A certificate is final once signed: any later revision, even a harmless-looking one, is refused.
    if status.coverage != SignatureCoverageLevel.ENTIRE_FILE:
        return "modified_after_signing", signer
    if not status.trusted:
        return "untrusted_signer", signer
    return "ok", signer
