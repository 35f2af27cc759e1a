"""The candidate's stages after admission: closing a failed theory, the commission's due date, and the
line the candidate's page shows for where they are. Services flush, never commit.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import sqlalchemy as sa
from flask_babel import gettext

from certify.attestation.admission import attestation_of
from certify.attestation.theory import Theory, theory_of
from certify.questionnaire.models import Application
from certify.review.models import Appeal, ConsensusScore, Decision
from certify.textmarks import N_
from certify.timeutil import as_utc
from certify.transitions import record, take
from certify.workflow import Action, State

#: the reason recorded when the theory exam is failed with no retake left
THEORY_NOT_PASSED = N_(
    "Not attested: the theory exam was not passed, and the scheme's attempt rules leave no retake "
    "within the exam window."
)


def close_theory_failed(session, application: Application, coordinator) -> Decision:
    """Close the application as not attested, the theory not passed with no retake left.

    Refused by the workflow, with the reason, while an attempt is open or a retake is still allowed. The
    decision is stored as any other (no level, the reason), so that the candidate's page, the appeal and
    the audit read it as the commission's.
    """
    session.scalar(sa.select(Application.id).where(Application.id == application.id).with_for_update())
    session.refresh(application)
    application.state = take(session, application, Action.CLOSE_THEORY_FAILED, coordinator).value
    reasons = gettext(THEORY_NOT_PASSED)
    decision = Decision(
        application_id=application.id,
        on_appeal=False,
        computed_level=None,
        chosen_level=None,
        reasons=reasons,
        decided_by_id=coordinator.id,
    )
    session.add(decision)
    session.flush()
    record(
        session,
        coordinator,
        "application.theory_failed",
        application,
        before={"state": State.ADMITTED.value},
        after={"state": application.state, "reasons": reasons},
    )
    from certify.certificates import reports  # the certificates import the attestation
    from certify.review import notifications  # the review's notifications import the attestation

    reports.store_report(session, application)  # the written conclusion, rendered once
    notifications.decided(session, application, certified=False)
    return decision


def last_stage_on(session, application: Application) -> date | None:
    """The day the practical part's consensus was recorded: the last stage before the decision."""
    recorded = session.scalar(
        sa.select(sa.func.max(ConsensusScore.recorded_at)).where(
            ConsensusScore.application_id == application.id
        )
    )
    return as_utc(recorded).date() if recorded is not None else None


def decision_due(session, application: Application) -> date | None:
    """The last day of the commission's decision (`procedure.decision_days` after the last stage); None
    for an organisation's application and before the consensus."""
    if not application.is_person or application.state != State.CONSENSUS:
        return None
    last = last_stage_on(session, application)
    if last is None:
        return None
    return last + timedelta(days=attestation_of(application).procedure.decision_days)


def appeal_decision_due(session, application: Application) -> date | None:
    """The last day of the decision on a person's appeal: `procedure.decision_days` after it was lodged
    (as the first decision's after the consensus); None for an organisation's and when not under appeal."""
    if not application.is_person or application.state != State.APPEALED:
        return None
    lodged = session.scalar(sa.select(Appeal.lodged_at).where(Appeal.application_id == application.id))
    if lodged is None:
        return None
    return as_utc(lodged).date() + timedelta(days=attestation_of(application).procedure.decision_days)


#: where the candidate stands, as their page's heading says it
STAGE_LABELS = {
    "applying": N_("Your application is being completed or checked for admission."),
    "withdrawn": N_("The application is withdrawn."),
    "window": N_("Admitted: take the theory exam within your window."),
    "retake": N_("The theory exam is not passed yet: a retake is possible."),
    "failed": N_("The theory exam is not passed, and no retake is left."),
    "practical_open": N_("The theory exam is passed: answer the practical task on its pages and submit it."),
    "practical_by_cpd": N_(
        "Renewal: your CPD record is confirmed, so no new theory exam is needed: answer the practical task "
        "on its pages and submit it."
    ),
    "practical": N_("Your practical part is submitted: the examiners are scoring it."),
    "decision": N_("The commission is deciding on your attestation."),
    "decided": N_("The commission has decided."),
    "appealed": N_("Your appeal is being reviewed."),
}


@dataclass(frozen=True)
class Stage:
    """The candidate's stage and the theory's facts the page shows."""

    key: str
    theory: Theory
    decision: Decision | None


def stage_of(session, application: Application) -> Stage:
    """The stage of an admitted (or later) candidate, with the theory and the latest decision."""
    theory = theory_of(session, application)
    decision = session.scalar(
        sa.select(Decision)
        .where(Decision.application_id == application.id)
        .order_by(Decision.id.desc())
        .limit(1)
    )
    state = State(application.state)
    if state in (State.DRAFT, State.SUBMITTED):
        key = "applying"
    elif state == State.WITHDRAWN:
        key = "withdrawn"
    elif state in (State.CERTIFIED, State.NOT_CERTIFIED):
        key = "decided"
    elif state == State.APPEALED:
        key = "appealed"
    elif state == State.CONSENSUS:
        key = "decision"
    elif state != State.ADMITTED:  # the practical part submitted, its review under way
        key = "practical"
    elif theory.waived:  # a renewal by CPD: no exam was taken, so there is no window, result or retake
        key = "practical_by_cpd"
    elif theory.passed:
        key = "practical_open"
    elif theory.failed_finally:
        key = "failed"
    elif theory.retake is not None:
        key = "retake"
    else:
        key = "window"
    return Stage(key, theory, decision)
