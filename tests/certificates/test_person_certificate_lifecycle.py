"""A person's attestation after issuance: who may download it, suspension, revocation, correction, renewal
and the expiry reminders (issue 16), on SQLite and on PostgreSQL."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa

from certify.accounts.models import Role
from certify.certificates import issuance, reminders
from certify.certificates.issuance import status_of
from certify.certificates.models import Certificate, CertificateStatus
from certify.outbox.models import OutboxMessage
from certify.review.models import ConsensusScore
from tests import factories
from tests.certificates import persons
from tests.factories import make_user
from tests.pdfs import pdf_text
from tests.stored import certificate_pdf, certificate_pdf_path

MAIL_TEMPLATE = Path(__file__).resolve().parents[2] / "templates" / "mail" / "attestation_expiry.txt"


@pytest.fixture
def attested(db):
    case = persons.attested(db)
    db.commit()
    return case


def test_the_candidate_and_staff_may_download_it_and_nobody_else(db, attested, client_for, login):
    certificate = attested.certificate
    pdf, page = f"/certificates/{certificate.number}.pdf", f"/certificates/{certificate.number}"
    candidate = client_for(attested.candidate)
    with candidate.get(pdf) as download:  # closed: the file is streamed from storage
        assert download.status_code == 200 and download.data == certificate_pdf(certificate)
    own = candidate.get(page).get_data(as_text=True)
    assert pdf in own and "/report.pdf" not in own and "Отозвать" not in own
    assert certificate.number in candidate.get("/certificates/mine").get_data(as_text=True)
    with client_for(attested.coordinator).get(pdf) as staff:
        assert staff.status_code == 200
    other, _ = login(Role.CANDIDATE)
    # the managers of the candidate's organisation hold its certificates, not its members' attestations
    manager, _ = login(Role.MANAGER, organisation=attested.candidate.organisation)
    for stranger in (other, manager):
        assert stranger.get(pdf).status_code == 404 and stranger.get(page).status_code == 404
    assert certificate.number not in manager.get("/certificates/mine").get_data(as_text=True)


def test_a_coordinator_suspends_reinstates_and_revokes_it(db, attested, client_for, client):
    number = attested.certificate.number
    coordinator = client_for(attested.coordinator)
    url = f"/certificates/{number}"
    assert coordinator.post(f"{url}/suspend", data={"reason": "Проверка жалобы"}).status_code == 302
    page = client.get(f"/verify/{number}").get_data(as_text=True)
    assert "НЕ ДЕЙСТВИТЕЛЕН" in page and "Проверка жалобы" in page and persons.NAME_RU in page
    assert number not in client.get("/registry").get_data(as_text=True)
    assert coordinator.post(f"{url}/reinstate", data={"reason": "Не подтвердилась"}).status_code == 302
    assert number in client.get("/registry?kind=person").get_data(as_text=True)
    revoke = {"reason": "Подложный диплом", "confirm": "y"}
    assert coordinator.post(f"{url}/revoke", data=revoke).status_code == 302
    db.expire_all()
    assert status_of(db.get(Certificate, attested.certificate.id)) is CertificateStatus.REVOKED


def test_a_correction_reissues_the_persons_name_and_keeps_the_rest(db, attested, client_for, client):
    old = attested.certificate
    coordinator = client_for(attested.coordinator)
    form = coordinator.get(f"/certificates/{old.number}").get_data(as_text=True)
    assert 'name="holder_name_en"' in form and 'name="cluster_name_ru"' not in form
    corrected = {
        "holder_name_ru": persons.NAME_RU,
        "holder_name_en": "Anna Ivanova-Petrova",
        "organisation_name_ru": "",  # a person need not have an organisation
        "organisation_name_en": "",
        "reason": "Фамилия по паспорту",
    }
    empty = coordinator.post(f"/certificates/{old.number}/correct", data=corrected | {"holder_name_ru": ""})
    assert empty.status_code == 422 and "Обязательное поле" in empty.get_data(as_text=True)
    response = coordinator.post(f"/certificates/{old.number}/correct", data=corrected)
    assert response.status_code == 302
    db.expire_all()
    old, new = db.scalars(sa.select(Certificate).order_by(Certificate.id)).all()
    assert new.number == old.number[:-6] + "000002" and old.superseded_by_id == new.id
    assert (new.subject_kind, new.holder_name_en, new.organisation_name_ru) == (
        "person",
        "Anna Ivanova-Petrova",
        "",
    )
    assert new.areas_passed == old.areas_passed and new.document_name_ru == old.document_name_ru
    assert "Anna Ivanova-Petrova" in pdf_text(certificate_pdf_path(new))
    assert (
        client.get(f"/api/v1/certificates/{new.number}").get_json()["person"]["en"] == "Anna Ivanova-Petrova"
    )


def test_a_new_attestation_replaces_the_persons_earlier_one_and_no_organisations(db, attested):
    candidate = attested.candidate
    organisation_case = factories.certified(
        db, manager=make_user(db, Role.MANAGER, organisation=candidate.organisation)
    )
    # the organisation's certificate does not replace its member's attestation
    assert status_of(attested.certificate) is CertificateStatus.VALID
    renewed = persons.attested(db, user=candidate)
    db.refresh(attested.certificate)
    assert attested.certificate.superseded_by_id == renewed.certificate.id
    # nor does an attestation replace the certificate of the candidate's organisation
    assert status_of(organisation_case.certificate) is CertificateStatus.VALID


def test_the_expiry_reminder_goes_to_the_candidate_alone(db, attested):
    certificate, candidate = attested.certificate, attested.candidate
    make_user(db, Role.MANAGER, organisation=candidate.organisation)  # a manager of their organisation
    assert reminders.recipients(db, certificate) == [candidate]
    today = certificate.expires_on - timedelta(days=30)
    assert reminders.due_reminders(db, today) == [(certificate, 30)]
    assert reminders.MAIL[certificate.subject_kind] == "attestation_expiry"
    assert "/attestation/certificates/" in reminders.renewal_link(certificate)


@pytest.mark.skipif(
    not MAIL_TEMPLATE.exists(), reason="templates/mail/attestation_expiry.txt is not written yet (the lead's)"
)
def test_the_expiry_reminder_is_mailed_to_the_candidate_with_the_way_to_renew(db, attested):
    certificate, candidate = attested.certificate, attested.candidate
    today = certificate.expires_on - timedelta(days=90)
    assert reminders.send_reminder(db, certificate, 90, today) == 1
    (mail,) = db.scalars(sa.select(OutboxMessage).where(OutboxMessage.template == "attestation_expiry"))
    assert mail.recipient == candidate.email and certificate.number in mail.body
    assert "/attestation" in mail.body


def test_without_recorded_scores_no_attestation_is_issued(db):
    application, coordinator, decision = persons.decided(db)
    db.execute(sa.delete(ConsensusScore).where(ConsensusScore.application_id == application.id))
    with pytest.raises(issuance.CertificateError) as refused:
        issuance.issue_certificate(db, decision, coordinator)
    assert "области компетенций указать нельзя" in str(refused.value.message)
    assert db.scalar(sa.select(sa.func.count(Certificate.id))) == 0
