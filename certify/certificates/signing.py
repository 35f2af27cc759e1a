"""PAdES signatures on certificate PDFs, and the certification body's signing key.

Load the key once per process with `load_signing_key` and pass the returned `SigningKey` to every
`sign_pdf` call: building a signer parses certificates and keys, which should not happen per request.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import fcntl
import hashlib
import os
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path

from asn1crypto import keys as asn1_keys
from asn1crypto import tsp as asn1_tsp
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.asymmetric.padding import PKCS1v15
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.sign import attributes, fields, signers
from pyhanko.sign.general import as_signing_certificate_v2
from pyhanko.sign.signers import constants as signer_constants
from pyhanko.sign.signers.pdf_cms import CAdESSignedAttributeProviderSpec, PdfCMSSignedAttributes
from pyhanko_certvalidator.registry import SimpleCertificateStore
from pyhanko_certvalidator.util import get_pyca_cryptography_hash

DEVELOPMENT_COMMON_NAME = "Certify development certification body"
DEVELOPMENT_ORGANISATION = "Certify"
DEVELOPMENT_VALIDITY = dt.timedelta(days=3652)
DEVELOPMENT_KEY_FILE = "development-key.pem"
DEVELOPMENT_CERT_FILE = "development-cert.pem"


@dataclass(frozen=True)
class SigningKey:
    """A ready pyHanko signer and its certificate (asn1crypto), built once and reused."""

    signer: signers.Signer
    certificate: asn1_x509.Certificate
    #: room left in the PDF for this key's signature container (see _bytes_reserved)
    bytes_reserved: int


class PreloadedKeySigner(signers.SimpleSigner):
    """A SimpleSigner that keeps its private key parsed.

    SimpleSigner.sign_raw re-parses the key on every signature, and for RSA that re-runs
    cryptography's key validation (about 72 ms per signature instead of about 18 ms).
    """

    def __init__(self, private_key, certificate: asn1_x509.Certificate, registry: SimpleCertificateStore):
        der = private_key.private_bytes(
            serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
        super().__init__(
            signing_cert=certificate,
            signing_key=asn1_keys.PrivateKeyInfo.load(der),
            cert_registry=registry,
        )
        self._private_key = private_key
        self.signed_attr_prov_spec = PadesAttributesKeptParsed(certificate)

    def sign_raw(self, data: bytes, digest_algorithm: str) -> bytes:
        # signature_algo normalises e.g. "sha256_ecdsa" to "ecdsa"; it raises for exotic mechanisms.
        try:
            mechanism = self.get_signature_mechanism_for_digest(digest_algorithm).signature_algo
        except ValueError:
            mechanism = None
        hash_algorithm = get_pyca_cryptography_hash(digest_algorithm)
        key = self._private_key
        if mechanism == "ecdsa" and isinstance(key, ec.EllipticCurvePrivateKey):
            return key.sign(data, ec.ECDSA(hash_algorithm))
        if mechanism == "rsassa_pkcs1v15" and isinstance(key, rsa.RSAPrivateKey):
            return key.sign(data, PKCS1v15(), hash_algorithm)
        # Rarer mechanisms (RSASSA-PSS, EdDSA…): pyHanko's own path is correct, just slower.
        return super().sign_raw(data, digest_algorithm)


class PadesAttributesKeptParsed(CAdESSignedAttributeProviderSpec):
    """The signed attributes pyHanko gives a PAdES signature, with the signing-certificate-v2 value built
    once per key and kept as parsed DER.

    The value names the key's certificate by hash and issuer, so it is the same in every signature. Built
    from Python values, as pyHanko builds it, asn1crypto encodes it again each time the attributes are
    read (hundreds of times in one signature: about 8 ms of each signature's 12); decoded from its own
    DER it is read as bytes. For the signatures `sign_pdf` makes: PAdES, no CAdES extras, no timestamp.
    """

    def __init__(self, certificate: asn1_x509.Certificate):
        super().__init__(
            attr_settings=PdfCMSSignedAttributes(), signing_cert=certificate, is_pades=True, timestamper=None
        )
        self._kept = _SigningCertificateKept(certificate)

    def signed_attr_providers(self, data_digest: bytes, digest_algorithm: str):
        for provider in super().signed_attr_providers(data_digest, digest_algorithm):
            yield self._kept if isinstance(provider, attributes.SigningCertificateV2Provider) else provider


class _SigningCertificateKept(attributes.SigningCertificateV2Provider):
    def __init__(self, certificate: asn1_x509.Certificate):
        super().__init__(certificate)
        built = as_signing_certificate_v2(certificate)
        self._value = asn1_tsp.SigningCertificateV2.load(built.dump())

    async def build_attr_value(self, dry_run=False) -> asn1_tsp.SigningCertificateV2:
        return self._value


def load_signing_key(
    instance_path: Path, pkcs12_path: Path | None = None, pkcs12_password: bytes | None = None
) -> SigningKey:
    """Return the signing key: the PKCS#12 file in production, else the development key.

    The development key (RSA 3072, self-signed) lives in `instance_path/signing/` and is generated
    on first use only, so certificates signed yesterday still verify today.
    """
    if pkcs12_path is not None:
        return _pkcs12_signing_key(pkcs12_path, pkcs12_password)
    private_key, certificate = _load_or_create_development_key(instance_path / "signing")
    return _signing_key(private_key, certificate, [])


def _let_the_signer_name_the_producer(writer: IncrementalPdfFileWriter) -> None:
    """Drop the renderer's /Producer from the document information, in the signature's update.

    PDF/A requires the information dictionary and the XMP metadata to agree. Signing sets the XMP
    producer to pyHanko but appends pyHanko to an existing information /Producer ("WeasyPrint …;
    pyHanko …"); without one it writes pyHanko alone, and the two copies agree.
    """
    info_reference = writer.trailer.raw_get("/Info")
    info = info_reference.get_object()
    if "/Producer" in info:
        del info["/Producer"]
        writer.mark_update(info_reference)


def sign_pdf(
    pdf_bytes: bytes, key: SigningKey, *, reason: str, location: str, field_name: str = "CertifySignature"
) -> bytes:
    """Return `pdf_bytes` with a PAdES B-B signature (SHA-256) appended as an incremental update."""
    writer = IncrementalPdfFileWriter(BytesIO(pdf_bytes))
    _let_the_signer_name_the_producer(writer)
    metadata = signers.PdfSignatureMetadata(
        field_name=field_name,
        reason=reason,
        location=location,
        md_algorithm="sha256",
        subfilter=fields.SigSeedSubFilter.PADES,
    )
    return signers.sign_pdf(writer, metadata, signer=key.signer, bytes_reserved=key.bytes_reserved).getvalue()


def raises_pdf_version(key: SigningKey) -> bool:
    """Whether pyHanko signs with this key by declaring ISO/TS 32002 and raising the PDF to 2.0 (ECDSA on
    one of that extension's curves, EdDSA): a PDF/A-3 document, based on PDF 1.7, may not be PDF 2.0."""
    public_key = key.certificate.public_key
    if public_key.algorithm in ("ed25519", "ed448"):
        return True
    return public_key.algorithm == "ec" and public_key.curve[1] in signer_constants.ISO32002_CURVE_NAMES


def _signing_key(private_key, certificate: x509.Certificate, others: list[x509.Certificate]) -> SigningKey:
    signing_cert = _to_asn1(certificate)
    registry = SimpleCertificateStore.from_certs([signing_cert, *map(_to_asn1, others)])
    signer = PreloadedKeySigner(private_key, signing_cert, registry)
    return SigningKey(signer, signing_cert, _bytes_reserved(signer))


def _bytes_reserved(signer: signers.Signer) -> int:
    """The placeholder size for this signer's signatures, estimated once as pyHanko would each time.

    Left to size the placeholder itself, pyHanko builds a throw-away signature before every real one
    (about a third of the signing time). The container's size depends on the key, its certificates and
    the signed attributes, not on the PDF, so one dry run per key gives the same estimate.
    """
    attributes = PdfCMSSignedAttributes(signing_time=dt.datetime.now(dt.UTC))
    dummy = asyncio.run(
        signer.async_sign(
            hashlib.sha256().digest(), "sha256", dry_run=True, use_pades=True, signed_attr_settings=attributes
        )
    )
    size = len(dummy.dump()) * 2  # written into the PDF as hexadecimal
    return size + 2 * (size // 4)  # pyHanko's own 50 % margin


def _to_asn1(certificate: x509.Certificate) -> asn1_x509.Certificate:
    return asn1_x509.Certificate.load(certificate.public_bytes(serialization.Encoding.DER))


def _pkcs12_signing_key(path: Path, password: bytes | None) -> SigningKey:
    # The same parsing as SimpleSigner.load_pkcs12, but keeping the parsed key (see PreloadedKeySigner)
    # and raising on a bad file or password instead of returning None.
    private_key, certificate, others = pkcs12.load_key_and_certificates(path.read_bytes(), password)
    if private_key is None or certificate is None:
        raise ValueError(f"{path} holds no private key and certificate")
    return _signing_key(private_key, certificate, list(others))


def _load_or_create_development_key(folder: Path) -> tuple[rsa.RSAPrivateKey, x509.Certificate]:
    key_path, cert_path = folder / DEVELOPMENT_KEY_FILE, folder / DEVELOPMENT_CERT_FILE
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    # Several workers may start at once; the lock lets exactly one of them generate the key.
    with open(folder / ".lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not (key_path.exists() and cert_path.exists()):
            _write_development_key(key_path, cert_path)
    private_key = serialization.load_pem_private_key(key_path.read_bytes(), password=None)
    return private_key, x509.load_pem_x509_certificate(cert_path.read_bytes())


def _write_development_key(key_path: Path, cert_path: Path) -> None:
    # RSA, not ECDSA: for a key on a curve of ISO/TS 32002 pyHanko declares that extension and raises the
    # document to PDF 2.0, which the PDF/A-3 certificate (based on PDF 1.7) may not be. A development
    # key made earlier as ECDSA is kept, so that the certificates it signed still verify.
    private_key = rsa.generate_private_key(public_exponent=65537, key_size=3072)
    pem = private_key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    # Created with mode 0600 from the start: no moment where another user could read the key.
    descriptor = os.open(key_path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "wb") as key_file:
        key_file.write(pem)
    os.chmod(key_path, 0o600)  # O_CREAT's mode is ignored for a file that already existed
    cert_path.write_bytes(_self_signed_certificate(private_key).public_bytes(serialization.Encoding.PEM))


def _self_signed_certificate(private_key: rsa.RSAPrivateKey) -> x509.Certificate:
    name = x509.Name(
        [
            x509.NameAttribute(NameOID.COMMON_NAME, DEVELOPMENT_COMMON_NAME),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, DEVELOPMENT_ORGANISATION),
        ]
    )
    now = dt.datetime.now(dt.UTC)
    key_usage = x509.KeyUsage(
        digital_signature=True,
        content_commitment=True,
        key_encipherment=False,
        data_encipherment=False,
        key_agreement=False,
        key_cert_sign=False,
        crl_sign=False,
        encipher_only=False,
        decipher_only=False,
    )
    return (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(private_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + DEVELOPMENT_VALIDITY)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(key_usage, critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(private_key.public_key()), critical=False)
        .sign(private_key, hashes.SHA256())
    )
