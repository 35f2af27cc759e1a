"""Appeals: once, within the appeal period (30 days; a personal scheme's own `appeal_days`); reviewed by
an assessor who took no part before.

For a person's attestation the same, heard by a panel (the scheme's `appeal_panel`, two unless it says
otherwise): the candidate lodges it (the workflow's applicant is the candidate alone), no examiner on the
panel examined the case or is tied to the candidate (`check_can_assess`), the panel's members score blind
and then settle their scores in a consensus of their own (the review's consensus machinery, its rows kept
apart: `for_appeal`), whoever examined the case does not decide it (the workflow's separation of duties),
and the decision on appeal stores its own written conclusion (`check_conclusion`, then
`certify.certificates.reports`), the first decision's staying as it was.
"""

from __future__ import annotations

import sqlalchemy as sa
from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import IntegrityError

from certify.certificates import lifecycle, reports
from certify.certificates.issuance import issue_certificate, latest_for_decision
from certify.certificates.models import CertificateStatus
from certify.questionnaire.models import Application
from certify.questionnaire.services import standard_of
from certify.review import notifications
from certify.review.comparison import appeal_outcome
from certify.review.decisions import check_conclusion, check_level, decision_of, store_decision
from certify.review.errors import ReviewError
from certify.review.labels import review_words
from certify.review.models import Appeal, Assignment, Decision
from certify.review.staffing import check_can_assess
from certify.transitions import active_assignments, appeal_panel_size, record, take, under_appeal
from certify.workflow import Action, State


def appeal_of(session, application: Application) -> Appeal | None:
    return session.scalar(sa.select(Appeal).where(Appeal.application_id == application.id))


def lodge_appeal(session, application: Application, applicant, grounds: str) -> Appeal:
    """The applicant (an organisation's manager, or the candidate) appeals the decision, giving grounds."""
    before = application.state
    application.state = take(session, application, Action.APPEAL, applicant, reasons=grounds.strip()).value
    appeal = Appeal(application_id=application.id, grounds=grounds.strip(), lodged_by_id=applicant.id)
    session.add(appeal)
    try:
        session.flush()
    except IntegrityError as error:
        raise ReviewError(_l("This decision has already been appealed.")) from error
    record(
        session,
        applicant,
        "review.appealed",
        application,
        before={"state": before},
        after={"grounds": appeal.grounds},
    )
    return appeal


def assign_appeal_assessor(session, application: Application, coordinator, assessor) -> Assignment:
    """The appeal goes to an assessor who took no part in the review and is independent of the applicant:
    one for an organisation, each member of the panel in turn for a person (the first one leads it).

    Taking part is holding any assignment on the application, even one declined or removed: for a person,
    whoever was asked to examine the case does not sit on its appeal.
    """
    took_part = session.scalar(
        sa.select(Assignment.id).where(
            Assignment.application_id == application.id, Assignment.assessor_id == assessor.id
        )
    )
    take(
        session,
        application,
        Action.ASSIGN_APPEAL_ASSESSOR,
        coordinator,
        appeal_assessor_took_part=took_part is not None,
    )
    check_can_assess(session, assessor, application)
    assignment = Assignment(
        application_id=application.id,
        assessor_id=assessor.id,
        is_lead=not any(a.is_lead for a in appeal_panel(session, application)),
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
    notifications.assigned(session, application, [assessor])
    return assignment


def appeal_panel(session, application: Application) -> list[Assignment]:
    """The appeal's assessors (declined ones excluded), its lead first."""
    panel = active_assignments(session, application, for_appeal=True)
    return sorted(panel, key=lambda a: not a.is_lead)


def panel_compared(session, application: Application) -> bool:
    """Under appeal, a panel of several whose members have all submitted: their scores side by side."""
    if not under_appeal(application):
        return False
    size = appeal_panel_size(standard_of(application))
    panel = appeal_panel(session, application)
    return size > 1 and len(panel) >= size and all(a.scores_submitted_at for a in panel)


def decide_appeal(
    session,
    application: Application,
    coordinator,
    *,
    chosen_level: str | None,
    reasons: str,
    justification: str,
    conclusion: dict | None = None,
) -> Decision:
    """The decision after the appeal review (upheld or changed), on what it found (`appeal_outcome`)."""
    session.scalar(sa.select(Application.id).where(Application.id == application.id).with_for_update())
    outcome = appeal_outcome(session, application)
    if outcome is None:
        raise ReviewError(review_words(application)("appeal_not_scored"))
    check_level(application, chosen_level)
    conclusion = check_conclusion(application, chosen_level, conclusion)
    computed = outcome.level.id if outcome.level else None
    previous = decision_of(session, application)
    application.state = take(
        session,
        application,
        Action.DECIDE_APPEAL,
        coordinator,
        computed_level=computed,
        chosen_level=chosen_level,
        reasons=reasons.strip(),
        justification=justification.strip(),
    ).value
    decision = store_decision(
        session,
        application,
        coordinator,
        outcome,
        chosen_level,
        reasons,
        justification,
        on_appeal=True,
        conclusion=conclusion,
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
    settle_certificate(session, previous, decision, coordinator)
    reports.store_report(session, application)  # the appeal decision's own report, or a person's conclusion
    notifications.decided(session, application, certified=application.state == State.CERTIFIED)
    return decision


def settle_certificate(session, previous: Decision | None, decision: Decision, coordinator) -> None:
    """Settle the certificate of the decision under appeal; the appeal never extends its validity.

    Not certified on appeal: the certificate in force is revoked, the reason naming the appeal decision.
    Upheld at the same level: it stays as it is, and no new one is issued. Another level: a certificate
    of the appeal decision, valid only until the original expiry, supersedes it. When the decision
    under appeal certified nothing, a level chosen on appeal gets a certificate of its own.
    """
    original = latest_for_decision(session, previous.id) if previous is not None else None
    if original is None:
        if decision.chosen_level:
            issue_certificate(session, decision, coordinator)
    elif not decision.chosen_level:
        if "revoke" in lifecycle.offered_changes(original):
            reason = gettext(
                "Revoked by the decision on appeal of %(date)s: %(reasons)s",
                date=decision.decided_at.date().isoformat(),
                reasons=decision.reasons,
            )
            lifecycle.change_status(session, original, coordinator, CertificateStatus.REVOKED, reason)
    elif decision.chosen_level != original.level_id:
        issue_certificate(session, decision, coordinator, until=original.expires_on)
