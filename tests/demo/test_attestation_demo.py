"""The demo holds candidates for attestation in every state, made through the real services, once."""

from __future__ import annotations

from collections import Counter

import sqlalchemy as sa

from certify.accounts.models import Role, User
from certify.attestation.models import AdmissionCheck
from certify.attestation.theory import theory_of
from certify.audit.models import AuditEntry
from certify.audit.services import verify_chain
from certify.certificates.issuance import latest_for_decision, status_of
from certify.certificates.models import Certificate
from certify.demo.attestation import (
    CANDIDATES,
    CONCLUSION,
    RETURN_REASON,
    SUSPENSION_REASON,
    load_demo_attestation,
)
from certify.demo.data import ORGANISATIONS
from certify.demo.organisations import ensure_organisation
from certify.exams.models import ExamAttempt
from certify.outbox.models import OutboxMessage
from certify.questionnaire.models import Application
from certify.questionnaire.services import load_answers, standard_of
from certify.review.decisions import decision_of
from certify.review.models import Assignment
from certify.standards.services import install_library
from certify.transitions import active_assignments
from certify.workflow import State
from tests.factories import make_user

#: the workflow's state of each demo state
WORKFLOW_STATE = {
    "applying": State.DRAFT,
    "returned": State.DRAFT,
    "admitted": State.ADMITTED,
    "exam_failed": State.ADMITTED,
    "practical": State.ADMITTED,
    "under_review": State.IN_REVIEW,
    "attested": State.CERTIFIED,
    "not_attested": State.NOT_CERTIFIED,
    "expired": State.CERTIFIED,
    "suspended": State.CERTIFIED,
}


def demo_state(db) -> dict[str, str]:
    """Each demo candidate's e-mail and the state their application is in, queried by state."""
    found = {}
    for state in State:
        emails = db.scalars(
            sa.select(User.email)
            .join(Application, Application.candidate_id == User.id)
            .where(Application.state == state.value, User.email.like("candidate-%@certify-demo.example.org"))
        )
        found |= {email: state for email in emails}
    return found


def application_of(db, email: str) -> Application:
    return db.scalar(
        sa.select(Application).join(User, User.id == Application.candidate_id).where(User.email == email)
    )


def counts(db) -> tuple[int, ...]:
    return tuple(
        db.scalar(sa.select(sa.func.count()).select_from(table))
        for table in (User, Application, AdmissionCheck, ExamAttempt, Assignment, Certificate, AuditEntry)
    )


def test_the_demo_has_a_candidate_in_every_state_and_loads_them_once(runner, db):
    shown = runner.invoke(args=["certify", "demo"])
    assert shown.exit_code == 0, shown.output
    assert {email: WORKFLOW_STATE[state] for state, email, *_ in CANDIDATES} == demo_state(db)
    for state, email, *_ in CANDIDATES:
        assert email in shown.output and Role.CANDIDATE in application_of(db, email).candidate.roles
        check_stage(db, state, application_of(db, email))
    statuses = Counter(state for state, *_ in CANDIDATES if state in ("attested", "expired", "suspended"))
    persons = db.scalars(sa.select(Certificate).where(Certificate.subject_kind == "person")).all()
    assert Counter(status_of(c).value.replace("valid", "attested") for c in persons) == statuses
    assert verify_chain(db).ok
    assert db.scalar(sa.select(sa.func.count(OutboxMessage.id))) == 0  # nobody told of invented history
    results = db.scalars(sa.select(AuditEntry.action).where(AuditEntry.action == "application.theory_result"))
    assert len(results.all()) == sum(
        state not in ("applying", "returned", "admitted") for state, *_ in CANDIDATES
    )

    loaded = counts(db)
    assert runner.invoke(args=["certify", "demo"]).exit_code == 0
    assert counts(db) == loaded, "the second run adds nothing"


def check_stage(db, state: str, application: Application) -> None:
    """What a candidate in `state` has to show for it, beyond the workflow's state."""
    checks = db.scalars(
        sa.select(AdmissionCheck).where(AdmissionCheck.application_id == application.id)
    ).all()
    theory = theory_of(db, application)
    team = active_assignments(db, application)
    decision = decision_of(db, application)
    certificate = latest_for_decision(db, decision.id) if decision else None
    if state == "applying":
        assert not checks and application.submitted_at is None
    elif state == "returned":
        assert [c.reasons for c in checks] == [{"elig_training": RETURN_REASON}]
    elif state == "admitted":
        assert theory.open_attempt is not None and theory.open_attempt.is_registered
    elif state == "exam_failed":
        assert not theory.passed and theory.retake is not None and not theory.retake.exhausted
        assert not theory.failed_finally
    elif state == "practical":
        assert theory.passed and not team and application.practical_submitted_at is None
        assert load_answers(db, application).keys() - application.snapshot.keys(), "half the task answered"
    elif state == "under_review":
        assert theory.passed and len(team) == 2 and application.practical_submitted_at is not None
        assert sorted(a.scores_submitted_at is None for a in team) == [False, True]  # one has scored
    elif state == "not_attested":
        assert decision.chosen_level is None and decision.conclusion == CONCLUSION
        assert set(decision.conclusion["areas"]) == {a.id for a in standard_of(application).areas}
    elif state == "suspended":
        assert status_of(certificate).value == "suspended" and certificate.status_reason == SUSPENSION_REASON
    if state in ("attested", "expired", "suspended"):
        assert certificate.subject_kind == "person"
        assert certificate.level_id == decision.chosen_level in ("attested", "senior")
        assert certificate.holder_name_ru == application.candidate.full_name_ru
        assert status_of(certificate).value == {"attested": "valid"}.get(state, state)
    # the examiners are independent of the candidate, and the coordinator who decided examined no one
    organisation = application.organisation_id
    assert not [a for a in team if organisation is not None and a.assessor.organisation_id == organisation]
    if decision:
        assert decision.decided_by_id not in {a.assessor_id for a in team}


def test_the_registry_lists_the_attested_demo_managers_by_a_cyrillic_name(db, client):
    install_library(db)
    organisations = {o["registration_number"]: ensure_organisation(db, o) for o in ORGANISATIONS}
    examiners = [make_user(db, Role.ASSESSOR) for _ in range(3)]
    load_demo_attestation(db, make_user(db, Role.COORDINATOR), examiners, organisations, "Klaster-Demo-2026!")
    db.commit()
    attested = [name_ru for state, _, name_ru, *_ in CANDIDATES if state == "attested"]
    others = [
        name_ru for state, _, name_ru, *_ in CANDIDATES if state in ("expired", "suspended", "not_attested")
    ]

    listed = client.get("/registry?kind=person").get_data(as_text=True)
    assert all(name in listed for name in attested) and not any(name in listed for name in others)
    for name_ru in attested:
        surname = name_ru.split()[-1]
        found = client.get("/registry", query_string={"q": surname[:-1].upper()}).get_data(as_text=True)
        assert name_ru in found, surname  # any case, a part of the name
        assert all(other not in found for other in attested if other != name_ru)
