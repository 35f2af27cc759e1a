"""The mail transport: an .eml file without MAIL_SERVER, an OSError when the server cannot be reached."""

from __future__ import annotations

import pytest

from certify import mail
from tests.outbox.test_services import closed_port


def test_without_a_server_the_message_is_saved_to_the_mail_folder(app, mailbox):
    with app.app_context():
        mail.send(mail.compose("a@example.org", "Тема", "Текст письма\n\n", reference="certify.outbox.1.x"))
    (message,) = mailbox()
    assert (message["From"], message["To"], message["Subject"]) == (
        "Certify <no-reply@certify.example.org>",
        "a@example.org",
        "Тема",
    )
    assert message["Message-ID"] == "<certify.outbox.1.x@certify.example.org>"
    assert message["Date"]
    assert message.get_content() == "Текст письма\n"


def test_a_mail_folder_given_as_text_is_used_as_the_folder(app):
    folder = app.config["MAIL_FOLDER"]
    app.config["MAIL_FOLDER"] = str(folder)  # as settings read from JSON give it
    with app.app_context():
        mail.send(mail.compose("a@example.org", "Тема", "Текст\n", reference="certify.outbox.2.x"))
    (saved,) = folder.glob("*.eml")
    assert b"To: a@example.org" in saved.read_bytes()


def test_a_server_refusing_connections_raises_at_once(app):
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=closed_port(), MAIL_USE_TLS=False)
    with app.app_context(), pytest.raises(ConnectionRefusedError):
        mail.send(mail.compose("a@example.org", "Subject", "Body"))
