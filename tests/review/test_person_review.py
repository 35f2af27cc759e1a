"""A candidate's practical part through the review machinery: examiners, conflicts, the commission's
decision and the appeal (issue 16; SQLite and PostgreSQL)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
import sqlalchemy as sa
from flask_babel import gettext

from certify.accounts.models import Organisation, Role, UserRole
from certify.attestation import stages
from certify.certificates.models import Certificate
from certify.outbox.models import OutboxMessage
from certify.questionnaire.services import standard_of
from certify.review import appeals, decisions, staffing
from certify.review.errors import ReviewError
from certify.transitions import TransitionError, active_assignments
from certify.workflow import State
from certify.workflow import guards as g
from tests import factories
from tests.attestation import steps
from tests.attestation.theory_steps import admitted, practical_submitted, sit
from tests.factories import make_application, make_organisation, make_user


@pytest.fixture
def scheme(db):
    return steps.install_scheme(db)


@pytest.fixture
def passed(db, scheme):
    """An admitted candidate of an organisation who passed the theory exam."""
    application = admitted(db, user=steps.candidate(db, organisation=make_organisation(db)))
    sit(db, application, passed=True)
    practical_submitted(db, application)
    return application


def examiners(db, n: int = 2):
    return [make_user(db, Role.ASSESSOR) for _ in range(n)]


def test_examiners_review_the_practical_part_once_the_theory_is_passed(db, passed):
    coordinator = make_user(db, Role.COORDINATOR)
    factories.start_review(db, passed, coordinator, examiners(db))
    assert passed.state == State.IN_REVIEW
    factories.agree(db, passed, 4)
    assert passed.state == State.CONSENSUS
    assert stages.decision_due(db, passed) == date.today() + timedelta(days=30)


@pytest.mark.parametrize("tie", ["organisation", "declared", "trainer"])
def test_an_examiner_tied_to_the_candidate_is_refused_with_the_reason(db, passed, tie):
    examiner = make_user(db, Role.ASSESSOR)
    if tie == "organisation":
        examiner.organisation_id = passed.organisation_id
    elif tie == "declared":
        staffing.declare_conflict(
            db, examiner, organisation_id=None, region="", note="сосед", candidate_id=passed.candidate_id
        )
    else:
        staffing.declare_conflict(
            db,
            examiner,
            organisation_id=None,
            region="",
            note="курс ВШЭ",
            candidate_id=passed.candidate_id,
            trained_on=date.today() - timedelta(days=300),
        )
    with pytest.raises(ReviewError) as refused:
        staffing.assign_assessors(db, passed, [examiner], examiner, make_user(db, Role.COORDINATOR))
    reason = {
        "organisation": "works for the candidate's organisation",
        "declared": "declared a tie to the candidate",
        "trainer": "trained the candidate on %(date)s, less than %(years)d years ago",
    }[tie]
    assert examiner.email in str(refused.value.message)
    assert gettext(reason).split("%")[0] in str(refused.value.message)
    assert not active_assignments(db, passed)


def test_the_commission_member_who_examined_or_trained_the_candidate_is_refused(db, passed):
    team = examiners(db)
    factories.start_review(db, passed, make_user(db, Role.COORDINATOR), team)
    factories.agree(db, passed, 4)
    team[1].role_rows.append(UserRole(role=Role.COORDINATOR.value))  # an examiner later joins the staff
    db.flush()
    with pytest.raises(TransitionError) as examined:
        factories.decide(db, passed, team[1], certify=True)
    assert examined.value.message == gettext(g.DECIDER_TOOK_NO_PART.reworded[1])
    trainer = make_user(db, Role.COORDINATOR)
    staffing.declare_conflict(
        db,
        trainer,
        organisation_id=None,
        region="",
        note="",
        candidate_id=passed.candidate_id,
        trained_on=date.today(),
    )
    with pytest.raises(TransitionError) as trained:
        factories.decide(db, passed, trainer, certify=True)
    assert trained.value.message == gettext(g.DECIDER_DID_NOT_TRAIN.refusal)
    assert passed.state == State.CONSENSUS


@pytest.mark.parametrize("with_organisation", [True, False])
def test_an_attested_decision_issues_the_personal_certificate(db, scheme, with_organisation):
    organisation = make_organisation(db) if with_organisation else None
    application = admitted(db, user=steps.candidate(db, organisation=organisation))
    sit(db, application, passed=True)
    practical_submitted(db, application)
    team = examiners(db)
    factories.start_review(db, application, make_user(db, Role.COORDINATOR), team)
    factories.agree(db, application, 4)
    decision = factories.decide(db, application, make_user(db, Role.COORDINATOR), certify=True)
    db.commit()

    assert application.state == State.CERTIFIED and decision.chosen_level == "attested"
    certificate = db.scalar(sa.select(Certificate).where(Certificate.decision_id == decision.id))
    assert certificate.number.startswith("CMA-") and certificate.subject_kind == "person"
    assert certificate.holder_name_ru == application.candidate.full_name_ru
    assert {area["id"] for area in certificate.areas_passed} == {a.id for a in standard_of(application).areas}
    # the examiners were asked by name of the candidate, with or without an organisation
    asked = db.scalars(sa.select(OutboxMessage).where(OutboxMessage.template == "review_assigned")).all()
    assert {m.recipient for m in asked} == {e.email for e in team}
    assert all(application.candidate.full_name_ru in m.body for m in asked)


def test_the_appeal_goes_to_someone_who_did_not_examine(db, passed):
    team = examiners(db)
    coordinator = make_user(db, Role.COORDINATOR)
    factories.start_review(db, passed, coordinator, team)
    factories.agree(db, passed, 1)
    not_attested(db, passed, coordinator)
    appeals.lodge_appeal(db, passed, passed.candidate, "Экзаменаторы не учли портфолио")
    assert passed.state == State.APPEALED
    with pytest.raises(TransitionError):
        appeals.assign_appeal_assessor(db, passed, coordinator, team[0])
    assignment = appeals.assign_appeal_assessor(db, passed, coordinator, make_user(db, Role.ASSESSOR))
    assert assignment.for_appeal


def conclusion_of(application) -> dict:
    areas = {
        area.id: f"Результат по области {area.id}: ниже порога" for area in standard_of(application).areas
    }
    return {"areas": areas, "recommendations": "Пройти курс по финансированию кластеров"}


def not_attested(db, application, coordinator):
    return decisions.decide(
        db,
        application,
        coordinator,
        chosen_level=None,
        reasons="Практическая часть ниже порога",
        justification="",
        conclusion=conclusion_of(application),
    )


def test_not_attested_needs_the_written_conclusion_per_area_and_recommendations(db, passed):
    coordinator = make_user(db, Role.COORDINATOR)
    factories.start_review(db, passed, coordinator, examiners(db))
    factories.agree(db, passed, 1)
    partial = conclusion_of(passed)
    first_area = next(iter(partial["areas"]))
    partial["areas"][first_area] = " "
    with pytest.raises(ReviewError) as missing:
        decisions.decide(
            db,
            passed,
            coordinator,
            chosen_level=None,
            reasons="Ниже порога",
            justification="",
            conclusion=partial,
        )
    assert standard_of(passed).areas[0].title.ru in str(missing.value.message)
    without = conclusion_of(passed) | {"recommendations": ""}
    with pytest.raises(ReviewError):
        decisions.decide(
            db,
            passed,
            coordinator,
            chosen_level=None,
            reasons="Ниже порога",
            justification="",
            conclusion=without,
        )
    decision = not_attested(db, passed, coordinator)
    assert passed.state == State.NOT_CERTIFIED
    assert decision.conclusion == conclusion_of(passed)


def test_an_examiner_declares_training_a_candidate_on_the_conflicts_page(db, passed, client_for):
    examiner = make_user(db, Role.ASSESSOR)
    db.commit()
    client = client_for(examiner)
    trained_on = (date.today() - timedelta(days=100)).isoformat()
    unknown = client.post(
        "/review/conflicts",
        data={"organisation_id": "0", "candidate_email": "nobody@example.org", "trained_on": trained_on},
    )
    assert unknown.status_code == 422 and "nobody@example.org" in unknown.get_data(as_text=True)
    email = passed.candidate.email
    client.post(
        "/review/conflicts", data={"organisation_id": "0", "candidate_email": email, "trained_on": trained_on}
    )
    page = client.get("/review/conflicts").get_data(as_text=True)
    assert passed.candidate.full_name("ru") in page
    (found,) = staffing.conflicts_of(db, examiner, passed)
    assert found.params["date"] == trained_on


def test_the_candidate_sees_the_theory_and_the_decision_on_their_page(db, passed, client_for):
    coordinator = make_user(db, Role.COORDINATOR)
    factories.start_review(db, passed, coordinator, examiners(db))
    factories.agree(db, passed, 1)
    not_attested(db, passed, coordinator)
    db.commit()
    page = client_for(passed.candidate).get(f"/attestation/applications/{passed.id}").get_data(as_text=True)
    assert "Пройти курс по финансированию кластеров" in page and "100.0" in page
    other = make_user(db, Role.CANDIDATE)
    db.commit()
    assert client_for(other).get(f"/attestation/applications/{passed.id}").status_code in (403, 404)


def test_the_review_pages_of_a_candidate_speak_of_examiners_and_the_candidate(db, scheme, client_for):
    application = admitted(db, user=steps.candidate(db))  # without an organisation
    sit(db, application, passed=True)
    practical_submitted(db, application)
    team = examiners(db)
    coordinator = make_user(db, Role.COORDINATOR)
    factories.start_review(db, application, coordinator, team)
    db.commit()
    examiner = client_for(team[0])
    assignments = examiner.get("/review/assignments").get_data(as_text=True)
    assert application.candidate.full_name_ru in assignments and "Оценить практическое задание" in assignments
    (assignment,) = [a for a in active_assignments(db, application) if a.assessor_id == team[0].id]
    scores = examiner.get(f"/review/assignments/{assignment.id}/scores").get_data(as_text=True)
    assert "других экзаменаторов" in scores and "других экспертов" not in scores
    factories.agree(db, application, 1)
    not_attested(db, application, coordinator)
    db.commit()
    for path in (
        f"/review/applications/{application.id}/team",
        f"/review/applications/{application.id}/consensus",
    ):
        page = client_for(coordinator).get(path).get_data(as_text=True)
        assert application.candidate.full_name_ru in page and "Аттестация персонала" in page
        assert "эксперт" not in page.lower(), path
    consensus = client_for(coordinator).get(f"/review/applications/{application.id}/consensus")
    assert "Не аттестован." in consensus.get_data(as_text=True)


def test_an_organisations_review_pages_keep_their_assessors(db, client_for):
    case = factories.in_review(db)
    db.commit()
    page = client_for(case.coordinator).get(f"/review/applications/{case.application.id}/team")
    text = page.get_data(as_text=True)
    assert "Эксперты заявки" in text and "Экзаменатор" not in text


def test_examining_a_candidate_is_no_assessment_of_their_organisation(db, passed):
    """The cooling-off period after assessing an organisation does not start when its employee is examined."""
    examiner = make_user(db, Role.ASSESSOR)
    factories.start_review(
        db, passed, make_user(db, Role.COORDINATOR), [examiner, make_user(db, Role.ASSESSOR)]
    )
    organisation = db.get(Organisation, passed.organisation_id)
    manager = make_user(db, Role.MANAGER, organisation=organisation)
    application = factories.submit(db, make_application(db, manager), manager)
    assert staffing.conflicts_of(db, examiner, application) == []
