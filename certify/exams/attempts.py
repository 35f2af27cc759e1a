"""Timed attempts, with the deadline kept by the server: start or resume, save answers, submit, close.

Plain functions that receive the session, flush and never commit. `now` defaults to the server's clock
(`certify.timeutil.utcnow`); tests pass it. An attempt takes answers while `now < deadline`; from the
deadline on it takes none, and `close_overdue` closes and scores it with what was saved, on the next
request of anyone to the exams pages and by `flask certify exam close-overdue`, so nothing depends on the
candidate's browser. Saving, submitting and closing lock the attempt's row first, so that an answer saved
just before the deadline is either in the result or refused, never lost in between.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask_babel import format_datetime, gettext
from flask_babel import lazy_gettext as _l
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm.attributes import set_committed_value

from certify.errors import DomainError
from certify.exams.draws import draw_for
from certify.exams.item_review import suspend_by_statistics
from certify.exams.messages import ExamInputError
from certify.exams.models import AttemptEnd, Exam, ExamAnswer, ExamAttempt
from certify.exams.records import form_data, form_from_data, result_data
from certify.exams.scoring import check_answer, score_attempt
from certify.exams.services import ExamRefused, audit_exam, stored_items, window_is_open
from certify.timeutil import as_utc, utcnow

#: overdue attempts closed per call: a request closes a batch, the command loops until none is left
CLOSE_BATCH = 50


class AttemptRefused(DomainError):
    """An answer or submission the attempt cannot take; `closed_at` is when it closed, if that is why."""

    def __init__(self, message, *, status: int = 409, closed_at: datetime | None = None):
        super().__init__(message, status)
        self.closed_at = closed_at


def open_attempt_of(session, exam: Exam, candidate) -> ExamAttempt | None:
    return session.scalar(
        sa.select(ExamAttempt).where(
            ExamAttempt.exam_id == exam.id,
            ExamAttempt.candidate_id == candidate.id,
            ExamAttempt.closed_at.is_(None),
        )
    )


def latest_attempt_of(session, exam: Exam, candidate) -> ExamAttempt | None:
    """The candidate's newest attempt on the exam: the open one if any (a new one starts only after it)."""
    return session.scalar(
        sa.select(ExamAttempt)
        .where(ExamAttempt.exam_id == exam.id, ExamAttempt.candidate_id == candidate.id)
        .order_by(ExamAttempt.started_at.desc(), ExamAttempt.id.desc())
        .limit(1)
    )


def start_attempt(session, exam: Exam, candidate, *, now: datetime | None = None) -> ExamAttempt:
    """The candidate's open attempt on the exam (a second tab resumes it), or a new one with a new form.

    The form is drawn from a fresh random seed, avoiding the items of the candidate's previous attempt,
    preferring the items this exam has shown least, never items the body holds back. The deadline is the
    time limit from now, and never later than the end of the window.
    """
    now = now or utcnow()
    latest = latest_attempt_of(session, exam, candidate)
    if latest is not None and latest.is_open:
        if now < as_utc(latest.deadline):
            return latest
        _lock(session, latest)
        if latest.is_open:  # past its deadline and not yet closed by anyone
            _close(session, latest, AttemptEnd.TIMED_OUT, as_utc(latest.deadline))
    if not window_is_open(exam, now):
        raise AttemptRefused(_l("This exam is not open for attempts now."))
    try:
        form = draw_for(session, exam, previous=latest)
    except ExamInputError as error:  # the body held back too many items since the exam opened
        raise AttemptRefused(gettext(error.template).format(**error.params)) from error
    deadline = now + timedelta(minutes=exam.time_limit_minutes)
    if exam.closes_at is not None:
        deadline = min(deadline, as_utc(exam.closes_at))
    attempt = _insert_attempt(
        session,
        exam_id=exam.id,
        candidate_id=candidate.id,
        form=form_data(form),
        started_at=now,
        deadline=deadline,
    )
    if attempt is None:  # the same candidate started it in another tab meanwhile: resume that one
        return open_attempt_of(session, exam, candidate)
    # The form's rows in one multi-row INSERT: forty ORM objects, forty statements in a batch, or a new
    # statement compiled per form all cost more than the write itself. SQLAlchemy batches a cached
    # INSERT into multi-row statements ("insertmanyvalues") when it returns something, hence RETURNING.
    answers = ExamAnswer.__table__
    session.execute(
        sa.insert(answers).returning(answers.c.position),
        [
            {"attempt_id": attempt.id, "item_id": s.item_id, "item_version": s.item_version, "position": n}
            for n, s in enumerate(form.slots)
        ],
    ).all()
    return attempt


def save_answer(
    session, attempt: ExamAttempt, item_id: str, chosen: Sequence[str], *, now: datetime | None = None
) -> ExamAnswer:
    """Save the options chosen for one item (empty: cleared); saving the same answer again changes nothing."""
    return save_answers(session, attempt, {item_id: chosen}, now=now)[0]


def save_answers(
    session, attempt: ExamAttempt, answers: Mapping[str, Sequence[str]], *, now: datetime | None = None
) -> list[ExamAnswer]:
    """Save several answers at once, all or none. Refused after the deadline, with the time it closed,
    on a closed attempt, for an item not on the form, and for an answer the item cannot take."""
    now = now or utcnow()
    _lock_open(session, attempt, now)
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
    _lock(session, attempt)
    if not attempt.is_open:
        raise _closed(attempt)
    if now >= as_utc(attempt.deadline):
        _close(session, attempt, AttemptEnd.TIMED_OUT, as_utc(attempt.deadline))
    else:
        for item_id, chosen in (answers or {}).items():
            _save(session, attempt, item_id, chosen, now)
        _close(session, attempt, AttemptEnd.SUBMITTED, now)
    suspend_by_statistics(session, [attempt.exam_id])
    return attempt


def close_overdue(
    session, now: datetime | None = None, *, limit: int | None = CLOSE_BATCH
) -> list[ExamAttempt]:
    """Close and score open attempts whose deadline has passed, with what was saved (at most `limit`).

    Attempts another transaction holds (an answer being saved) are skipped, and closed by the next call.
    """
    now = now or utcnow()
    due = session.scalars(
        sa.select(ExamAttempt)
        .where(ExamAttempt.closed_at.is_(None), ExamAttempt.deadline <= now)
        .order_by(ExamAttempt.deadline)
        .limit(limit)
        .with_for_update(skip_locked=True)
        .execution_options(populate_existing=True)
    ).all()
    for attempt in due:
        _close(session, attempt, AttemptEnd.TIMED_OUT, as_utc(attempt.deadline))
    # Once per batch, not per attempt: a window's end closes its running attempts together.
    suspend_by_statistics(session, {attempt.exam_id for attempt in due})
    return list(due)


def close_exam(session, exam: Exam, *, now: datetime | None = None, user=None) -> list[ExamAttempt]:
    """End the exam's window now: no new attempts; the open ones close now with what they saved."""
    now = now or utcnow()
    if exam.closes_at is not None and as_utc(exam.closes_at) <= now:
        raise ExamRefused(_l("This exam's window has already closed."))
    exam.closes_at = now
    session.execute(
        sa.update(ExamAttempt)
        .where(ExamAttempt.exam_id == exam.id, ExamAttempt.closed_at.is_(None), ExamAttempt.deadline > now)
        .values(deadline=now)
        .execution_options(synchronize_session=False)
    )
    closed = close_overdue(session, now, limit=None)
    audit_exam(session, user, "exam.closed", exam)
    return [attempt for attempt in closed if attempt.exam_id == exam.id]


def seconds_left(attempt: ExamAttempt, now: datetime | None = None) -> int:
    """Whole seconds until the deadline (0 once it has passed), as the page counts them down."""
    left = (as_utc(attempt.deadline) - (now or utcnow())).total_seconds()
    return max(int(left), 0)


def _insert_attempt(session, **values) -> ExamAttempt | None:
    """The new attempt, or None when the candidate's open attempt was inserted by another request.

    INSERT … ON CONFLICT DO NOTHING (SQLite and PostgreSQL): a conflict with uq_exam_attempts_one_open
    leaves the transaction usable, which an IntegrityError on PostgreSQL would not. PostgreSQL makes the
    second insert wait for the first transaction, so the winner's attempt is committed when this returns.
    """
    insert = {"postgresql": postgresql.insert, "sqlite": sqlite.insert}[session.get_bind().dialect.name]
    return session.scalar(
        insert(ExamAttempt).values(**values).on_conflict_do_nothing().returning(ExamAttempt)
    )


def _lock(session, attempt: ExamAttempt) -> None:
    """Lock the attempt's row until commit and re-read it: another request may have closed it meanwhile."""
    session.scalars(
        sa.select(ExamAttempt)
        .where(ExamAttempt.id == attempt.id)
        .with_for_update()
        .execution_options(populate_existing=True)
    ).one()


def _lock_open(session, attempt: ExamAttempt, now: datetime) -> None:
    _lock(session, attempt)
    _refuse_unless_open(attempt, now)


def _refuse_unless_open(attempt: ExamAttempt, now: datetime) -> None:
    if not attempt.is_open:
        raise _closed(attempt)
    if now >= as_utc(attempt.deadline):
        deadline = as_utc(attempt.deadline)
        raise AttemptRefused(
            _l("The time ran out at %(time)s; this answer was not saved.", time=moment(deadline)),
            closed_at=deadline,
        )


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


def _save(session, attempt: ExamAttempt, item_id: str, chosen: Sequence[str], now: datetime) -> ExamAnswer:
    # Checked against the form before the database is asked: an id can be any text a client sends.
    on_form = any(slot["item"] == item_id for slot in attempt.form["slots"])
    row = session.get(ExamAnswer, (attempt.id, item_id)) if on_form else None
    if row is None:
        raise AttemptRefused(
            _l("Item %(item)s is not on your form; the answer was not saved.", item=item_id), status=422
        )
    item = stored_items(session, [(item_id, row.item_version)])[item_id, row.item_version]
    try:
        check_answer(item, chosen)
    except ExamInputError as error:
        raise AttemptRefused(gettext(error.template).format(**error.params), status=422) from error
    if sorted(chosen) == row.chosen:
        return row
    # Written only while the attempt is open and before its deadline, checked by the write itself: on
    # SQLite, which has no row locks, a close committed since `_lock` read the row makes this write nothing.
    still_open = sa.exists().where(
        ExamAttempt.id == attempt.id, ExamAttempt.closed_at.is_(None), ExamAttempt.deadline > now
    )
    written = session.execute(
        sa.update(ExamAnswer)
        .where(ExamAnswer.attempt_id == attempt.id, ExamAnswer.item_id == item_id, still_open)
        .values(chosen=sorted(chosen), saved_at=now)
        .execution_options(synchronize_session=False)
    )
    if written.rowcount == 0:
        session.refresh(attempt)
        _refuse_unless_open(attempt, now)
    # What was just written, without reading it back: one query less on the path of every answer.
    set_committed_value(row, "chosen", sorted(chosen))
    set_committed_value(row, "saved_at", now)
    return row


def _close(session, attempt: ExamAttempt, how: AttemptEnd, closed_at: datetime) -> None:
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
