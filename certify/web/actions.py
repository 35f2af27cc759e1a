"""One service call as the request's single transaction, with the answer users expect either way."""

from __future__ import annotations

from collections.abc import Callable

from flask import flash, redirect

from certify.errors import DomainError
from certify.extensions import db


def carry_out(
    operation: Callable[[], object],
    *,
    back_to: str,
    done: str,
    category: str = "success",
    success_to: str | None = None,
    then: Callable[[], None] | None = None,
):
    """Run `operation`; if the service refuses, roll back and go `back_to` with its message and status.

    Otherwise commit, run `then` (e-mails go out only after the commit, so nobody is told
    about a change that did not happen), flash `done` and go to `success_to` (default `back_to`).
    """
    try:
        operation()
    except DomainError as error:
        db.session.rollback()
        flash(error.message, "danger")
        return redirect(back_to), error.status
    db.session.commit()
    if then is not None:
        then()
    flash(done, category)
    return redirect(success_to or back_to)
