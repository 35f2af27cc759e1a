"""Queue e-mails in the caller's transaction; deliver them once that transaction has committed.

A service that changes something queues its e-mails with `queue_mail` in the same transaction, so a
change that is rolled back sends nothing and a change that is committed cannot lose its e-mails. After
the commit, the request (or CLI command) that made the change delivers what it queued
(`deliver_queued_by`); whatever could not be sent then waits for `flask certify mail deliver` (cron),
which retries with a doubling pause and gives up after MAIL_MAX_ATTEMPTS tries.

Two deliverers never send the same message: each claims a message with a conditional UPDATE (a lease
in `claimed_until`) and sends it only if that UPDATE changed the row. Each claim and each outcome is
committed on its own, so a deliverer that dies loses nothing: its message is retried after the lease.

A request whose answer must not wait for its e-mails (`deliver_after_response`) hands them to a
callback that runs once the server has sent the response.
"""

from __future__ import annotations

import logging
import smtplib
from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask import after_this_request, current_app, has_request_context, render_template
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l
from sqlalchemy import event
from sqlalchemy.orm import Session

from certify import mail
from certify.audit import services as audit
from certify.errors import DomainError
from certify.extensions import db
from certify.outbox.models import MessageStatus, OutboxMessage
from certify.timeutil import as_utc, utcnow

log = logging.getLogger(__name__)

#: how long a deliverer holds a message it claimed; if it dies while sending, another retries after this
CLAIM_LEASE = timedelta(minutes=10)
#: the longest pause between two tries, however many tries came before
MAX_BACKOFF = timedelta(hours=6)

# session.info keys: ids queued in the open transaction, and ids whose transaction has committed
_QUEUED = "certify.outbox.queued"
_COMMITTED = "certify.outbox.committed"
# session.info key: this request sends what it committed only after its response has gone out
_AFTER_RESPONSE = "certify.outbox.after_response"


class OutboxError(DomainError):
    """A refused outbox operation (an admin's retry)."""


@dataclass(frozen=True)
class Delivery:
    """What one delivery run did: messages sent, failed and to be retried, failed for good."""

    sent: int = 0
    retrying: int = 0
    failed: int = 0

    @property
    def attempted(self) -> int:
        return self.sent + self.retrying + self.failed


def render_mail(template: str, locale: str, **context) -> tuple[str, str]:
    """Subject and body of `templates/mail/<template>.txt` in `locale`; its first line is the subject."""
    with force_locale(locale):
        subject, _, body = render_template(f"mail/{template}.txt", **context).partition("\n")
    return subject.strip(), body.strip() + "\n"


def queue_mail(session, to: str, template: str, *, locale: str, **context) -> OutboxMessage:
    """Render the e-mail now, in the recipient's language, and queue it in the caller's transaction.

    Flushes, never commits. Rendering at once means the context (ORM rows, say) need not outlive the
    request, and the message says what was true when the change was made.
    """
    subject, body = render_mail(template, locale, **context)
    message = OutboxMessage(recipient=to, subject=subject, body=body, template=template, locale=locale)
    session.add(message)
    session.flush()
    session.info.setdefault(_QUEUED, []).append(message.id)
    return message


def discard_queued(session) -> int:
    """Drop the messages queued in the open transaction, keeping its changes (the demo's invented history).

    Returns how many were dropped.
    """
    ids = session.info.pop(_QUEUED, [])
    if ids:
        session.execute(sa.delete(OutboxMessage).where(OutboxMessage.id.in_(ids)))
    return len(ids)


@event.listens_for(Session, "after_commit")
def _remember_committed(session) -> None:
    """The messages queued in a committed transaction are now safe to send."""
    if session.in_nested_transaction():  # a savepoint: the transaction itself may still roll back
        return
    if queued := session.info.pop(_QUEUED, None):
        session.info.setdefault(_COMMITTED, []).extend(queued)


@event.listens_for(Session, "after_rollback")
def _forget_rolled_back(session) -> None:
    """The messages of a rolled-back transaction no longer exist: nothing to send.

    A savepoint's rollback keeps the list: an id whose row it undid is simply not found by `deliver`.
    """
    if not session.in_nested_transaction():
        session.info.pop(_QUEUED, None)
        session.info.pop(_AFTER_RESPONSE, None)


def deliver_after_response(session) -> None:
    """Have this request send its e-mails once its response has gone out, instead of before answering.

    For answers that must not tell, by how long they take, whether they sent mail: "check your
    e-mail" took longer when the address had an account (issue 12, finding 10). The request's
    `deliver_queued_by` then leaves its messages to werkzeug's `call_on_close`, which the WSGI server
    (gunicorn, the development server) calls after it has written the last byte of the response. What
    a dying worker never sends waits in the outbox for `flask certify mail deliver`. A rollback
    cancels the request (and its messages); outside a request, messages go out at once as usual.
    """
    session.info[_AFTER_RESPONSE] = True


def deliver_queued_by(session) -> Delivery:
    """Deliver what this session queued in the transactions it has committed; call it right after a commit.

    Never raises: the user's action is done whatever happens to its e-mails, and what is not sent now
    stays queued for `flask certify mail deliver`. After `deliver_after_response`, it only hands the
    messages to the end of the response.
    """
    after_response = session.info.pop(_AFTER_RESPONSE, False)
    ids = session.info.pop(_COMMITTED, None)
    if not ids:
        return Delivery()
    if after_response and has_request_context():
        _deliver_once_answered(ids)
        return Delivery()
    try:
        return deliver(session, ids)
    except Exception:  # the database itself failed us; the messages are still queued
        log.exception("outbox: delivery after commit failed; messages %s wait for the next run", ids)
        session.rollback()
        return Delivery()


def _deliver_once_answered(ids: list[int]) -> None:
    """Deliver `ids` when the server closes this request's response, in an app context of their own."""
    app = current_app._get_current_object()

    def deliver_then(response):
        response.call_on_close(lambda: _deliver_in(app, ids))
        return response

    after_this_request(deliver_then)


def _deliver_in(app, ids: list[int]) -> None:
    # the request's context, and its session, are gone by now: this runs in the server's close()
    with app.app_context():
        try:
            deliver(db.session, ids)
        except Exception:  # never into the server's close(): the messages wait for the next run
            log.exception("outbox: delivery after the response failed; messages %s wait for cron", ids)


def deliver(session, ids: list[int] | None = None, *, now: datetime | None = None) -> Delivery:
    """Send the due messages (all, or those among `ids`), committing each claim and each outcome.

    It commits the session, so the caller must have nothing pending. `now` fixes the clock (for tests).
    """
    clock = (lambda: now) if now is not None else utcnow
    statement = (
        sa.select(OutboxMessage.id)
        .where(_due(clock()))
        .order_by(OutboxMessage.next_attempt_at, OutboxMessage.id)
    )
    if ids is not None:
        statement = statement.where(OutboxMessage.id.in_(ids))
    outcomes = Counter()
    for message_id in list(session.scalars(statement)):
        if _claim(session, message_id, clock()):
            outcomes[_attempt(session.get(OutboxMessage, message_id), clock)] += 1
            session.commit()
    return Delivery(**outcomes)


def _due(now: datetime):
    return sa.and_(
        OutboxMessage.status == MessageStatus.QUEUED.value,
        OutboxMessage.next_attempt_at <= now,
        sa.or_(OutboxMessage.claimed_until.is_(None), OutboxMessage.claimed_until <= now),
    )


def _claim(session, message_id: int, now: datetime) -> bool:
    """Take the message for this deliverer, if it is still due and nobody else holds it (committed)."""
    result = session.execute(
        sa.update(OutboxMessage)
        .where(OutboxMessage.id == message_id, _due(now))
        .values(claimed_until=now + CLAIM_LEASE, attempts=OutboxMessage.attempts + 1)
        .execution_options(synchronize_session=False)
    )
    session.commit()
    return result.rowcount == 1


def _attempt(message: OutboxMessage, clock) -> str:
    """Send one claimed message and record the outcome on it: "sent", "retrying" or "failed"."""
    try:
        mail.send(
            mail.compose(message.recipient, message.subject, message.body, reference=_reference(message))
        )
    except Exception as error:  # whatever went wrong, this message must not stop the others
        return _record_failure(message, error, clock())
    message.status, message.sent_at, message.claimed_until = MessageStatus.SENT.value, clock(), None
    return "sent"


def _record_failure(message: OutboxMessage, error: Exception, now: datetime) -> str:
    message.last_error = f"{type(error).__name__}: {error}"[:2000]
    message.claimed_until = None
    if not isinstance(error, OSError):  # not the network or the server: keep the traceback
        log.error("outbox: message %s could not be composed", message.id, exc_info=error)
    if message.attempts >= current_app.config["MAIL_MAX_ATTEMPTS"] or _refused_for_good(error):
        message.status = MessageStatus.FAILED.value
        log.error(
            "outbox: gave up on message %s to %s: %s", message.id, message.recipient, message.last_error
        )
        return "failed"
    message.next_attempt_at = now + backoff(message.attempts, current_app.config["MAIL_RETRY_SECONDS"])
    log.warning("outbox: message %s not sent (try %s): %s", message.id, message.attempts, message.last_error)
    return "retrying"


def backoff(attempts: int, first_seconds: int) -> timedelta:
    """The pause after the `attempts`-th failed try: the first pause, doubled after each try, capped."""
    exponent = min(attempts - 1, 20)  # 2**20 first pauses is past the cap for any sensible setting
    return min(timedelta(seconds=first_seconds * 2**exponent), MAX_BACKOFF)


def _refused_for_good(error: Exception) -> bool:
    """Trying again cannot help: the server refused the recipient for good (5xx), or the message is broken.

    Network and server trouble is an OSError (smtplib's errors are); anything else comes from the
    message itself (say, a line break in the address) and fails the same way every time.
    """
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return all(code >= 500 for code, _ in error.recipients.values())
    return not isinstance(error, OSError)


def _reference(message: OutboxMessage) -> str:
    """The same on every try of this message, and unlike any other's (even of a recreated database)."""
    return f"certify.outbox.{message.id}.{as_utc(message.created_at):%Y%m%d%H%M%S}"


def unsent_messages():
    """The statement for the messages not sent yet: those given up first, then by their next try."""
    return (
        sa.select(OutboxMessage)
        .where(OutboxMessage.status != MessageStatus.SENT.value)
        .order_by(
            sa.case((OutboxMessage.status == MessageStatus.FAILED.value, 0), else_=1),
            OutboxMessage.next_attempt_at,
            OutboxMessage.id,
        )
    )


def being_sent(message: OutboxMessage, now: datetime) -> bool:
    """A deliverer holds the message (its lease has not run out)."""
    return message.claimed_until is not None and as_utc(message.claimed_until) > now


def retry(session, message: OutboxMessage, *, actor) -> None:
    """An admin's retry: the message is due at once (with fresh tries if it had failed); audited.

    Flushes, never commits; the id is remembered like a queued message's, so the action that commits
    the retry also delivers it.
    """
    now = utcnow()
    if message.status == MessageStatus.SENT.value:
        raise OutboxError(_l("This message has already been sent."))
    if being_sent(message, now):
        raise OutboxError(_l("This message is being sent right now."))
    before = {"status": message.status, "attempts": message.attempts}
    if message.status == MessageStatus.FAILED.value:
        message.status, message.attempts = MessageStatus.QUEUED.value, 0
    message.next_attempt_at = now
    session.flush()
    session.info.setdefault(_QUEUED, []).append(message.id)
    audit.record(
        session,
        actor=actor,
        action="mail.retried",
        subject_type="mail",
        subject_id=message.id,
        before=before,
        after={"status": message.status, "attempts": message.attempts},
    )
