"""A pipeline with one application past each deadline, an open appeal, a fresh review and certificates
coming up for renewal: every number on the dashboard has something to count."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import pytest
from freezegun import freeze_time

from certify.accounts.models import Role, User
from certify.certificates.models import Certificate
from certify.questionnaire.models import Application
from certify.review import clarification, staffing
from certify.timeutil import utcnow
from tests import factories
from tests.factories import make_user
from tests.insight.candidates_world import Candidates, build_candidates

#: how long ago the late applications reached their state: past every default deadline (at most 21 days)
LATE_BY_DAYS = 40


@dataclass
class Pipeline:
    coordinator: User
    #: deadline value -> the application past it
    late: dict[str, Application]
    appealed: Application
    fresh: Application
    #: days left -> the certificate with that many days left
    expiring: dict[int, Certificate]


def waiting_for_independence(db, coordinator) -> Application:
    case = factories.submitted(db)
    team = [
        make_user(db, Role.ASSESSOR, full_name_ru="Пётр Сергеевич Волков"),
        make_user(db, Role.ASSESSOR, full_name_ru="Анна Игоревна Соколова"),
    ]
    staffing.assign_assessors(db, case.application, team, team[0], coordinator)
    return case.application


def waiting_for_the_manager(db, coordinator) -> Application:
    case = factories.in_review(db, coordinator=coordinator)
    clarification.request_clarification(
        db, case.lead, case.lead.assessor, ["str_members"], "Приложите реестр участников за прошлый год"
    )
    return case.application


def build_pipeline(db) -> Pipeline:
    """The late applications as they were LATE_BY_DAYS ago, then the fresh ones and the certificates now."""
    factories.install_default_standard(db)
    coordinator = make_user(db, Role.COORDINATOR)
    with freeze_time(utcnow() - timedelta(days=LATE_BY_DAYS)):
        late = {
            "independence": waiting_for_independence(db, coordinator),
            "scoring": factories.in_review(db, coordinator=coordinator).application,
            "decision": factories.agreed(db, coordinator=coordinator).application,
            "clarification": waiting_for_the_manager(db, coordinator),
        }
        appealed = factories.appealed(db, coordinator=coordinator).application
    fresh = factories.in_review(db, coordinator=coordinator).application
    expiring = {}
    for days_left in (20, 60, 400):
        certificate = factories.certified(db, coordinator=coordinator).certificate
        # as if issued long ago: only the date matters to the counts, not the PDF that states it
        certificate.expires_on = date.today() + timedelta(days=days_left)
        expiring[days_left] = certificate
    db.commit()
    return Pipeline(coordinator, late, appealed, fresh, expiring)


@pytest.fixture
def pipeline(db) -> Pipeline:
    return build_pipeline(db)


@pytest.fixture
def candidates(db, pipeline) -> Candidates:
    """Candidates for attestation at every stage beside the organisations' pipeline."""
    world = build_candidates(db, pipeline.coordinator)
    db.commit()
    return world
