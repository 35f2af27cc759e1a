"""A person's attestation (issue 16): issuance, the PDF, verification, registry, JSON and credential.

Built on a decided application of cma 1.0 (tests/certificates/persons.py), on SQLite and on PostgreSQL.
"""

from __future__ import annotations

import io
import json
import re
import subprocess

import pytest
import sqlalchemy as sa

from certify.audit.models import AuditEntry
from certify.certificates import credentials, issuance
from certify.certificates.issuance import add_months
from certify.certificates.render import render_certificate
from tests import factories
from tests.certificates import persons
from tests.certificates.test_render import make_context
from tests.pdfs import pdf_text, poppler
from tests.stored import certificate_pdf, certificate_pdf_path

DOCUMENT = "Аттестат кластерного менеджера"
SCHEME = "Схема аттестации кластерных менеджеров"
AREAS_RU = (
    "Стратегия и цепочки создания стоимости",
    "Управление и участники",
    "Финансирование и независимость",
    "Услуги, совместные и международные проекты",
    "«Зелёные» приоритеты",
)
MONITORING_RU = "Мониторинг и оценка"


@pytest.fixture
def attested(db):
    """An attestation of Иванова Анна Сергеевна whose monitoring area (scored 1: 25 < 40) was not passed,
    issued after an organisation's certificate of the same year; committed."""
    organisation_case = factories.certified(db)
    case = persons.attested(db, scores={"mon": 1})
    db.commit()
    return case, organisation_case


def test_the_attestation_states_the_candidate_the_level_and_the_areas_passed(db, attested):
    case, organisation_case = attested
    certificate, standard = case.certificate, issuance.standard_of(case.application)
    year = certificate.issued_on.year
    # each series counts on its own: the organisation's CMQ-…-000001 does not push the person's number on
    assert organisation_case.certificate.number == f"CMQ-{year}-000001"
    assert certificate.number == f"CMA-{year}-000001"
    assert certificate.subject_kind == "person" and certificate.is_person
    assert (certificate.holder_name_ru, certificate.holder_name_en) == (persons.NAME_RU, persons.NAME_EN)
    assert (certificate.document_name_ru, certificate.document_name_en) == (
        DOCUMENT,
        "Cluster Manager Attestation",
    )
    assert (certificate.standard_code, certificate.standard_version, certificate.level_id) == (
        "cma",
        "1.0",
        "attested",
    )
    assert [area["id"] for area in certificate.areas_passed] == ["stg", "gov", "fin", "srv", "grn"]
    assert [area["ru"] for area in certificate.areas_passed] == list(AREAS_RU)
    assert standard.validity_months == 36
    assert certificate.expires_on == add_months(certificate.issued_on, 36)
    # the organisation is kept as issued, but the candidate has not agreed to show it
    assert certificate.organisation_name_ru == case.candidate.organisation.name_ru
    assert certificate.organisation_public is False
    entry = db.scalar(sa.select(AuditEntry).where(AuditEntry.subject_id == certificate.number))
    assert entry.action == "certificate.issued" and entry.after["kind"] == "person"
    # issuing again for the same decision (a retry) returns the same attestation
    assert issuance.issue_certificate(db, case.decision, case.coordinator).id == certificate.id


def test_a_second_attestation_of_the_year_takes_the_next_number_of_its_series(db, attested):
    case, _ = attested
    second = persons.attested(db, user=persons.candidate(db, full_name_ru="Петров Пётр Петрович"))
    assert second.certificate.number == case.certificate.number[:-6] + "000002"


def test_the_pdf_states_the_document_person_scheme_level_areas_dates_and_number(db, attested):
    case, _ = attested
    certificate = case.certificate
    path = certificate_pdf_path(certificate)
    text = " ".join(pdf_text(path).split())
    for stated in (
        DOCUMENT,
        "Cluster Manager Attestation",
        f"№ {certificate.number}",
        f"Настоящим удостоверяется, что / This is to certify that {persons.NAME_RU} {persons.NAME_EN}",
        f"соответствует требованиям схемы аттестации / meets the requirements of the attestation scheme "
        f"{SCHEME}",
        "cma v1.0",
        "Аттестован",
        "Подтверждённые области компетенций / Competence areas passed",
        *AREAS_RU,
        "Strategy and value chains",
        f"http://localhost/verify/{certificate.number}",
    ):
        assert stated in text, stated
    assert MONITORING_RU not in text  # the area not passed is not stated
    assert certificate.organisation_name_ru not in text  # nor the organisation the candidate did not agree to
    assert re.search(r"\d{1,2} [а-я]+ \d{4} г\.", text)  # the dates in Russian
    info = poppler("pdfinfo", path)
    assert f"Title:           {DOCUMENT} {certificate.number}" in info and "Pages:           1" in info
    assert all(row.split()[-5] == "yes" for row in poppler("pdffonts", path).splitlines()[2:])
    # poppler's own check of the signature (the development key is self-signed, so not trusted)
    checked = subprocess.run(["pdfsig", str(path)], capture_output=True, text=True).stdout
    assert "Signature Validation: Signature is Valid." in checked


def test_the_verification_page_says_it_is_a_managers_attestation_and_names_the_person(db, attested, client):
    case, _ = attested
    number = case.certificate.number
    page = client.get(f"/verify/{number}").get_data(as_text=True)
    main = page.split("<main")[1].split("</main>")[0]
    assert DOCUMENT in main and "Аттестованный специалист" in main and persons.NAME_RU in main
    assert "Подтверждённые области компетенций" in main and all(area in main for area in AREAS_RU)
    assert MONITORING_RU not in main and "cma 1.0" in main and "ДЕЙСТВИТЕЛЕН" in main
    assert case.certificate.organisation_name_ru not in main and "@" not in main
    # the QR code's URL, as printed on the PDF, and a number typed loosely lead to the same page
    printed = re.search(r"http://localhost(/verify/\S+)", pdf_text(certificate_pdf_path(case.certificate)))
    assert printed[1] == f"/verify/{number}"
    assert client.get(printed[1]).status_code == 200
    loose = client.get(f"/verify/{number.lower().replace('-', ' ')}")
    assert loose.status_code == 301 and loose.headers["Location"].endswith(f"/verify/{number}")


def test_the_uploaded_pdf_is_found_genuine_and_its_attestation_shown(db, attested, client):
    case, _ = attested
    genuine = certificate_pdf(case.certificate)
    response = client.post(
        "/verify", data={"file": (io.BytesIO(genuine), "a.pdf")}, content_type="multipart/form-data"
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "подлинный" in page
    assert DOCUMENT in page and persons.NAME_RU in page
    tampered = genuine.replace(b"/Keywords", b"/Keywordz", 1)
    refused = client.post(
        "/verify", data={"file": (io.BytesIO(tampered), "a.pdf")}, content_type="multipart/form-data"
    )
    assert refused.status_code == 422 and persons.NAME_RU not in refused.get_data(as_text=True)


def test_the_organisations_certificate_shows_no_person(db, attested, client):
    _, organisation_case = attested
    certificate, submitter = organisation_case.certificate, organisation_case.application.submitted_by
    page = client.get(f"/verify/{certificate.number}").get_data(as_text=True)
    assert "Сертификат организации" in page and DOCUMENT not in page
    assert submitter.full_name_ru not in page and "Аттестованный специалист" not in page
    view = client.get(f"/api/v1/certificates/{certificate.number}").get_json()
    assert view["subject_kind"] == "organisation" and view["person"] is None
    assert view["holder"] == {"ru": "", "en": ""}


def test_the_registry_lists_attested_managers_found_by_name_in_any_case(db, attested, client):
    case, organisation_case = attested
    person, organisation = case.certificate.number, organisation_case.certificate.number
    everyone = client.get("/registry").get_data(as_text=True)
    assert person in everyone and organisation in everyone and persons.NAME_RU in everyone
    for query in ("иван", "ИВАНОВА", "Anna iv"):
        found = client.get("/registry", query_string={"q": query}).get_data(as_text=True)
        assert person in found and organisation not in found, query
    managers = client.get("/registry?kind=person").get_data(as_text=True)
    assert person in managers and organisation not in managers
    organisations = client.get("/registry?kind=organisation").get_data(as_text=True)
    assert organisation in organisations and person not in organisations
    # the organisation the candidate did not agree to show is neither shown nor searchable
    hidden = case.certificate.organisation_name_ru
    assert hidden not in everyone
    assert person not in client.get("/registry", query_string={"q": hidden}).get_data(as_text=True)
    assert client.get("/registry?kind=nonsense").status_code == 200


def test_the_json_says_the_subject_kind_and_the_person(db, attested, client):
    case, _ = attested
    certificate = case.certificate
    view = client.get(f"/api/v1/certificates/{certificate.number}").get_json()
    assert view["subject_kind"] == "person"
    assert view["document"] == {"ru": DOCUMENT, "en": "Cluster Manager Attestation"}
    assert view["person"] == view["holder"] == {"ru": persons.NAME_RU, "en": persons.NAME_EN}
    assert view["organisation"] == {"ru": "", "en": ""} and view["region"] == ""
    assert [area["id"] for area in view["areas_passed"]] == ["stg", "gov", "fin", "srv", "grn"]
    assert view["standard"] == "cma 1.0" and view["level"]["id"] == "attested" and view["in_force"]
    assert "@" not in json.dumps(view, ensure_ascii=False)


def test_the_credential_has_the_person_as_its_subject(db, attested, client):
    case, _ = attested
    certificate = case.certificate
    profile = client.get("/credentials/issuer").get_json()
    public_key = credentials.public_key_from_multikey(profile["verificationMethod"][0]["publicKeyMultibase"])
    response = client.get(f"/certificates/{certificate.number}.json")
    badge = json.loads(response.data)
    assert response.mimetype == "application/vc" and credentials.verify_credential(badge, public_key)
    subject = badge["credentialSubject"]
    assert [i["identityHash"] for i in subject["identifier"]] == [persons.NAME_RU, persons.NAME_EN]
    assert subject["achievement"]["achievementType"] == "Certification"
    assert subject["achievement"]["name"] == (
        f"{DOCUMENT}: Аттестован / Cluster Manager Attestation: Attested"
    )
    narrative = subject["achievement"]["criteria"]["narrative"]
    assert AREAS_RU[0] in narrative and MONITORING_RU not in narrative
    assert (
        badge["name"] == f"{DOCUMENT} {certificate.number} / Cluster Manager Attestation {certificate.number}"
    )
    text = json.dumps(badge, ensure_ascii=False).replace('"@context"', "")
    assert "@" not in text and certificate.organisation_name_ru not in text  # no e-mail, no organisation


@pytest.mark.parametrize("repeat", [1, 3])
def test_a_long_name_and_every_area_still_fit_on_one_page_printed_as_text(tmp_path, repeat):
    name = "Константинопольская-Вознесенская Александра <b>Владимировна</b> " * repeat
    context = make_context(
        number="CMA-2026-000007",
        subject_kind="person",
        document_name_ru=DOCUMENT,
        document_name_en="Cluster Manager Attestation",
        holder_name_ru=name.strip(),
        holder_name_en="Alexandra Konstantinopolskaya",
        standard_title_ru=SCHEME,
        standard_title_en="Cluster Manager Attestation Scheme",
        areas_passed=tuple((area, "Area") for area in (*AREAS_RU, MONITORING_RU)),
    )
    pdf = tmp_path / "person.pdf"
    pdf.write_bytes(render_certificate(context))
    assert re.search(r"^Pages:\s+1$", poppler("pdfinfo", pdf), re.MULTILINE)
    text = " ".join(pdf_text(pdf).split())
    assert "<b>Владимировна</b>" in text and MONITORING_RU in text
    assert context.organisation_name_ru not in text  # a person's certificate prints no organisation
