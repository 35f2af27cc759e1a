"""Banks, exams, candidates and attempts in the database for the tests of the exam pages and services."""

from __future__ import annotations

from datetime import datetime, timedelta

from certify.accounts.models import Role
from certify.exams import registrations, services
from certify.exams.models import Exam, ExamAttempt
from certify.exams.records import form_from_data
from certify.timeutil import as_utc, utcnow
from tests.exams.builders import TINY, tiny_bank
from tests.factories import make_user


def imported_tiny(session):
    """The tiny bank (tests/exams/tiny-1.0.yaml) imported: 5 items on a 10-minute form."""
    return services.import_bank(session, TINY.read_bytes(), source_name=TINY.name).row


def opened(session, bank_row=None, *, hours_open: int = 24, **options) -> Exam:
    """An exam on the tiny bank's blueprint, open since yesterday for `hours_open` more hours."""
    bank_row = bank_row or imported_tiny(session)
    now = utcnow()
    options.setdefault("opens_at", now - timedelta(days=1))
    options.setdefault("closes_at", now + timedelta(hours=hours_open))
    return services.open_exam(session, bank_row, "short", **options)


def candidate(session, **fields):
    return make_user(session, Role.CANDIDATE, **fields)


def started(session, exam: Exam | None = None, who=None, *, at: datetime | None = None) -> ExamAttempt:
    exam = exam or opened(session)
    return registrations.start_attempt(session, exam, who or candidate(session), now=at)


def keyed_answers(attempt: ExamAttempt, *, right: int) -> dict[str, list[str]]:
    """Answers to the attempt's first `right` items with their keys, and wrong answers to the rest."""
    items = {item.id: item for item in tiny_bank().items}
    answers = {}
    for n, slot in enumerate(form_from_data(attempt.form).slots):
        item = items[slot.item_id]
        wrong = next(option for option in item.option_ids if option not in item.key)
        answers[slot.item_id] = sorted(item.key) if n < right else [wrong]
    return answers


def deadline_of(attempt: ExamAttempt) -> datetime:
    return as_utc(attempt.deadline)
