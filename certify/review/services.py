"""Assigning assessors: conflicts of interest, independence, declining, starting the review."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext
from flask_babel import lazy_gettext as _l

from certify.accounts.models import Role, User, UserRole
from certify.audit import services as audit
from certify.errors import DomainError
from certify.questionnaire.models import Application
from certify.review.conflicts import DEFAULT_COOLING_OFF_YEARS, Applicant, Candidate, Conflict, conflicts
from certify.review.models import Assignment, AssignmentStatus, ConflictDeclaration
from certify.web.timeutil import as_utc, utcnow
from certify.workflow import Action, ActorContext, Facts, State, TransitionRefused, apply
from certify.workflow import Role as WorkflowRole

#: states in which an assignment still counts towards an assessor's workload
OPEN_STATES = (State.SUBMITTED, State.IN_REVIEW, State.CLARIFICATION_REQUESTED, State.SCORED, State.APPEALED)


class ReviewError(DomainError):
    """A refused review operation; `message` is shown to the user."""


def active_assignments(session, application: Application, *, for_appeal: bool = False) -> list[Assignment]:
    rows = session.scalars(
        sa.select(Assignment)
        .where(Assignment.application_id == application.id, Assignment.for_appeal.is_(for_appeal))
        .order_by(Assignment.id)
    )
    return [row for row in rows if row.active]


def facts_about(session, application: Application, **inputs) -> Facts:
    """The workflow's view of the application's review, plus what the actor enters (`inputs`)."""
    team = active_assignments(session, application)
    return Facts(
        today=date.today(),
        questionnaire_complete=application.submitted_at is not None,
        assessors_assigned=len(team),
        lead_assigned=any(a.is_lead for a in team),
        assessors_confirmed=sum(a.status == AssignmentStatus.CONFIRMED for a in team),
        scores_submitted=sum(a.scores_submitted_at is not None for a in team),
        **inputs,
    )


def actor_on(user: User, application: Application, assignment: Assignment | None = None) -> ActorContext:
    return ActorContext(
        roles=frozenset(WorkflowRole(role.value) for role in user.roles),
        is_applicant=user.organisation_id == application.organisation_id,
        is_assigned_assessor=assignment is not None and assignment.active,
        is_lead=assignment is not None and assignment.is_lead,
        has_confirmed=assignment is not None and assignment.status == AssignmentStatus.CONFIRMED,
        has_submitted=assignment is not None and assignment.scores_submitted_at is not None,
    )


def record(session, actor, action: str, application: Application, **changes) -> None:
    """The audit entry of a review step on `application` (in the same transaction as the step)."""
    audit.record(
        session,
        actor=actor,
        action=action,
        subject_type="application",
        subject_id=str(application.id),
        application_id=application.id,
        **changes,
    )


def take(application: Application, action: Action, actor: ActorContext, facts: Facts) -> State:
    try:
        return apply(State(application.state), action, actor, facts)
    except TransitionRefused as refused:
        raise ReviewError(gettext(refused.message) % _translated(refused.params)) from refused


def _translated(params: dict) -> dict:
    return {key: gettext(value) if isinstance(value, str) else value for key, value in params.items()}


def candidate_from_db(session, assessor: User) -> Candidate:
    declarations = session.scalars(
        sa.select(ConflictDeclaration).where(ConflictDeclaration.assessor_id == assessor.id)
    )
    declared = list(declarations)
    past = session.execute(
        sa.select(Application.organisation_id, Assignment.assigned_at)
        .join(Application, Application.id == Assignment.application_id)
        .where(Assignment.assessor_id == assessor.id, Assignment.status != AssignmentStatus.DECLINED.value)
    )
    return Candidate(
        organisation_id=assessor.organisation_id,
        declared_organisation_ids=frozenset(d.organisation_id for d in declared if d.organisation_id),
        declared_regions=frozenset(d.region for d in declared if d.region),
        past_assessments=tuple((org, as_utc(when).date()) for org, when in past),
    )


def conflicts_of(session, assessor: User, application: Application) -> list[Conflict]:
    years = current_app.config.get("COOLING_OFF_YEARS", DEFAULT_COOLING_OFF_YEARS)
    applicant = Applicant(application.organisation_id, application.organisation.region)
    return conflicts(
        candidate_from_db(session, assessor), applicant, today=date.today(), cooling_off_years=years
    )


def assign_assessors(
    session, application: Application, assessors: Sequence[User], lead: User | None, coordinator: User
) -> list[Assignment]:
    """Add assessors (and name the lead); refused for anyone tied to the applicant or not an assessor."""
    take(
        application,
        Action.ASSIGN_ASSESSORS,
        actor_on(coordinator, application),
        facts_about(session, application),
    )
    team = active_assignments(session, application)
    already = {a.assessor_id for a in team}
    if len(already | {a.id for a in assessors}) > 3:
        raise ReviewError(_l("An application has at most three assessors."))
    for assessor in assessors:
        check_can_assess(session, assessor, application)
    created = [
        Assignment(application_id=application.id, assessor_id=a.id, assigned_by_id=coordinator.id)
        for a in assessors
        if a.id not in already
    ]
    session.add_all(created)
    session.flush()
    if lead is not None:
        for assignment in active_assignments(session, application):
            assignment.is_lead = assignment.assessor_id == lead.id
    session.flush()
    team_after = [
        {"assessor": a.assessor.email, "lead": a.is_lead} for a in active_assignments(session, application)
    ]
    record(session, coordinator, "review.assigned", application, after={"team": team_after})
    return created


def check_can_assess(session, assessor: User, application: Application) -> None:
    if not assessor.active or Role.ASSESSOR not in assessor.roles:
        raise ReviewError(_l("%(name)s is not an active assessor.", name=assessor.email), 422)
    found = conflicts_of(session, assessor, application)
    if found:
        reasons = "; ".join(gettext(c.message) % c.params for c in found)
        raise ReviewError(
            _l("%(name)s cannot assess this application: %(reasons)s.", name=assessor.email, reasons=reasons),
            422,
        )


def confirm_independence(session, assignment: Assignment, assessor: User) -> None:
    """The assessor confirms they have no tie to the applicant."""
    application = assignment.application
    take(
        application,
        Action.CONFIRM_INDEPENDENCE,
        actor_on(assessor, application, assignment),
        facts_about(session, application),
    )
    assignment.status, assignment.answered_at = AssignmentStatus.CONFIRMED.value, utcnow()
    session.flush()
    record(
        session, assessor, "review.independence_confirmed", application, after={"assignment": assignment.id}
    )


def decline_assignment(session, assignment: Assignment, assessor: User, reason: str) -> None:
    application = assignment.application
    facts = facts_about(session, application, reasons=reason.strip())
    take(application, Action.DECLINE_ASSIGNMENT, actor_on(assessor, application, assignment), facts)
    assignment.status, assignment.answered_at = AssignmentStatus.DECLINED.value, utcnow()
    assignment.decline_reason, assignment.is_lead = reason.strip(), False
    session.flush()
    record(
        session,
        assessor,
        "review.assignment_declined",
        application,
        after={"assignment": assignment.id, "reason": reason.strip()},
    )


def start_review(session, application: Application, coordinator: User) -> None:
    """Open the review once the team is complete and every assessor confirmed independence."""
    facts = facts_about(session, application)
    before = application.state
    application.state = take(
        application, Action.START_REVIEW, actor_on(coordinator, application), facts
    ).value
    session.flush()
    record(
        session,
        coordinator,
        "review.started",
        application,
        before={"state": before},
        after={"state": application.state},
    )


def workloads(session) -> dict[int, int]:
    """Open assignments per assessor id."""
    rows = session.execute(
        sa.select(Assignment.assessor_id, sa.func.count(Assignment.id))
        .join(Application, Application.id == Assignment.application_id)
        .where(Assignment.status != AssignmentStatus.DECLINED.value, Application.state.in_(OPEN_STATES))
        .group_by(Assignment.assessor_id)
    )
    return dict(rows.all())


def assessors(session) -> list[User]:
    return list(
        session.scalars(
            sa.select(User)
            .join(UserRole, UserRole.user_id == User.id)
            .where(UserRole.role == Role.ASSESSOR.value, User.active.is_(True))
            .order_by(User.full_name_ru)
        )
    )


def review_queue(session) -> list[Application]:
    return list(
        session.scalars(
            sa.select(Application)
            .where(Application.state.in_(OPEN_STATES))
            .order_by(Application.submitted_at)
        )
    )


def assignments_of(session, assessor: User) -> list[Assignment]:
    return list(
        session.scalars(
            sa.select(Assignment)
            .where(Assignment.assessor_id == assessor.id)
            .order_by(Assignment.assigned_at.desc())
        )
    )


def declare_conflict(
    session, assessor: User, *, organisation_id: int | None, region: str, note: str
) -> ConflictDeclaration:
    if not organisation_id and not region.strip():
        raise ReviewError(_l("Name an organisation or a region."), 422)
    declaration = ConflictDeclaration(
        assessor_id=assessor.id,
        organisation_id=organisation_id or None,
        region=region.strip() or None,
        note=note.strip(),
    )
    session.add(declaration)
    session.flush()
    return declaration
