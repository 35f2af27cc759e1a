"""E-mails about applications, each in its recipient's language."""

from __future__ import annotations

from certify.mail import send_mail
from certify.web.urls import external_url


def send_receipt(application, user) -> None:
    """Confirm a submission to the manager who submitted it."""
    link = external_url("questionnaire.receipt", application_id=application.id)
    send_mail(
        user.email, "application_receipt", locale=user.locale, application=application, user=user, link=link
    )
