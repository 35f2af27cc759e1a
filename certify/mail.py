"""The mail transport: one composed message out through SMTP, or into MAIL_FOLDER as an .eml file.

What to send, and when, is the outbox's business (`certify.outbox`): it renders each message when the
change is made and hands it here after the change is committed. Without MAIL_SERVER the message is
written to the log and, as an .eml file, to MAIL_FOLDER, so that it can be read in development and by the
tests. Any failure (connection refused, a timeout, a refusal by the server) is raised as an `OSError`,
which smtplib's errors are, for the outbox to record and retry.
"""

from __future__ import annotations

import logging
import smtplib
import uuid
from email.message import EmailMessage
from email.utils import format_datetime, parseaddr
from pathlib import Path

from flask import current_app

from certify.files import private_folder, write_private
from certify.timeutil import utcnow

log = logging.getLogger(__name__)


def compose(to: str, subject: str, body: str, *, reference: str | None = None) -> EmailMessage:
    """A plain-text message from MAIL_SENDER; `reference` makes its Message-ID the same on every retry."""
    message = EmailMessage()
    message["From"] = current_app.config["MAIL_SENDER"]
    message["To"] = to
    message["Subject"] = subject
    message["Date"] = format_datetime(utcnow())
    if reference:
        # A stable Message-ID lets the receiving side drop a copy sent twice (a deliverer that died
        # between sending and recording it).
        message["Message-ID"] = f"<{reference}@{_sender_domain()}>"
    message.set_content(body.rstrip() + "\n")
    return message


def send(message: EmailMessage) -> None:
    """Send through MAIL_SERVER, or save to MAIL_FOLDER when there is none; raises OSError on failure."""
    config = current_app.config
    if config["MAIL_SERVER"]:
        _send_smtp(message, config)
    else:
        # a Path from the environment's settings, a string from settings given as JSON (the benches')
        _save(message, Path(config["MAIL_FOLDER"]))


def _send_smtp(message: EmailMessage, config) -> None:
    # A short timeout: a deliverer waits for a dead server at most this long per step, and the user
    # whose action queued the message is not kept waiting for long either.
    with smtplib.SMTP(
        config["MAIL_SERVER"], config["MAIL_PORT"], timeout=config["MAIL_TIMEOUT_SECONDS"]
    ) as smtp:
        if config["MAIL_USE_TLS"]:
            smtp.starttls()
        if config["MAIL_USERNAME"]:
            smtp.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"])
        smtp.send_message(message)


def _save(message: EmailMessage, folder) -> None:
    private_folder(folder)
    name = f"{utcnow():%Y%m%dT%H%M%S%f}-{uuid.uuid4().hex[:8]}.eml"
    write_private(folder / name, bytes(message))  # it may carry a password-reset link
    log.info("mail to %s: %s (saved as %s)", message["To"], message["Subject"], folder / name)


def _sender_domain() -> str:
    address = parseaddr(current_app.config["MAIL_SENDER"])[1]
    return address.rpartition("@")[2] or "certify.invalid"
