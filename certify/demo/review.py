"""Demo reviews: one application decided after a full review, one waiting for its assessors' confirmation."""

from __future__ import annotations

from certify.questionnaire.models import Application
from certify.questionnaire.services import standard_of
from certify.review import decisions, scoring, services
from certify.review.models import Assignment

REASONS = (
    "Эксперты подтвердили соответствие требованиям стандарта; решение принято по результатам консенсуса."
)


def load_demo_reviews(session, coordinator, assessors: list, submitted: list[Application]) -> None:
    """Take the first submitted application through review to a decision; assign the next one."""
    lead, second, third = assessors
    if len(submitted) >= 1 and not services.active_assignments(session, submitted[0]):
        _decided(session, submitted[0], coordinator, lead, second)
    if len(submitted) >= 2 and not services.active_assignments(session, submitted[1]):
        services.assign_assessors(session, submitted[1], [lead, third], lead, coordinator)


def _decided(session, application: Application, coordinator, lead, second) -> None:
    services.assign_assessors(session, application, [lead, second], lead, coordinator)
    team: list[Assignment] = services.active_assignments(session, application)
    for assignment in team:
        services.confirm_independence(session, assignment, assignment.assessor)
    services.start_review(session, application, coordinator)
    indicators = [i.id for i in standard_of(application).indicators()]
    for offset, assignment in enumerate(team):
        scores = {i: (3 if (n + offset) % 4 else 4, "") for n, i in enumerate(indicators)}
        scoring.save_scores(session, assignment, scores=scores, feedback={})
        scoring.submit_scores(session, assignment, assignment.assessor)
    consensus = {i: (3 if n % 4 else 4, "") for n, i in enumerate(indicators)}
    outcome = scoring.record_consensus(session, application, lead, consensus)
    level = outcome.level.id if outcome.level else None
    decisions.decide(session, application, coordinator, chosen_level=level, reasons=REASONS, justification="")
