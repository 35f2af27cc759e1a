"""E-mails about applications, each in its recipient's language, queued in the change's transaction."""

from __future__ import annotations

from certify.outbox.services import queue_mail
from certify.web.urls import external_url


def send_receipt(session, application, user) -> None:
    """Confirm a submission to the manager who submitted it (sent once the submission is committed)."""
    link = external_url("questionnaire.receipt", application_id=application.id)
    queue_mail(
        session,
        user.email,
        "application_receipt",
        locale=user.locale,
        application=application,
        user=user,
        link=link,
    )
