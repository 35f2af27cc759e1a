"""The standards pages say which kind each version is, and show a scheme's own sections in both languages."""

from __future__ import annotations

import io
import re

import pytest
import sqlalchemy as sa
from markupsafe import escape

from certify.standards import services
from certify.standards.models import StandardVersion
from tests.standards.test_attestation_checks import SCHEME


@pytest.fixture
def library(db):
    rows = {row.code + " " + row.version: row for row in services.install_library(db)}
    db.commit()
    return rows


@pytest.fixture
def english_admin(admin_client):
    admin_client.post("/language", data={"language": "en"})
    return admin_client


def shown(page: str, name: str) -> str:
    """The text of the element marked `data-scheme="name"`, its whitespace collapsed."""
    match = re.search(rf'data-scheme="{name}">(.*?)</(?:dd|p)>', page, re.DOTALL)
    assert match, name
    return " ".join(re.sub(r"<[^>]+>", " ", match[1]).split())


def test_the_list_says_which_kind_each_version_is(english_admin, library):
    page = english_admin.get("/admin/standards/").get_data(as_text=True)
    rows = {label: row for label, row in re.findall(r"<td>(c\w+ \d\.\d)</td>\s*<td>([^<]+)</td>", page)}
    assert rows == {
        "cma 1.0": "Personnel attestation scheme",
        "cmq 1.0": "Organisation standard",
        "cmq 1.1": "Organisation standard",
        "cmq 1.2": "Organisation standard",
        "cmq 1.3": "Organisation standard",
    }
    # one current version of each kind: what new applications start on
    assert page.count(">current</span>") == 2


def test_a_schemes_page_shows_its_procedure_in_english(english_admin, library):
    row = library["cma 1.0"]
    scheme = services.definition_of(row).attestation
    page = english_admin.get(f"/admin/standards/{row.id}?lang=en").get_data(as_text=True)
    assert "Personnel attestation scheme" in page and "attestation valid for 36 months" in page
    assert shown(page, "document") == "Cluster Manager Attestation"
    assert shown(page, "exam") == "item bank cm, blueprint cm_theory; taken within 30 days of admission"
    assert shown(page, "attempts") == "at most 2 in 12 months, at least 14 days apart"
    assert shown(page, "procedure") == (
        "admission within 10 days of a complete application; decision within 30 days of the last stage;"
        " appeal within 30 days of the decision"
    )
    levels = shown(page, "levels")
    assert levels == (
        "Attested: total score at least 60, every area at least 40 Senior cluster manager: total score at"
        " least 75, every area at least 50; also requires at least 5 years managing a cluster or its"
        " specialised organisation"
    )
    renewal = shown(page, "recertification")
    assert renewal.startswith("72 hours of continuing professional development over the validity period")
    assert "reminders 90, 30 days before expiry" in renewal and "at most 24 hours count" in renewal
    assert str(escape(scheme.practical.task.en)) in page and str(escape(scheme.consent.en)) in page
    assert "Prerequisites for admission" in page and "Examiners' rubric" in page


def test_a_schemes_page_shows_its_content_in_russian(admin_client, library):
    row = library["cma 1.0"]
    standard = services.definition_of(row)
    page = admin_client.get(f"/admin/standards/{row.id}?lang=ru").get_data(as_text=True)
    assert shown(page, "document") == "Аттестат кластерного менеджера"
    assert str(escape(standard.attestation.practical.task.ru)) in page
    assert str(escape(standard.attestation.consent.ru)) in page
    for kind in standard.attestation.recertification.cpd_kinds:
        assert str(escape(kind.name.ru)) in page
    for question in standard.all_questions():
        assert f'data-question="{question.id}"' in page and str(escape(question.label.ru)) in page


def test_an_organisation_standards_page_has_no_scheme_sections(english_admin, library):
    page = english_admin.get(f"/admin/standards/{library['cmq 1.1'].id}?lang=en").get_data(as_text=True)
    assert "Organisation standard" in page and "certificate valid for 24 months" in page
    assert 'data-scheme="' not in page and "Eligibility requirements" in page


def test_uploading_a_scheme_whose_exam_is_missing_is_refused_with_the_reason(english_admin, db):
    text = SCHEME.replace("bank: cm\n", "bank: leadership\n")
    upload = {"file": (io.BytesIO(text.encode()), "scheme.yaml")}
    response = english_admin.post("/admin/standards/import", data=upload, content_type="multipart/form-data")
    assert response.status_code == 303
    page = english_admin.get(response.headers["Location"]).get_data(as_text=True)
    assert "names the item bank 'leadership', which neither the exam library nor the database" in page
    assert db.scalar(sa.select(sa.func.count(StandardVersion.id))) == 0


def test_uploading_a_scheme_stores_it_as_a_draft_of_its_kind(english_admin, db):
    upload = {"file": (io.BytesIO(SCHEME.encode()), "scheme.yaml")}
    response = english_admin.post("/admin/standards/import", data=upload, content_type="multipart/form-data")
    assert response.status_code == 302
    row = db.scalar(sa.select(StandardVersion))
    assert (row.label, row.status, row.kind) == ("demo-person 1.0", "draft", "person")
    page = english_admin.get(response.headers["Location"]).get_data(as_text=True)
    assert "Personnel attestation scheme" in page and shown(page, "document") == "Аттестат"  # ?lang=ru
