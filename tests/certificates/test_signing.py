"""PAdES signing: the development key's life cycle, a PKCS#12 key, and signatures pyHanko accepts."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import stat
from io import BytesIO

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.asymmetric.padding import PKCS1v15
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import fields, signers
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.status import SignatureCoverageLevel
from pyhanko_certvalidator import ValidationContext

from certify.certificates.render import render_certificate
from certify.certificates.signing import DEVELOPMENT_KEY_FILE, load_signing_key, raises_pdf_version, sign_pdf
from tests.certificates.test_render import make_context


@pytest.fixture(scope="module")
def unsigned_pdf() -> bytes:
    return render_certificate(make_context())


@pytest.fixture(scope="module")
def development_key(tmp_path_factory):
    return load_signing_key(tmp_path_factory.mktemp("instance"))


def validation_status(signed: bytes, trust_root):
    reader = PdfFileReader(BytesIO(signed))
    (signature,) = reader.embedded_signatures
    context = ValidationContext(trust_roots=[trust_root], allow_fetching=False, revocation_mode="soft-fail")
    return signature, validate_pdf_signature(signature, context)


def test_development_key_is_generated_once_and_private(tmp_path):
    first = load_signing_key(tmp_path)
    second = load_signing_key(tmp_path)

    assert second.certificate.dump() == first.certificate.dump()
    key_file = tmp_path / "signing" / DEVELOPMENT_KEY_FILE
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600


def test_development_certificate_names_the_body_and_lasts_ten_years(development_key):
    certificate = development_key.certificate
    assert certificate.subject.native == {
        "common_name": "Certify development certification body",
        "organization_name": "Certify",
    }
    assert certificate.self_signed == "maybe"  # asn1crypto's answer for a matching issuer and subject
    validity = certificate["tbs_certificate"]["validity"]
    lifetime = validity["not_after"].native - validity["not_before"].native
    assert dt.timedelta(days=3650) <= lifetime <= dt.timedelta(days=3660)
    assert (certificate.public_key.algorithm, certificate.public_key.bit_size) == ("rsa", 3072)


def test_a_signed_certificate_stays_the_pdf_1_7_its_pdf_a_3_metadata_claims(unsigned_pdf, development_key):
    signed = sign_pdf(unsigned_pdf, development_key, reason="Certificate issued", location="Kazan")

    reader = PdfFileReader(BytesIO(signed))
    assert reader.input_version == (1, 7)
    assert "/Version" not in reader.root  # the catalog would override the header's version
    extensions = reader.root.get("/Extensions", {})
    assert not any(name.startswith("/ISO_") for name in extensions)  # ISO/TS 32001/32002 are PDF 2.0 only
    assert not raises_pdf_version(development_key)
    xmp = reader.root["/Metadata"].data.decode()
    assert 'pdfaid:part="3"' in xmp
    # PDF/A: the information dictionary and the XMP metadata name the same producer
    (producer,) = re.findall(r'pdf:Producer(?:="|>)([^"<]+)', xmp)
    assert reader.trailer["/Info"]["/Producer"] == producer


def test_an_ecdsa_key_would_raise_the_pdf_version(tmp_path, unsigned_pdf):
    path = tmp_path / "ecdsa.p12"
    path.write_bytes(make_pkcs12(b"pw", ec.generate_private_key(ec.SECP256R1())))
    key = load_signing_key(tmp_path, pkcs12_path=path, pkcs12_password=b"pw")

    signed = sign_pdf(unsigned_pdf, key, reason="Certificate issued", location="Kazan")

    assert raises_pdf_version(key)
    assert PdfFileReader(BytesIO(signed)).root["/Version"] == "/2.0"


def test_signature_is_intact_pades_sha256_and_trusted(unsigned_pdf, development_key):
    signed = sign_pdf(unsigned_pdf, development_key, reason="Certificate issued", location="Kazan")

    signature, status = validation_status(signed, development_key.certificate)
    assert status.bottom_line
    assert status.coverage == SignatureCoverageLevel.ENTIRE_FILE
    assert status.md_algorithm == "sha256"
    assert signature.sig_object["/SubFilter"] == "/ETSI.CAdES.detached"
    assert signature.field_name == "CertifySignature"
    assert signature.sig_object["/Reason"] == "Certificate issued"
    assert signature.sig_object["/Location"] == "Kazan"


def signed_attributes(signed: bytes) -> dict:
    (signature,) = PdfFileReader(BytesIO(signed)).embedded_signatures
    (signer_info,) = signature.signed_data["signer_infos"]
    return {attribute["type"].native: attribute["values"] for attribute in signer_info["signed_attrs"]}


def test_the_signed_attributes_are_those_pyhanko_signs_with_the_certificate_named_by_hash(
    unsigned_pdf, development_key
):
    ours = signed_attributes(sign_pdf(unsigned_pdf, development_key, reason="r", location="l"))
    signer = development_key.signer
    plain = signers.SimpleSigner(signer.signing_cert, signer.signing_key, signer.cert_registry)
    metadata = signers.PdfSignatureMetadata(
        field_name="CertifySignature", subfilter=fields.SigSeedSubFilter.PADES
    )
    writer = IncrementalPdfFileWriter(BytesIO(unsigned_pdf))
    theirs = signed_attributes(signers.sign_pdf(writer, metadata, signer=plain).getvalue())

    assert ours.keys() == theirs.keys() >= {"content_type", "message_digest", "signing_certificate_v2"}
    assert ours["signing_certificate_v2"].dump() == theirs["signing_certificate_v2"].dump()
    ((named,),) = (value["certs"] for value in ours["signing_certificate_v2"])
    assert named["cert_hash"].native == hashlib.sha256(development_key.certificate.dump()).digest()


def test_signing_is_an_incremental_update(unsigned_pdf, development_key):
    signed = sign_pdf(unsigned_pdf, development_key, reason="Certificate issued", location="Kazan")
    assert signed.startswith(unsigned_pdf)


def make_pkcs12(password: bytes, key=None) -> bytes:
    """A PKCS#12 file holding a key (RSA unless given) and a self-signed certificate, as in production."""
    key = key or rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Certify production test")])
    now = dt.datetime.now(dt.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=365))
        .sign(key, hashes.SHA256())
    )
    encryption = serialization.BestAvailableEncryption(password)
    return pkcs12.serialize_key_and_certificates(b"certify", key, certificate, None, encryption)


def test_pkcs12_key_signs_valid_signatures(tmp_path, unsigned_pdf):
    path = tmp_path / "production.p12"
    path.write_bytes(make_pkcs12(b"correct horse"))

    key = load_signing_key(tmp_path, pkcs12_path=path, pkcs12_password=b"correct horse")
    signed = sign_pdf(unsigned_pdf, key, reason="Certificate issued", location="Moscow")

    _, status = validation_status(signed, key.certificate)
    assert status.bottom_line
    assert not (tmp_path / "signing").exists()  # no development key made in production


def test_pkcs12_with_wrong_password_is_refused(tmp_path):
    path = tmp_path / "production.p12"
    path.write_bytes(make_pkcs12(b"correct horse"))

    with pytest.raises(ValueError):
        load_signing_key(tmp_path, pkcs12_path=path, pkcs12_password=b"wrong")


def test_preloaded_signer_signatures_verify_for_rsa_keys(development_key):
    data = b"certificate bytes"
    raw = development_key.signer.sign_raw(data, "sha256")
    public_key = serialization.load_der_public_key(development_key.certificate.public_key.dump())
    public_key.verify(raw, data, PKCS1v15(), hashes.SHA256())


def test_preloaded_signer_signatures_verify_for_ec_keys(tmp_path):
    path = tmp_path / "ecdsa.p12"
    path.write_bytes(make_pkcs12(b"pw", ec.generate_private_key(ec.SECP256R1())))
    key = load_signing_key(tmp_path, pkcs12_path=path, pkcs12_password=b"pw")
    data = b"certificate bytes"
    raw = key.signer.sign_raw(data, "sha256")
    public_key = serialization.load_der_public_key(key.certificate.public_key.dump())
    public_key.verify(raw, data, ec.ECDSA(hashes.SHA256()))
