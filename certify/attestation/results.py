"""What follows a scored attempt of an attestation's theory exam: the candidate's e-mail and the audit.

Called before the transaction that scored the attempt commits (certify.attestation.models), so the
e-mail and the audit entry stand or fall with the result.
"""

from __future__ import annotations

from collections.abc import Iterable

from certify.attestation import notifications
from certify.attestation.theory import theory_of
from certify.exams.models import ExamAttempt
from certify.questionnaire.models import Application
from certify.transitions import record


def theory_results(session, attempt_ids: Iterable[int]) -> None:
    """E-mail each linked attempt's result (passed, a retake from a day, or none left) and audit it."""
    for attempt_id in attempt_ids:
        attempt = session.get(ExamAttempt, attempt_id)
        application = session.get(Application, attempt.application_id)
        theory = theory_of(session, application)
        retake = theory.retake
        retake_from = retake.earliest if retake is not None and not retake.exhausted else None
        passed = bool(attempt.result.get("passed"))
        record(
            session,
            None,
            "application.theory_result",
            application,
            after={"attempt": attempt.id, "passed": passed, "percent": attempt.result.get("percent")},
        )
        notifications.send_theory_result(session, application, attempt, retake_from)
