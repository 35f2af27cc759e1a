"""One service call as the request's single transaction, with the answer users expect either way."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from flask import flash, redirect
from flask.typing import ResponseReturnValue

from certify.errors import DomainError
from certify.extensions import db
from certify.outbox.services import deliver_queued_by

T = TypeVar("T")


def carry_out(
    operation: Callable[[], T],
    *,
    back_to: str,
    done: str | Callable[[T], str] | None,
    category: str = "success",
    success_to: str | Callable[[T], str] | None = None,
    refused: Callable[[DomainError], ResponseReturnValue] | None = None,
    then: Callable[[T], object] | None = None,
    answer: Callable[[T], ResponseReturnValue] | None = None,
):
    """Run `operation`; if the service refuses, roll back and go `back_to` with its message.

    With `refused`, a refusal is answered by `refused(error)` instead, after the rollback: typically the
    page re-rendered with what the user typed, the error beside the form and `error.status`.

    Otherwise commit, deliver the e-mails the operation queued (see `commit_and_deliver`), flash `done`
    (if any) and go to `success_to` (default `back_to`). Both may be functions of what `operation`
    returned, for a page or message that names what it created. `then(result)` runs after the commit,
    before the message, for what must never happen to a change that is rolled back and is not e-mail:
    deleting a removed file, or starting the user's new session. With `answer`, a success is answered
    by `answer(result)` instead of the message and the redirect: a page that reports what was done.
    """
    try:
        result = operation()
    except DomainError as error:
        db.session.rollback()  # and with the change, every e-mail it queued
        if refused is not None:
            return refused(error)
        flash(error.message, "danger")
        # 303, not the refusal's status: a browser shows a 4xx redirect as a bare "Redirecting..." page
        return redirect(back_to, 303)
    commit_and_deliver()
    if then is not None:
        then(result)
    if answer is not None:
        return answer(result)
    if message := (done(result) if callable(done) else done):
        flash(message, category)
    return redirect((success_to(result) if callable(success_to) else success_to) or back_to)


def commit_and_deliver() -> None:
    """Commit the request's transaction, then send what it queued in the outbox.

    Only a committed change sends e-mail. Sending never undoes or fails the user's action: what cannot
    be sent now stays queued for `flask certify mail deliver`.
    """
    db.session.commit()
    deliver_queued_by(db.session)


def in_place(form, render):
    """A `refused` for `carry_out`: the page again, with what the user typed and the reason at their form."""

    def refused(error: DomainError):
        form.form_errors.append(error.message)
        return render(error.status)

    return refused
