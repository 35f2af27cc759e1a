"""The public endpoints: the registry (list, search, one certificate) and the standards."""

from __future__ import annotations

from certify.certificates import lifecycle
from certify.certificates.models import Certificate, CertificateStatus
from tests.api.helpers import copies_of, is_problem
from tests.factories import install_default_standard


def test_the_registry_lists_certificates_in_force_with_what_the_public_may_see(db, registry, client):
    listing = client.get("/api/v1/certificates").get_json()
    assert [item["number"] for item in listing["items"]] == [c.number for c in registry.certificates]
    assert (listing["total"], listing["limit"], listing["next"]) == (7, 20, None)
    assert (listing["page"], listing["pages"]) == (1, 1)  # the first API version's fields, still there
    first = listing["items"][0]
    assert first["status"] == "valid" and first["in_force"] is True
    assert first["organisation"]["ru"] == registry.case.certificate.organisation_name_ru
    assert "@" not in str(listing) and "assessed_score" not in first


def test_a_revoked_certificate_leaves_the_list_but_answers_by_number_with_its_reason(db, registry, client):
    revoked = registry.certificates[1]
    lifecycle.change_status(db, revoked, registry.case.coordinator, CertificateStatus.REVOKED, "Подлог")
    db.commit()
    numbers = [item["number"] for item in client.get("/api/v1/certificates").get_json()["items"]]
    assert revoked.number not in numbers and len(numbers) == 6
    one = client.get(f"/api/v1/certificates/{revoked.number}").get_json()
    assert (one["status"], one["in_force"], one["status_reason"]) == ("revoked", False, "Подлог")


def test_search_finds_cyrillic_text_in_any_case(db, registry, client):
    (novgorod,) = copies_of(db, registry.case.certificate, 1, region="Великий Новгород")
    db.commit()
    for query in ("новгород", "НОВГОРОД", "Великий Новгород"):
        found = client.get("/api/v1/certificates", query_string={"q": query}).get_json()
        assert [item["number"] for item in found["items"]] == [novgorod.number], query
    everyone = client.get("/api/v1/certificates", query_string={"q": "КЛАСТЕР"}).get_json()
    assert everyone["total"] == 8
    assert client.get("/api/v1/certificates", query_string={"q": "%"}).get_json()["total"] == 0
    too_long = client.get("/api/v1/certificates", query_string={"q": "я" * 201})
    assert is_problem(too_long, 400, "invalid-parameter")["parameter"] == "q"


def test_one_certificate_by_number_is_counted_and_unknown_numbers_are_problems(db, registry, client):
    certificate = registry.case.certificate
    answer = client.get(f"/api/v1/certificates/{certificate.number}")
    assert answer.status_code == 200 and answer.get_json()["number"] == certificate.number
    db.expire_all()
    assert db.get(Certificate, certificate.id).lookups == 1
    unknown = is_problem(client.get("/api/v1/certificates/CMQ-2000-000000"), 404, "not-found")
    assert "CMQ-2000-000000" in unknown["detail"]
    is_problem(client.get("/api/v1/certificates/not-a-number"), 404, "not-found")


def test_standards_list_public_versions_and_one_version_whole(db, client):
    install_default_standard(db)
    db.commit()
    listing = client.get("/api/v1/standards").get_json()
    assert [(s["code"], s["version"], s["status"], s["current"]) for s in listing] == [
        ("cmq", "1.0", "published", True)
    ]
    assert listing[0]["url"] == "http://localhost/api/v1/standards/cmq/1.0"
    assert listing[0]["published_at"].endswith("+00:00")
    whole = client.get("/api/v1/standards/cmq/1.0").get_json()
    assert whole["definition"]["code"] == "cmq" and len(whole["sha256"]) == 64
    is_problem(client.get("/api/v1/standards/cmq/9.9"), 404, "not-found")
