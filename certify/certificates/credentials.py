"""Certificates as W3C Verifiable Credentials (Open Badges 3.0), and their W3C Bitstring Status Lists.

Pure functions of plain values and an Ed25519 key: no Flask, no database. Documents are secured with a
Data Integrity proof of the `eddsa-jcs-2022` cryptosuite (W3C Data Integrity EdDSA Cryptosuites v1.0):
the proof configuration and the document are each canonicalised with JCS (RFC 8785) and hashed with
SHA-256; the Ed25519 signature over both hashes is the proof value, multibase base58btc-encoded. JCS
needs no JSON-LD context loading, so a verifier checks a credential with nothing but the issuer's key.
"""

from __future__ import annotations

import base64
import gzip
import hashlib
import json
import os
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

VC_CONTEXT = "https://www.w3.org/ns/credentials/v2"
OB_CONTEXT = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
CRYPTOSUITE = "eddsa-jcs-2022"
PROOF_TYPE = "DataIntegrityProof"
#: The W3C recommendation's minimum, so that one certificate's bit hides among at least 131,072.
STATUS_LIST_MIN_BITS = 131_072
STATUS_PURPOSES = ("revocation", "suspension")
#: multicodec prefix of an Ed25519 public key (0xed as an unsigned varint), for Multikey
ED25519_MULTICODEC = b"\xed\x01"
BASE58_ALPHABET = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
KEY_FILE = "credential-key.pem"


# --- JSON Canonicalization Scheme (RFC 8785) --------------------------------------------------------


def canonical_json(value) -> bytes:
    """RFC 8785 for the JSON these documents hold: objects, arrays, strings, integers, booleans, null.

    Keys are ordered by their UTF-16 code units, as RFC 8785 requires (Python's own sort uses code
    points, which differs beyond the Basic Multilingual Plane). Floats are refused rather than risk
    differing from ECMAScript's number formatting; no credential here carries one.
    """
    return _canonical(value).encode("utf-8")


def _canonical(value) -> str:
    if isinstance(value, dict):
        items = sorted(value.items(), key=lambda item: item[0].encode("utf-16-be"))
        return "{" + ",".join(f"{_canonical(str(k))}:{_canonical(v)}" for k, v in items) + "}"
    if isinstance(value, list | tuple):
        return "[" + ",".join(_canonical(v) for v in value) + "]"
    if isinstance(value, float):
        raise TypeError("floats are not canonicalised here")
    # strings, integers, booleans and null: Python's JSON text equals ECMAScript's for these
    return json.dumps(value, ensure_ascii=False)


# --- multibase --------------------------------------------------------------------------------------


def base58btc(data: bytes) -> str:
    """Bitcoin's base58 (leading zero bytes become '1's)."""
    number = int.from_bytes(data, "big")
    encoded = ""
    while number:
        number, remainder = divmod(number, 58)
        encoded = BASE58_ALPHABET[remainder] + encoded
    return "1" * (len(data) - len(data.lstrip(b"\0"))) + encoded


def from_base58btc(text: str) -> bytes:
    number = 0
    for character in text:
        number = number * 58 + BASE58_ALPHABET.index(character)
    body = number.to_bytes((number.bit_length() + 7) // 8, "big") if number else b""
    return b"\0" * (len(text) - len(text.lstrip("1"))) + body


def multikey(public_key: Ed25519PublicKey) -> str:
    """The key as a Multikey `publicKeyMultibase` value ('z6Mk…')."""
    raw = public_key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return "z" + base58btc(ED25519_MULTICODEC + raw)


def public_key_from_multikey(value: str) -> Ed25519PublicKey:
    data = from_base58btc(value.removeprefix("z"))
    if not value.startswith("z") or not data.startswith(ED25519_MULTICODEC):
        raise ValueError("not a base58btc Ed25519 Multikey")
    return Ed25519PublicKey.from_public_bytes(data[len(ED25519_MULTICODEC) :])


# --- Data Integrity proofs (eddsa-jcs-2022) ---------------------------------------------------------


def _hash_data(proof_config: dict, document: dict) -> bytes:
    return (
        hashlib.sha256(canonical_json(proof_config)).digest()
        + hashlib.sha256(canonical_json(document)).digest()
    )


def verification_method(issuer_id: str) -> str:
    """The id of the issuer's key, as its Profile lists it and as every proof names it."""
    return f"{issuer_id}#key-1"


def secure(document: dict, key: Ed25519PrivateKey, method: str, created: datetime) -> dict:
    """The document with an `assertionMethod` proof by `key` (the proof repeats the document's @context)."""
    proof = {
        "type": PROOF_TYPE,
        "cryptosuite": CRYPTOSUITE,
        "created": created.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "verificationMethod": method,
        "proofPurpose": "assertionMethod",
    }
    if "@context" in document:
        proof["@context"] = document["@context"]
    signature = key.sign(_hash_data(proof, document))
    return document | {"proof": proof | {"proofValue": "z" + base58btc(signature)}}


def verify_credential(secured: dict, public_key: Ed25519PublicKey) -> bool:
    """True when the document's eddsa-jcs-2022 proof was made by `public_key` over this very content.

    The steps of the cryptosuite's "Verify Proof": the proof without its value is the proof configuration;
    the document without its proof, with the proof's @context (which the document's must start with), is
    what was signed. Resolving `verificationMethod` to a key is the caller's part.
    """
    proof = secured.get("proof")
    if not isinstance(proof, dict):
        return False  # absent, or a proof set, which these documents never carry
    if proof.get("type") != PROOF_TYPE or proof.get("cryptosuite") != CRYPTOSUITE:
        return False
    options = {k: v for k, v in proof.items() if k != "proofValue"}
    document = {k: v for k, v in secured.items() if k != "proof"}
    if "@context" in options:
        context, expected = _as_list(document.get("@context")), _as_list(options["@context"])
        if context[: len(expected)] != expected:
            return False
        document["@context"] = options["@context"]
    proof_value = proof.get("proofValue")
    if not isinstance(proof_value, str) or not proof_value.startswith("z"):
        return False
    try:
        public_key.verify(from_base58btc(proof_value[1:]), _hash_data(options, document))
    except (InvalidSignature, ValueError, TypeError):
        return False
    return True


def _as_list(value) -> list:
    return value if isinstance(value, list) else [] if value is None else [value]


# --- the credential ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class CredentialFacts:
    """What a certificate states, as plain values, and where its issuer and status lists live.

    `subject_kind` "person": the credential's subject is the attested person (`holder_name_*`), never
    with an e-mail address; "organisation": the organisation (`holder_name_*`, if any, is the head an
    organisation's certificate issued before issue 16 named).
    """

    number: str
    holder_name_ru: str
    holder_name_en: str
    organisation_name_ru: str
    organisation_name_en: str
    standard_code: str
    standard_version: str
    standard_title_ru: str
    standard_title_en: str
    level_id: str
    level_name_ru: str
    level_name_en: str
    issued_on: date
    expires_on: date
    status_index: int
    credential_url: str
    verify_url: str
    issuer: dict
    status_list_urls: dict[str, str]
    subject_kind: str = "organisation"
    #: the document's name, e.g. «Аттестат кластерного менеджера» (a person's credential is named by it)
    document_name_ru: str = "Сертификат"
    document_name_en: str = "Certificate"
    #: a person's competence areas passed, (ru, en) each
    areas_passed: tuple[tuple[str, str], ...] = ()

    @property
    def is_person(self) -> bool:
        return self.subject_kind == "person"


def issuer_profile(
    issuer_url: str, home_url: str, names: tuple[str, str], public_key: Ed25519PublicKey
) -> dict:
    """The Open Badges issuer Profile, with the key that verifies its credentials."""
    method = verification_method(issuer_url)
    return {
        "@context": [VC_CONTEXT, OB_CONTEXT, "https://w3id.org/security/multikey/v1"],
        "id": issuer_url,
        "type": ["Profile"],
        "name": f"{names[0]} / {names[1]}",
        "url": home_url,
        "verificationMethod": [
            {
                "id": method,
                "type": "Multikey",
                "controller": issuer_url,
                "publicKeyMultibase": multikey(public_key),
            }
        ],
        "assertionMethod": [method],
    }


def open_badge(facts: CredentialFacts, key: Ed25519PrivateKey, created: datetime) -> dict:
    """The certificate's OpenBadgeCredential, signed: only what the certificate itself states."""
    return secure(_badge(facts), key, verification_method(facts.issuer["id"]), created)


def _badge(facts: CredentialFacts) -> dict:
    standard = f"{facts.standard_code} {facts.standard_version}"
    achievement_path = f"achievements/{facts.standard_code}/{facts.standard_version}/{facts.level_id}"
    # the subject is who is certified: the attested person, or the specialised organisation
    names = (
        (facts.holder_name_ru, facts.holder_name_en)
        if facts.is_person
        else (facts.organisation_name_ru, facts.organisation_name_en)
    )
    title = (
        f"{facts.document_name_ru} {facts.number} / {facts.document_name_en} {facts.number}"
        if facts.is_person
        else f"Сертификат {facts.number} / Certificate {facts.number}"
    )
    return {
        "@context": [VC_CONTEXT, OB_CONTEXT],
        "id": facts.credential_url,
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "name": title,
        "issuer": {k: v for k, v in facts.issuer.items() if k in ("id", "type", "name", "url")},
        "validFrom": f"{facts.issued_on.isoformat()}T00:00:00Z",
        "validUntil": f"{facts.expires_on.isoformat()}T23:59:59Z",
        "credentialSubject": {
            "type": ["AchievementSubject"],
            "identifier": [
                {"type": "IdentityObject", "identityType": "name", "hashed": False, "identityHash": subject}
                for subject in dict.fromkeys(names)
            ],
            "achievement": {
                "id": f"{facts.issuer['id']}/{achievement_path}",
                "type": ["Achievement"],
                **_achievement(facts),
                "description": (
                    f"{facts.standard_title_ru} ({standard}): уровень «{facts.level_name_ru}». "
                    f"{facts.standard_title_en} ({standard}): level “{facts.level_name_en}”."
                ),
                "criteria": {"id": facts.verify_url, "narrative": _narrative(facts)},
            },
        },
        "credentialStatus": [
            {
                "id": f"{facts.status_list_urls[purpose]}#{facts.status_index}",
                "type": "BitstringStatusListEntry",
                "statusPurpose": purpose,
                "statusListIndex": str(facts.status_index),
                "statusListCredential": facts.status_list_urls[purpose],
            }
            for purpose in STATUS_PURPOSES
        ],
    }


def _achievement(facts: CredentialFacts) -> dict:
    """The achievement's type and name. A person's attestation is time-limited, revocable and renewable:
    Open Badges 3.0 calls that a "Certification"; an organisation's, a "Certificate"."""
    if facts.is_person:
        return {
            "achievementType": "Certification",
            "name": (
                f"{facts.document_name_ru}: {facts.level_name_ru} / "
                f"{facts.document_name_en}: {facts.level_name_en}"
            ),
        }
    return {
        "achievementType": "Certificate",
        "name": (
            f"Качество управления кластером: {facts.level_name_ru} / "
            f"Cluster-management quality: {facts.level_name_en}"
        ),
    }


def _narrative(facts: CredentialFacts) -> str:
    """Who passed the assessment: the person with the areas they passed, or the organisation (with the
    head an older certificate names)."""
    if facts.is_person:
        areas_ru = "; ".join(ru for ru, _ in facts.areas_passed) or "—"
        areas_en = "; ".join(en for _, en in facts.areas_passed) or "—"
        return (
            f"{facts.holder_name_ru}: аттестация пройдена на уровне «{facts.level_name_ru}» — теоретический "
            "экзамен и практическая часть, оценённая независимыми экзаменаторами. Подтверждённые области "
            f"компетенций: {areas_ru}. "
            f"{facts.holder_name_en} passed the attestation at the level “{facts.level_name_en}”: a theory "
            "exam and a practical part assessed by independent examiners. Competence areas passed: "
            f"{areas_en}."
        )
    head_ru = f" (руководитель — {facts.holder_name_ru})" if facts.holder_name_ru else ""
    head_en = f" (head: {facts.holder_name_en})" if facts.holder_name_en else ""
    return (
        f"Специализированная организация кластера {facts.organisation_name_ru}{head_ru} прошла "
        "независимую оценку по стандарту. "
        f"The cluster's specialised organisation {facts.organisation_name_en}{head_en} passed an "
        "independent assessment against the standard."
    )


# --- Bitstring Status List --------------------------------------------------------------------------


def encode_status_list(indexes: Iterable[int], size: int = STATUS_LIST_MIN_BITS) -> str:
    """Multibase base64url (no padding) of the GZIP-compressed bitstring; bit 0 is the first byte's
    left-most bit. The list grows in whole blocks of the minimum size when an index needs it."""
    indexes = list(indexes)
    if any(index < 0 for index in indexes):
        raise ValueError("status list indexes start at 0")
    needed = max(indexes, default=-1) + 1
    size = max(size, -(-needed // STATUS_LIST_MIN_BITS) * STATUS_LIST_MIN_BITS)
    bits = bytearray(size // 8)
    for index in indexes:
        bits[index // 8] |= 0x80 >> (index % 8)
    compressed = gzip.compress(bytes(bits), mtime=0)
    return "u" + base64.urlsafe_b64encode(compressed).decode().rstrip("=")


def decode_status_list(encoded: str) -> bytes:
    if not encoded.startswith("u"):
        raise ValueError("the encoded list is not multibase base64url")
    body = encoded[1:]
    return gzip.decompress(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))


def is_set(bitstring: bytes, index: int) -> bool:
    return bool(bitstring[index // 8] & (0x80 >> (index % 8)))


def status_list_credential(
    url: str,
    purpose: str,
    set_indexes: Iterable[int],
    issuer: dict,
    key: Ed25519PrivateKey,
    *,
    created: datetime,
    ttl: timedelta | None = None,
) -> dict:
    """The signed BitstringStatusListCredential for one purpose: bit i set = the credential at index i has
    that status. `ttl` tells verifiers how long they may keep the list (the spec's `ttl`, milliseconds)."""
    if purpose not in STATUS_PURPOSES:
        raise ValueError(f"unknown status purpose {purpose!r}")
    status_list = {
        "id": f"{url}#list",
        "type": "BitstringStatusList",
        "statusPurpose": purpose,
        "encodedList": encode_status_list(set_indexes),
    }
    if ttl is not None:
        status_list["ttl"] = int(ttl.total_seconds() * 1000)
    document = {
        "@context": [VC_CONTEXT],
        "id": url,
        "type": ["VerifiableCredential", "BitstringStatusListCredential"],
        "issuer": issuer["id"],
        "validFrom": created.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "credentialSubject": status_list,
    }
    return secure(document, key, verification_method(issuer["id"]), created)


# --- the body's Ed25519 key -------------------------------------------------------------------------


def load_credential_key(instance_path: Path, configured: Path | None = None) -> Ed25519PrivateKey:
    """The configured PEM key in production; in development one generated once in `instance/signing/`."""
    path = configured or instance_path / "signing" / KEY_FILE
    if configured is None and not path.exists():
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        pem = Ed25519PrivateKey.generate().private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
        # written whole under a temporary name, then linked into place: a worker starting at the same
        # moment either links first or finds the complete file of the one that did
        temporary = path.with_name(f".{KEY_FILE}.{os.getpid()}")
        descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(pem)
        try:
            os.link(temporary, path)
        except FileExistsError:
            pass
        finally:
            temporary.unlink()
    key = serialization.load_pem_private_key(path.read_bytes(), password=None)
    if not isinstance(key, Ed25519PrivateKey):
        raise ValueError(f"{path} does not hold an Ed25519 private key")
    return key
