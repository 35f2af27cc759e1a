"""The consensus rule: a score for every indicator, and a justification wherever the assessors differ by
DIVERGENCE_STEPS or more or the consensus leaves their scores; held by the service whatever posts it."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from hypothesis import given
from hypothesis import strategies as st

from certify.audit.models import AuditEntry
from certify.questionnaire.services import standard_of
from certify.review import comparison, rubric_scores
from certify.review.comparison import DIVERGENCE_STEPS, Comparison
from certify.review.models import ConsensusScore
from certify.review.rubric_scores import ConsensusProblem, ConsensusRefused, consensus_problems
from tests import factories
from tests.review.consensus_steps import CLOSE, DIVERGENT, scored_apart

MISSING, APART, OUTSIDE = ConsensusProblem.MISSING, ConsensusProblem.DIVERGENT, ConsensusProblem.OUTSIDE


def problem(scores: tuple[int, ...], value: int | None, justification: str = "") -> ConsensusProblem | None:
    row = Comparison("x", dict(enumerate(scores)))
    return consensus_problems([row], {"x": (value, justification)}).get("x")


@pytest.mark.parametrize(
    ("scores", "value", "justification", "expected"),
    [
        ((3, 3), 3, "", None),  # they agree, the lead agrees
        ((3, 3), 4, "", OUTSIDE),  # above both scores
        ((3, 3), 2, "", OUTSIDE),  # below both scores
        ((3, 3), 4, "Выезд подтвердил", None),
        ((3, 4), 3, "", None),  # one step apart: either score stands without a word
        ((3, 4), 4, "", None),
        ((3, 4), 2, "", OUTSIDE),
        ((1, 3), 1, "", APART),  # two steps apart: even the lower score needs its justification
        ((1, 3), 2, "", APART),
        ((1, 3), 3, "", APART),
        ((1, 3), 4, "", APART),
        ((1, 3), 2, "   \n ", APART),  # blank is no justification
        ((1, 3), 2, "Обсудили реестр", None),
        ((0, 4), 0, "Реестр не подтверждён", None),
        ((2, 2, 4), 3, "", APART),  # three assessors: the lowest and highest count
        ((2, 3, 3), 3, "", None),
        ((2, 3, 3), 4, "", OUTSIDE),
        ((3, 3), None, "", MISSING),
        ((3, 3), None, "Согласовано", MISSING),  # a justification is no score
    ],
)
def test_the_justification_rule(scores, value, justification, expected):
    assert problem(scores, value, justification) is expected


def test_an_indicator_left_out_has_no_score():
    rows = [Comparison("a", {1: 3, 2: 3}), Comparison("b", {1: 1, 2: 3})]
    assert consensus_problems(rows, {}) == {"a": MISSING, "b": MISSING}
    assert consensus_problems(rows, {"a": (3, ""), "b": (3, "")}) == {"b": APART}


@given(st.lists(st.integers(0, 4), min_size=1, max_size=3), st.integers(0, 4))
def test_a_justified_consensus_is_never_refused(scores, value):
    assert problem(tuple(scores), value, "Обосновано") is None


@given(st.lists(st.integers(0, 4), min_size=1, max_size=3), st.integers(0, 4))
def test_only_a_divergence_or_a_departure_needs_a_justification(scores, value):
    divergent = max(scores) - min(scores) >= DIVERGENCE_STEPS
    outside = not min(scores) <= value <= max(scores)
    assert (problem(tuple(scores), value) is not None) == (divergent or outside)


@pytest.mark.parametrize(("scores", "agreed"), [((3, 3), 3), ((0, 0, 0), 0), ((3, 4), None), ((1, 3), None)])
def test_only_an_agreed_score_is_chosen_in_advance(scores, agreed):
    assert Comparison("x", dict(enumerate(scores))).agreed == agreed


# The service -----------------------------------------------------------------------------------------


def lower_scores(db, application) -> dict[str, tuple[int, str]]:
    """What the old page recorded in one click: the lower of the two scores everywhere, unjustified."""
    rows = comparison.compare(db, application).rows
    return {row.indicator_id: (min(row.given), "") for row in rows}


def test_the_lower_scores_without_justification_are_refused_by_the_service(db):
    case = scored_apart(db)
    application = case.application
    with pytest.raises(ConsensusRefused) as refused:
        rubric_scores.record_consensus(
            db,
            application,
            case.lead.assessor,
            lower_scores(db, application),
            marks=factories.every_item_accepted(db, application),
        )
    assert refused.value.problems == dict.fromkeys(DIVERGENT, APART)
    assert refused.value.status == 422
    assert application.state == "scored"
    assert db.scalars(sa.select(ConsensusScore)).all() == []


def test_the_check_gives_the_result_and_records_nothing(db):
    case = scored_apart(db)
    application = case.application
    scores = lower_scores(db, application) | {i: (2, "Обсудили реестр") for i in DIVERGENT}
    before = db.scalar(sa.select(sa.func.count()).select_from(AuditEntry))
    marks = factories.every_item_accepted(db, application)
    outcome = rubric_scores.check_consensus(db, application, case.lead.assessor, scores, marks=marks)
    rubric = {i: v for i, (v, _) in scores.items()}
    assert outcome == comparison.assessed_outcome(db, application, rubric, marks)
    assert application.state == "scored"
    assert db.scalar(sa.select(sa.func.count()).select_from(AuditEntry)) == before
    assert db.scalars(sa.select(ConsensusScore)).all() == []


def test_a_justified_consensus_is_recorded_with_its_justifications(db):
    case = scored_apart(db)
    application = case.application
    indicators = [i.id for i in standard_of(application).indicators()]
    scores = {i: (3, "") for i in indicators} | {i: (2, "  Обсудили реестр\n") for i in DIVERGENT}
    scores |= {next(iter(CLOSE)): (4, "")}
    marks = factories.every_item_accepted(db, application)
    outcome = rubric_scores.record_consensus(db, application, case.lead.assessor, scores, marks=marks)
    assert application.state == "consensus"
    recorded = comparison.consensus_of(db, application)
    assert {i: recorded[i].justification for i in DIVERGENT} == dict.fromkeys(DIVERGENT, "Обсудили реестр")
    assert (
        outcome.total
        == comparison.assessed_outcome(db, application, {i: v for i, (v, _) in scores.items()}, marks).total
    )
    entry = db.scalars(sa.select(AuditEntry).where(AuditEntry.action == "review.consensus_recorded")).one()
    assert entry.after["scores"]["str_members"] == {"score": 2, "justification": "Обсудили реестр"}


def test_a_consensus_outside_the_range_of_scores_is_refused_by_the_service(db):
    case = scored_apart(db)
    application = case.application
    scores = lower_scores(db, application) | {i: (2, "Обсудили") for i in DIVERGENT} | {"str_rules": (4, "")}
    with pytest.raises(ConsensusRefused) as refused:
        rubric_scores.record_consensus(
            db, application, case.lead.assessor, scores, marks=factories.every_item_accepted(db, application)
        )
    assert refused.value.problems == {"str_rules": OUTSIDE}
