"""Item statistics of an exam from its closed attempts, suspension from drawing, and a person's decision.

Plain functions that receive the session, flush and never commit. The arithmetic is the pure
`certify.exams.statistics`; this module reads the responses from the database and acts on the flags: an
item whose discrimination is negative (most likely a wrong key) is suspended from drawing as soon as the
statistics say so (`suspend_by_statistics`, run whenever attempts close), until a coordinator keeps it
suspended or reinstates it (`decide`), with a reason, audited. docs/exams.md ("Item review") says why.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from certify.audit import services as audit
from certify.exams.bank import ItemStatus
from certify.exams.models import (
    Exam,
    ExamAnswer,
    ExamAttempt,
    ExamItemDecision,
    ExamItemVersion,
    ItemDecision,
)
from certify.exams.services import ExamRefused, bank_of
from certify.exams.statistics import ItemStatistics, Reliability, Response, item_statistics, reliability

#: Attempts that must have shown an item before its statistics suspend it on their own: with fewer the
#: discrimination is mostly chance (attestation-reference.md: read them after 30-50 candidates). The page
#: flags every item whatever its exposure, and shows the exposure beside the flags.
SUSPEND_AFTER_EXPOSURE = 30

#: a person's decisions, by the form's choice
PERSON_DECISIONS = {"keep": ItemDecision.KEPT_SUSPENDED, "reinstate": ItemDecision.REINSTATED}


@dataclass(frozen=True)
class Period:
    """Attempts started from `since` (inclusive) until `until` (exclusive); None: unbounded."""

    since: datetime | None = None
    until: datetime | None = None


@dataclass(frozen=True)
class ItemRow:
    item_id: str
    version: int
    area: str
    statistics: ItemStatistics
    #: the body's current status of the version (ItemStatus value)
    status: str
    #: the latest decision on the version (ItemDecision value), None while none was taken
    decision: str | None

    @property
    def awaiting_decision(self) -> bool:
        return self.decision == ItemDecision.SUSPENDED


@dataclass(frozen=True)
class TrendRow:
    month: str
    reliability: Reliability


@dataclass(frozen=True)
class ExamStatistics:
    exam: Exam
    period: Period
    items: tuple[ItemRow, ...]
    reliability: Reliability
    trend: tuple[TrendRow, ...]

    @property
    def periods(self) -> list[tuple[str | None, Reliability]]:
        """(None: the whole period, then each month) with its reliability."""
        return [(None, self.reliability), *((row.month, row.reliability) for row in self.trend)]


def exam_responses(session, exam: Exam, period: Period = Period()) -> dict[int, dict[str, Response]]:
    """Attempt id -> item id -> Response, for the exam's closed attempts started in `period`."""
    return _read(session, exam, period)[0]


def _read(session, exam: Exam, period: Period) -> tuple[dict[int, dict[str, Response]], dict[int, datetime]]:
    """The responses of the closed attempts started in `period`, and when each attempt started."""
    attempts = sa.select(ExamAttempt.id, ExamAttempt.result, ExamAttempt.started_at).where(
        ExamAttempt.exam_id == exam.id, ExamAttempt.closed_at.is_not(None)
    )
    if period.since is not None:
        attempts = attempts.where(ExamAttempt.started_at >= period.since)
    if period.until is not None:
        attempts = attempts.where(ExamAttempt.started_at < period.until)
    earned, started = {}, {}
    for attempt_id, result, started_at in session.execute(attempts):
        earned[attempt_id], started[attempt_id] = result["items"], started_at
    responses: dict[int, dict[str, Response]] = {attempt_id: {} for attempt_id in earned}
    answers = sa.select(ExamAnswer.attempt_id, ExamAnswer.item_id, ExamAnswer.chosen).where(
        ExamAnswer.attempt_id.in_(attempts.with_only_columns(ExamAttempt.id).scalar_subquery())
    )
    for attempt_id, item_id, chosen in session.execute(answers):
        correct = bool(earned[attempt_id].get(item_id))
        responses[attempt_id][item_id] = Response(correct, tuple(chosen))
    return responses, started


def _scored_responses(session, exam: Exam) -> dict[int, dict[str, Response]]:
    """Attempt id -> item id -> whether it earned the point, for the exam's closed attempts, from their
    stored results alone: discrimination needs no options chosen, and this runs whenever attempts close,
    so it reads one row per attempt instead of one per item shown."""
    results = session.execute(
        sa.select(ExamAttempt.id, ExamAttempt.result).where(
            ExamAttempt.exam_id == exam.id, ExamAttempt.closed_at.is_not(None)
        )
    )
    return {
        attempt_id: {item_id: Response(bool(correct)) for item_id, correct in result["items"].items()}
        for attempt_id, result in results
    }


def exam_statistics(session, exam: Exam, period: Period = Period()) -> ExamStatistics:
    """Per item p, r_pb, exposure, option shares and flags; KR-20 and SEM; and the same per month."""
    responses, started = _read(session, exam, period)
    versions = _versions(session, exam)
    decisions = latest_decisions(session, versions)
    items = tuple(
        ItemRow(
            item_id=item_id,
            version=versions[item_id].version,
            area=versions[item_id].area,
            statistics=stats,
            status=versions[item_id].status,
            decision=decisions.get((item_id, versions[item_id].version)),
        )
        for item_id, stats in sorted(item_statistics(responses).items())
        if item_id in versions
    )
    return ExamStatistics(exam, period, items, reliability(responses), _trend(responses, started))


def suspend_by_statistics(session, exam_ids: Iterable[int]) -> list[ExamItemDecision]:
    """Suspend from drawing the items of these exams whose discrimination is negative, after
    SUSPEND_AFTER_EXPOSURE attempts, unless a person has already decided on that version."""
    exam_ids, suspended = set(exam_ids), []
    if not exam_ids:  # the check before every exam page closes nothing most of the time
        return suspended
    for exam in session.scalars(sa.select(Exam).where(Exam.id.in_(exam_ids)).order_by(Exam.id)):
        due = {
            item_id: stats
            for item_id, stats in item_statistics(_scored_responses(session, exam)).items()
            if stats.suspend and stats.exposure >= SUSPEND_AFTER_EXPOSURE
        }
        if not due:
            continue
        versions = _versions(session, exam)
        decided = latest_decisions(session, versions)
        for item_id in sorted(due):
            row = versions.get(item_id)
            if row is None or row.status != ItemStatus.ACTIVE.value or (item_id, row.version) in decided:
                continue
            row.status = ItemStatus.SUSPENDED.value
            suspended.append(_record(session, exam, row, due[item_id], "exam_item.suspended", None, None))
    session.flush()
    return suspended


def decide(session, exam: Exam, item_id: str, choice: str, reason: str, user) -> ExamItemDecision:
    """A person's decision on an item the statistics suspended: keep it suspended, or reinstate it."""
    row = _versions(session, exam).get(item_id)
    decision = PERSON_DECISIONS.get(choice)
    if row is None or decision is None:
        raise ExamRefused(_l("Item %(item)s is not in this exam's bank.", item=item_id), status=404)
    if row.status != ItemStatus.SUSPENDED.value or (item_id, row.version) not in latest_decisions(
        session, {item_id: row}
    ):
        raise ExamRefused(
            _l("Item %(item)s was not suspended by its statistics; there is nothing to decide.", item=item_id)
        )
    stats = item_statistics(exam_responses(session, exam)).get(item_id)
    if decision is ItemDecision.REINSTATED:
        row.status = ItemStatus.ACTIVE.value
        entry = _record(session, exam, row, stats, "exam_item.reinstated", reason, user)
    else:
        entry = _record(session, exam, row, stats, "exam_item.kept_suspended", reason, user)
    session.flush()
    return entry


def latest_decisions(session, versions: dict[str, ExamItemVersion]) -> dict[tuple[str, int], str]:
    """(item id, version) -> the latest decision taken on it, for the versions given."""
    if not versions:
        return {}
    rows = session.execute(
        sa.select(ExamItemDecision.item_id, ExamItemDecision.item_version, ExamItemDecision.decision)
        .where(ExamItemDecision.item_id.in_(versions))
        .order_by(ExamItemDecision.id)
    )
    wanted = {(item_id, row.version) for item_id, row in versions.items()}
    return {(item, version): what for item, version, what in rows if (item, version) in wanted}


def _record(session, exam: Exam, row: ExamItemVersion, stats, action: str, reason, user) -> ExamItemDecision:
    """The decision's row and its audit entry; `action` is `exam_item.<ItemDecision value>`."""
    entry = ExamItemDecision(
        item_id=row.item_id,
        item_version=row.version,
        decision=ItemDecision(action.removeprefix("exam_item.")).value,
        reason=reason,
        exam_id=exam.id,
        discrimination=stats.discrimination if stats else None,
        exposure=stats.exposure if stats else 0,
        decided_by_id=getattr(user, "id", None),
    )
    session.add(entry)
    audit.record(
        session,
        actor=user,
        action=action,
        subject_type="exam_item",
        subject_id=row.label,
        after={
            "exam": exam.id,
            "reason": reason,
            "discrimination": None if entry.discrimination is None else round(entry.discrimination, 2),
            "exposure": entry.exposure,
        },
    )
    return entry


def _versions(session, exam: Exam) -> dict[str, ExamItemVersion]:
    """Item id -> the stored version the exam's bank serves."""
    served = {item.id: item.version for item in bank_of(exam.bank_version).items}
    rows = session.scalars(sa.select(ExamItemVersion).where(ExamItemVersion.item_id.in_(served)))
    return {row.item_id: row for row in rows if served[row.item_id] == row.version}


def _trend(responses: dict[int, dict[str, Response]], started: dict[int, datetime]) -> tuple[TrendRow, ...]:
    """KR-20, SEM and the mean score per calendar month (UTC) the attempts started in."""
    months: dict[str, dict[int, dict[str, Response]]] = defaultdict(dict)
    for attempt_id, items in responses.items():
        months[started[attempt_id].strftime("%Y-%m")][attempt_id] = items
    return tuple(TrendRow(month, reliability(months[month])) for month in sorted(months))
