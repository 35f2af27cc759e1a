"""The lists of the exam pages: a candidate's open exams and past attempts, staff's exams and attempts."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from certify.exams.models import Exam, ExamAttempt
from certify.exams.registrations import may_register_themselves
from certify.exams.services import window_is_open


@dataclass(frozen=True)
class OpenExam:
    exam: Exam
    #: the candidate's registration (to start) or attempt in progress (to resume); None: a new one starts
    attempt: ExamAttempt | None


@dataclass(frozen=True)
class ExamSummary:
    exam: Exam
    attempts: int
    running: int
    passed: int
    window_open: bool


def open_exams(session, candidate, now: datetime) -> list[OpenExam]:
    """The exams whose window is open now, with the candidate's registration or attempt in progress on
    each, if any. A manager sitting their attestation's theory sees only the exams they are registered
    for (`registrations.may_register_themselves`)."""
    exams = session.scalars(sa.select(Exam).order_by(Exam.opens_at, Exam.id)).all()
    running = {
        attempt.exam_id: attempt
        for attempt in session.scalars(
            sa.select(ExamAttempt).where(
                ExamAttempt.candidate_id == candidate.id, ExamAttempt.closed_at.is_(None)
            )
        )
    }
    return [
        OpenExam(exam, running.get(exam.id))
        for exam in exams
        if window_is_open(exam, now) and (exam.id in running or may_register_themselves(candidate))
    ]


def closed_attempts_of(session, candidate) -> list[ExamAttempt]:
    """The candidate's finished attempts, newest first."""
    return list(
        session.scalars(
            sa.select(ExamAttempt)
            .options(joinedload(ExamAttempt.exam))
            .where(ExamAttempt.candidate_id == candidate.id, ExamAttempt.closed_at.is_not(None))
            .order_by(ExamAttempt.registered_at.desc(), ExamAttempt.id.desc())
        )
    )


def exam_summaries(session, now: datetime) -> list[ExamSummary]:
    """Every exam, newest first, with its attempts counted: all started, still running, passed."""
    passed = ExamAttempt.result["passed"].as_boolean()
    counts = {
        exam_id: (total, running, won or 0)
        for exam_id, total, running, won in session.execute(
            sa.select(
                ExamAttempt.exam_id,
                sa.func.count(),
                sa.func.count().filter(ExamAttempt.closed_at.is_(None)),
                sa.func.count().filter(passed.is_(True)),
            )
            .where(ExamAttempt.started_at.is_not(None))
            .group_by(ExamAttempt.exam_id)
        )
    }
    exams = session.scalars(
        sa.select(Exam).options(joinedload(Exam.bank_version)).order_by(Exam.opens_at.desc(), Exam.id.desc())
    )
    return [
        ExamSummary(exam, *counts.get(exam.id, (0, 0, 0)), window_open=window_is_open(exam, now))
        for exam in exams
    ]


def attempts_on(session, exam: Exam) -> list[ExamAttempt]:
    """Every attempt and registration on the exam, newest first, with its candidate."""
    return list(
        session.scalars(
            sa.select(ExamAttempt)
            .options(joinedload(ExamAttempt.candidate))
            .where(ExamAttempt.exam_id == exam.id)
            .order_by(ExamAttempt.registered_at.desc(), ExamAttempt.id.desc())
        )
    )
