"""Outgoing e-mail, rendered in the recipient's language.

Without MAIL_SERVER the message is written to the log and, as an .eml file, to MAIL_FOLDER, so that it
can be read in development and by the browser tests.
"""

from __future__ import annotations

import logging
import smtplib
import uuid
from email.message import EmailMessage

from flask import current_app, render_template
from flask_babel import force_locale

from certify.timeutil import utcnow

log = logging.getLogger(__name__)


def send_mail(to: str, template: str, *, locale: str, **context) -> EmailMessage:
    """Render `templates/mail/<template>.txt` in `locale` (first line = subject) and send it."""
    with force_locale(locale):
        subject, _, body = render_template(f"mail/{template}.txt", **context).partition("\n")
    message = EmailMessage()
    message["From"] = current_app.config["MAIL_SENDER"]
    message["To"] = to
    message["Subject"] = subject.strip()
    message.set_content(body.strip() + "\n")
    _deliver(message)
    return message


def _deliver(message: EmailMessage) -> None:
    config = current_app.config
    if config["MAIL_SERVER"]:
        with smtplib.SMTP(config["MAIL_SERVER"], config["MAIL_PORT"], timeout=30) as smtp:
            if config["MAIL_USE_TLS"]:
                smtp.starttls()
            if config["MAIL_USERNAME"]:
                smtp.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"])
            smtp.send_message(message)
        return
    folder = config["MAIL_FOLDER"]
    folder.mkdir(parents=True, exist_ok=True)
    name = f"{utcnow():%Y%m%dT%H%M%S%f}-{uuid.uuid4().hex[:8]}.eml"
    (folder / name).write_bytes(bytes(message))
    log.info("mail to %s: %s (saved as %s)", message["To"], message["Subject"], folder / name)
