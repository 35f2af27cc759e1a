"""The coordinator's decision: certify at the computed level or not, with reasons; departures justified."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import IntegrityError

from certify.certificates import reports
from certify.certificates.issuance import issue_certificate
from certify.questionnaire.models import Application
from certify.questionnaire.services import standard_of
from certify.review import notifications
from certify.review.comparison import consensus_outcome
from certify.review.errors import ReviewError
from certify.review.models import Decision
from certify.transitions import record, take
from certify.web.i18n import current_language
from certify.workflow import Action, State


def computed_result(session, application: Application):
    """The assessed outcome of the recorded consensus (its scores and its marks)."""
    outcome = consensus_outcome(session, application)
    if outcome is None:
        raise ReviewError(_l("There is no consensus to decide on yet."))
    return outcome


def check_level(application: Application, chosen_level: str | None) -> None:
    """Refuse (422) a chosen level that the application's standard does not have; None (no level) is fine."""
    known_levels = {level.id for level in standard_of(application).levels}
    if chosen_level is not None and chosen_level not in known_levels:
        raise ReviewError(_l("There is no such level in this standard."), 422)


def decide(
    session,
    application: Application,
    coordinator,
    *,
    chosen_level: str | None,
    reasons: str,
    justification: str,
    decided_at: datetime | None = None,
    conclusion: dict | None = None,
) -> Decision:
    """Record the decision and move the application to 'certified' or 'not certified'.

    The application row is locked and the decision row is unique per application, so two
    coordinators deciding at once produce one decision and a clear refusal for the other.
    `decided_at` records a decision taken earlier (the demo's history); a certificate is dated by it.
    """
    session.scalar(sa.select(Application.id).where(Application.id == application.id).with_for_update())
    session.refresh(application)
    outcome = computed_result(session, application)
    computed = outcome.level.id if outcome.level else None
    check_level(application, chosen_level)
    conclusion = check_conclusion(application, chosen_level, conclusion)
    application.state = take(
        session,
        application,
        Action.DECIDE,
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
        on_appeal=False,
        conclusion=conclusion,
    )
    if decided_at is not None:
        decision.decided_at = decided_at
    record(
        session,
        coordinator,
        "review.decided",
        application,
        before={"state": "consensus", "computed_level": computed},
        after={
            "state": application.state,
            "level": chosen_level,
            "reasons": decision.reasons,
            "justification": decision.justification,
        },
    )
    if chosen_level:
        issue_certificate(session, decision, coordinator)
    # rendered once, naming the certificate just issued: the report, or a person's written conclusion
    reports.store_report(session, application)
    notifications.decided(session, application, certified=application.state == State.CERTIFIED)
    return decision


def store_decision(
    session,
    application,
    coordinator,
    outcome,
    chosen_level,
    reasons: str,
    justification: str,
    *,
    on_appeal: bool,
    conclusion: dict | None = None,
) -> Decision:
    """Keep a decision (one per application, and one per appeal): a second one at once is refused."""
    decision = Decision(
        application_id=application.id,
        on_appeal=on_appeal,
        computed_level=outcome.level.id if outcome.level else None,
        chosen_level=chosen_level,
        assessed_total=str(outcome.total) if outcome.total is not None else None,
        reasons=reasons.strip(),
        justification=justification.strip(),
        decided_by_id=coordinator.id,
        conclusion=conclusion,
    )
    session.add(decision)
    try:
        session.flush()
    except IntegrityError as error:
        raise ReviewError(_l("This application has already been decided.")) from error
    return decision


def check_conclusion(
    application: Application, chosen_level: str | None, conclusion: dict | None
) -> dict | None:
    """A candidate's written conclusion, checked: not attested, every competence area's result and the
    recommendations are written (Decree 1204: a conclusion with recommendations). None for an organisation.
    """
    if not application.is_person:
        return None
    conclusion = conclusion or {"areas": {}, "recommendations": ""}
    areas = {area.id: area for area in standard_of(application).areas}
    written = {k: v.strip() for k, v in conclusion.get("areas", {}).items() if k in areas and v.strip()}
    recommendations = conclusion.get("recommendations", "").strip()
    if chosen_level is None:
        missing = [area.title.get(current_language()) for aid, area in areas.items() if aid not in written]
        if missing:
            raise ReviewError(
                _l(
                    "Write the candidate's result in each competence area: %(areas)s.",
                    areas=", ".join(missing),
                ),
                422,
            )
        if not recommendations:
            raise ReviewError(_l("Write the recommendations to the candidate who is not attested."), 422)
    return {"areas": written, "recommendations": recommendations}


def decision_of(session, application: Application, *, on_appeal: bool | None = None) -> Decision | None:
    """The latest decision (`on_appeal` None), or the first decision's or the appeal's."""
    query = sa.select(Decision).where(Decision.application_id == application.id)
    if on_appeal is not None:
        query = query.where(Decision.on_appeal.is_(on_appeal))
    return session.scalar(query.order_by(Decision.id.desc()).limit(1))
