"""The one bridge between the database and the pure workflow (`certify.workflow`).

Services call `take` before they change an application; views call `allowed` for the actions to offer.
Both build the actor and the facts here, from the same rows, so every answer about what may happen next
comes from the workflow's table and nowhere else. A refusal becomes a `TransitionError` whose message is
translated into the user's language, labels included.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from flask_babel import gettext
from sqlalchemy.orm import joinedload

from certify.audit import services as audit
from certify.errors import DomainError
from certify.questionnaire.models import Application
from certify.review.models import (
    Appeal,
    Assignment,
    AssignmentStatus,
    ConflictDeclaration,
    ConsensusScore,
    Decision,
)
from certify.standards.services import CLOSED_STATES, definition_of, retire_superseded
from certify.timeutil import as_utc
from certify.web.access import is_applicant
from certify.web.i18n import current_language
from certify.workflow import (
    Action,
    ActorContext,
    Facts,
    LevelRule,
    State,
    TransitionRefused,
    allowed_actions,
    apply,
)
from certify.workflow import Role as WorkflowRole
from certify.workflow.guards import APPEAL_DAYS, MAX_ASSESSORS


class TransitionError(DomainError):
    """The workflow refused an action; `message` is already in the user's language."""


@dataclass(frozen=True)
class Loaded:
    """The rows the workflow reads about an application, read for a whole list at once (`load_for`), so
    that a page asks the workflow about each row without a query per row."""

    #: every assignment on the application, declined ones too, oldest first (their assessors loaded)
    assignments: tuple[Assignment, ...]
    #: the latest decision, None before the first
    decision: Decision | None
    appealed: bool
    #: the appeal panel recorded its consensus; only ever true under appeal, where it matters
    appeal_consensus_recorded: bool


def load_for(session, applications) -> dict[int, Loaded]:
    """What `actor_on`, `facts_about` and `active_assignments` read, for every one of `applications`: four
    queries whatever their number (three when none is under appeal)."""
    ids = [a.id for a in applications]
    assignments: dict[int, list[Assignment]] = {i: [] for i in ids}
    for row in session.scalars(
        sa.select(Assignment)
        .where(Assignment.application_id.in_(ids))
        .order_by(Assignment.id)
        .options(joinedload(Assignment.assessor))
    ):
        assignments[row.application_id].append(row)
    decisions = session.scalars(
        sa.select(Decision).where(Decision.application_id.in_(ids)).order_by(Decision.id)
    )
    latest = {decision.application_id: decision for decision in decisions}  # the last one read stays
    appealed = set(session.scalars(sa.select(Appeal.application_id).where(Appeal.application_id.in_(ids))))
    under_appeal_ids = [a.id for a in applications if under_appeal(a)]
    panel_agreed = set()
    if under_appeal_ids:  # asked on every page: only under appeal can it matter
        panel_agreed = set(
            session.scalars(
                sa.select(ConsensusScore.application_id).where(
                    ConsensusScore.application_id.in_(under_appeal_ids), ConsensusScore.for_appeal.is_(True)
                )
            )
        )
    return {i: Loaded(tuple(assignments[i]), latest.get(i), i in appealed, i in panel_agreed) for i in ids}


def _loaded(session, application: Application, loaded: Loaded | None) -> Loaded:
    return loaded if loaded is not None else load_for(session, [application])[application.id]


def active_assignments(
    session, application: Application, *, for_appeal: bool = False, loaded: Loaded | None = None
) -> list[Assignment]:
    """The review team (or the appeal's assessor): assignments not declined, oldest first."""
    if loaded is not None:
        rows = loaded.assignments
    else:
        rows = session.scalars(
            sa.select(Assignment).where(Assignment.application_id == application.id).order_by(Assignment.id)
        )
    return [row for row in rows if row.for_appeal == for_appeal and row.active]


def actor_on(session, user, application: Application, *, loaded: Loaded | None = None) -> ActorContext:
    """The user as the workflow sees them on this application: account roles and their assignments.

    Under appeal only the appeal's assessor acts; before that, the review team. Any assignment not
    declined, on either, means the user took part (and so does not decide).
    """
    every = loaded.assignments if loaded is not None else _assignments_of(session, application, user)
    taken = [row for row in every if row.assessor_id == user.id and row.active]
    own = next((a for a in taken if a.for_appeal == under_appeal(application)), None)
    applicant = is_applicant(user, application)
    trained = application.is_person and trained_recently(session, user.id, application.candidate_id)
    return ActorContext(
        roles=frozenset(WorkflowRole(role.value) for role in user.roles),
        is_applicant=applicant,
        is_candidate=applicant and application.is_person,
        is_assigned_assessor=own is not None,
        is_lead=own is not None and own.is_lead,
        has_confirmed=own is not None and own.status == AssignmentStatus.CONFIRMED,
        has_submitted=own is not None and own.scores_submitted_at is not None,
        took_part=bool(taken),
        trained_candidate=trained,
    )


def _assignments_of(session, application: Application, user) -> list[Assignment]:
    statement = sa.select(Assignment).where(
        Assignment.application_id == application.id, Assignment.assessor_id == user.id
    )
    return list(session.scalars(statement))


def trained_recently(session, user_id: int, candidate_id: int, today: date | None = None) -> bool:
    """`user_id` is recorded as having trained `candidate_id` within the last 2 years (their declaration)."""
    from certify.review.conflicts import TRAINER_YEARS, years_before  # pure; review imports this module

    since = years_before(today or date.today(), TRAINER_YEARS)
    return (
        session.scalar(
            sa.select(ConflictDeclaration.id)
            .where(
                ConflictDeclaration.assessor_id == user_id,
                ConflictDeclaration.candidate_id == candidate_id,
                ConflictDeclaration.trained_on >= since,
            )
            .limit(1)
        )
        is not None
    )


def facts_about(session, application: Application, *, loaded: Loaded | None = None, **inputs) -> Facts:
    """The workflow's view of the application now, plus what the actor enters with the action (`inputs`);
    its rows from `loaded` when the caller read them for a list, else read here."""
    loaded = _loaded(session, application, loaded)
    team = active_assignments(session, application, loaded=loaded)
    appeal_team = active_assignments(session, application, for_appeal=True, loaded=loaded)
    decision = loaded.decision
    standard = definition_of(application.standard_version)
    known = {
        "today": date.today(),
        "subject_is_person": application.is_person,
        "subject_is_report": application.is_yearly_report,
        "team_maximum": 1 if application.is_yearly_report else MAX_ASSESSORS,
        "questionnaire_complete": application.submitted_at is not None,
        "assessors_assigned": len(team),
        "team_minimum": team_minimum(application),
        "lead_assigned": any(a.is_lead for a in team),
        "assessors_confirmed": sum(a.status == AssignmentStatus.CONFIRMED for a in team),
        "scores_submitted": sum(a.scores_submitted_at is not None for a in team),
        **_scores_apart(session, application),
        "spread_limit": standard.review.third_assessor_spread,
        "step_limit": standard.review.third_assessor_steps,
        "levels": level_rules(standard),
        # under appeal the appeal assessor's scores join those the review team submitted
        "decision_assessors": sum(a.scores_submitted_at is not None for a in team + appeal_team),
        "decided_on": as_utc(decision.decided_at).date() if decision else None,
        "appeal_days": appeal_period(standard),
        "appeal_used": loaded.appealed,
        "appeal_panel": appeal_panel_size(standard),
        "appeal_assessors_assigned": len(appeal_team),
        "appeal_scores_submitted": sum(a.scores_submitted_at is not None for a in appeal_team),
        "appeal_consensus_recorded": loaded.appeal_consensus_recorded,
        **_theory(session, application),
    }
    return Facts(**(known | inputs))


def _theory(session, application: Application) -> dict:
    """The theory stage of an admitted candidate (passed, or failed for good); nothing for the others."""
    if not application.is_person or application.state != State.ADMITTED:
        return {}
    # Imported here: the attestation's services take their steps through this bridge.
    from certify.attestation.theory import theory_facts

    return theory_facts(session, application)


def appeal_period(standard) -> int:
    """The days after a decision within which it may be appealed: a personal scheme sets its own."""
    return standard.attestation.procedure.appeal_days if standard.attestation else APPEAL_DAYS


def under_appeal(application: Application) -> bool:
    """The appeal is being heard: the appeal's assessors act, and a consensus recorded now is the panel's."""
    return application.state == State.APPEALED


def appeal_panel_size(standard) -> int:
    """How many hear an appeal: a personal scheme's panel; one assessor for an organisation's standard."""
    return standard.attestation.procedure.appeal_panel if standard.attestation else 1


def team_minimum(application: Application) -> int:
    """The fewest assessors the application's standard asks for: the most any of its levels needs.

    The review may end at any level, so its team is sized for the most demanding one. A yearly report
    is reviewed by one assessor.
    """
    if application.is_yearly_report:
        return 1
    levels = definition_of(application.standard_version).levels
    return max((level.assessors for level in levels), default=1)


def level_rules(standard) -> dict[str, LevelRule]:
    """The standard's levels as the decision guards see them, named in the user's language."""
    language = current_language()
    return {
        level.id: LevelRule(rank=level.rank, assessors=level.assessors, name=level.name.get(language))
        for level in standard.levels
    }


def _scores_apart(session, application: Application) -> dict:
    """How far apart the assessors' scores are, computed only where an action depends on it (once scored)."""
    if application.state != State.SCORED:
        return {"totals_spread": None, "largest_step_gap": None}
    # Imported here: the comparison scores answers through the questionnaire, whose services use this bridge.
    from certify.review.comparison import compare

    compared = compare(session, application)
    return {"totals_spread": compared.spread, "largest_step_gap": compared.largest_step_gap}


def allowed(session, user, application: Application, *, loaded: Loaded | None = None) -> frozenset[Action]:
    """The actions to offer `user` on `application` now (what they will type is checked on taking them);
    `loaded`: its rows, read for a list (`load_for`)."""
    loaded = _loaded(session, application, loaded)
    actor = actor_on(session, user, application, loaded=loaded)
    facts = facts_about(session, application, loaded=loaded)
    return frozenset(allowed_actions(State(application.state), actor, facts))


def take(session, application: Application, action: Action, user, **inputs) -> State:
    """The state `action` leads to, or `TransitionError` with the workflow's reason in the user's language.

    An application that closes may be the last open one on a superseded version of its standard, which
    then retires (in the same transaction, so a step that fails later leaves the version as it was).
    """
    actor = actor_on(session, user, application)
    try:
        state = apply(State(application.state), action, actor, facts_about(session, application, **inputs))
    except TransitionRefused as refused:
        raise TransitionError(refused.text(gettext)) from refused
    if state in CLOSED_STATES:
        retire_superseded(session, application.standard_version.code, closing=application)
    return state


def record(session, actor, action: str, application: Application, **changes) -> None:
    """The audit entry of a step on `application`, in the same transaction as the step."""
    audit.record(
        session,
        actor=actor,
        action=action,
        subject_type="application",
        subject_id=str(application.id),
        application_id=application.id,
        **changes,
    )
