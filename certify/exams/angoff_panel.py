"""A modified-Angoff panel on an exam: each judge's estimates, the recommended pass mark, and adopting it.

Plain functions that receive the session, flush and never commit; the arithmetic is the pure
`certify.exams.angoff`. The judges rate the items the exam's forms are drawn from (the active items of
the blueprint's areas that the body has not held back), so that the recommended mark is a percent of
forms like the candidates'. The coordinator types each judge's sheet in (judges need no account); typing
a judge again replaces that judge's estimates (the second round). docs/exams.md ("Angoff panels").
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import sqlalchemy as sa
from flask_babel import gettext
from flask_babel import lazy_gettext as _l

from certify.audit import services as audit
from certify.exams.angoff import AngoffRecommendation, angoff_pass_mark
from certify.exams.bank import Item
from certify.exams.messages import ExamInputError
from certify.exams.models import AngoffEstimate, Exam, ExamAttempt, PassMarkMethod
from certify.exams.services import ExamRefused, bank_of, blueprint_of, held_back
from certify.timeutil import utcnow


@dataclass(frozen=True)
class Panel:
    #: the items to rate, in the bank's order
    items: tuple[Item, ...]
    #: judge -> item id -> estimate (0..1), in the order the judges were first recorded
    estimates: Mapping[str, Mapping[str, Decimal]]
    recommendation: AngoffRecommendation | None
    #: why no recommendation can be computed from the estimates recorded (translated), if that is so
    problem: str | None


def panel_items(session, exam: Exam) -> tuple[Item, ...]:
    """The items a form of the exam may draw: the ones the panel rates."""
    bank = bank_of(exam.bank_version)
    kept_back = held_back(session, bank)
    return tuple(
        item
        for part in blueprint_of(exam).areas
        for item in bank.active_items(part.area)
        if item.id not in kept_back
    )


def panel_of(session, exam: Exam) -> Panel:
    """The estimates recorded on the exam and, when they allow it, the pass mark they recommend."""
    estimates: dict[str, dict[str, Decimal]] = {}
    rows = session.scalars(
        sa.select(AngoffEstimate).where(AngoffEstimate.exam_id == exam.id).order_by(AngoffEstimate.id)
    )
    for row in rows:
        estimates.setdefault(row.judge, {})[row.item_id] = row.estimate
    recommendation, problem = None, None
    if estimates:
        try:
            recommendation = angoff_pass_mark(estimates, blueprint_of(exam))
        except ExamInputError as error:
            problem = gettext(error.template).format(**error.params)
    return Panel(panel_items(session, exam), estimates, recommendation, problem)


def record_judge(session, exam: Exam, judge: str, estimates: Mapping[str, Decimal], user=None) -> str:
    """Store one judge's estimates (item id -> share 0..1) for every item to rate, replacing earlier ones."""
    judge = judge.strip()
    items = panel_items(session, exam)
    missing = [item.id for item in items if item.id not in estimates]
    if not judge or missing:
        raise ExamRefused(_l("Give the judge's name and an estimate for every item."), status=422)
    if any(not 0 <= estimates[item.id] <= 1 for item in items):
        raise ExamRefused(_l("An estimate is a percent from 0 to 100."), status=422)
    session.execute(
        sa.delete(AngoffEstimate).where(AngoffEstimate.exam_id == exam.id, AngoffEstimate.judge == judge)
    )
    session.add_all(
        AngoffEstimate(
            exam_id=exam.id,
            judge=judge,
            item_id=item.id,
            item_version=item.version,
            estimate=estimates[item.id],
            recorded_by_id=getattr(user, "id", None),
        )
        for item in items
    )
    session.flush()
    return judge


def adopt_recommendation(session, exam: Exam, user=None, *, today: date | None = None) -> Exam:
    """Make the panel's recommended mark the exam's pass mark, with the method "angoff" and today's date.

    Refused once a candidate has started the exam: every attempt is scored on the mark it was taken on,
    and two marks in one window would make results incomparable.
    """
    if session.scalar(sa.select(sa.exists().where(ExamAttempt.exam_id == exam.id))):
        raise ExamRefused(
            _l("Candidates have started this exam; its pass mark can no longer change. Open a new exam.")
        )
    panel = panel_of(session, exam)
    if panel.recommendation is None:
        raise ExamRefused(panel.problem or _l("Record the judges' estimates first."))
    before = {"pass_mark": str(exam.pass_mark), "method": exam.pass_mark_method}
    exam.pass_mark = panel.recommendation.pass_mark
    exam.pass_mark_method = PassMarkMethod.ANGOFF.value
    exam.pass_mark_set_on = today or utcnow().date()
    session.flush()
    audit.record(
        session,
        actor=user,
        action="exam.pass_mark_adopted",
        subject_type="exam",
        subject_id=exam.id,
        before=before,
        after={
            "pass_mark": str(exam.pass_mark),
            "method": exam.pass_mark_method,
            "set_on": exam.pass_mark_set_on.isoformat(),
            "judges": len(panel.estimates),
        },
    )
    return exam
