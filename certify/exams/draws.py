"""What a new attempt's form is drawn from: the candidate's previous items, the exam's exposure so far, and
the items the body holds back; `draw_for` passes them to the pure `certify.exams.forms.draw_form`."""

from __future__ import annotations

import secrets

import sqlalchemy as sa

from certify.exams.forms import Form, draw_form
from certify.exams.models import Exam, ExamAnswer, ExamAttempt
from certify.exams.services import bank_of, blueprint_of, held_back

#: seeds stay below 2**53, so that JavaScript and every JSON reader keep them exact
SEED_BITS = 52


def draw_for(session, exam: Exam, candidate) -> Form:
    """A new form for the candidate from a fresh random seed (stored with the attempt, so that the draw
    can be repeated and checked); raises ExamInputError when an area has too few items left to draw."""
    bank = bank_of(exam.bank_version)
    return draw_form(
        bank,
        blueprint_of(exam),
        seed=secrets.randbits(SEED_BITS),
        previous_items=previous_items(session, exam, candidate),
        exposure=exposure(session, exam),
        suspended=held_back(session, bank),
    )


def previous_items(session, exam: Exam, candidate) -> list[str]:
    """The items of the candidate's latest attempt on the exam: a retake avoids them where it can."""
    latest = (
        sa.select(ExamAttempt.id)
        .where(ExamAttempt.exam_id == exam.id, ExamAttempt.candidate_id == candidate.id)
        .order_by(ExamAttempt.started_at.desc(), ExamAttempt.id.desc())
        .limit(1)
        .scalar_subquery()
    )
    return list(session.scalars(sa.select(ExamAnswer.item_id).where(ExamAnswer.attempt_id == latest)))


def exposure(session, exam: Exam) -> dict[str, int]:
    """Item id -> the attempts of this exam (its window) that showed it: one answer row per item shown."""
    rows = session.execute(
        sa.select(ExamAnswer.item_id, sa.func.count())
        .join(ExamAttempt, ExamAttempt.id == ExamAnswer.attempt_id)
        .where(ExamAttempt.exam_id == exam.id)
        .group_by(ExamAnswer.item_id)
    )
    return {item_id: shown for item_id, shown in rows}
