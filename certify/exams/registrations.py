"""An exam's window for its candidates: registering with a drawn form, starting the clock, closing the window.

Plain functions that receive the session, flush and never commit. A registration is an attempt whose
form is drawn and whose rows are written, but whose clock has not started (`started_at` is None): the
body registers admitted candidates ahead of a sitting (`flask certify exam register`), so that when they
all press "Start" at once each start only sets its clock, one UPDATE, instead of drawing a form and
writing its forty rows while everyone waits (docs/exams.md, "Registration and the start"). A candidate
who was not registered is registered by the start itself. A registration is voided when the window
closes without it being started.
"""

from __future__ import annotations

from datetime import datetime, timedelta

import sqlalchemy as sa
from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from sqlalchemy.dialects import postgresql, sqlite

from certify.accounts.models import Role
from certify.exams.attempts import AttemptRefused, close_and_score, close_overdue, lock_attempt
from certify.exams.draws import draw_for
from certify.exams.forms import Form
from certify.exams.messages import ExamInputError
from certify.exams.models import AttemptEnd, Exam, ExamAnswer, ExamAttempt
from certify.exams.records import form_data
from certify.exams.services import (
    ExamRefused,
    audit_exam,
    bank_of,
    held_back,
    window_has_closed,
    window_is_open,
)
from certify.timeutil import as_utc, utcnow


def open_attempt_of(session, exam: Exam, candidate) -> ExamAttempt | None:
    """The candidate's registration or running attempt on the exam (one at most)."""
    return session.scalar(
        sa.select(ExamAttempt).where(
            ExamAttempt.exam_id == exam.id,
            ExamAttempt.candidate_id == candidate.id,
            ExamAttempt.closed_at.is_(None),
        )
    )


def latest_attempt_of(session, exam: Exam, candidate) -> ExamAttempt | None:
    """The candidate's newest attempt on the exam: the open one if any (a new one is drawn only after it)."""
    return session.scalar(
        sa.select(ExamAttempt)
        .where(ExamAttempt.exam_id == exam.id, ExamAttempt.candidate_id == candidate.id)
        .order_by(ExamAttempt.registered_at.desc(), ExamAttempt.id.desc())
        .limit(1)
    )


def may_register_themselves(user) -> bool:
    """Whether `user` may sit any open exam, registered by their own start: a candidate may. A manager
    applying for their own attestation sits only the exam the body registered them for at admission."""
    return user.has_role(Role.CANDIDATE)


def register_candidate(
    session,
    exam: Exam,
    candidate,
    *,
    now: datetime | None = None,
    application_id: int | None = None,
    seed: int | None = None,
) -> ExamAttempt:
    """Register the candidate with a newly drawn form, or return their registration or running attempt.

    The form is drawn from a fresh random seed (or `seed`, where the figures must repeat), avoiding the
    items of the candidate's previous attempt, preferring the items this exam has shown least, never
    items the body holds back. Allowed until the
    window closes (before it opens too); an attempt left past its deadline is closed first.
    `application_id` links the attempt to the attestation it is the theory stage of
    (certify.attestation.theory); a retake after a linked attempt is registered only that way, where the
    scheme's retake rule is checked.
    """
    now = now or utcnow()
    latest = latest_attempt_of(session, exam, candidate)
    if latest is not None and latest.is_open:
        if latest.is_registered or now < as_utc(latest.deadline):
            if application_id is not None and latest.application_id is None:
                latest.application_id = application_id
                session.flush()
            return latest
        lock_attempt(session, latest)
        if latest.is_open:  # past its deadline and not yet closed by anyone
            close_and_score(session, latest, AttemptEnd.TIMED_OUT, as_utc(latest.deadline))
    if application_id is None and latest is not None and latest.application_id is not None:
        raise AttemptRefused(
            _l(
                "Your next attempt at this exam belongs to your attestation: register the retake on your "
                "attestation page, where the scheme's retake rules are checked."
            )
        )
    if window_has_closed(exam, now):
        raise AttemptRefused(_l("This exam's window has already closed."))
    attempt = _insert_attempt(
        session,
        exam_id=exam.id,
        candidate_id=candidate.id,
        application_id=application_id,
        form=form_data(_drawn(session, exam, latest, seed)),
        registered_at=now,
    )
    if attempt is None:  # the same candidate registered in another tab meanwhile: that one it is
        return open_attempt_of(session, exam, candidate)
    _write_rows(session, attempt)
    return attempt


def start_attempt(session, exam: Exam, candidate, *, now: datetime | None = None) -> ExamAttempt:
    """Start the candidate's attempt: their registration's clock, or a new registration's; a running
    attempt is resumed (a second tab lands on the same attempt).

    The deadline is the time limit from now, and never later than the end of the window. A registered
    form holding an item the body has held back since it was drawn is drawn again.
    """
    now = now or utcnow()
    if not may_register_themselves(candidate) and open_attempt_of(session, exam, candidate) is None:
        raise AttemptRefused(
            _l("You are not registered for this exam: you are registered when your application is admitted.")
        )
    attempt = register_candidate(session, exam, candidate, now=now)
    if attempt.is_running:
        return attempt
    if not window_is_open(exam, now):
        raise AttemptRefused(_l("This exam is not open for attempts now."))
    if attempt.application_id is not None:  # an attestation's theory: within the candidate's own window
        from certify.attestation.theory import refuse_start_after_window  # the attestation imports exams

        refuse_start_after_window(session, attempt, now)
    started = _start(session, exam, attempt, now)
    if started is None:  # another tab started it meanwhile: that attempt it is
        session.refresh(attempt)
        return attempt
    return _without_held_back_items(session, exam, started)


def void_lapsed_registrations(session, now: datetime | None = None) -> int:
    """Delete the registrations of exams whose window has closed: never started, they can no longer be.

    Their forms would otherwise count as shown in the exposure of the items. Returns how many.
    """
    now = now or utcnow()
    closed_exams = sa.select(Exam.id).where(Exam.closes_at <= now)
    lapsed = sa.select(ExamAttempt.id).where(
        ExamAttempt.exam_id.in_(closed_exams),
        ExamAttempt.started_at.is_(None),
        ExamAttempt.closed_at.is_(None),
    )
    ids = list(session.scalars(lapsed))
    if ids:
        session.execute(sa.delete(ExamAnswer).where(ExamAnswer.attempt_id.in_(ids)))
        session.execute(
            sa.delete(ExamAttempt).where(ExamAttempt.id.in_(ids)).execution_options(synchronize_session=False)
        )
    return len(ids)


def close_exam(session, exam: Exam, *, now: datetime | None = None, user=None) -> list[ExamAttempt]:
    """End the exam's window now: no new attempts; the running ones close now with what they saved, and
    the registrations never started are voided."""
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
    void_lapsed_registrations(session, now)
    audit_exam(session, user, "exam.closed", exam)
    return [attempt for attempt in closed if attempt.exam_id == exam.id]


def _drawn(session, exam: Exam, previous: ExamAttempt | None, seed: int | None = None) -> Form:
    try:
        return draw_for(session, exam, previous=previous, seed=seed)
    except ExamInputError as error:  # the body held back too many items since the exam opened
        raise AttemptRefused(gettext(error.template).format(**error.params)) from error


def _start(session, exam: Exam, attempt: ExamAttempt, now: datetime) -> ExamAttempt | None:
    """Start the registration's clock; None if it is no longer a registration.

    The condition is in the UPDATE itself, so that of two tabs starting at once exactly one sets the
    clock; the other resumes the running attempt.
    """
    deadline = now + timedelta(minutes=exam.time_limit_minutes)
    if exam.closes_at is not None:
        deadline = min(deadline, as_utc(exam.closes_at))
    return session.scalar(
        sa.update(ExamAttempt)
        .where(
            ExamAttempt.id == attempt.id, ExamAttempt.started_at.is_(None), ExamAttempt.closed_at.is_(None)
        )
        .values(started_at=now, deadline=deadline)
        .returning(ExamAttempt)
        .execution_options(populate_existing=True)
    )


def _without_held_back_items(session, exam: Exam, attempt: ExamAttempt) -> ExamAttempt:
    """The attempt, its form drawn again if the body has held back one of its items since it was drawn."""
    held = held_back(session, bank_of(exam.bank_version))
    if not held.intersection(slot["item"] for slot in attempt.form["slots"]):
        return attempt
    previous = session.scalar(
        sa.select(ExamAttempt)
        .where(
            ExamAttempt.exam_id == exam.id,
            ExamAttempt.candidate_id == attempt.candidate_id,
            ExamAttempt.closed_at.is_not(None),
        )
        .order_by(ExamAttempt.registered_at.desc(), ExamAttempt.id.desc())
        .limit(1)
    )
    session.execute(sa.delete(ExamAnswer).where(ExamAnswer.attempt_id == attempt.id))
    attempt.form = form_data(_drawn(session, exam, previous))
    session.flush()
    _write_rows(session, attempt)
    return attempt


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


def _write_rows(session, attempt: ExamAttempt) -> None:
    """One answer row per slot of the attempt's form, unanswered."""
    # In one multi-row INSERT: forty ORM objects, forty statements in a batch, or a new statement
    # compiled per form all cost more than the write itself. SQLAlchemy batches a cached INSERT into
    # multi-row statements ("insertmanyvalues") when it returns something, hence RETURNING.
    answers = ExamAnswer.__table__
    session.execute(
        sa.insert(answers).returning(answers.c.position),
        [
            {
                "attempt_id": attempt.id,
                "item_id": slot["item"],
                "item_version": slot["version"],
                "position": n,
            }
            for n, slot in enumerate(attempt.form["slots"])
        ],
    ).all()
