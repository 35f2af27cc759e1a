"""Appeals: once, within 30 days of the decision; reviewed by an assessor who took no part before."""

from __future__ import annotations

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import IntegrityError

from certify.certificates.issuance import issue_certificate
from certify.questionnaire.models import Application
from certify.review.decisions import decision_of, store_decision
from certify.review.models import Appeal, Assignment, AssignmentStatus, Decision
from certify.review.scoring import assessed_outcome, rubric_of
from certify.review.services import (
    ReviewError,
    active_assignments,
    actor_on,
    check_can_assess,
    facts_about,
    record,
    take,
)
from certify.web.timeutil import as_utc
from certify.workflow import Action


def appeal_of(session, application: Application) -> Appeal | None:
    return session.scalar(sa.select(Appeal).where(Appeal.application_id == application.id))


def _appeal_facts(session, application: Application, **inputs):
    decision = decision_of(session, application)
    appeal_team = active_assignments(session, application, for_appeal=True)
    return facts_about(
        session,
        application,
        decided_on=as_utc(decision.decided_at).date() if decision else None,
        appeal_used=appeal_of(session, application) is not None,
        appeal_assessor_assigned=bool(appeal_team),
        appeal_review_submitted=any(a.scores_submitted_at for a in appeal_team),
        **inputs,
    )


def lodge_appeal(session, application: Application, manager, grounds: str) -> Appeal:
    facts = _appeal_facts(session, application, reasons=grounds.strip())
    before = application.state
    application.state = take(application, Action.APPEAL, actor_on(manager, application), facts).value
    appeal = Appeal(application_id=application.id, grounds=grounds.strip(), lodged_by_id=manager.id)
    session.add(appeal)
    try:
        session.flush()
    except IntegrityError as error:
        raise ReviewError(_l("This decision has already been appealed.")) from error
    record(
        session,
        manager,
        "review.appealed",
        application,
        before={"state": before},
        after={"grounds": appeal.grounds},
    )
    return appeal


def assign_appeal_assessor(session, application: Application, coordinator, assessor) -> Assignment:
    """The appeal goes to one assessor who took no part in the review and is independent of the applicant."""
    took_part = session.scalar(
        sa.select(Assignment.id).where(
            Assignment.application_id == application.id, Assignment.assessor_id == assessor.id
        )
    )
    facts = _appeal_facts(session, application, appeal_assessor_took_part=took_part is not None)
    take(application, Action.ASSIGN_APPEAL_ASSESSOR, actor_on(coordinator, application), facts)
    check_can_assess(session, assessor, application)
    assignment = Assignment(
        application_id=application.id,
        assessor_id=assessor.id,
        is_lead=True,
        for_appeal=True,
        assigned_by_id=coordinator.id,
    )
    session.add(assignment)
    session.flush()
    record(
        session,
        coordinator,
        "review.appeal_assessor_assigned",
        application,
        after={"assessor": assessor.email},
    )
    return assignment


def appeal_assignment(session, application: Application) -> Assignment | None:
    team = active_assignments(session, application, for_appeal=True)
    return team[0] if team else None


def decide_appeal(
    session,
    application: Application,
    coordinator,
    *,
    chosen_level: str | None,
    reasons: str,
    justification: str,
) -> Decision:
    """The decision after the appeal review (upheld or changed), from the appeal assessor's scores."""
    session.scalar(sa.select(Application.id).where(Application.id == application.id).with_for_update())
    assignment = appeal_assignment(session, application)
    if (
        assignment is None
        or assignment.status != AssignmentStatus.CONFIRMED
        or not assignment.scores_submitted_at
    ):
        raise ReviewError(_l("The appeal assessor has not submitted scores yet."))
    outcome = assessed_outcome(session, application, rubric_of(session, assignment))
    computed = outcome.level.id if outcome.level else None
    previous = decision_of(session, application)
    facts = _appeal_facts(
        session,
        application,
        computed_level=computed,
        chosen_level=chosen_level,
        reasons=reasons.strip(),
        justification=justification.strip(),
    )
    application.state = take(
        application, Action.DECIDE_APPEAL, actor_on(coordinator, application), facts
    ).value
    decision = store_decision(
        session, application, coordinator, outcome, chosen_level, reasons, justification, on_appeal=True
    )
    upheld = previous is not None and previous.chosen_level == chosen_level
    record(
        session,
        coordinator,
        "review.appeal_decided",
        application,
        before={"level": previous.chosen_level if previous else None},
        after={
            "level": chosen_level,
            "outcome": "upheld" if upheld else "changed",
            "reasons": decision.reasons,
        },
    )
    if chosen_level:
        issue_certificate(session, decision, coordinator)
    return decision
