"""E-mails about applications, each in its recipient's language, queued in the change's transaction."""

from __future__ import annotations

from certify.attestation.notifications import send_submitted
from certify.outbox.services import queue_mail
from certify.web.urls import external_url


def send_receipt(session, application, user) -> None:
    """Confirm a submission to the manager who submitted it (sent once the submission is committed).

    A person's application is confirmed to the candidate with the day its admission is due; a yearly
    report, as what it is.
    """
    if application.is_person:
        send_submitted(session, application)
        return
    link = external_url("questionnaire.receipt", application_id=application.id)
    queue_mail(
        session,
        user.email,
        "monitoring_report_receipt" if application.is_yearly_report else "application_receipt",
        locale=user.locale,
        application=application,
        user=user,
        link=link,
    )
