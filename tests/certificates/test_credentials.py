"""Open Badges 3.0 credentials with eddsa-jcs-2022 proofs, and the W3C Bitstring Status Lists."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import UTC, datetime

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from hypothesis import given
from hypothesis import strategies as st

from certify.certificates import credentials
from certify.certificates.models import Certificate
from tests.certificates.test_issuance import certified  # noqa: F401  (fixture)
from tests.review.test_scoring import in_review  # noqa: F401  (fixture)

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
    assert credentials.verify(secured, key.public_key())
    assert not credentials.verify(secured | {"name": "Сертификат CMQ-2026-000002"}, key.public_key())
    assert not credentials.verify(secured, Ed25519PrivateKey.generate().public_key())
    tampered_proof = secured | {"proof": secured["proof"] | {"created": "2020-01-01T00:00:00Z"}}
    assert not credentials.verify(tampered_proof, key.public_key())
    assert not credentials.verify({"name": "x"}, key.public_key())


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


def test_the_development_key_is_made_once_and_private(tmp_path):
    first = credentials.load_credential_key(tmp_path)
    again = credentials.load_credential_key(tmp_path)
    assert first.public_key().public_bytes_raw() == again.public_key().public_bytes_raw()
    assert (tmp_path / "signing" / credentials.KEY_FILE).stat().st_mode & 0o777 == 0o600


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
    (method,) = profile["verificationMethod"]
    assert profile["assertionMethod"] == [method["id"]]
    return credentials.public_key_from_multikey(method["publicKeyMultibase"]), method["id"]


def _json(response) -> dict:
    assert response.status_code == 200 and response.mimetype == "application/vc", response.status
    return json.loads(response.data)


def test_the_credential_is_an_open_badge_signed_by_the_body(db, certified, client):  # noqa: F811
    certificate, *_ = certified
    public_key, method = _issuer_key(client)
    badge = _json(client.get(f"/certificates/{certificate.number}.json"))
    assert badge["type"] == ["VerifiableCredential", "OpenBadgeCredential"]
    assert badge["proof"]["verificationMethod"] == method
    assert credentials.verify(badge, public_key)
    names = [i["identityHash"] for i in badge["credentialSubject"]["identifier"]]
    assert certificate.holder_name_ru in names
    assert certificate.level_name_ru in badge["credentialSubject"]["achievement"]["name"]
    assert badge["validUntil"].startswith(certificate.expires_on.isoformat())
    assert "@" not in json.dumps(badge, ensure_ascii=False).replace('"@context"', "")
    assert {entry["statusPurpose"] for entry in badge["credentialStatus"]} == {"revocation", "suspension"}
    assert client.get("/certificates/CMQ-2026-999999.json").status_code == 404
    assert client.get("/certificates/nonsense.json").status_code == 404


def _listed(client, badge: dict, purpose: str) -> bool:
    entry = next(e for e in badge["credentialStatus"] if e["statusPurpose"] == purpose)
    status_list = _json(client.get(entry["statusListCredential"].removeprefix("http://localhost")))
    public_key, _ = _issuer_key(client)
    assert credentials.verify(status_list, public_key)
    assert status_list["credentialSubject"]["statusPurpose"] == purpose
    bits = credentials.decode_status_list(status_list["credentialSubject"]["encodedList"])
    return credentials.is_set(bits, int(entry["statusListIndex"]))


def test_suspension_and_revocation_show_in_the_status_lists(db, certified, client):  # noqa: F811
    certificate, _, coordinator, _ = certified
    badge = _json(client.get(f"/certificates/{certificate.number}.json"))
    assert not _listed(client, badge, "revocation") and not _listed(client, badge, "suspension")
    url = f"/certificates/{certificate.number}"
    coordinator.post(f"{url}/suspend", data={"reason": "Проверка жалобы"})
    assert _listed(client, badge, "suspension") and not _listed(client, badge, "revocation")
    coordinator.post(f"{url}/reinstate", data={"reason": "Жалоба не подтвердилась"})
    assert not _listed(client, badge, "suspension")
    coordinator.post(f"{url}/revoke", data={"reason": "Нарушение условий"})
    assert _listed(client, badge, "revocation") and not _listed(client, badge, "suspension")
    assert db.get(Certificate, certificate.id).id == int(badge["credentialStatus"][0]["statusListIndex"])
    assert client.get("/credentials/status/other").status_code == 404
