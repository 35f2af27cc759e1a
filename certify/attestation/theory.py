"""The attestation's theory stage: the exam gate at admission, the candidate's window, results, retakes.

Admitting a candidate registers them for the scheme's theory exam (the open `exams` row of the scheme's
bank code and blueprint), the attempt linked to the application (`exam_attempts.application_id`). The
exam's own rules (drawing, the clock, scoring) stay in certify.exams; this module adds what the
attestation asks of them: the personal window of `exam.window_days` from admission, the scheme's retake
rule (`certify.attestation.retakes`) and what the workflow reads ("the theory exam passed", "failed with
no retake left"). Services flush, never commit.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

import sqlalchemy as sa
from flask_babel import format_date, gettext
from flask_babel import lazy_gettext as _l

from certify.attestation.admission import attestation_of, exam_due
from certify.attestation.models import AdmissionCheck, AdmissionOutcome, Renewal
from certify.attestation.renewal_rules import theory_required
from certify.attestation.retakes import WINDOW_ENDS, Retake, retake
from certify.errors import DomainError
from certify.exams import registrations
from certify.exams.attempts import AttemptRefused
from certify.exams.models import Exam, ExamAttempt, ExamBankVersion
from certify.exams.services import window_is_open
from certify.questionnaire.models import Application
from certify.standards.attestation import RenewalRoute
from certify.standards.models import StandardVersion
from certify.timeutil import as_utc, utcnow
from certify.transitions import record
from certify.workflow import State


class TheoryRefused(DomainError):
    """A step of the theory stage refused: no exam open, a retake too early, a start after the window."""

    status = 422


def open_exam_for(session, application: Application, now: datetime | None = None) -> Exam:
    """The exam of the scheme's bank code and blueprint whose window is open now (the newest one).

    Refused, naming the bank and the blueprint, when the body has opened none: the candidate could not
    take the exam within their window.
    """
    now = now or utcnow()
    part = attestation_of(application).exam
    exams = session.scalars(
        sa.select(Exam)
        .join(ExamBankVersion, ExamBankVersion.id == Exam.bank_version_id)
        .where(ExamBankVersion.code == part.bank, Exam.blueprint_id == part.blueprint)
        .order_by(Exam.opens_at.desc(), Exam.id.desc())
    )
    exam = next((exam for exam in exams if window_is_open(exam, now)), None)
    if exam is None:
        raise TheoryRefused(
            _l(
                "No theory exam is open for bank %(bank)s, blueprint %(blueprint)s: open one "
                "(flask certify exam open) before admitting the candidate.",
                bank=part.bank,
                blueprint=part.blueprint,
            )
        )
    return exam


def register_for_theory(session, application: Application, *, now: datetime | None = None) -> ExamAttempt:
    """Register the candidate for the scheme's open exam, the attempt linked to the application."""
    exam = open_exam_for(session, application, now)
    return registrations.register_candidate(
        session, exam, application.candidate, now=now, application_id=application.id
    )


def admitted_on(session, application: Application) -> date | None:
    """The day of the (last) admission of the application; None before it is admitted."""
    checked = session.scalar(
        sa.select(AdmissionCheck.checked_at)
        .where(
            AdmissionCheck.application_id == application.id,
            AdmissionCheck.outcome == AdmissionOutcome.ADMITTED.value,
        )
        .order_by(AdmissionCheck.id.desc())
        .limit(1)
    )
    return as_utc(checked).date() if checked is not None else None


def attempts_of(session, application: Application) -> list[ExamAttempt]:
    """The attempts linked to the application, oldest first."""
    return list(
        session.scalars(
            sa.select(ExamAttempt)
            .where(ExamAttempt.application_id == application.id)
            .order_by(ExamAttempt.registered_at, ExamAttempt.id)
        )
    )


def _days_sat(session, application: Application) -> list[date]:
    """The days of every attempt the candidate sat (started) on any application of the same scheme."""
    same_scheme = (
        sa.select(Application.id)
        .join(StandardVersion, StandardVersion.id == Application.standard_version_id)
        .where(
            Application.candidate_id == application.candidate_id,
            StandardVersion.code == application.standard_version.code,
        )
    )
    started = session.scalars(
        sa.select(ExamAttempt.started_at).where(
            ExamAttempt.application_id.in_(same_scheme), ExamAttempt.started_at.is_not(None)
        )
    )
    return [as_utc(moment).date() for moment in started]


@dataclass(frozen=True)
class Theory:
    """Where the candidate stands in the theory stage, as the pages, the e-mails and the workflow read it."""

    #: the last day of the candidate's exam window; None before admission
    last_day: date | None
    attempts: list[ExamAttempt]
    #: the attempt registered or running, if any
    open_attempt: ExamAttempt | None
    passed: bool
    #: after a failed attempt (none open): when the next one is allowed; None otherwise
    retake: Retake | None
    #: not passed, and nothing is left: no retake within the window, or the window over
    failed_finally: bool
    #: a renewal whose CPD record the coordinator confirmed: no theory exam is taken (no window either)
    waived: bool = False


def theory_of(session, application: Application, today: date | None = None) -> Theory:
    """The theory stage of a person's application now."""
    if not theory_required(confirmed_route(session, application)):
        return Theory(None, [], None, False, None, False, waived=True)
    today = today or utcnow().date()
    admitted = admitted_on(session, application)
    last_day = exam_due(application, admitted) if admitted else None
    attempts = attempts_of(session, application)
    open_attempt = next((a for a in attempts if a.is_open), None)
    passed = any(a.result and a.result.get("passed") for a in attempts if not a.is_open)
    sat = [a for a in attempts if not a.is_open]
    next_one = None
    if not passed and open_attempt is None and sat:
        rules = attestation_of(application).exam.attempts
        next_one = retake(rules, _days_sat(session, application), today, last_day)
    window_over = last_day is not None and today > last_day
    failed_finally = (
        admitted is not None and not passed and (window_over or (next_one is not None and next_one.exhausted))
    )
    return Theory(last_day, attempts, open_attempt, passed, next_one, failed_finally)


def confirmed_route(session, application: Application) -> RenewalRoute | None:
    """The renewal route the coordinator confirmed at the application's admission; None for a first
    attestation and before the admission."""
    route = session.scalar(sa.select(Renewal.route).where(Renewal.application_id == application.id))
    return RenewalRoute(route) if route else None


def theory_facts(session, application: Application) -> dict:
    """What the workflow reads of the theory stage: passed, or failed with no retake left.

    A renewal by CPD (`waived`) reads as passed: the workflow's "the theory exam passed" is the
    condition of the practical stage, which the confirmed CPD record meets instead of a new exam.
    """
    if not application.is_person or application.state != State.ADMITTED:
        return {}
    theory = theory_of(session, application)
    return {"theory_passed": theory.passed or theory.waived, "theory_failed_finally": theory.failed_finally}


def register_retake(session, application: Application, user, *, now: datetime | None = None) -> ExamAttempt:
    """The candidate registers a retake after a failed attempt, if the scheme's attempt rules allow it now.

    Refused with the day it becomes possible (too soon, or too many attempts in the months counted), or
    because no retake is left within the candidate's exam window.
    """
    now = now or utcnow()
    if application.state != State.ADMITTED or user.id != application.candidate_id:
        raise TheoryRefused(_l("Only the admitted candidate registers a retake of their theory exam."), 403)
    theory = theory_of(session, application, now.date())
    if theory.passed or theory.open_attempt is not None or theory.retake is None:
        raise TheoryRefused(_l("There is no failed attempt to retake: see your attestation page."), 409)
    verdict = theory.retake
    if verdict.exhausted:
        raise TheoryRefused(_shown(WINDOW_ENDS, verdict.params))
    if verdict.refusal is not None:
        raise TheoryRefused(_shown(verdict.refusal, verdict.params))
    attempt = register_for_theory(session, application, now=now)
    record(session, user, "application.retake_registered", application, after={"attempt": attempt.id})
    # imported here: the notifications import this module for the window they state
    from certify.attestation import notifications

    notifications.send_exam_registered(session, application, attempt, theory.last_day)
    return attempt


def refuse_start_after_window(session, attempt: ExamAttempt, now: datetime) -> None:
    """Refuse (with the date) to start an attempt of an attestation after the candidate's window."""
    application = session.get(Application, attempt.application_id)
    admitted = admitted_on(session, application)
    if admitted is None:
        return
    last_day = exam_due(application, admitted)
    if now.date() > last_day:
        raise AttemptRefused(
            _l(
                "Your exam window for this attestation closed on %(date)s: the attempt cannot start.",
                date=format_date(last_day, "long"),
            ),
            status=422,
        )


def _shown(template: str, params: dict) -> str:
    """A pure module's refusal in the user's language, its dates written out."""
    shown = {k: format_date(v, "long") if isinstance(v, date) else v for k, v in params.items()}
    return gettext(template) % shown
