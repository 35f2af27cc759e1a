"""The public view of a certificate: what it states and its status today, and nothing more."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from certify.certificates.models import Certificate
from certify.certificates.public import public_view

TODAY = date(2026, 6, 1)


def make_certificate(**changes) -> Certificate:
    """A certificate row as issuance writes it, not stored (the view reads only its columns)."""
    fields = {
        "id": 1,
        "number": "CMQ-2026-000042",
        "subject_kind": "organisation",
        "document_name_ru": "Сертификат соответствия",
        "document_name_en": "Certificate of conformity",
        # an organisation's certificate issued before issue 16 named the head
        "holder_name_ru": "Иванова Анна Сергеевна",
        "holder_name_en": "Anna Ivanova",
        "organisation_name_ru": "АНО «Центр кластерного развития»",
        "organisation_name_en": "Cluster Development Centre",
        "cluster_name_ru": "Камский кластер",
        "cluster_name_en": "Kama cluster",
        "region": "Республика Татарстан",
        "country": "RU",
        "standard_code": "cmq",
        "standard_version": "1.0",
        "level_id": "advanced",
        "level_name_ru": "Продвинутый",
        "level_name_en": "Advanced",
        "assessed_score": "81.5",
        "areas_passed": [],
        "organisation_public": True,
        "issued_on": date(2026, 1, 15),
        "expires_on": date(2028, 1, 15),
        "status": "valid",
        "status_reason": "",
        "status_changed_at": None,
        "superseded_by_id": None,
        "pdf_name": "secret-file-name.pdf",
        "pdf_sha256": "0" * 64,
    }
    return Certificate(**(fields | changes))


class Rows:
    """The one thing the view asks the session: the certificate that supersedes this one."""

    def __init__(self, *certificates: Certificate):
        self.rows = {c.id: c for c in certificates}

    def get(self, model, key):
        assert model is Certificate
        return self.rows.get(key)


def test_what_the_certificate_states_in_both_languages():
    view = public_view(Rows(), make_certificate(), TODAY)
    assert view["number"] == "CMQ-2026-000042" and view["status"] == "valid" and view["in_force"] is True
    assert view["holder"] == {"ru": "Иванова Анна Сергеевна", "en": "Anna Ivanova"}
    assert view["level"] == {"id": "advanced", "ru": "Продвинутый", "en": "Advanced"}
    assert view["standard"] == "cmq 1.0"
    assert view["subject_kind"] == "organisation" and view["person"] is None and view["areas_passed"] == []
    assert view["document"] == {"ru": "Сертификат соответствия", "en": "Certificate of conformity"}
    assert (view["issued_on"], view["expires_on"]) == ("2026-01-15", "2028-01-15")
    assert view["superseded_by"] is None and view["status_changed_on"] is None


def test_nothing_internal_is_revealed():
    view = public_view(Rows(), make_certificate(), TODAY)
    shown = str(view)
    for internal in ("81.5", "secret-file-name", "0" * 64, "RU"):
        assert internal not in shown
    assert set(view) == {
        "number",
        "status",
        "in_force",
        "subject_kind",
        "document",
        "person",
        "holder",
        "organisation",
        "cluster",
        "region",
        "standard",
        "level",
        "areas_passed",
        "issued_on",
        "expires_on",
        "status_reason",
        "status_changed_on",
        "superseded_by",
    }


@pytest.mark.parametrize(
    ("status", "reason_shown"), [("suspended", True), ("revoked", True), ("valid", False)]
)
def test_the_reason_is_public_only_for_a_suspension_or_a_revocation(status, reason_shown):
    changed = datetime(2026, 3, 2, 10, 30, tzinfo=UTC)
    certificate = make_certificate(status=status, status_reason="Жалоба", status_changed_at=changed)
    view = public_view(Rows(), certificate, TODAY)
    assert view["status"] == status and view["status_changed_on"] == "2026-03-02"
    assert view["status_reason"] == ("Жалоба" if reason_shown else "")
    assert view["in_force"] is (status == "valid")


def test_status_today_counts_expiry():
    view = public_view(Rows(), make_certificate(expires_on=date(2026, 5, 31)), TODAY)
    assert view["status"] == "expired" and view["in_force"] is False


def test_a_superseded_certificate_names_its_successor():
    successor = make_certificate(id=2, number="CMQ-2026-000043")
    view = public_view(Rows(successor), make_certificate(superseded_by_id=2), TODAY)
    assert view["status"] == "superseded" and view["superseded_by"] == "CMQ-2026-000043"
    assert view["in_force"] is False
