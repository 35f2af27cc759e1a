"""After issuance: corrections re-issue under a new number, the detail page, the staff register, reminders."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from certify.accounts.models import Role
from certify.audit.models import AuditEntry
from certify.certificates import issuance, lifecycle, subjects
from certify.certificates.models import Certificate
from certify.demo.applications import submitted_application
from certify.demo.review import decide_after_review
from certify.outbox.services import deliver_queued_by
from certify.review.decisions import decision_of
from tests.certificates.test_public import make_certificate
from tests.factories import make_user
from tests.pdfs import pdf_text
from tests.stored import certificate_pdf, certificate_pdf_path


def correction_form(certificate: Certificate, **changes) -> dict:
    """The correction form as the page fills it for the certificate's kind, with `changes`."""
    fields = {field: getattr(certificate, field) for field in subjects.CORRECTABLE[certificate.subject_kind]}
    return fields | {"reason": "Опечатка в названии"} | changes


def test_a_correction_issues_a_new_certificate_that_supersedes_the_old(db, certified, client):
    certificate, application, coordinator, _ = certified
    old_number, old_sha = certificate.number, certificate.pdf_sha256
    old_pdf = certificate_pdf(certificate)
    response = coordinator.post(
        f"/certificates/{old_number}/correct",
        data=correction_form(certificate, organisation_name_ru="АНО «Кластерный центр „Исток“»"),
    )
    assert response.status_code == 302
    db.expire_all()
    old, new = db.scalars(sa.select(Certificate).order_by(Certificate.id)).all()
    assert response.headers["Location"].endswith(f"/certificates/{new.number}")
    assert new.number != old_number and new.revision == 1 and new.decision_id == old.decision_id
    assert old.superseded_by_id == new.id and new.expires_on == old.expires_on
    assert new.correction_reason == "Опечатка в названии"
    assert "АНО «Кластерный центр „Исток“»" in pdf_text(certificate_pdf_path(new))
    # the issued PDF is never rewritten
    assert old.pdf_sha256 == old_sha and certificate_pdf(old) == old_pdf
    page = client.get(f"/verify/{old_number}").get_data(as_text=True)
    assert "заменён более новым сертификатом" in page and new.number in page
    assert client.get(f"/verify/{new.number}").get_data(as_text=True).count("Кластерный центр „Исток“") == 1
    # issuing again for the decision (a retry) returns the corrected certificate, not a third one
    assert issuance.issue_certificate(db, decision_of(db, application), None).id == new.id
    entry = db.scalar(sa.select(AuditEntry).where(AuditEntry.action == "certificate.corrected"))
    assert entry.subject_id == new.number and entry.before["number"] == old_number


@pytest.mark.parametrize(
    ("changes", "status", "message"),
    [
        ({"reason": ""}, 422, "Обязательное поле"),
        ({}, 422, "Исправлять нечего"),
        ({"organisation_name_en": ""}, 422, "Обязательное поле"),
    ],
)
def test_a_correction_needs_a_reason_and_a_change(db, certified, changes, status, message):
    certificate, _, coordinator, _ = certified
    response = coordinator.post(
        f"/certificates/{certificate.number}/correct", data=correction_form(certificate, **changes)
    )
    assert response.status_code == status and message in response.get_data(as_text=True)
    assert db.scalar(sa.select(sa.func.count(Certificate.id))) == 1


def test_only_a_certificate_in_force_is_corrected(db, certified):
    certificate, _, coordinator, _ = certified
    url = f"/certificates/{certificate.number}"
    assert coordinator.post(f"{url}/revoke", data={"reason": "Нарушение", "confirm": "y"}).status_code == 302
    response = coordinator.post(f"{url}/correct", data=correction_form(certificate, region="Москва"))
    assert response.status_code == 409 and "Исправить можно только действующий" in response.get_data(
        as_text=True
    )
    assert db.scalar(sa.select(sa.func.count(Certificate.id))) == 1


def test_the_detail_page_shows_downloads_to_the_holder_and_actions_to_the_coordinator(db, certified, login):
    certificate, application, coordinator, _ = certified
    holder, _ = login(Role.MANAGER, organisation=application.organisation)
    page = holder.get(f"/certificates/{certificate.number}").get_data(as_text=True)
    assert f"/certificates/{certificate.number}.pdf" in page
    assert "Отозвать" not in page and "История сертификата" not in page
    summary = holder.get(f"/applications/{application.id}/summary").get_data(as_text=True)
    assert f"/certificates/{certificate.number}" in summary
    staff_page = coordinator.get(f"/certificates/{certificate.number}").get_data(as_text=True)
    assert "Отозвать" in staff_page and "certificate.issued" in staff_page and "Исправить" in staff_page
    verify = holder.get(f"/verify/{certificate.number}").get_data(as_text=True)
    assert f'href="/certificates/{certificate.number}"' in verify


def test_the_staff_register_filters_by_status_and_expiry(db, certified):
    certificate, _, coordinator, _ = certified
    number = certificate.number
    assert number in coordinator.get("/certificates?status=valid").get_data(as_text=True)
    assert number not in coordinator.get("/certificates?status=suspended").get_data(as_text=True)
    assert number not in coordinator.get("/certificates?expiring=1").get_data(as_text=True)
    coordinator.post(f"/certificates/{number}/suspend", data={"reason": "Проверка"})
    assert number in coordinator.get("/certificates?status=suspended").get_data(as_text=True)
    assert number not in coordinator.get("/certificates?status=valid").get_data(as_text=True)
    coordinator.post(f"/certificates/{number}/reinstate", data={"reason": "Проверено"})
    db.expire_all()
    db.get(Certificate, certificate.id).expires_on = certificate.issued_on + timedelta(days=60)
    db.commit()
    assert number in coordinator.get("/certificates?expiring=1").get_data(as_text=True)
    assert number in coordinator.get("/certificates?q=" + certificate.organisation_name_ru.upper()).get_data(
        as_text=True
    )
    assert coordinator.get("/certificates?status=nonsense").status_code == 200


def test_reminders_go_out_90_and_30_days_before_expiry_once_each(db, certified, runner, mailbox):
    certificate, application, *_ = certified
    expires = certificate.expires_on
    managers = {u.email for u in application.organisation.members if u.has_role(Role.MANAGER)}
    deliver_queued_by(db)  # the review's own e-mails, queued by the fixture's steps
    already = len(mailbox())

    def run(day) -> str:
        result = runner.invoke(args=["certify", "certificates", "reminders", "--today", day.isoformat()])
        assert result.exit_code == 0, result.output
        return result.output

    assert "certificates reminded: 0" in run(expires - timedelta(days=91))
    assert "90-day reminder" in run(expires - timedelta(days=90))
    sent = mailbox()[already:]
    assert {m["To"] for m in sent} == managers
    assert certificate.number in sent[0]["Subject"] and "истекает" in sent[0]["Subject"]
    assert "/applications" in sent[0].get_content()
    assert "certificates reminded: 0" in run(expires - timedelta(days=80))
    # a cron that missed the 30-day mark still sends that reminder, once
    assert "30-day reminder" in run(expires - timedelta(days=12))
    assert "certificates reminded: 0" in run(expires - timedelta(days=11))
    assert len(mailbox()) == already + 2 * len(managers)


def test_no_reminders_for_revoked_or_expired_certificates(db, certified, runner):
    certificate, _, coordinator, _ = certified
    coordinator.post(
        f"/certificates/{certificate.number}/revoke", data={"reason": "Нарушение", "confirm": "y"}
    )
    day = certificate.expires_on - timedelta(days=30)
    result = runner.invoke(args=["certify", "certificates", "reminders", "--today", day.isoformat()])
    assert "certificates reminded: 0" in result.output


def test_a_renewals_certificate_supersedes_the_one_in_force(db, certified, client):
    old, application, *_ = certified
    manager = make_user(db, Role.MANAGER, organisation=application.organisation)
    coordinator = make_user(db, Role.COORDINATOR)
    lead, second = make_user(db, Role.ASSESSOR), make_user(db, Role.ASSESSOR)
    renewal = submitted_application(db, manager, seed=21, strength=0.9)
    decision = decide_after_review(db, renewal, coordinator, lead, second, seed=1)
    db.commit()
    new = issuance.latest_for_decision(db, decision.id)
    db.refresh(old)
    assert old.superseded_by_id == new.id and issuance.status_of(old).value == "superseded"
    assert issuance.status_of(new).value == "valid"
    page = client.get(f"/verify/{old.number}").get_data(as_text=True)
    assert f'href="/verify/{new.number}"' in page
    listing = [item["number"] for item in client.get("/api/v1/certificates").get_json()["items"]]
    assert listing == [new.number]


@pytest.mark.parametrize(
    ("fields", "offered"),
    [
        ({}, {"suspend", "revoke", "correct"}),
        ({"status": "suspended"}, {"reinstate", "revoke"}),
        ({"status": "revoked"}, set()),
        ({"superseded_by_id": 2}, set()),
        ({"expires_on": date(2026, 5, 31)}, set()),
    ],
)
def test_the_changes_offered_follow_the_status_today(fields, offered):
    certificate = make_certificate(**fields)
    assert lifecycle.offered_changes(certificate, today=date(2026, 6, 1)) == offered


@pytest.mark.parametrize("action", ["suspend", "revoke"])
def test_an_expired_certificate_keeps_its_status_even_when_posted_to_directly(db, certified, action):
    certificate, _, coordinator, _ = certified
    expired = db.get(Certificate, certificate.id)
    expired.expires_on = expired.issued_on - timedelta(days=1)
    db.commit()
    url = f"/certificates/{certificate.number}"
    response = coordinator.post(f"{url}/{action}", data={"reason": "Проверка", "confirm": "y"})
    assert response.status_code in (303, 409, 422)
    assert "его статус больше не меняется" in coordinator.get(url).get_data(as_text=True)
    db.expire_all()
    assert db.get(Certificate, certificate.id).status == "valid"  # and so still "expired" to everyone
    recorded = {"suspend": "certificate.suspended", "revoke": "certificate.revoked"}[action]
    assert db.scalar(sa.select(AuditEntry).where(AuditEntry.action == recorded)) is None
