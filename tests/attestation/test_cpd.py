"""The holder's CPD record on their attestation: entries with evidence, the hours against the scheme's rule,
edits until a renewal is submitted, the body's view, the audit; on SQLite and on PostgreSQL."""

from __future__ import annotations

import io
from datetime import date, timedelta
from decimal import Decimal

import pytest
import sqlalchemy as sa

from certify.accounts.models import Role
from certify.attestation import cpd
from certify.attestation.models import CpdEntry
from certify.audit.models import AuditEntry
from certify.demo.applications import DEMO_PDF
from certify.questionnaire.models import EvidenceFile
from certify.storage import EVIDENCE
from tests.certificates import persons
from tests.stored import stored_bytes, stored_path


@pytest.fixture
def attested(db):
    case = persons.attested(db)
    db.commit()
    return case


def entry(kind="training", hours="12,5", done_on=None, **fields):
    """The entry form's fields as typed in Russian, with a PDF attached."""
    return {
        "kind": kind,
        "title": "Управление кластерами: продвинутый курс",
        "provider": "ВШЭ",
        "done_on": (done_on or date.today()).isoformat(),
        "hours": hours,
        "file": (io.BytesIO(DEMO_PDF), "удостоверение.pdf"),
        **fields,
    }


def record(db, case, hours, kind="training"):
    """An entry recorded through the service, today, with a PDF."""
    fields = cpd.CpdFields(kind, "Курс", "ВШЭ", date.today(), Decimal(hours))
    return cpd.record_entry(db, case.certificate, case.candidate, fields, io.BytesIO(DEMO_PDF), "c.pdf")


def test_the_holder_records_entries_and_sees_the_hours_against_the_caps(db, attested, client_for):
    url = f"/attestation/certificates/{attested.certificate.number}/cpd"
    holder = client_for(attested.candidate)
    page = holder.get(url).get_data(as_text=True)
    assert "72" in page and "Обучение" in page and "Добавить запись" in page
    assert holder.post(url, data=entry(), content_type="multipart/form-data").status_code == 302
    events = entry("events", "30", title="Форум кластеров", file=(io.BytesIO(DEMO_PDF), "forum.pdf"))
    assert holder.post(url, data=events, content_type="multipart/form-data").status_code == 302
    page = holder.get(url).get_data(as_text=True)
    # conferences count at most 24 hours: 12.5 + 24 of 72, and the exam route today
    assert "36,5" in page and "Форум кластеров" in page and "удостоверение.pdf" in page
    assert "лимит достигнут" in page and "35,5" in page
    assert "понадобится снова сдать теоретический экзамен" in page
    rows = db.scalars(sa.select(CpdEntry).order_by(CpdEntry.id)).all()
    assert [(r.kind, r.hours) for r in rows] == [("training", Decimal("12.5")), ("events", Decimal(30))]
    file = db.get(EvidenceFile, rows[0].evidence_file_id)
    assert file.application_id == attested.application.id
    assert stored_bytes(EVIDENCE, file.stored_name) == DEMO_PDF
    with holder.get(f"/applications/{file.application_id}/evidence/{file.id}") as download:
        assert download.status_code == 200 and download.data == DEMO_PDF
    actions = db.scalars(sa.select(AuditEntry.action).where(AuditEntry.subject_type == "cpd_entry")).all()
    assert actions == ["cpd.recorded", "cpd.recorded"]


def test_bad_input_is_refused_in_russian_and_keeps_what_was_typed(db, attested, client_for):
    url = f"/attestation/certificates/{attested.certificate.number}/cpd"
    holder = client_for(attested.candidate)
    before_issue = attested.certificate.issued_on - timedelta(days=1)
    refused = holder.post(url, data=entry(done_on=before_issue), content_type="multipart/form-data")
    page = refused.get_data(as_text=True)
    assert refused.status_code == 422 and "раньше выдачи аттестата" in page
    assert "Управление кластерами: продвинутый курс" in page and "12,5" in page
    no_file = entry()
    del no_file["file"]
    page = holder.post(url, data=no_file, content_type="multipart/form-data").get_data(as_text=True)
    assert "Приложите документ" in page
    text = holder.post(
        url, data=entry(file=(io.BytesIO(b"not a pdf"), "x.pdf")), content_type="multipart/form-data"
    )
    assert text.status_code == 415 and "12,5" in text.get_data(as_text=True)
    tomorrow = holder.post(
        url, data=entry(done_on=date.today() + timedelta(days=1)), content_type="multipart/form-data"
    )
    assert tomorrow.status_code == 422 and "в будущем" in tomorrow.get_data(as_text=True)
    assert db.scalar(sa.select(sa.func.count()).select_from(CpdEntry)) == 0
    assert (
        db.scalar(
            sa.select(sa.func.count()).select_from(EvidenceFile).where(EvidenceFile.evidence_for == "cpd")
        )
        == 0
    )


def test_the_holder_changes_and_deletes_an_entry_and_its_old_file_goes(db, attested, client_for):
    row = record(db, attested, "8")
    db.commit()
    old_file = stored_path(EVIDENCE, row.evidence.stored_name)
    number = attested.certificate.number
    holder = client_for(attested.candidate)
    url = f"/attestation/certificates/{number}/cpd/{row.id}"
    form = holder.get(url).get_data(as_text=True)
    assert 'value="Курс"' in form and 'value="8"' in form
    changed = entry(hours="10", file=(io.BytesIO(DEMO_PDF), "новый.pdf"))
    assert holder.post(url, data=changed, content_type="multipart/form-data").status_code == 302
    db.expire_all()
    row = db.get(CpdEntry, row.id)
    assert row.hours == 10 and row.evidence.original_name == "новый.pdf" and not old_file.exists()
    kept = entry(hours="11")
    del kept["file"]
    assert holder.post(url, data=kept, content_type="multipart/form-data").status_code == 302
    db.expire_all()
    assert db.get(CpdEntry, row.id).evidence.original_name == "новый.pdf"
    current_file = stored_path(EVIDENCE, db.get(CpdEntry, row.id).evidence.stored_name)
    assert holder.post(f"{url}/delete").status_code == 302
    assert db.scalar(sa.select(sa.func.count()).select_from(CpdEntry)) == 0 and not current_file.exists()
    audited = db.scalars(
        sa.select(AuditEntry.action).where(AuditEntry.subject_type == "cpd_entry").order_by(AuditEntry.id)
    ).all()
    assert audited == ["cpd.recorded", "cpd.changed", "cpd.changed", "cpd.deleted"]


def test_the_coordinator_sees_the_record_and_nobody_else_does(db, attested, client_for, login):
    record(db, attested, "20")
    db.commit()
    number = attested.certificate.number
    url = f"/attestation/certificates/{number}/cpd"
    staff = client_for(attested.coordinator).get(url)
    page = staff.get_data(as_text=True)
    assert staff.status_code == 200 and "Курс" in page and "Добавить запись" not in page
    assert (
        client_for(attested.coordinator)
        .post(url, data=entry(), content_type="multipart/form-data")
        .status_code
        == 403
    )
    other, _ = login(Role.CANDIDATE)
    manager, _ = login(Role.MANAGER, organisation=attested.candidate.organisation)
    for stranger in (other, manager):
        assert stranger.get(url).status_code == 404
        assert stranger.post(url, data=entry(), content_type="multipart/form-data").status_code == 404


def test_only_a_persons_attestation_has_a_cpd_record(db, client_for):
    from tests import factories

    case = factories.certified(db)
    db.commit()
    coordinator = client_for(case.coordinator)
    assert coordinator.get(f"/attestation/certificates/{case.certificate.number}/cpd").status_code == 404


def test_a_revoked_attestation_takes_no_more_cpd(db, attested, client_for):
    coordinator = client_for(attested.coordinator)
    number = attested.certificate.number
    revoke = {"reason": "Подложный диплом", "confirm": "y"}
    assert coordinator.post(f"/certificates/{number}/revoke", data=revoke).status_code == 302
    holder = client_for(attested.candidate)
    page = holder.get(f"/attestation/certificates/{number}/cpd").get_data(as_text=True)
    assert "Добавить запись" not in page
    refused = holder.post(
        f"/attestation/certificates/{number}/cpd", data=entry(), content_type="multipart/form-data"
    )
    assert refused.status_code == 409 and "отозван" in refused.get_data(as_text=True)
