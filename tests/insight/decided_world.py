"""Seven applications decided on cmq 1.1, built so that every statistic can be worked out by hand.

Every assessor gives the consensus score to each indicator, files are all accepted, so an indicator's
assessed score is 25 × its rubric score and an area whose indicators share one score scores 25 × it
(areas "str" and "gov" are never varied: 100, 75, 75, 50, 25, 75, 50). The expected figures, worked out
in the tests that use them, follow from the table below.

| app | scores | level decided | region | green fields | rounds | days to decision | decided |
| A1 | 4 | excellence | Санкт-Петербург | water | 0 | 10 | 2025-01 |
| A2 | 3 | advanced | Санкт-Петербург | water, construction | 1 | 20 | 2025-01 |
| A3 | 3, srv_joint_projects 1 | basic | Москва | construction | 2 | 30 | 2025-01 |
| A4 | 2 | basic | Москва | - | 0 | 40 | 2025-01 |
| A5 | 1, stg_strategy 0 | not certified | Санкт-Петербург | water | 1 | 50 | 2025-01 |
| A6 | 3, fin_non_budget 1, srv_satisfaction 1 | basic | Москва | - | 0 | 60 | 2025-02 |
| A7 | 2, stg_strategy 1 | basic | Москва | - | 0 | 70 | 2024-12 |
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from certify.accounts.models import Role, User
from certify.questionnaire.models import Application
from certify.questionnaire.services import standard_of
from certify.review import clarification, rubric_scores
from tests import factories
from tests.factories import make_organisation, make_user

SPB, MSK = "Санкт-Петербург", "Москва"
#: the applications' settings, in the order of the table above
PLAN = (
    (4, {}, True, SPB, ["water"], 0, 10, datetime(2025, 1, 10, 9, tzinfo=UTC)),
    (3, {}, True, SPB, ["water", "construction"], 1, 20, datetime(2025, 1, 14, 9, tzinfo=UTC)),
    (3, {"srv_joint_projects": 1}, True, MSK, ["construction"], 2, 30, datetime(2025, 1, 20, 9, tzinfo=UTC)),
    (2, {}, True, MSK, [], 0, 40, datetime(2025, 1, 24, 9, tzinfo=UTC)),
    (1, {"stg_strategy": 0}, False, SPB, ["water"], 1, 50, datetime(2025, 1, 28, 9, tzinfo=UTC)),
    (
        3,
        {"fin_non_budget": 1, "srv_satisfaction": 1},
        True,
        MSK,
        [],
        0,
        60,
        datetime(2025, 2, 5, 9, tzinfo=UTC),
    ),
    (2, {"stg_strategy": 1}, True, MSK, [], 0, 70, datetime(2024, 12, 10, 9, tzinfo=UTC)),
)


@dataclass
class World:
    coordinator: User
    #: A1..A7, in the order of the table
    applications: list[Application]


def scores_of(application: Application, value: int, overrides: dict[str, int]) -> dict[str, int]:
    return {i.id: overrides.get(i.id, value) for i in standard_of(application).indicators()}


def agree_on(db, case, scores: dict[str, int]) -> None:
    """Each assessor submits `scores`, then the lead records them as the consensus."""
    marks = factories.every_item_accepted(db, case.application)
    given = {i: (v, "") for i, v in scores.items()}
    for assignment in case.team:
        rubric_scores.save_scores(db, assignment, scores=given, feedback={}, marks=marks)
        rubric_scores.submit_scores(db, assignment, assignment.assessor)
    rubric_scores.record_consensus(db, case.application, case.lead.assessor, given, marks=marks)


def ask(db, case, rounds: int) -> None:
    """`rounds` clarification rounds: the lead asks, the manager answers."""
    for n in range(rounds):
        clarification.request_clarification(db, case.lead, case.lead.assessor, ["str_members"], f"Вопрос {n}")
        clarification.answer_clarification(db, case.application, case.manager, f"Ответ {n}")


def decided_application(db, coordinator, value, overrides, certify, region, fields, rounds, days, decided):
    """One application of the table, decided `days` after its submission, at `decided`."""
    manager = make_user(db, Role.MANAGER, organisation=make_organisation(db, region=region))
    draft = factories.make_application(db, manager, answers={"grn_fields": fields or None})
    case = factories.in_review(db, coordinator=coordinator, application=draft)
    ask(db, case, rounds)
    agree_on(db, case, scores_of(case.application, value, overrides))
    decision = factories.decide(db, case.application, coordinator, certify=certify)
    case.application.submitted_at = decided - timedelta(days=days)
    decision.decided_at = decided
    return case.application


def build_world(db) -> World:
    factories.install_default_standard(db, "1.1")
    coordinator = make_user(db, Role.COORDINATOR, locale="en")
    applications = [decided_application(db, coordinator, *row) for row in PLAN]
    db.commit()
    return World(coordinator, applications)
