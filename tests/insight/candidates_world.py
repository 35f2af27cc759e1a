"""Candidates for attestation at every stage of cma 1.0, one past each of the scheme's deadlines, through
the real services: the dashboard's candidates' numbers have something to count, and the organisations'
numbers something to leave out."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from freezegun import freeze_time

from certify.accounts.models import Role, User
from certify.attestation import services as attestation
from certify.certificates.register import latest_of_application
from certify.questionnaire.models import Application
from certify.questionnaire.services import standard_of
from certify.review import decisions, staffing
from certify.standards.services import install_library
from certify.timeutil import utcnow
from tests import factories
from tests.attestation import steps
from tests.attestation.theory_steps import practical_submitted, sit
from tests.factories import make_user

#: how long ago the late candidates reached their stage: past cma 1.0's 10, 30 and 30 days
LATE_BY_DAYS = 40
#: days left on the attestation issued here: within both of the dashboard's windows
ATTESTATION_DAYS_LEFT = 20


@dataclass
class Candidates:
    #: stage value -> its applications
    at: dict[str, list[Application]] = field(default_factory=dict)
    #: deadline value -> the application past it
    late: dict[str, Application] = field(default_factory=dict)
    #: the examiners holding open assignments on candidates' applications
    examiners: list[User] = field(default_factory=list)


def _admitted(db, coordinator) -> Application:
    application = steps.submitted(db)
    attestation.admit(db, application, coordinator)
    return application


def _examined(db, coordinator, world: Candidates, *, start: bool) -> Application:
    """Admitted, the theory passed, two examiners assigned (and the review started, with `start`)."""
    application = _admitted(db, coordinator)
    sit(db, application, passed=True)
    practical_submitted(db, application)
    team = [make_user(db, Role.ASSESSOR, full_name_ru="Ольга Петровна Смирнова") for _ in range(2)]
    if start:
        factories.start_review(db, application, coordinator, team)
    else:
        staffing.assign_assessors(db, application, team, team[0], coordinator)
    world.examiners.extend(team)
    return application


def _not_attested(db, application: Application, coordinator):
    areas = {area.id: "Ниже порога" for area in standard_of(application).areas}
    return decisions.decide(
        db,
        application,
        coordinator,
        chosen_level=None,
        reasons="Практическая часть ниже порога",
        justification="",
        conclusion={"areas": areas, "recommendations": "Доработать финансовую модель кластера"},
    )


def build_candidates(db, coordinator: User) -> Candidates:
    """The late candidates as they were LATE_BY_DAYS ago, then the fresh ones now (flushed, not committed)."""
    world = Candidates()
    with freeze_time(utcnow() - timedelta(days=LATE_BY_DAYS)):
        install_library(db, [steps.SCHEME])
        steps.open_theory_exam(db)
        world.late["admission"] = steps.submitted(db)
        world.late["theory"] = _admitted(db, coordinator)
        world.late["decision"] = _examined(db, coordinator, world, start=True)
        factories.agree(db, world.late["decision"], 3)
    attested = _examined(db, coordinator, world, start=True)
    factories.decide(db, factories.agree(db, attested, 4), coordinator, certify=True)
    latest_of_application(db, attested.id).expires_on = date.today() + timedelta(days=ATTESTATION_DAYS_LEFT)
    not_attested = _examined(db, coordinator, world, start=True)
    _not_attested(db, factories.agree(db, not_attested, 1), coordinator)
    world.at = {
        "applying": [world.late["admission"], steps.submitted(db)],
        "theory": [world.late["theory"], _admitted(db, coordinator)],
        "practical": [
            _examined(db, coordinator, world, start=False),
            _examined(db, coordinator, world, start=True),
        ],
        "decision": [world.late["decision"]],
        "appealed": [],
        "attested": [attested],
        "not_attested": [not_attested],
    }
    return world
