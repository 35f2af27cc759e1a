"""Open Badges 3.0 credentials with eddsa-jcs-2022 proofs, and the W3C Bitstring Status Lists."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import UTC, date, datetime, timedelta

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from hypothesis import given
from hypothesis import strategies as st

from certify.certificates import credentials
from certify.certificates.models import Certificate
from tests.certificates.test_lifecycle import correction_form

CREATED = datetime(2026, 11, 28, 10, 0, tzinfo=UTC)


# --- pure parts ---------------------------------------------------------------------------------------


def test_jcs_orders_keys_by_utf16_code_units_and_keeps_unicode():
    document = {"б": 1, "a": "Кластер «Ё»", "\U0001f600": True, "\ufb01": None, "z": [2, {"y": 1, "x": 0}]}
    # U+1F600 is the surrogate pair D83D DE00, which sorts before U+FB01 in UTF-16 (not in code points)
    assert credentials.canonical_json(document).decode() == (
        '{"a":"Кластер «Ё»","z":[2,{"x":0,"y":1}],"б":1,"\U0001f600":true,"\ufb01":null}'
    )
    assert credentials.canonical_json({"s": 'q"\n\u001f'}) == b'{"s":"q\\"\\n\\u001f"}'
    with pytest.raises(TypeError):
        credentials.canonical_json({"score": 1.5})


@given(st.binary(max_size=64))
def test_base58btc_round_trips(data):
    assert credentials.from_base58btc(credentials.base58btc(data)) == data


def test_multikey_is_the_ed25519_multicodec_form():
    key = Ed25519PrivateKey.generate().public_key()
    value = credentials.multikey(key)
    assert value.startswith("z6Mk")
    assert credentials.public_key_from_multikey(value).public_bytes_raw() == key.public_bytes_raw()


def test_a_proof_verifies_and_any_change_breaks_it():
    key = Ed25519PrivateKey.generate()
    document = {"@context": [credentials.VC_CONTEXT], "name": "Сертификат CMQ-2026-000001"}
    secured = credentials.secure(
        document, key, "https://certify.example.org/credentials/issuer#key-1", CREATED
    )
    assert secured["proof"]["cryptosuite"] == "eddsa-jcs-2022"
    assert secured["proof"]["proofValue"].startswith("z")
    public_key = key.public_key()
    assert credentials.verify_credential(secured, public_key)
    assert not credentials.verify_credential(secured | {"name": "Сертификат CMQ-2026-000002"}, public_key)
    assert not credentials.verify_credential(secured | {"extra": True}, public_key)
    assert not credentials.verify_credential(secured, Ed25519PrivateKey.generate().public_key())
    for change in (
        {"created": "2020-01-01T00:00:00Z"},
        {"type": "Ed25519Signature2020"},
        {"proofValue": secured["proof"]["proofValue"][1:]},  # not multibase base58btc
        {"proofValue": "z0OIl"},  # not base58 at all
        {"@context": [credentials.VC_CONTEXT, credentials.OB_CONTEXT]},  # not what the document starts with
    ):
        assert not credentials.verify_credential(secured | {"proof": secured["proof"] | change}, public_key)
    assert not credentials.verify_credential({"name": "x"}, public_key)


# The eddsa-jcs-2022 test vector of W3C Data Integrity EdDSA Cryptosuites v1.0 (appendix, "Representation:
# eddsa-jcs-2022"): its key pair, unsigned credential and proof value.
VECTOR_PUBLIC_KEY = "z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2"
VECTOR_PRIVATE_KEY = "z3u2en7t5LR2WtQH5PfFqMqwVHBeXouLzo6haApm8XHqvjxq"  # multicodec 0x8026 + 32 bytes
VECTOR_DOCUMENT = {
    "@context": ["https://www.w3.org/ns/credentials/v2", "https://www.w3.org/ns/credentials/examples/v2"],
    "id": "urn:uuid:58172aac-d8ba-11ed-83dd-0b3aef56cc33",
    "type": ["VerifiableCredential", "AlumniCredential"],
    "name": "Alumni Credential",
    "description": "A minimum viable example of an Alumni Credential.",
    "issuer": "https://vc.example/issuers/5678",
    "validFrom": "2023-01-01T00:00:00Z",
    "credentialSubject": {"id": "did:example:abcdefgh", "alumniOf": "The School of Examples"},
}
VECTOR_PROOF_VALUE = (
    "z63t83Y53KfzJ5ZosfKTnqfMcKB2dmTrfjSaQjeNNjAD5srBowQfmWqeRb8rRjmeEuCBEsddF9LsVogtuTsijJKh4"
)


def test_the_w3c_test_vector_is_reproduced_and_verified():
    secret = credentials.from_base58btc(VECTOR_PRIVATE_KEY[1:])
    assert secret[:2] == b"\x80\x26"
    key = Ed25519PrivateKey.from_private_bytes(secret[2:])
    assert credentials.multikey(key.public_key()) == VECTOR_PUBLIC_KEY
    method = f"https://vc.example/issuers/5678#{VECTOR_PUBLIC_KEY}"
    secured = credentials.secure(VECTOR_DOCUMENT, key, method, datetime(2023, 2, 24, 23, 36, 38, tzinfo=UTC))
    assert secured["proof"]["proofValue"] == VECTOR_PROOF_VALUE
    public_key = credentials.public_key_from_multikey(VECTOR_PUBLIC_KEY)
    assert credentials.verify_credential(secured, public_key)


@given(st.sets(st.integers(min_value=0, max_value=300_000), max_size=40))
def test_status_lists_round_trip_and_hide_in_at_least_131072_bits(indexes):
    bits = credentials.decode_status_list(credentials.encode_status_list(indexes))
    assert len(bits) * 8 >= credentials.STATUS_LIST_MIN_BITS
    assert len(bits) * 8 % credentials.STATUS_LIST_MIN_BITS == 0
    for index in indexes:
        assert credentials.is_set(bits, index)
    assert sum(bin(byte).count("1") for byte in bits) == len(indexes)


def test_bit_zero_is_the_left_most_bit_of_the_first_byte():
    bits = credentials.decode_status_list(credentials.encode_status_list([0, 9]))
    assert bits[:2] == bytes([0b1000_0000, 0b0100_0000])
    assert len(bits) == 16 * 1024  # 131,072 bits, however few are set
    assert len(credentials.decode_status_list(credentials.encode_status_list([]))) == 16 * 1024
    with pytest.raises(ValueError):
        credentials.encode_status_list([-1])
    with pytest.raises(ValueError):
        credentials.decode_status_list("z" + credentials.encode_status_list([1])[1:])


ISSUER_URL = "https://certify.example.org/credentials/issuer"


def _facts(**changes) -> credentials.CredentialFacts:
    key = Ed25519PrivateKey.generate()
    issuer = credentials.issuer_profile(
        ISSUER_URL, "https://certify.example.org/", ("Орган", "Body"), key.public_key()
    )
    values = {
        "number": "CMQ-2026-000007",
        "holder_name_ru": "Иванова Мария Сергеевна",
        "holder_name_en": "Maria Ivanova",
        "organisation_name_ru": "АНО «Кластер»",
        "organisation_name_en": "Cluster ANO",
        "standard_code": "CMQ",
        "standard_version": "1.0",
        "standard_title_ru": "Стандарт",
        "standard_title_en": "Standard",
        "level_id": "basic",
        "level_name_ru": "Базовый",
        "level_name_en": "Basic",
        "issued_on": date(2026, 11, 28),
        "expires_on": date(2028, 11, 27),
        "status_index": 7,
        "credential_url": "https://certify.example.org/certificates/CMQ-2026-000007.json",
        "verify_url": "https://certify.example.org/verify/CMQ-2026-000007",
        "issuer": issuer,
        "status_list_urls": {
            p: f"https://certify.example.org/credentials/status/{p}" for p in ("revocation", "suspension")
        },
    }
    return credentials.CredentialFacts(**(values | changes)), key


def test_the_open_badge_states_the_certificate_and_is_signed():
    facts, key = _facts()
    badge = credentials.open_badge(facts, key, CREATED)
    assert badge["@context"] == [credentials.VC_CONTEXT, credentials.OB_CONTEXT]
    assert badge["type"] == ["VerifiableCredential", "OpenBadgeCredential"]
    assert badge["issuer"]["id"] == ISSUER_URL and badge["issuer"]["type"] == ["Profile"]
    assert "verificationMethod" not in badge["issuer"]
    assert (badge["validFrom"], badge["validUntil"]) == ("2026-11-28T00:00:00Z", "2028-11-27T23:59:59Z")
    subject = badge["credentialSubject"]
    assert subject["type"] == ["AchievementSubject"]
    assert [i["identityHash"] for i in subject["identifier"]] == ["АНО «Кластер»", "Cluster ANO"]
    achievement = subject["achievement"]
    assert achievement["type"] == ["Achievement"] and achievement["achievementType"] == "Certificate"
    assert "Cluster-management quality: Basic" in achievement["name"]
    assert (
        "АНО «Кластер» (руководитель — Иванова Мария Сергеевна) прошла"
        in achievement["criteria"]["narrative"]
    )
    assert "Cluster ANO (head: Maria Ivanova) passed" in achievement["criteria"]["narrative"]
    assert [(e["type"], e["statusPurpose"], e["statusListIndex"]) for e in badge["credentialStatus"]] == [
        ("BitstringStatusListEntry", "revocation", "7"),
        ("BitstringStatusListEntry", "suspension", "7"),
    ]
    proof = badge["proof"]
    assert proof["verificationMethod"] == f"{ISSUER_URL}#key-1"
    assert proof["verificationMethod"] == facts.issuer["verificationMethod"][0]["id"]
    assert credentials.verify_credential(badge, key.public_key())
    text = json.dumps(badge, ensure_ascii=False)
    one_character = text.replace("Мария", "Марья", 1)
    assert not credentials.verify_credential(json.loads(one_character), key.public_key())


def test_a_status_list_credential_is_signed_and_marks_its_indexes():
    key = Ed25519PrivateKey.generate()
    url = "https://certify.example.org/credentials/status/suspension"
    document = credentials.status_list_credential(
        url, "suspension", [3, 5], {"id": ISSUER_URL}, key, created=CREATED, ttl=timedelta(minutes=5)
    )
    assert document["type"] == ["VerifiableCredential", "BitstringStatusListCredential"]
    subject = document["credentialSubject"]
    assert (subject["type"], subject["statusPurpose"], subject["ttl"]) == (
        "BitstringStatusList",
        "suspension",
        300_000,
    )
    bits = credentials.decode_status_list(subject["encodedList"])
    assert [i for i in range(8) if credentials.is_set(bits, i)] == [3, 5]
    assert credentials.verify_credential(document, key.public_key())
    with pytest.raises(ValueError):
        credentials.status_list_credential(url, "other", [], {"id": ISSUER_URL}, key, created=CREATED)


def test_the_development_key_is_made_once_and_private(tmp_path):
    first = credentials.load_credential_key(tmp_path)
    again = credentials.load_credential_key(tmp_path)
    assert first.public_key().public_bytes_raw() == again.public_key().public_bytes_raw()
    assert (tmp_path / "signing" / credentials.KEY_FILE).stat().st_mode & 0o777 == 0o600
    configured = tmp_path / "signing" / credentials.KEY_FILE
    assert credentials.load_credential_key(
        tmp_path / "elsewhere", configured
    ).public_key().public_bytes_raw() == (first.public_key().public_bytes_raw())
    assert not (tmp_path / "elsewhere").exists()  # a configured key is only read, never made


def test_the_credential_module_is_pure():
    code = (
        "import sys, certify.certificates.credentials;"
        "print('flask' in sys.modules, 'sqlalchemy' in sys.modules)"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "False False"


# --- served by the app --------------------------------------------------------------------------------


def _issuer_key(client):
    profile = client.get("/credentials/issuer").get_json()
    assert profile["id"].endswith("/credentials/issuer")
    (method,) = profile["verificationMethod"]
    assert profile["assertionMethod"] == [method["id"]]
    return credentials.public_key_from_multikey(method["publicKeyMultibase"]), method["id"]


def _json(response) -> dict:
    assert response.status_code == 200 and response.mimetype == "application/vc", response.status
    return json.loads(response.data)


def test_the_credential_is_an_open_badge_signed_by_the_body(db, certified, client):
    certificate, application, *_ = certified
    public_key, method = _issuer_key(client)
    response = client.get(f"/certificates/{certificate.number}.json")
    badge = _json(response)
    assert certificate.organisation_name_ru.encode() in response.data  # UTF-8, not \u escapes
    assert badge["type"] == ["VerifiableCredential", "OpenBadgeCredential"]
    assert badge["proof"]["verificationMethod"] == method
    assert badge["issuer"]["id"] == method.removesuffix("#key-1")
    assert credentials.verify_credential(badge, public_key)
    assert response.data == client.get(f"/certificates/{certificate.number}.json").data  # stable
    names = [i["identityHash"] for i in badge["credentialSubject"]["identifier"]]
    assert certificate.organisation_name_ru in names and len(names) == 2  # the organisation, no person
    assert application.created_by.full_name_ru not in json.dumps(badge, ensure_ascii=False)
    assert certificate.level_name_ru in badge["credentialSubject"]["achievement"]["name"]
    assert badge["validUntil"].startswith(certificate.expires_on.isoformat())
    assert "@" not in json.dumps(badge, ensure_ascii=False).replace('"@context"', "")
    assert {entry["statusPurpose"] for entry in badge["credentialStatus"]} == {"revocation", "suspension"}
    assert client.get("/certificates/CMQ-2026-999999.json").status_code == 404
    assert client.get("/certificates/nonsense.json").status_code == 404


def _listed(client, badge: dict, purpose: str) -> bool:
    entry = next(e for e in badge["credentialStatus"] if e["statusPurpose"] == purpose)
    response = client.get(entry["statusListCredential"].removeprefix("http://localhost"))
    assert response.cache_control.max_age == 300
    status_list = _json(response)
    public_key, _ = _issuer_key(client)
    assert credentials.verify_credential(status_list, public_key)
    assert status_list["credentialSubject"]["statusPurpose"] == purpose
    bits = credentials.decode_status_list(status_list["credentialSubject"]["encodedList"])
    return credentials.is_set(bits, int(entry["statusListIndex"]))


def test_suspension_and_revocation_show_in_the_status_lists(db, certified, client):
    certificate, _, coordinator, _ = certified
    badge = _json(client.get(f"/certificates/{certificate.number}.json"))
    assert not _listed(client, badge, "revocation") and not _listed(client, badge, "suspension")
    url = f"/certificates/{certificate.number}"
    coordinator.post(f"{url}/suspend", data={"reason": "Проверка жалобы"})
    assert _listed(client, badge, "suspension") and not _listed(client, badge, "revocation")
    coordinator.post(f"{url}/reinstate", data={"reason": "Жалоба не подтвердилась"})
    assert not _listed(client, badge, "suspension")
    coordinator.post(f"{url}/revoke", data={"reason": "Нарушение условий", "confirm": "y"})
    assert _listed(client, badge, "revocation") and not _listed(client, badge, "suspension")
    assert db.get(Certificate, certificate.id).id == int(badge["credentialStatus"][0]["statusListIndex"])
    assert client.get("/credentials/status/other").status_code == 404


def test_a_corrected_certificate_is_revoked_in_the_list(db, certified, client):
    certificate, _, coordinator, _ = certified
    old = _json(client.get(f"/certificates/{certificate.number}.json"))
    response = coordinator.post(
        f"/certificates/{certificate.number}/correct",
        data=correction_form(certificate, organisation_name_ru="АНО «Кластерный центр „Исток“»"),
    )
    assert response.status_code == 302
    new_number = response.headers["Location"].rsplit("/", 1)[1]
    new = _json(client.get(f"/certificates/{new_number}.json"))
    assert _listed(client, old, "revocation") and not _listed(client, new, "revocation")
