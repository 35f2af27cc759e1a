"""Timed attempts, with the deadline kept by the server: start or resume, save answers, submit, close.

Plain functions that receive the session, flush and never commit. `now` defaults to the server's clock
(`certify.timeutil.utcnow`); tests pass it. An attempt takes answers while `now < deadline`; from the
deadline on it takes none, and `close_overdue` closes and scores it with what was saved, on the next
request of anyone to the exams pages and by `flask certify exam close-overdue`, so nothing depends on the
candidate's browser. Saving, submitting and closing lock the attempt's row first, so that an answer saved
just before the deadline is either in the result or refused, never lost in between.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from flask_babel import format_datetime, gettext
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import joinedload

from certify.errors import DomainError
from certify.exams.bank import Item
from certify.exams.item_review import suspend_by_statistics
from certify.exams.messages import ExamInputError
from certify.exams.models import AttemptEnd, ExamAnswer, ExamAttempt
from certify.exams.records import form_from_data, result_data
from certify.exams.scoring import check_answer, score_attempt
from certify.exams.services import bank_of, stored_items
from certify.timeutil import as_utc, utcnow

#: overdue attempts closed per call: a request closes a batch, the command loops until none is left
CLOSE_BATCH = 50

# The statements every request of a running exam runs, built once with their values as parameters:
# building a statement costs more CPU than running its cached compiled form. Core where no object is
# needed (for one row, the ORM doubles the cost), on the tables' columns.
_ATTEMPTS, _ANSWERS = ExamAttempt.__table__.c, ExamAnswer.__table__.c
#: whether any attempt is due to be closed: before every exams page, on the partial index of deadlines
_ANY_OVERDUE = (
    sa.select(sa.literal(1))
    .where(_ATTEMPTS.closed_at.is_(None), _ATTEMPTS.deadline <= sa.bindparam("now"))
    .limit(1)
)
_LOCKED_ATTEMPT = (
    sa.select(ExamAttempt)
    .options(joinedload(ExamAttempt.exam))
    .where(ExamAttempt.id == sa.bindparam("attempt_id"))
    .with_for_update(of=ExamAttempt)
    .execution_options(populate_existing=True)
)
#: what `_save` writes, and the checks the write itself makes (see there)
_WRITE_ANSWER = (
    sa.update(ExamAnswer.__table__)
    .where(
        _ANSWERS.attempt_id == sa.bindparam("attempt"),
        _ANSWERS.item_id == sa.bindparam("item"),
        sa.cast(_ANSWERS.chosen, sa.Text) != sa.bindparam("text"),
        sa.exists().where(
            _ATTEMPTS.id == sa.bindparam("attempt"),
            _ATTEMPTS.closed_at.is_(None),
            _ATTEMPTS.deadline > sa.bindparam("now"),
        ),
    )
    .values(chosen=sa.bindparam("chosen", type_=_ANSWERS.chosen.type), saved_at=sa.bindparam("now"))
    .returning(_ANSWERS.chosen, _ANSWERS.saved_at)
)


class AttemptRefused(DomainError):
    """An answer or submission the attempt cannot take; `closed_at` is when it closed, if that is why."""

    def __init__(self, message, *, status: int = 409, closed_at: datetime | None = None):
        super().__init__(message, status)
        self.closed_at = closed_at


@dataclass(frozen=True)
class SavedAnswer:
    """An answer as stored after a save: the options chosen, and when (None: never answered)."""

    item_id: str
    chosen: list[str]
    saved_at: datetime | None


def save_answer(
    session, attempt: ExamAttempt, item_id: str, chosen: Sequence[str], *, now: datetime | None = None
) -> SavedAnswer:
    """Save the options chosen for one item (empty: cleared); saving the same answer again changes nothing."""
    return save_answers(session, attempt, {item_id: chosen}, now=now)[0]


def save_answers(
    session,
    attempt: ExamAttempt,
    answers: Mapping[str, Sequence[str]],
    *,
    now: datetime | None = None,
    locked: bool = False,
) -> list[SavedAnswer]:
    """Save several answers at once, all or none. Refused after the deadline, with the time it closed,
    on a closed attempt, for an item not on the form, and for an answer the item cannot take.

    `locked`: the caller read the attempt with `locked_attempt` in this transaction (the save endpoint
    does, to find the attempt and lock it in one query), so it is not locked and read again here.
    """
    now = now or utcnow()
    if not locked:
        lock_attempt(session, attempt)
    _refuse_unless_open(attempt, now)
    return [_save(session, attempt, item_id, chosen, now) for item_id, chosen in answers.items()]


def submit_attempt(
    session,
    attempt: ExamAttempt,
    answers: Mapping[str, Sequence[str]] | None = None,
    *,
    now: datetime | None = None,
) -> ExamAttempt:
    """Save `answers` (the page as sent without its script), then close and score the attempt.

    A second submission is refused ("already submitted at …") and changes nothing. A submission after
    the deadline closes the attempt as timed out, with the answers saved before the deadline. Every close
    re-reads the exam's item statistics, which may suspend an item from drawing (`certify.exams.item_review`).
    """
    now = now or utcnow()
    lock_attempt(session, attempt)
    if not attempt.is_open:
        raise _closed(attempt)
    if attempt.is_registered:
        raise _not_started()
    if now >= as_utc(attempt.deadline):
        close_and_score(session, attempt, AttemptEnd.TIMED_OUT, as_utc(attempt.deadline))
    else:
        for item_id, chosen in (answers or {}).items():
            _save(session, attempt, item_id, chosen, now)
        close_and_score(session, attempt, AttemptEnd.SUBMITTED, now)
    suspend_by_statistics(session, [attempt.exam_id])
    return attempt


def close_overdue(
    session, now: datetime | None = None, *, limit: int | None = CLOSE_BATCH
) -> list[ExamAttempt]:
    """Close and score open attempts whose deadline has passed, with what was saved (at most `limit`).

    Attempts another transaction holds (an answer being saved) are skipped, and closed by the next call.
    """
    now = now or utcnow()
    if session.scalar(_ANY_OVERDUE, {"now": now}) is None:  # the usual answer, found without locking
        return []
    due = session.scalars(
        sa.select(ExamAttempt)
        .where(ExamAttempt.closed_at.is_(None), ExamAttempt.deadline <= now)
        .order_by(ExamAttempt.deadline)
        .limit(limit)
        .with_for_update(skip_locked=True)
        .execution_options(populate_existing=True)
    ).all()
    for attempt in due:
        close_and_score(session, attempt, AttemptEnd.TIMED_OUT, as_utc(attempt.deadline))
    # Once per batch, not per attempt: a window's end closes its running attempts together.
    suspend_by_statistics(session, {attempt.exam_id for attempt in due})
    return list(due)


def seconds_left(attempt: ExamAttempt, now: datetime | None = None) -> int:
    """Whole seconds until the deadline (0 once it has passed), as the page counts them down."""
    left = (as_utc(attempt.deadline) - (now or utcnow())).total_seconds()
    return max(int(left), 0)


def lock_attempt(session, attempt: ExamAttempt) -> None:
    """Lock the attempt's row until commit and re-read it: another request may have closed it meanwhile."""
    locked_attempt(session, attempt.id)


def locked_attempt(session, attempt_id: int) -> ExamAttempt | None:
    """The attempt, its row locked until commit and read afresh; None if there is no such attempt.

    Its exam and bank version come in the same query (locked: the attempt's row only), since a save
    checks the answer against the bank's item.
    """
    return session.scalars(_LOCKED_ATTEMPT, {"attempt_id": attempt_id}).one_or_none()


def _refuse_unless_open(attempt: ExamAttempt, now: datetime) -> None:
    if not attempt.is_open:
        raise _closed(attempt)
    if attempt.is_registered:
        raise _not_started()
    if now >= as_utc(attempt.deadline):
        deadline = as_utc(attempt.deadline)
        raise AttemptRefused(
            _l("The time ran out at %(time)s; this answer was not saved.", time=moment(deadline)),
            closed_at=deadline,
        )


def _not_started() -> AttemptRefused:
    return AttemptRefused(_l("This attempt has not started yet: start it from the exams page."))


def _closed(attempt: ExamAttempt) -> AttemptRefused:
    closed_at = as_utc(attempt.closed_at)
    if attempt.closed_how == AttemptEnd.SUBMITTED:
        message = _l("This attempt was already submitted at %(time)s.", time=moment(closed_at))
    else:
        message = _l(
            "The time ran out at %(time)s; the attempt was closed with the answers saved before then.",
            time=moment(closed_at),
        )
    return AttemptRefused(message, closed_at=closed_at)


def _save(session, attempt: ExamAttempt, item_id: str, chosen: Sequence[str], now: datetime) -> SavedAnswer:
    # Checked against the form before the database is asked: an id can be any text a client sends. Every
    # slot of the form has its answer row, written when the form was drawn.
    slot = next((slot for slot in attempt.form["slots"] if slot["item"] == item_id), None)
    if slot is None:
        raise AttemptRefused(
            _l("Item %(item)s is not on your form; the answer was not saved.", item=item_id), status=422
        )
    try:
        check_answer(_item_shown(attempt, item_id, slot["version"]), chosen)
    except ExamInputError as error:
        raise AttemptRefused(gettext(error.template).format(**error.params), status=422) from error
    chosen = sorted(chosen)
    # One statement on the path of every answer (`_WRITE_ANSWER`): written only while the attempt is open
    # and before its deadline, checked by the write itself (on SQLite, which has no row locks, a close
    # committed since `locked_attempt` read the row makes this write nothing), and only when the answer
    # changed, so that saving the same answer again keeps the time it was saved. The stored text is
    # compared: the JSON type writes what `json.dumps` writes, and a difference in spelling would only cost
    # a write, never one.
    parameters = {
        "attempt": attempt.id,
        "item": item_id,
        "chosen": chosen,
        "text": json.dumps(chosen),
        "now": now,
    }
    written = session.execute(_WRITE_ANSWER, parameters).one_or_none()
    if written is not None:
        _expire_held_answer(session, attempt.id, item_id)
        return SavedAnswer(item_id, written.chosen, written.saved_at)
    session.refresh(attempt)  # nothing written: closed meanwhile, or the same answer again
    _refuse_unless_open(attempt, now)
    stored = session.get(ExamAnswer, (attempt.id, item_id))
    return SavedAnswer(item_id, stored.chosen, stored.saved_at)


def _expire_held_answer(session, attempt_id: int, item_id: str) -> None:
    """The session's copy of the answer, if it holds one, is out of date after the write: reload it."""
    held = session.identity_map.get(session.identity_key(ExamAnswer, (attempt_id, item_id)))
    if held is not None:
        session.expire(held)


def _item_shown(attempt: ExamAttempt, item_id: str, version: int) -> Item:
    """The item version the attempt shows, from its exam's parsed bank: every form is drawn from it."""
    return next(
        item
        for item in bank_of(attempt.exam.bank_version).items
        if (item.id, item.version) == (item_id, version)
    )


def close_and_score(session, attempt: ExamAttempt, how: AttemptEnd, closed_at: datetime) -> None:
    """Close the attempt and score it with its saved answers, on the item versions it showed.

    Closed first and scored second, in one transaction: from the first write on, no answer can be written
    (`_save` writes only to an open attempt), so the answers scored are all the answers saved.
    """
    attempt.closed_at, attempt.closed_how = closed_at, how.value
    session.flush()
    form = form_from_data(attempt.form)
    answers = {
        item_id: chosen
        for item_id, chosen in session.execute(
            sa.select(ExamAnswer.item_id, ExamAnswer.chosen).where(ExamAnswer.attempt_id == attempt.id)
        )
    }
    items = stored_items(session, ((slot.item_id, slot.item_version) for slot in form.slots))
    result = score_attempt(items.values(), form, {item: tuple(chosen) for item, chosen in answers.items()})
    attempt.result = result_data(result)
    session.flush()


def moment(at: datetime) -> str:
    """A moment as the candidate reads it, to the second: one second decides whether an answer counts."""
    return format_datetime(at, "medium")
