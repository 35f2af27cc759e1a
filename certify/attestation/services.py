"""The candidate's application on a personal scheme, and its admission. Services flush, never commit.

A candidate (or a manager, for themselves) accepts the scheme's consent and applies: the application is
an ordinary draft of the questionnaire whose subject is the person. Once submitted, a coordinator admits
the candidate to the theory exam or returns the application to its draft with a reason per requirement;
the workflow (`certify.workflow`, through `certify.transitions.take`) says whether either may happen.
"""

from __future__ import annotations

from collections.abc import Mapping

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from certify.accounts.models import User
from certify.attestation import notifications, renewal, theory
from certify.attestation.models import AdmissionCheck, AdmissionOutcome
from certify.errors import DomainError
from certify.questionnaire.models import Application
from certify.questionnaire.services import insert_draft, open_draft
from certify.standards.attestation import RenewalRoute, StandardKind
from certify.standards.models import StandardStatus, StandardVersion
from certify.standards.services import CLOSED_STATES, definition_of
from certify.timeutil import as_utc, utcnow
from certify.transitions import record, take
from certify.workflow import Action, State

#: the length of a reason for returning a requirement, as the form and the service both check it
REASON_LENGTH = (10, 2000)

NO_SUCH_SCHEME = _l("There is no such attestation scheme, or it takes no applications now.")
CONSENT_NEEDED = _l(
    "Accept the consent to processing your personal data to apply: without it the prerequisites "
    "cannot be checked."
)
ACTED_MEANWHILE = _l("Someone else has acted on this application meanwhile. Please look at it again.")


class AttestationError(DomainError):
    """A refused step of the candidate's application or its admission."""

    status = 422


def published_schemes(session) -> list[StandardVersion]:
    """The personal schemes taking applications: the newest published version of each, by title."""
    rows = session.scalars(
        sa.select(StandardVersion)
        .where(
            StandardVersion.kind == StandardKind.PERSON.value,
            StandardVersion.status == StandardStatus.PUBLISHED.value,
        )
        .order_by(StandardVersion.published_at.desc(), StandardVersion.id.desc())
    )
    newest: dict[str, StandardVersion] = {}
    for row in rows:
        newest.setdefault(row.code, row)
    return sorted(newest.values(), key=lambda row: (row.title_en, row.code))


def scheme_taking_applications(session, version_id: int) -> StandardVersion:
    """The version `version_id` if it is a personal scheme's current version; else AttestationError (404)."""
    version = session.get(StandardVersion, version_id)
    if version is None or version not in published_schemes(session):
        raise AttestationError(NO_SUCH_SCHEME, 404)
    return version


def applications_of(session, user: User) -> list[Application]:
    """The user's own applications for attestation, newest first."""
    return list(
        session.scalars(
            sa.select(Application)
            .where(Application.candidate_id == user.id)
            .order_by(Application.created_at.desc(), Application.id.desc())
        )
    )


def unfinished_by_code(session, user: User) -> dict[str, Application]:
    """The user's unfinished application on each scheme (by code): the one to continue, not to start."""
    unfinished = [a for a in applications_of(session, user) if a.state not in CLOSED_STATES]
    return {a.standard_version.code: a for a in reversed(unfinished)}


def apply_for_attestation(
    session, version: StandardVersion, user: User, *, consent: bool, previous: Application | None = None
) -> Application:
    """A new draft for `user` on the scheme `version`, once they have accepted its consent; pre-filled
    from `previous` (a renewal's earlier application) when given.

    Refused while the user has an unfinished application on any version of the same scheme. Two
    "Apply" requests at once both pass that check: the one-draft index keeps one insert, and the other
    request is answered with the draft that won. The consent is stored with its time on the application
    (the text is the version's, which never changes) and audited.
    """
    if version not in published_schemes(session):
        raise AttestationError(NO_SUCH_SCHEME, 404)
    if not consent:
        raise AttestationError(CONSENT_NEEDED)
    _refuse_a_second_one(session, version, user)
    subject = {
        "candidate_id": user.id,
        # the candidate's organisation, if any: the review's rule "same organisation" reads it later
        "organisation_id": user.organisation_id,
        "consent_accepted_at": utcnow(),
        "previous_id": previous.id if previous is not None else None,
    }
    application = insert_draft(session, version, user, subject)
    if application is None:  # the same user's other request inserted the draft since the check
        winner = _open_application(session, version.code, user)
        if winner is None:  # and it was withdrawn at once
            raise AttestationError(ACTED_MEANWHILE, 409)
        return winner
    open_draft(session, application, user, previous)
    record(
        session,
        user,
        "application.consent_accepted",
        application,
        after={"scheme": version.label, "accepted_at": as_utc(application.consent_accepted_at).isoformat()},
    )
    return application


def _open_application(session, code: str, user: User) -> Application | None:
    return session.scalar(
        sa.select(Application)
        .join(StandardVersion, StandardVersion.id == Application.standard_version_id)
        .where(
            Application.candidate_id == user.id,
            StandardVersion.code == code,
            Application.state.not_in(sorted(CLOSED_STATES)),
        )
        .order_by(Application.id)
        .limit(1)
    )


def _refuse_a_second_one(session, version: StandardVersion, user: User) -> None:
    """One attestation at a time per scheme: a draft, or one submitted or admitted, is continued."""
    unfinished = _open_application(session, version.code, user)
    if unfinished is not None:
        raise AttestationError(
            _l(
                "You already have an application No. %(n)s for this scheme that is not finished. "
                "Continue that one.",
                n=unfinished.id,
            ),
            409,
        )


def admit(session, application: Application, user: User) -> AdmissionCheck:
    """Admit the candidate to the theory exam: the workflow's ADMIT, checked, recorded and e-mailed.

    The candidate is registered for the scheme's open theory exam at once (certify.attestation.theory);
    with none open, the admission is refused, naming the bank and blueprint to open. A renewal whose CPD
    record meets the scheme's rule is admitted on it instead: the coordinator confirms the record, and
    the practical part follows without a new exam (`renewal.route_at_admission`).
    """
    next_state = take(session, application, Action.ADMIT, user)
    route = renewal.route_at_admission(session, application)  # refused when the record gives no route
    if route is RenewalRoute.CPD:
        return _admit_by_cpd(session, application, user, next_state)
    theory.open_exam_for(session, application)  # refused before anything changes when none is open
    check = _check(session, application, user, next_state, AdmissionOutcome.ADMITTED, {})
    if route is not None:
        renewal.confirm_route(session, application, user, route)
    attempt = theory.register_for_theory(session, application)
    record(
        session,
        user,
        "application.admitted",
        application,
        before={"state": State.SUBMITTED.value},
        after={
            "state": next_state.value,
            "exam": attempt.exam_id,
            "attempt": attempt.id,
            "renewal": route.value if route else None,
        },
    )
    notifications.send_admitted(session, application, check)
    return check


def _admit_by_cpd(session, application: Application, user: User, next_state: State) -> AdmissionCheck:
    """Admit a renewal on its confirmed CPD record: no exam registration; told by e-mail."""
    check = _check(session, application, user, next_state, AdmissionOutcome.ADMITTED, {})
    confirmed = renewal.confirm_route(session, application, user, RenewalRoute.CPD)
    record(
        session,
        user,
        "application.admitted",
        application,
        before={"state": State.SUBMITTED.value},
        after={
            "state": next_state.value,
            "renewal": RenewalRoute.CPD.value,
            "cpd_hours": str(confirmed.counted_hours),
            "renews": confirmed.certificate.number,
        },
    )
    renewal.send_admitted_by_cpd(session, application, confirmed)
    return check


def return_for_completion(
    session, application: Application, user: User, reasons: Mapping[str, str]
) -> AdmissionCheck:
    """Return the application to its draft with `reasons` ({requirement id: text}; empty ones left out).

    The workflow needs at least one reason; each names a requirement of the scheme and is 10 to 2000
    characters long. The candidate sees them beside the requirements until submitting again.
    """
    given = {rid: text.strip() for rid, text in reasons.items() if text and text.strip()}
    _refuse_unknown_or_misshapen(application, given)
    next_state = take(
        session, application, Action.RETURN_FOR_COMPLETION, user, returned_requirements=tuple(given)
    )
    check = _check(session, application, user, next_state, AdmissionOutcome.RETURNED, given)
    record(
        session,
        user,
        "application.returned",
        application,
        before={"state": State.SUBMITTED.value},
        after={"state": next_state.value, "reasons": given},
    )
    notifications.send_returned(session, application, check)
    return check


def _refuse_unknown_or_misshapen(application: Application, given: Mapping[str, str]) -> None:
    known = [r.id for r in definition_of(application.standard_version).eligibility]
    least, most = REASON_LENGTH
    for requirement_id, text in given.items():
        if requirement_id not in known:
            raise AttestationError(_l("There is no such requirement in this scheme."), 400)
        if not least <= len(text) <= most:
            raise AttestationError(
                _l("Each reason is %(least)d to %(most)d characters long.", least=least, most=most)
            )


def _check(session, application, user, next_state: State, outcome, reasons) -> AdmissionCheck:
    """Move the application to `next_state` if it is still submitted, and record the check.

    One conditional UPDATE: a candidate withdrawing, or another coordinator deciding, at the same moment
    makes this one find the state changed, and it is refused rather than deciding twice.
    """
    result = session.execute(
        sa.update(Application)
        .where(Application.id == application.id, Application.state == State.SUBMITTED.value)
        .values(state=next_state.value, updated_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        raise AttestationError(ACTED_MEANWHILE, 409)
    session.refresh(application)
    check = AdmissionCheck(
        application_id=application.id,
        outcome=outcome.value,
        reasons=dict(reasons),
        submitted_at=application.submitted_at,
        checked_by_id=user.id,
    )
    session.add(check)
    session.flush()
    return check
