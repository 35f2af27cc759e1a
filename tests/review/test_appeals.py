"""Appeals: once, within 30 days, examined by an assessor who took no part, ending in a new decision."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from certify.accounts.models import Role
from certify.audit.models import AuditEntry
from certify.audit.services import history, verify_chain
from certify.certificates.issuance import latest_for_decision, status_of
from certify.certificates.models import Certificate, CertificateStatus
from certify.certificates.report_data import report_context
from certify.review import appeals, comparison, decisions
from certify.review.decisions import decision_of
from certify.review.errors import ReviewError
from tests import factories
from tests.factories import all_scores


@pytest.fixture
def decided(db, in_review, login):
    """`in_review` agreed at 1 everywhere (no level earned) and decided not to certify ("Отказ"), committed.

    (application, a client of a manager of the applicant, a client of the deciding coordinator, in_review)
    """
    application = in_review[0]
    coordinator, coordinator_user = login(Role.COORDINATOR)
    factories.agree(db, application, value=1)
    factories.decide(db, application, coordinator_user, certify=False, reasons="Отказ")
    db.commit()
    manager_client, _ = login(Role.MANAGER, organisation=application.organisation)
    return application, manager_client, coordinator, in_review


def test_the_whole_appeal(db, decided, login):
    application, manager_client, coordinator, (_, (_, lead, _), _) = decided
    summary = manager_client.get(f"/applications/{application.id}/summary").get_data(as_text=True)
    assert 'id="decision"' in summary and "Отказ" in summary and 'name="grounds"' in summary
    assert (
        manager_client.post(f"/applications/{application.id}/appeal", data={"grounds": ""}).status_code == 409
    )
    lodged = manager_client.post(
        f"/applications/{application.id}/appeal", data={"grounds": "Эксперты не учли реестр"}
    )
    assert lodged.status_code == 302
    again = manager_client.post(f"/applications/{application.id}/appeal", data={"grounds": "Ещё раз"})
    assert again.status_code == 409

    took_part = coordinator.post(
        f"/review/applications/{application.id}/appeal-assessor", data={"assessor": lead.id}
    )
    assert took_part.status_code == 409
    fresh_client, fresh = login(Role.ASSESSOR)
    assert (
        coordinator.post(
            f"/review/applications/{application.id}/appeal-assessor", data={"assessor": fresh.id}
        ).status_code
        == 302
    )
    (assignment,) = appeals.appeal_panel(db, application)
    early = coordinator.post(f"/review/applications/{application.id}/appeal-decision", data={"reasons": "x"})
    assert early.status_code == 409

    fresh_client.post(f"/review/assignments/{assignment.id}/confirm")
    scored = fresh_client.post(
        f"/review/assignments/{assignment.id}/scores", data={**all_scores(application, 4), "submit": "final"}
    )
    assert scored.status_code == 302
    db.expire_all()
    outcome = comparison.assessed_outcome(
        db,
        application,
        {key.removeprefix("score-"): 4 for key in all_scores(application, 4) if key.startswith("score-")},
        factories.every_item_accepted(db, application),
    )
    level = outcome.level.id if outcome.level else ""
    response = coordinator.post(
        f"/review/applications/{application.id}/appeal-decision",
        data={"level": level, "reasons": "Апелляция удовлетворена"},
    )
    assert response.status_code == 302
    db.expire_all()
    assert db.get(type(application), application.id).state == ("certified" if level else "not_certified")
    actions = [e.action for e in history(db, application.id)]
    assert "review.appealed" in actions and "review.appeal_decided" in actions
    assert verify_chain(db).ok


def test_no_appeal_after_30_days(db, decided):
    application, manager_client, *_ = decided
    decision = decision_of(db, application)
    decision.decided_at = decision.decided_at - timedelta(days=31)
    db.commit()
    response = manager_client.post(f"/applications/{application.id}/appeal", data={"grounds": "Поздно"})
    assert response.status_code == 409
    db.expire_all()
    assert db.get(type(application), application.id).state == "not_certified"


def test_decide_appeal_refuses_an_unknown_level(db):
    """Finding 9: an unknown level on appeal is refused (422) as on the first decision, not a 500."""
    case = factories.appealed(db)
    factories.review_appeal(db, case.application, case.coordinator)
    with pytest.raises(ReviewError) as refused:
        appeals.decide_appeal(
            db,
            case.application,
            case.coordinator,
            chosen_level="platinum",
            reasons="Апелляция",
            justification=factories.DEPARTURE,
        )
    assert refused.value.status == 422
    assert decision_of(db, case.application).on_appeal is False


def certified_then_appealed(db, *, days_ago: int = 20):
    """Certified `days_ago` days ago (the certificate dated so), appealed, and the appeal review in."""
    case = factories.certified(db)
    case.decision.decided_at -= timedelta(days=days_ago)
    case.certificate.issued_on -= timedelta(days=days_ago)
    case.certificate.expires_on -= timedelta(days=days_ago)
    db.flush()
    case.appeal = factories.appeal(db, case.application, case.manager)
    factories.review_appeal(db, case.application, case.coordinator)
    return case


def decide_on_appeal(db, case, level):
    computed = decisions.computed_result(db, case.application).level
    return appeals.decide_appeal(
        db,
        case.application,
        case.coordinator,
        chosen_level=level,
        reasons="Решение по апелляции",
        justification="" if level == (computed.id if computed else None) else factories.DEPARTURE,
    )


def test_an_appeal_ending_not_certified_revokes_the_certificate(db, client):
    """Finding 2: 'not certified' on appeal revokes the certificate in force, naming the appeal decision."""
    case = certified_then_appealed(db)
    decide_on_appeal(db, case, None)
    db.commit()
    db.expire_all()
    certificate = db.get(Certificate, case.certificate.id)
    assert status_of(certificate) == CertificateStatus.REVOKED
    assert certificate.status_reason.startswith("Отозван решением по апелляции от ")
    assert certificate.status_reason.endswith(": Решение по апелляции")
    assert db.scalar(sa.select(sa.func.count(Certificate.id))) == 1
    revoked = db.scalar(sa.select(AuditEntry).where(AuditEntry.action == "certificate.revoked"))
    assert revoked.subject_id == certificate.number
    assert client.get("/api/v1/certificates").get_json()["items"] == []
    assert verify_chain(db).ok


def test_an_appeal_upheld_at_the_same_level_keeps_the_certificate(db):
    """Finding 2: an upheld appeal issues no new certificate, so the validity is not extended."""
    case = certified_then_appealed(db)
    decide_on_appeal(db, case, case.certificate.level_id)
    db.flush()
    assert db.scalars(sa.select(Certificate)).all() == [case.certificate]
    assert status_of(case.certificate) == CertificateStatus.VALID


def test_an_appeal_changing_the_level_replaces_the_certificate_until_the_original_expiry(db):
    """Finding 2: another level on appeal supersedes the certificate, valid only until the original expiry."""
    case = certified_then_appealed(db)
    original = case.certificate
    level = "advanced" if original.level_id != "advanced" else "basic"
    decision = decide_on_appeal(db, case, level)
    db.flush()
    new = latest_for_decision(db, decision.id)
    assert new.id != original.id and new.level_id == level
    assert new.expires_on == original.expires_on
    assert original.superseded_by_id == new.id and status_of(original) == CertificateStatus.SUPERSEDED


def test_the_report_of_an_upheld_appeal_names_the_certificate_kept(db):
    case = certified_then_appealed(db)
    decide_on_appeal(db, case, case.certificate.level_id)
    db.flush()
    assert report_context(db, case.application).certificate_number == case.certificate.number


def test_the_report_of_an_appeal_ending_not_certified_names_no_certificate(db):
    case = certified_then_appealed(db)
    decide_on_appeal(db, case, None)
    db.flush()
    assert report_context(db, case.application).certificate_number is None
