"""A decided person's application on cma 1.0 and its attestation, for the personal certificate's tests.

The candidate applies and is checked through the real services (tests/attestation/steps.py). What the
certificate's tests need of the practical review and the commission's decision is their result, written
here as the review's services store it: a consensus score per indicator (`ConsensusScore`) and a
`Decision` at the chosen level, its computed level and total taken from the same scoring engine
(`consensus_outcome`); the whole journey through the services is in tests/review/test_person_review.py.
Issuance then runs as the decision would run it.

Like tests/factories.py these flush and never commit.
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa

from certify.accounts.models import Role, User
from certify.certificates.issuance import issue_certificate
from certify.certificates.models import Certificate
from certify.questionnaire.models import Application
from certify.questionnaire.services import standard_of
from certify.review.comparison import consensus_outcome
from certify.review.models import ConsensusScore, Decision
from certify.standards.models import StandardVersion
from certify.workflow import State
from tests.attestation import steps
from tests.factories import make_organisation, make_user

NAME_RU, NAME_EN = "Иванова Анна Сергеевна", "Anna Ivanova"


@dataclass
class Attested:
    """A candidate's application decided at a level, and the attestation issued on it."""

    application: Application
    candidate: User
    coordinator: User
    decision: Decision
    certificate: Certificate


def scheme(session) -> StandardVersion:
    """cma 1.0 (with the organisations' default standard), installed once per test database."""
    installed = session.scalar(sa.select(StandardVersion).where(StandardVersion.code == "cma"))
    return installed or steps.install_scheme(session)


def candidate(session, *, with_organisation: bool = True, **fields) -> User:
    """A candidate named Иванова Анна Сергеевна unless told, working in an organisation unless told."""
    fields = {"full_name_ru": NAME_RU, "full_name_en": NAME_EN} | fields
    organisation = make_organisation(session) if with_organisation else None
    return make_user(session, Role.CANDIDATE, organisation=organisation, **fields)


def decided(
    session, *, user: User | None = None, scores: dict[str, int] | None = None, level: str = "attested"
) -> tuple[Application, User, Decision]:
    """A submitted application of `user` whose practical part got the consensus `scores` (area id ->
    rubric score, 3 for the areas not named) and a decision at `level`, justified where it departs."""
    scheme(session)
    application = steps.submitted(session, user=user or candidate(session))
    coordinator = make_user(session, Role.COORDINATOR)
    standard = standard_of(application)
    scores = scores or {}
    session.add_all(
        ConsensusScore(
            application_id=application.id,
            indicator_id=indicator.id,
            score=scores.get(area.id, 3),
            recorded_by_id=coordinator.id,
        )
        for area in standard.areas
        for indicator in area.indicators
    )
    session.flush()
    outcome = consensus_outcome(session, application)
    computed = outcome.level.id if outcome.level else None
    decision = Decision(
        application_id=application.id,
        computed_level=computed,
        chosen_level=level,
        assessed_total=str(outcome.total),
        reasons="Решение аттестационной комиссии",
        justification="" if computed == level else "Комиссия учла устную защиту кейса",
        decided_by_id=coordinator.id,
    )
    application.state = State.CERTIFIED.value
    session.add(decision)
    session.flush()
    return application, coordinator, decision


def attested(session, **deciding) -> Attested:
    """Decided (see `decided`), then issued its attestation as the decision issues a certificate."""
    application, coordinator, decision = decided(session, **deciding)
    certificate = issue_certificate(session, decision, coordinator)
    return Attested(application, application.candidate, coordinator, decision, certificate)
