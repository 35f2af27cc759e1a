"""Renewing an attestation: on the CPD record without a new theory exam, by the exam again, or refused when
the scheme gives no route; suspension and revocation with reasons; on SQLite and on PostgreSQL."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
import sqlalchemy as sa

from certify.accounts.models import Role
from certify.attestation import cpd, services
from certify.attestation.models import Renewal
from certify.attestation.stages import stage_of
from certify.audit.models import AuditEntry
from certify.certificates.issuance import issue_certificate, status_of
from certify.certificates.models import Certificate, CertificateStatus
from certify.demo.applications import DEMO_PDF
from certify.exams.models import ExamAttempt
from certify.outbox.models import OutboxMessage
from certify.questionnaire import services as questionnaire
from certify.questionnaire.models import Answer, Application
from certify.review.comparison import consensus_outcome
from certify.review.models import ConsensusScore, Decision
from certify.standards.format import LIBRARY
from certify.standards.services import import_standard, publish_version
from certify.transitions import allowed
from certify.workflow import Action, State
from tests.attestation import steps
from tests.attestation.theory_steps import practical_submitted
from tests.certificates import persons
from tests.factories import install_default_standard


def record_hours(db, case, hours: str, kind: str = "training") -> None:
    fields = cpd.CpdFields(kind, "Программа повышения квалификации", "ВШЭ", date.today(), Decimal(hours))
    cpd.record_entry(db, case.certificate, case.candidate, fields, io.BytesIO(DEMO_PDF), "c.pdf")


def renewal_url(case) -> str:
    return f"/attestation/certificates/{case.certificate.number}/renewal"


def start_and_submit(db, case, client_for) -> Application:
    """The holder starts the renewal on its page (consent ticked), then completes and submits it."""
    response = client_for(case.candidate).post(renewal_url(case), data={"consent": "y"})
    assert response.status_code == 302, response.get_data(as_text=True)
    application = db.scalars(sa.select(Application).order_by(Application.id.desc())).first()
    steps.fill(db, application, answers={})  # the answers came pre-filled; the files are attached anew
    questionnaire.submit_application(db, application, case.candidate)
    db.commit()
    return application


def test_a_renewal_on_the_cpd_record_skips_the_theory_and_replaces_the_attestation(db, client_for):
    case = persons.attested(db)
    record_hours(db, case, "50")
    record_hours(db, case, "30", "events")  # at most 24 count: 74 in all
    db.commit()
    holder = client_for(case.candidate)
    page = holder.get(renewal_url(case)).get_data(as_text=True)
    assert "без нового теоретического экзамена" in page and "Я даю согласие" in page
    refused = holder.post(renewal_url(case), data={})
    assert refused.status_code == 422 and "согласие" in refused.get_data(as_text=True)

    renewal = start_and_submit(db, case, client_for)
    assert renewal.previous_id == case.application.id and renewal.is_person
    prefilled = {
        a.question_id: a.value
        for a in db.scalars(sa.select(Answer).where(Answer.application_id == renewal.id))
    }
    assert prefilled["elig_education_level"] == steps.PREREQUISITES["elig_education_level"]
    assert db.get(Renewal, renewal.id).certificate_id == case.certificate.id
    with pytest.raises(cpd.CpdError):  # submitted: the record no longer changes
        record_hours(db, case, "5")
    db.rollback()

    coordinator = client_for(case.coordinator)
    check = coordinator.get(f"/attestation/applications/{renewal.id}/renewal").get_data(as_text=True)
    assert "Подтвердить повышение квалификации и допустить без нового теоретического экзамена" in check
    assert "74" in check and "c.pdf" in check
    assert coordinator.post(f"/attestation/applications/{renewal.id}/admit").status_code == 302
    db.expire_all()
    renewal = db.get(Application, renewal.id)
    assert renewal.state == State.ADMITTED
    assert db.scalar(sa.select(ExamAttempt).where(ExamAttempt.application_id == renewal.id)) is None
    confirmed = db.get(Renewal, renewal.id)
    assert (confirmed.route, confirmed.counted_hours, confirmed.confirmed_by_id) == (
        "cpd",
        74,
        case.coordinator.id,
    )
    # the practical path, no exam
    assert Action.SUBMIT_PRACTICAL in allowed(db, renewal.candidate, renewal)
    stage = stage_of(db, renewal)
    assert stage.key == "practical_by_cpd" and stage.theory.waived and stage.theory.last_day is None
    practical_submitted(db, renewal)
    assert Action.ASSIGN_ASSESSORS in allowed(db, case.coordinator, renewal)
    mail = db.scalars(
        sa.select(OutboxMessage).where(OutboxMessage.template == "attestation_admitted_cpd")
    ).one()
    assert "засчитано часов: 74" in mail.body and case.certificate.number in mail.body
    admitted = db.scalars(sa.select(AuditEntry).where(AuditEntry.action == "application.admitted")).all()[-1]
    assert admitted.after["renewal"] == "cpd" and admitted.after["renews"] == case.certificate.number

    new = issue_certificate(db, _decided(db, renewal, case.coordinator), case.coordinator)
    db.commit()
    db.expire_all()
    old = db.get(Certificate, case.certificate.id)
    assert old.superseded_by_id == new.id and status_of(old) is CertificateStatus.SUPERSEDED
    assert (
        new.is_person and status_of(new) is CertificateStatus.VALID and new.holder_name_ru == persons.NAME_RU
    )


def _decided(db, application: Application, coordinator) -> Decision:
    """The practical part's consensus (3 on every indicator) and the commission's decision, as the review
    stores them (tests/certificates/persons.py)."""
    standard = questionnaire.standard_of(application)
    db.add_all(
        ConsensusScore(
            application_id=application.id, indicator_id=i.id, score=3, recorded_by_id=coordinator.id
        )
        for area in standard.areas
        for i in area.indicators
    )
    db.flush()
    outcome = consensus_outcome(db, application)
    computed = outcome.level.id if outcome.level else None
    decision = Decision(
        application_id=application.id,
        computed_level=computed,
        chosen_level="attested",
        assessed_total=str(outcome.total),
        reasons="Решение аттестационной комиссии",
        justification="" if computed == "attested" else "Комиссия учла устную защиту кейса",
        decided_by_id=coordinator.id,
    )
    application.state = State.CERTIFIED.value
    db.add(decision)
    db.flush()
    return decision


def test_a_renewal_short_of_the_hours_takes_the_theory_exam_again(db, client_for):
    case = persons.attested(db)
    record_hours(db, case, "10")
    db.commit()
    page = client_for(case.candidate).get(renewal_url(case)).get_data(as_text=True)
    assert "понадобится снова сдать теоретический экзамен" in page
    renewal = start_and_submit(db, case, client_for)
    coordinator = client_for(case.coordinator)
    check = coordinator.get(f"/attestation/applications/{renewal.id}/renewal").get_data(as_text=True)
    assert "Допустить к теоретическому экзамену (требование о повышении квалификации не выполнено)" in check
    assert coordinator.post(f"/attestation/applications/{renewal.id}/admit").status_code == 302
    db.expire_all()
    renewal = db.get(Application, renewal.id)
    attempt = db.scalar(sa.select(ExamAttempt).where(ExamAttempt.application_id == renewal.id))
    assert renewal.state == State.ADMITTED and attempt is not None and attempt.is_registered
    assert db.get(Renewal, renewal.id).route == "exam"
    assert Action.ASSIGN_ASSESSORS not in allowed(db, case.coordinator, renewal)  # the theory comes first
    assert stage_of(db, renewal).key == "window"


def test_a_returned_renewal_opens_the_record_again(db, client_for):
    case = persons.attested(db)
    record_hours(db, case, "72")
    db.commit()
    renewal = start_and_submit(db, case, client_for)
    assert cpd.record_locked(db, case.certificate)
    services.return_for_completion(db, renewal, case.coordinator, {"elig_education": steps.REASON})
    db.commit()
    assert not cpd.record_locked(db, case.certificate)
    record_hours(db, case, "4")


def lapsing_scheme(db):
    """cma 1.0 with `exam_unless_cpd: false`: without the hours the attestation lapses."""
    install_default_standard(db)
    source = (Path(LIBRARY) / steps.SCHEME).read_text(encoding="utf-8")
    source = source.replace("exam_unless_cpd: true", "exam_unless_cpd: false", 1)
    publish_version(db, import_standard(db, source, source_name=steps.SCHEME))
    steps.open_theory_exam(db)


def test_a_scheme_without_the_exam_route_refuses_a_renewal_short_of_the_hours(db, client_for):
    lapsing_scheme(db)
    case = persons.attested(db)
    record_hours(db, case, "60")
    db.commit()
    holder = client_for(case.candidate)
    page = holder.get(renewal_url(case)).get_data(as_text=True)
    assert "Этот аттестат нельзя продлить" in page and "засчитано пока 60" in page and "(12)" in page
    assert 'name="consent"' not in page
    refused = holder.post(renewal_url(case), data={"consent": "y"})
    assert refused.status_code == 409 and "Этот аттестат нельзя продлить" in refused.get_data(as_text=True)
    assert db.scalar(sa.select(sa.func.count()).select_from(Renewal)) == 0
    record_hours(db, case, "12")
    db.commit()
    assert holder.post(renewal_url(case), data={"consent": "y"}).status_code == 302


def test_suspension_and_revocation_state_their_reasons_and_stop_a_renewal(db, client_for, client):
    case = persons.attested(db)
    record_hours(db, case, "72")
    db.commit()
    number = case.certificate.number
    coordinator, holder = client_for(case.coordinator), client_for(case.candidate)
    assert (
        coordinator.post(f"/certificates/{number}/suspend", data={"reason": "Проверка жалобы"}).status_code
        == 302
    )
    assert "Проверка жалобы" in client.get(f"/verify/{number}").get_data(as_text=True)
    page = holder.get(renewal_url(case)).get_data(as_text=True)
    assert "Продлить можно только действующий аттестат" in page and "приостановлен" in page
    assert holder.post(renewal_url(case), data={"consent": "y"}).status_code == 409
    assert (
        coordinator.post(f"/certificates/{number}/reinstate", data={"reason": "Не подтвердилась"}).status_code
        == 302
    )
    assert "Продлить можно только" not in holder.get(renewal_url(case)).get_data(as_text=True)
    revoke = {"reason": "Подложный диплом", "confirm": "y"}
    assert coordinator.post(f"/certificates/{number}/revoke", data=revoke).status_code == 302
    assert "Подложный диплом" in client.get(f"/verify/{number}").get_data(as_text=True)
    assert "отозван" in holder.get(renewal_url(case)).get_data(as_text=True)
    reasons = db.scalars(
        sa.select(AuditEntry)
        .where(AuditEntry.subject_id == number, AuditEntry.action.like("certificate.%"))
        .order_by(AuditEntry.id)
    ).all()
    assert [(e.action, e.after["reason"]) for e in reasons if "reason" in (e.after or {})] == [
        ("certificate.suspended", "Проверка жалобы"),
        ("certificate.valid", "Не подтвердилась"),
        ("certificate.revoked", "Подложный диплом"),
    ]


def test_only_the_holder_starts_a_renewal(db, client_for, login):
    case = persons.attested(db)
    db.commit()
    other, _ = login(Role.CANDIDATE)
    assert other.get(renewal_url(case)).status_code == 404
    assert other.post(renewal_url(case), data={"consent": "y"}).status_code == 404
    assert client_for(case.coordinator).post(renewal_url(case), data={"consent": "y"}).status_code == 403
