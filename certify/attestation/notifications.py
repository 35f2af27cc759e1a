"""E-mails to the candidate about their application, each in the candidate's language, queued in the
transaction of the step they report (certify.outbox)."""

from __future__ import annotations

from certify.attestation.admission import admission_due, attestation_of, exam_due
from certify.attestation.models import AdmissionCheck
from certify.outbox.services import queue_mail
from certify.questionnaire.models import Application
from certify.questionnaire.pages import ELIGIBILITY_PAGE
from certify.standards.services import definition_of
from certify.timeutil import as_utc
from certify.web.urls import external_url


def send_submitted(session, application: Application) -> None:
    """The receipt of a submission, with the day by which the prerequisites are checked."""
    _send(
        session,
        application,
        "attestation_submitted",
        due=admission_due(application),
        days=attestation_of(application).procedure.admission_days,
        link=external_url("questionnaire.summary", application_id=application.id),
    )


def send_practical_submitted(session, application: Application) -> None:
    """The receipt of the practical part: examiners are assigned next, and the commission decides within
    the scheme's days of their consensus."""
    _send(
        session,
        application,
        "attestation_practical_submitted",
        days=attestation_of(application).procedure.decision_days,
        link=external_url("attestation.status", application_id=application.id),
    )


def send_admitted(session, application: Application, check: AdmissionCheck) -> None:
    """Admitted: what comes next, the theory exam within the scheme's window."""
    admitted_on = as_utc(check.checked_at).date()
    _send(
        session,
        application,
        "attestation_admitted",
        exam_by=exam_due(application, admitted_on),
        days=attestation_of(application).exam.window_days,
        exam_link=external_url("exams.index"),
        link=external_url("attestation.status", application_id=application.id),
    )


def send_returned(session, application: Application, check: AdmissionCheck) -> None:
    """Returned: each requirement to complete with its reason, and the link to the prerequisites page."""
    titles = {r.id: r.title for r in definition_of(application.standard_version).eligibility}
    _send(
        session,
        application,
        "attestation_returned",
        returned=[(titles[rid], reason) for rid, reason in check.reasons.items() if rid in titles],
        link=external_url("questionnaire.page", application_id=application.id, page_key=ELIGIBILITY_PAGE),
    )


def send_exam_registered(session, application: Application, attempt, last_day) -> None:
    """Registered for the theory exam (a retake; the first registration is in the admission's e-mail)."""
    _send(
        session,
        application,
        "attestation_exam_registered",
        exam_title=attempt.exam.title(application.candidate.locale),
        last_day=last_day,
        exam_link=external_url("exams.index"),
        link=external_url("attestation.status", application_id=application.id),
    )


def send_theory_result(session, application: Application, attempt, retake_from) -> None:
    """The result of a closed attempt: passed, a retake from a day, or no retake left."""
    _send(
        session,
        application,
        "attestation_theory_result",
        passed=bool(attempt.result and attempt.result.get("passed")),
        percent=(attempt.result or {}).get("percent", "0"),
        retake_from=retake_from,
        link=external_url("attestation.status", application_id=application.id),
    )


def _send(session, application: Application, template: str, **context) -> None:
    candidate = application.candidate
    queue_mail(
        session,
        candidate.email,
        template,
        locale=candidate.locale,
        application=application,
        user=candidate,
        **context,
    )
