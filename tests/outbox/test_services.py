"""The outbox: queued in the change's transaction, sent once after it commits, retried, given up."""

from __future__ import annotations

import smtplib
import socket
from datetime import timedelta

import pytest
import sqlalchemy as sa
from flask import url_for

from certify.errors import DomainError
from certify.extensions import db as _db
from certify.outbox.models import MessageStatus, OutboxMessage
from certify.outbox.services import (
    CLAIM_LEASE,
    MAX_BACKOFF,
    Delivery,
    _claim,
    _refused_for_good,
    backoff,
    deliver,
    deliver_queued_by,
    queue_mail,
)
from certify.timeutil import as_utc, utcnow
from certify.web.actions import carry_out
from tests.factories import make_user
from tests.review.test_concurrency import run_together


def closed_port() -> int:
    """A port on 127.0.0.1 where nothing listens: connecting to it is refused at once."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def smtp_down(app_settings):
    """The app's SMTP server refuses connections."""
    app_settings.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=closed_port(), MAIL_USE_TLS=False)


def queue(db, user, **fields) -> OutboxMessage:
    """The confirmation e-mail of `user`, queued in the open transaction."""
    return queue_mail(
        db, user.email, "confirm_email", locale=user.locale, user=user, link="http://x/c/t", **fields
    )


def messages(db) -> list[OutboxMessage]:
    db.expire_all()
    return list(db.scalars(sa.select(OutboxMessage).order_by(OutboxMessage.id)))


def test_a_message_is_rendered_when_queued_and_sent_once_after_the_commit(db, mailbox):
    english = make_user(db, locale="en")
    queued = queue(db, english)
    assert (queued.subject, queued.status) == ("Confirm your e-mail for Certify", "queued")
    assert "http://x/c/t" in queued.body
    assert deliver_queued_by(db).sent == 0  # not committed yet: nothing may go out
    db.commit()
    assert mailbox() == []  # queued, not sent: sending is the delivery's business
    assert deliver_queued_by(db).sent == 1
    (message,) = mailbox()
    assert (message["To"], message["Subject"]) == (english.email, "Confirm your e-mail for Certify")
    assert message["Message-ID"].endswith("@certify.example.org>")
    (row,) = messages(db)
    assert row.status == MessageStatus.SENT and row.attempts == 1 and row.sent_at is not None
    assert deliver_queued_by(db).sent == 0
    assert deliver(db).attempted == 0
    assert len(mailbox()) == 1


def test_a_rolled_back_transaction_sends_nothing(db, mailbox):
    user = make_user(db)
    db.commit()
    queue(db, user)
    db.rollback()
    assert deliver_queued_by(db).attempted == 0
    assert deliver(db).attempted == 0
    assert messages(db) == []
    assert mailbox() == []


def test_a_refused_action_sends_nothing_and_a_done_one_sends_at_once(app, db, mailbox):
    user = make_user(db)
    db.commit()

    def refused():
        queue(_db.session, user)
        raise DomainError("refused")

    with app.test_request_context():
        response = carry_out(refused, back_to="/", done="done")
        assert response.status_code == 303
    assert messages(db) == [] and mailbox() == []
    with app.test_request_context():
        carry_out(lambda: queue(_db.session, user), back_to="/", done="done")
    assert [m["To"] for m in mailbox()] == [user.email]
    assert [m.status for m in messages(db)] == ["sent"]


def test_smtp_down_leaves_the_message_queued_with_the_error(smtp_down, app, db, mailbox):
    user = make_user(db)
    queue(db, user)
    db.commit()
    started = utcnow()
    assert deliver_queued_by(db).retrying == 1
    (row,) = messages(db)
    assert row.status == MessageStatus.QUEUED and row.attempts == 1 and row.claimed_until is None
    assert "ConnectionRefusedError" in row.last_error
    assert as_utc(row.next_attempt_at) >= started + timedelta(seconds=app.config["MAIL_RETRY_SECONDS"])
    assert mailbox() == []


def test_retries_back_off_and_give_up_after_the_last_try(smtp_down, app_settings, app, db):
    app.config.update(MAIL_MAX_ATTEMPTS=3, MAIL_RETRY_SECONDS=60)
    queue(db, make_user(db))
    db.commit()
    start = utcnow()
    assert deliver(db, now=start).retrying == 1
    assert deliver(db, now=start + timedelta(seconds=59)).attempted == 0  # not due yet
    assert deliver(db, now=start + timedelta(seconds=60)).retrying == 1
    (row,) = messages(db)
    assert as_utc(row.next_attempt_at) == start + timedelta(seconds=60 + 120)
    assert deliver(db, now=start + timedelta(seconds=179)).attempted == 0
    assert deliver(db, now=start + timedelta(seconds=180)).failed == 1
    (row,) = messages(db)
    assert (row.status, row.attempts) == (MessageStatus.FAILED, 3)
    assert deliver(db, now=start + timedelta(days=30)).attempted == 0  # given up: only an admin retries


@pytest.mark.parametrize(
    ("attempts", "pause"),
    [(1, timedelta(minutes=1)), (2, timedelta(minutes=2)), (4, timedelta(minutes=8)), (99, MAX_BACKOFF)],
)
def test_backoff_doubles_up_to_a_cap(attempts, pause):
    assert backoff(attempts, 60) == pause


def test_a_permanent_refusal_or_a_broken_message_is_not_retried():
    assert _refused_for_good(smtplib.SMTPRecipientsRefused({"a@b.c": (550, b"no such user")}))
    assert _refused_for_good(ValueError("a header with a line break"))
    assert not _refused_for_good(smtplib.SMTPRecipientsRefused({"a@b.c": (451, b"try later")}))
    assert not _refused_for_good(ConnectionRefusedError(111, "Connection refused"))


def test_a_claimed_message_is_left_alone_until_its_lease_runs_out(db, mailbox):
    queue(db, make_user(db))
    db.commit()
    (row,) = messages(db)
    now = utcnow()
    assert _claim(db, row.id, now)  # a deliverer took it, then died before sending
    assert not _claim(db, row.id, now)
    assert deliver(db, now=now + CLAIM_LEASE - timedelta(seconds=1)).attempted == 0
    assert deliver(db, now=now + CLAIM_LEASE).sent == 1
    (row,) = messages(db)
    assert row.attempts == 2  # the dead deliverer's try counts
    assert len(mailbox()) == 1


def test_a_message_that_cannot_be_composed_does_not_hold_up_the_others(db, mailbox):
    user = make_user(db)
    broken = queue_mail(
        db, "x@example.org\nBcc: y@example.org", "confirm_email", locale="ru", user=user, link="l"
    )
    queue(db, user)
    db.commit()
    assert deliver(db) == Delivery(sent=1, failed=1)  # a fault of the message itself: no use retrying
    assert [m["To"] for m in mailbox()] == [user.email]
    assert "ValueError" in db.get(OutboxMessage, broken.id).last_error


def test_two_deliverers_at_once_send_each_message_once(app, db, mailbox):
    user = make_user(db)
    for _ in range(30):
        queue(db, user)
    db.commit()
    results = run_together(app, lambda index: deliver(_db.session), 2)
    assert all(not isinstance(result, Exception) for result in results), results
    assert sum(result.sent for result in results) == 30
    assert len(mailbox()) == 30
    assert {(m.status, m.attempts) for m in messages(db)} == {("sent", 1)}


def test_a_request_delivers_only_what_it_queued(app, db, mailbox):
    user = make_user(db)
    older = queue(db, user)
    db.commit()
    db.info.clear()  # queued by some earlier request: left for cron
    with app.test_request_context():
        carry_out(lambda: queue(_db.session, user), back_to=url_for("web.index"), done="")
    statuses = {m.id: m.status for m in messages(db)}
    assert statuses.pop(older.id) == "queued"
    assert list(statuses.values()) == ["sent"]


def test_a_savepoint_neither_sends_early_nor_forgets_the_transaction(db, mailbox):
    user = make_user(db)
    db.commit()
    kept = queue(db, user)
    with db.begin_nested():
        queue(db, user)  # released with the savepoint, committed with the transaction
    assert deliver_queued_by(db).attempted == 0  # the transaction itself is not committed yet
    savepoint = db.begin_nested()
    undone = queue(db, user)
    savepoint.rollback()
    db.commit()
    assert deliver_queued_by(db).sent == 2
    assert undone.id not in {m.id for m in messages(db)} and kept.id in {m.id for m in messages(db)}
    assert len(mailbox()) == 2
