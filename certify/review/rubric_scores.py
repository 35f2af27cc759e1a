"""Writing assessors' scores and marks: drafts, blind submission, the lead's consensus, a third assessor.

Scores and marks (certify.review.findings: each file relevant or not, each "not applicable" confirmed or
not) go together: both are needed to submit, and the consensus sets both.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from enum import StrEnum

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from certify.questionnaire.models import Application
from certify.questionnaire.services import standard_of
from certify.review import findings, notifications
from certify.review.comparison import (
    DIVERGENCE_STEPS,
    Comparison,
    assessed_outcome,
    compare,
    feedback_of,
    scores_of,
)
from certify.review.errors import ReviewError
from certify.review.findings import Marks, Unmarked
from certify.review.models import AreaFeedback, Assignment, ConsensusScore, RubricScore
from certify.scoring import Outcome
from certify.timeutil import utcnow
from certify.transitions import record, take, under_appeal
from certify.workflow import Action, State


def _with_unmarked(message, unmarked: Unmarked) -> str:
    """`message` (None: nothing else is wrong), then what the items still without a mark need."""
    sentences = [message] if message else []
    if unmarked:
        sentences.append(
            _l(
                "Mark each file as relevant or not and confirm or refuse each “not applicable” answer:"
                " %(n)d not marked yet.",
                n=unmarked.count,
            )
        )
    return " ".join(str(sentence) for sentence in sentences)


class ScoresMissing(ReviewError):
    """A submission with indicators still unscored or items unmarked; `missing` names the indicators, in
    the standard's order, and `unmarked` the files and answers."""

    def __init__(self, missing: list[str], unmarked: Unmarked = Unmarked()):
        super().__init__(
            _with_unmarked(
                _l("%(n)d indicators have no score yet.", n=len(missing)) if missing else None, unmarked
            ),
            422,
        )
        self.missing = tuple(missing)
        self.unmarked = unmarked


def save_scores(
    session,
    assignment: Assignment,
    *,
    scores: Mapping[str, tuple[int | None, str]],
    feedback: Mapping[str, tuple[str, str]],
    marks: Marks = Marks(),
) -> None:
    """Keep the assessor's draft: scores 0–4 (or none yet) with comments, per-area feedback, and the marks
    given now (the others stay as they were).

    The assignment's row is locked (and read afresh) first: a draft autosaved while the same assessor
    submits waits for the submission, then finds the scores submitted and is refused.
    """
    session.scalar(
        sa.select(Assignment)
        .where(Assignment.id == assignment.id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    take(session, assignment.application, Action.SAVE_SCORES, assignment.assessor)
    standard = standard_of(assignment.application)
    known_indicators = {i.id for i in standard.indicators()}
    known_areas = {a.id for a in standard.areas}
    if set(scores) - known_indicators or set(feedback) - known_areas:
        raise ReviewError(_l("The scores name indicators or areas that this standard does not have."), 400)
    if any(value is not None and value not in range(5) for value, _ in scores.values()):
        raise ReviewError(_l("A rubric score is a whole number from 0 to 4."), 422)
    existing = scores_of(session, assignment)
    for indicator_id, (value, comment) in scores.items():
        row = existing.get(indicator_id) or RubricScore(
            assignment_id=assignment.id, indicator_id=indicator_id
        )
        row.score, row.comment = value, comment.strip()
        session.add(row)
    existing_feedback = feedback_of(session, assignment)
    for area_id, (strengths, improvements) in feedback.items():
        row = existing_feedback.get(area_id) or AreaFeedback(assignment_id=assignment.id, area_id=area_id)
        row.strengths, row.improvements = strengths.strip(), improvements.strip()
        session.add(row)
    if marks.files or marks.not_applicable:
        findings.save_marks(session, assignment, marks)
    session.flush()


def submit_scores(session, assignment: Assignment, assessor) -> None:
    """Submit every indicator's score and every mark; the last assessor to submit moves the application to
    'scored'.

    The application row is locked first, so two assessors submitting at once are counted one after
    the other and the last one is never mistaken for an earlier one.
    """
    application = session.scalar(
        sa.select(Application).where(Application.id == assignment.application_id).with_for_update()
    )
    standard = standard_of(application)
    given = scores_of(session, assignment)
    missing = [i.id for i in standard.indicators() if given.get(i.id) is None or given[i.id].score is None]
    marks = findings.marks_of(session, assignment)
    unmarked = marks.unmarked(findings.items_of(session, application))
    if missing or unmarked:
        raise ScoresMissing(missing, unmarked)
    application.state = take(session, application, Action.SUBMIT_SCORES, assessor).value
    assignment.scores_submitted_at = utcnow()
    session.flush()
    submitted = {i: {"score": row.score, "comment": row.comment} for i, row in given.items()}
    record(
        session,
        assessor,
        "review.scores_submitted",
        application,
        after={"state": application.state, "scores": submitted, "marks": marks.as_record()},
    )
    if application.state == State.SCORED:  # the last assessor: the lead and coordinators compare now
        notifications.scores_complete(session, application)


class ConsensusProblem(StrEnum):
    """Why one indicator's consensus cannot be recorded as it stands."""

    #: no consensus score is chosen
    MISSING = "missing"
    #: the assessors' scores are DIVERGENCE_STEPS or more apart, and nothing says how they were settled
    DIVERGENT = "divergent"
    #: the consensus lies outside the assessors' scores, and nothing says why
    OUTSIDE = "outside"


PROBLEM_MESSAGES = {
    ConsensusProblem.MISSING: _l("Choose the consensus score."),
    ConsensusProblem.DIVERGENT: _l(
        "The assessors' scores differ by %(n)d or more: justify the consensus.", n=DIVERGENCE_STEPS
    ),
    ConsensusProblem.OUTSIDE: _l("The consensus lies outside the assessors' scores: justify it."),
}


class ConsensusRefused(ReviewError):
    """The consensus is refused indicator by indicator: `problems` maps each one to what it lacks;
    `unmarked` names the files and answers still without a final mark."""

    def __init__(self, problems: Mapping[str, ConsensusProblem], unmarked: Unmarked = Unmarked()):
        super().__init__(
            _with_unmarked(
                _l(
                    "The consensus is not recorded: indicators without a score or a justification: %(n)d.",
                    n=len(problems),
                )
                if problems
                else None,
                unmarked,
            ),
            422,
        )
        self.problems = dict(problems)
        self.unmarked = unmarked


def consensus_problems(
    rows: Iterable[Comparison], consensus: Mapping[str, tuple[int | None, str]]
) -> dict[str, ConsensusProblem]:
    """What stops each indicator's consensus from being recorded; empty when nothing does.

    Every indicator needs a score. Where the assessors' scores differ by DIVERGENCE_STEPS or more, or
    the consensus leaves the range of their scores, the lead says in a justification how it was reached:
    the decision rests on it, and a blank one is how "the lower score everywhere" slipped through.
    """
    problems = {}
    for row in rows:
        value, justification = consensus.get(row.indicator_id, (None, ""))
        given = row.given
        if value is None:
            problems[row.indicator_id] = ConsensusProblem.MISSING
        elif justification.strip():
            continue
        elif row.divergent:
            problems[row.indicator_id] = ConsensusProblem.DIVERGENT
        elif given and not given[0] <= value <= given[-1]:
            problems[row.indicator_id] = ConsensusProblem.OUTSIDE
    return problems


def check_consensus(
    session, application: Application, lead, scores: Mapping[str, tuple[int | None, str]], *, marks: Marks
) -> Outcome:
    """The assessed result the consensus would give, or the reason it may not be recorded; changes nothing.

    The confirmation step shows this result; `record_consensus` checks the same things again.
    """
    return _checked(session, application, lead, scores, marks)[1]


def _checked(session, application: Application, lead, scores, marks: Marks) -> tuple[State, Outcome]:
    state = take(session, application, Action.RECORD_CONSENSUS, lead)
    if set(scores) - {i.id for i in standard_of(application).indicators()}:
        raise ReviewError(_l("The scores name indicators or areas that this standard does not have."), 400)
    if any(value is not None and value not in range(5) for value, _ in scores.values()):
        raise ReviewError(_l("Every indicator needs a consensus score from 0 to 4."), 422)
    items = findings.items_of(session, application)
    findings.check_marks(items, marks)
    compared = compare(session, application, for_appeal=under_appeal(application))
    problems = consensus_problems(compared.rows, scores)
    unmarked = marks.unmarked(items)
    if problems or unmarked:
        raise ConsensusRefused(problems, unmarked)
    return state, assessed_outcome(session, application, {i: v for i, (v, _) in scores.items()}, marks)


def record_consensus(
    session, application: Application, lead, scores: Mapping[str, tuple[int | None, str]], *, marks: Marks
) -> Outcome:
    """Store the lead's consensus scores and final marks, move the application to 'consensus', return the
    assessed result.

    Refused (`ConsensusRefused`) while an indicator lacks a score or a justification it needs, or an item
    its final mark. Under appeal it is the appeal panel's consensus, kept apart from the review's; the
    application stays under appeal until the appeal is decided.
    """
    for_appeal = under_appeal(application)
    spread = compare(session, application, for_appeal=for_appeal).spread
    state, outcome = _checked(session, application, lead, scores, marks)
    application.state = state.value
    session.execute(
        sa.delete(ConsensusScore).where(
            ConsensusScore.application_id == application.id, ConsensusScore.for_appeal.is_(for_appeal)
        )
    )
    session.add_all(
        ConsensusScore(
            application_id=application.id,
            for_appeal=for_appeal,
            indicator_id=i,
            score=v,
            justification=j.strip(),
            recorded_by_id=lead.id,
        )
        for i, (v, j) in scores.items()
    )
    findings.record_consensus_marks(session, application, lead, marks, for_appeal=for_appeal)
    session.flush()
    record(
        session,
        lead,
        "review.appeal_consensus_recorded" if for_appeal else "review.consensus_recorded",
        application,
        before={"spread": spread},
        after={
            "scores": {i: {"score": v, "justification": j.strip()} for i, (v, j) in scores.items()},
            "marks": marks.as_record(),
            "total": outcome.total,
            "level": outcome.level.id if outcome.level else None,
        },
    )
    notifications.consensus_recorded(session, application)
    return outcome


def add_third_assessor(session, application: Application, coordinator) -> None:
    """Reopen the review for a third assessor when the assessors' totals are 30 or more points apart."""
    spread = compare(session, application).spread
    before = application.state
    application.state = take(session, application, Action.ADD_THIRD_ASSESSOR, coordinator).value
    session.flush()
    record(
        session,
        coordinator,
        "review.third_assessor_requested",
        application,
        before={"state": before, "spread": spread},
        after={"state": application.state},
    )
