"""What the exam pages show, as plain values in the reader's language: the attempt, its result, in full.

The candidate's attempt page never receives the key; the result page shows the rationales of the items
missed only once the exam's window has closed (so they cannot reach a running attempt); staff see
everything. The templates display these values and decide nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa

from certify.exams.attempts import seconds_left
from certify.exams.bank import ItemType
from certify.exams.models import ExamAnswer, ExamAttempt
from certify.exams.records import form_from_data, result_from_data
from certify.exams.scoring import AttemptResult
from certify.exams.services import bank_of, stored_items, window_has_closed
from certify.timeutil import as_utc, utcnow


@dataclass(frozen=True)
class OptionView:
    id: str
    text: str
    chosen: bool
    #: whether the option belongs to the key; None where the reader may not know
    correct: bool | None = None


@dataclass(frozen=True)
class ItemView:
    number: int
    item_id: str
    version: int
    area_title: str
    #: checkboxes (any number of options) rather than radio buttons (one)
    multiple: bool
    stem: str
    options: tuple[OptionView, ...]
    saved_at: datetime | None
    #: whether the answer earned the point; None while the attempt is open or where not shown
    earned: bool | None = None
    rationale: str | None = None


@dataclass(frozen=True)
class AreaView:
    title: str
    correct: int
    total: int
    percent: object
    pass_mark: object
    passed: bool


@dataclass(frozen=True)
class ResultView:
    result: AttemptResult
    areas: tuple[AreaView, ...]
    #: the items missed, with their keys and rationales, once the window has closed; else empty
    missed: tuple[ItemView, ...]
    rationales_later: bool


def attempt_items(session, attempt: ExamAttempt, locale: str) -> tuple[ItemView, ...]:
    """The items of an open attempt as the candidate answers them: options in the order drawn, no key."""
    return _items(session, attempt, locale, reveal=False)


def all_items(session, attempt: ExamAttempt, locale: str) -> tuple[ItemView, ...]:
    """Every item of the attempt with its key, the answer, whether it earned the point, and the rationale."""
    return _items(session, attempt, locale, reveal=True)


def result_view(session, attempt: ExamAttempt, locale: str, now: datetime | None = None) -> ResultView:
    """The closed attempt's result per area and overall, and the missed items once the window has closed."""
    result = result_from_data(attempt.result)
    titles = _area_titles(attempt, locale)
    open_rationales = window_has_closed(attempt.exam, now or utcnow())
    missed = (
        tuple(view for view in all_items(session, attempt, locale) if not view.earned)
        if open_rationales
        else ()
    )
    return ResultView(
        result=result,
        areas=tuple(
            AreaView(
                title=titles.get(area.area, area.area),
                correct=area.correct,
                total=area.total,
                percent=area.percent,
                pass_mark=area.pass_mark,
                passed=area.passed,
            )
            for area in result.areas.values()
        ),
        missed=missed,
        rationales_later=not open_rationales,
    )


def time_left(attempt: ExamAttempt, now: datetime | None = None) -> dict[str, object]:
    """The countdown's inputs: seconds left by the server's clock, as a clock, and the deadline (ISO).

    The page counts down from the seconds, not to the deadline, so that a wrong clock on the candidate's
    device changes nothing.
    """
    left = seconds_left(attempt, now)
    return {"seconds_left": left, "clock": clock(left), "deadline": as_utc(attempt.deadline).isoformat()}


def clock(seconds: int) -> str:
    """`1:05:09` or `05:09`, as exam.js writes it."""
    hours, rest = divmod(seconds, 3600)
    minutes, seconds = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{seconds:02d}" if hours else f"{minutes:02d}:{seconds:02d}"


def _items(session, attempt: ExamAttempt, locale: str, *, reveal: bool) -> tuple[ItemView, ...]:
    form = form_from_data(attempt.form)
    items = stored_items(session, ((slot.item_id, slot.item_version) for slot in form.slots))
    answers = {
        row.item_id: row
        for row in session.scalars(sa.select(ExamAnswer).where(ExamAnswer.attempt_id == attempt.id))
    }
    earned = attempt.result["items"] if reveal and attempt.result else {}
    titles = _area_titles(attempt, locale)
    views = []
    for number, slot in enumerate(form.slots, start=1):
        item = items[slot.item_id, slot.item_version]
        answer = answers[slot.item_id]
        options = {option.id: option for option in item.options}
        views.append(
            ItemView(
                number=number,
                item_id=item.id,
                version=item.version,
                area_title=titles.get(item.area, item.area),
                multiple=item.type is ItemType.MULTIPLE_CHOICE,
                stem=item.stem.get(locale),
                options=tuple(
                    OptionView(
                        id=option_id,
                        text=options[option_id].text.get(locale),
                        chosen=option_id in answer.chosen,
                        correct=options[option_id].correct if reveal else None,
                    )
                    for option_id in slot.option_order
                ),
                saved_at=answer.saved_at,
                earned=earned.get(item.id),
                rationale=item.rationale.get(locale) if reveal else None,
            )
        )
    return tuple(views)


def _area_titles(attempt: ExamAttempt, locale: str) -> dict[str, str]:
    return {area.id: area.title.get(locale) for area in bank_of(attempt.exam.bank_version).areas}
