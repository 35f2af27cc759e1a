"""Staffing a review: assessors, conflicts of interest, independence, declining, workload, the start.

The team form's ticked assessors are the team (`change_team`): new ones are asked, unticked ones are
removed while their scores are not in (`remove_assessor`; the assignment row stays, `removed`, with its
history), and the lead is always one of them.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext
from flask_babel import lazy_gettext as _l

from certify.accounts.models import Role, User, UserRole
from certify.audit import services as audit
from certify.questionnaire.models import Application
from certify.review import notifications
from certify.review.conflicts import (
    DEFAULT_COOLING_OFF_YEARS,
    Applicant,
    Candidate,
    Conflict,
    conflicts,
)
from certify.review.errors import ReviewError
from certify.review.examiners import person_conflicts_of
from certify.review.models import ENDED, Assignment, AssignmentStatus, ConflictDeclaration
from certify.timeutil import as_utc, utcnow
from certify.transitions import TransitionError, active_assignments, record, take
from certify.workflow import Action, State, states

#: account roles whose holders decide applications, and so never assess one (separation of duties)
DECIDING_ROLES = (Role.COORDINATOR, Role.ADMIN)


def candidate_from_db(session, assessor: User, *, checking: Application | None = None) -> Candidate:
    """The assessor's declared ties and earlier assessments, leaving out any assignment to `checking`.

    Counting it, the assessor would be flagged as not independent of the very application they were
    just assigned to (issue 13, item 3).
    """
    declarations = session.scalars(
        sa.select(ConflictDeclaration).where(ConflictDeclaration.assessor_id == assessor.id)
    )
    declared = list(declarations)
    statement = (
        sa.select(Application.organisation_id, Assignment.assigned_at)
        .join(Application, Application.id == Assignment.application_id)
        # examining a person who works for an organisation is no assessment of the organisation
        .where(
            Assignment.assessor_id == assessor.id,
            Assignment.status.not_in(ENDED),
            Application.candidate_id.is_(None),
        )
    )
    if checking is not None:
        statement = statement.where(Assignment.application_id != checking.id)
    past = session.execute(statement)
    return Candidate(
        organisation_id=assessor.organisation_id,
        declared_organisation_ids=frozenset(d.organisation_id for d in declared if d.organisation_id),
        declared_regions=frozenset(d.region for d in declared if d.region),
        past_assessments=tuple((org, as_utc(when).date()) for org, when in past),
    )


def conflicts_of(session, assessor: User, application: Application) -> list[Conflict]:
    if application.is_person:
        return person_conflicts_of(session, assessor, application)
    years = current_app.config.get("COOLING_OFF_YEARS", DEFAULT_COOLING_OFF_YEARS)
    applicant = Applicant(application.organisation_id, application.organisation.region)
    candidate = candidate_from_db(session, assessor, checking=application)
    return conflicts(candidate, applicant, today=date.today(), cooling_off_years=years)


def assign_assessors(
    session, application: Application, assessors: Sequence[User], lead: User | None, coordinator: User
) -> list[Assignment]:
    """Add assessors (and name the lead); refused for anyone tied to the applicant or not an assessor."""
    already = {a.assessor_id for a in active_assignments(session, application)}
    proposed = len(already | {a.id for a in assessors})
    take(session, application, Action.ASSIGN_ASSESSORS, coordinator, proposed_team_size=proposed)
    joining = [a for a in assessors if a.id not in already]
    created = _ask(session, application, joining, coordinator)
    _name_lead(session, application, lead)
    _record_team(session, application, coordinator)
    notifications.assigned(session, application, joining)
    return created


def change_team(
    session, application: Application, chosen: Sequence[User], lead: User | None, coordinator: User
) -> None:
    """Make the ticked assessors the team: ask the new ones, then remove the unticked, and name the lead.

    New ones join first, so a review under way keeps the standard's minimum while one is replaced. The
    lead must be one of the team; removing the lead needs another one named.
    """
    take(session, application, Action.ASSIGN_ASSESSORS, coordinator, proposed_team_size=len(chosen))
    team = active_assignments(session, application)
    on_team, ticked = {a.assessor_id for a in team}, {u.id for u in chosen}
    leaving = [a for a in team if a.assessor_id not in ticked]
    joining = [u for u in chosen if u.id not in on_team]
    current_lead = next((a.assessor for a in team if a.is_lead), None)
    if lead is not None and lead.id not in ticked:
        raise ReviewError(_l("The lead must be one of the assessors ticked for the team."), 422)
    if lead is None and current_lead is not None and current_lead.id not in ticked:
        raise ReviewError(
            _l("%(name)s leads the review and is being removed: name another lead.", name=current_lead.email),
            422,
        )
    _ask(session, application, joining, coordinator)
    if joining or (lead is not None and lead != current_lead):
        _name_lead(session, application, lead or current_lead)
        _record_team(session, application, coordinator)
        notifications.assigned(session, application, joining)
    for assignment in leaving:
        remove_assessor(session, assignment, coordinator)


def _ask(session, application: Application, assessors: Sequence[User], coordinator: User) -> list[Assignment]:
    """Assignments waiting for each one's confirmation; one who declined or was removed is asked anew.

    The earlier assignment row is reopened (one row per assessor and application); what happened to it
    before stays in the audit trail.
    """
    for assessor in assessors:
        check_can_assess(session, assessor, application)
    ended = {
        row.assessor_id: row
        for row in session.scalars(
            sa.select(Assignment).where(
                Assignment.application_id == application.id,
                Assignment.for_appeal.is_(False),
                Assignment.status.in_(ENDED),
            )
        )
    }
    asked = []
    for assessor in assessors:
        row = ended.get(assessor.id) or Assignment(application_id=application.id, assessor_id=assessor.id)
        row.status, row.is_lead, row.answered_at, row.decline_reason = (
            AssignmentStatus.PENDING.value,
            False,
            None,
            "",
        )
        row.assigned_by_id, row.assigned_at = coordinator.id, utcnow()
        session.add(row)
        asked.append(row)
    session.flush()
    return asked


def _name_lead(session, application: Application, lead: User | None) -> None:
    if lead is not None:
        for assignment in active_assignments(session, application):
            assignment.is_lead = assignment.assessor_id == lead.id
        session.flush()


def _record_team(session, application: Application, coordinator: User) -> None:
    team = [
        {"assessor": a.assessor.email, "lead": a.is_lead} for a in active_assignments(session, application)
    ]
    record(session, coordinator, "review.assigned", application, after={"team": team})


def remove_assessor(session, assignment: Assignment, coordinator: User) -> None:
    """Take an assessor off the team before their scores are in; they are told by e-mail.

    Refused, naming them, once they have submitted scores, or when a review under way would keep fewer
    assessors than the standard asks for. Removing the last one still scoring completes the scoring.
    """
    application, assessor = assignment.application, assignment.assessor
    try:
        after = take(
            session,
            application,
            Action.REMOVE_ASSESSOR,
            coordinator,
            removed_has_submitted=assignment.scores_submitted_at is not None,
        )
    except TransitionError as refused:
        raise ReviewError(
            _l("%(name)s cannot be removed. %(reason)s", name=assessor.email, reason=refused.message),
            refused.status,
        ) from refused
    before = {"assessor": assessor.email, "status": assignment.status, "lead": assignment.is_lead}
    assignment.status, assignment.is_lead = AssignmentStatus.REMOVED.value, False
    scored_now = application.state != after and after == State.SCORED
    application.state = after.value
    session.flush()
    record(
        session,
        coordinator,
        "review.assessor_removed",
        application,
        before=before,
        after={"assessor": assessor.email, "status": assignment.status, "state": application.state},
    )
    notifications.removed(session, application, assessor)
    if scored_now:  # nobody else is left to submit: the lead and coordinators compare now
        notifications.scores_complete(session, application)


def check_can_assess(session, assessor: User, application: Application) -> None:
    """Refuse (422) anyone who is not an active assessor, who decides applications, or who is tied to
    the applicant."""
    if not assessor.active or Role.ASSESSOR not in assessor.roles:
        raise ReviewError(_l("%(name)s is not an active assessor.", name=assessor.email), 422)
    if assessor.has_role(*DECIDING_ROLES):
        raise ReviewError(
            _l(
                "%(name)s is a coordinator or an administrator: the certification body's staff "
                "decide on applications and do not assess them.",
                name=assessor.email,
            ),
            422,
        )
    found = conflicts_of(session, assessor, application)
    if found:
        refusal = (
            _l(
                "%(name)s cannot examine this candidate: %(reasons)s.",
                name=assessor.email,
                reasons=_reasons(found),
            )
            if application.is_person
            else _l(
                "%(name)s cannot assess this application: %(reasons)s.",
                name=assessor.email,
                reasons=_reasons(found),
            )
        )
        raise ReviewError(refusal, 422)


def _reasons(found: Sequence[Conflict]) -> str:
    return "; ".join(gettext(c.message) % c.params for c in found)


def confirm_independence(session, assignment: Assignment, assessor: User) -> None:
    """The assessor confirms they have no tie to the applicant; refused if one is known by now.

    Conflicts are checked again here, since a tie may have been declared (or a deciding role granted)
    after the assignment.
    """
    application = assignment.application
    take(session, application, Action.CONFIRM_INDEPENDENCE, assessor)
    if assessor.has_role(*DECIDING_ROLES):
        raise ReviewError(
            _l(
                "You are a coordinator or an administrator, so you cannot assess applications: "
                "decline the assignment."
            )
        )
    found = conflicts_of(session, assessor, application)
    if found:
        raise ReviewError(
            _l(
                "You cannot confirm your independence: %(reasons)s. "
                "Decline the assignment, giving this as the reason.",
                reasons=_reasons(found),
            )
        )
    assignment.status, assignment.answered_at = AssignmentStatus.CONFIRMED.value, utcnow()
    session.flush()
    record(
        session, assessor, "review.independence_confirmed", application, after={"assignment": assignment.id}
    )


def decline_assignment(session, assignment: Assignment, assessor: User, reason: str) -> None:
    application = assignment.application
    take(session, application, Action.DECLINE_ASSIGNMENT, assessor, reasons=reason.strip())
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
    before = application.state
    application.state = take(session, application, Action.START_REVIEW, coordinator).value
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
        .where(Assignment.status.not_in(ENDED), Application.state.in_(states.UNDER_REVIEW))
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


def assignments_of(session, assessor: User) -> list[Assignment]:
    return list(
        session.scalars(
            sa.select(Assignment)
            .where(Assignment.assessor_id == assessor.id)
            .order_by(Assignment.assigned_at.desc())
        )
    )


def declare_conflict(
    session,
    assessor: User,
    *,
    organisation_id: int | None,
    region: str,
    note: str,
    candidate_id: int | None = None,
    trained_on: date | None = None,
) -> ConflictDeclaration:
    """Record a tie: to an organisation, a region, or a candidate for attestation (trained on a day, or
    another tie). A training record is the examiner's own: applications name no trainers (docs)."""
    if not organisation_id and not region.strip() and not candidate_id:
        raise ReviewError(_l("Name an organisation, a region or a candidate."), 422)
    if trained_on is not None and not candidate_id:
        raise ReviewError(_l("Name the candidate you trained."), 422)
    if trained_on is not None and trained_on > date.today():
        raise ReviewError(_l("The day of the training cannot be in the future."), 422)
    declaration = ConflictDeclaration(
        assessor_id=assessor.id,
        organisation_id=organisation_id or None,
        region=region.strip() or None,
        candidate_id=candidate_id or None,
        trained_on=trained_on,
        note=note.strip(),
    )
    session.add(declaration)
    session.flush()
    audit.record(
        session,
        actor=assessor,
        action="review.conflict_declared",
        subject_type="conflict_declaration",
        subject_id=declaration.id,
        after=_declared(declaration),
    )
    return declaration


def _declared(declaration: ConflictDeclaration) -> dict:
    """The audit's record of a declaration; a tie to a candidate adds the candidate and the training day."""
    after = {
        "organisation_id": declaration.organisation_id,
        "region": declaration.region,
        "note": declaration.note,
    }
    if declaration.candidate_id is not None:
        trained_on = declaration.trained_on
        after |= {
            "candidate_id": declaration.candidate_id,
            "trained_on": trained_on and trained_on.isoformat(),
        }
    return after
