"""`flask certify mail deliver`: what SMTP could not take during an action goes out later, once."""

from __future__ import annotations

import sqlalchemy as sa

from certify.outbox.models import OutboxMessage
from tests.factories import make_user
from tests.outbox.test_services import closed_port


def test_mail_queued_while_smtp_was_down_is_delivered_once_by_a_later_run(app, db, client, runner, mailbox):
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=closed_port(), MAIL_USE_TLS=False)
    app.config["MAIL_RETRY_SECONDS"] = 0  # due again at once, so the next run need not wait
    user = make_user(db)
    db.commit()
    response = client.post("/password/forgot", data={"email": user.email})
    assert response.status_code == 200  # the user's request succeeds although no mail could go out
    response.close()  # the reset e-mail is tried once the answer has gone out (issue 12, finding 10)
    (queued,) = db.scalars(sa.select(OutboxMessage))
    assert (queued.recipient, queued.status, queued.attempts) == (user.email, "queued", 1)
    assert "ConnectionRefusedError" in queued.last_error
    assert mailbox() == []

    app.config["MAIL_SERVER"] = ""  # the mail system is back (here: the folder transport)
    result = runner.invoke(args=["certify", "mail", "deliver"])
    assert result.exit_code == 0, result.output
    assert "mail sent: 1" in result.output
    (message,) = mailbox()
    assert message["To"] == user.email and "/password/reset/" in message.get_content()
    again = runner.invoke(args=["certify", "mail", "deliver"])
    assert (again.exit_code, again.output) == (0, "")  # nothing due: quiet, for cron
    assert len(mailbox()) == 1


def test_a_run_reports_what_it_could_not_send(app, db, runner):
    app.config.update(
        MAIL_SERVER="127.0.0.1", MAIL_PORT=closed_port(), MAIL_USE_TLS=False, MAIL_MAX_ATTEMPTS=1
    )
    db.add(OutboxMessage(recipient="a@example.org", subject="S", body="B", template="t", locale="ru"))
    db.commit()
    result = runner.invoke(args=["certify", "mail", "deliver"])
    assert result.exit_code == 0, result.output
    assert "mail sent: 0, to retry: 0, given up: 1" in result.output
