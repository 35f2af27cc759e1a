"""Properties of the engine over random standards (built from the dataclasses) and random answers.

Visibility in these standards hangs only on zero-point "gate" questions, so changing a pointed answer
never shows or hides a question: revealing a question adds to the maximum and may lower a percentage by
design (docs/scoring.md), which is not what "raising points" means here.
"""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from certify.scoring import score
from certify.standards.definition import Question, QuestionType
from tests.scoring.builders import (
    area,
    choice,
    choices,
    equals,
    indicator,
    level,
    number,
    plain,
    standard,
    yes_no,
)

POINTS = st.sampled_from(["0", "0.5", "1", "2", "3", "4"])
WEIGHTS = st.integers(1, 50).map(str)


@st.composite
def pointed_question(draw, question_id: str) -> Question:
    kind = draw(st.sampled_from(["choice", "choices", "yes_no", "number"]))
    if kind == "yes_no":
        return yes_no(question_id, yes=draw(POINTS), no=draw(POINTS))
    if kind == "number":
        edges = sorted(draw(st.sets(st.integers(1, 99), min_size=1, max_size=3)))
        bounds = [None, *map(str, edges), None]
        bands = [(lo, hi, draw(POINTS)) for lo, hi in zip(bounds, bounds[1:], strict=False)]
        return number(question_id, *bands, minimum=Decimal(0))
    points = {f"o{n}": draw(POINTS) for n in range(draw(st.integers(2, 4)))}
    if kind == "choice":
        return choice(question_id, points)
    cap = draw(st.none() | POINTS.map(Decimal))
    return choices(question_id, points, cap=cap, max_choices=draw(st.none() | st.integers(1, 4)))


@st.composite
def random_indicator(draw, indicator_id: str):
    gate = yes_no(f"{indicator_id}g", yes="0", no="0")
    questions = [gate]
    for n in range(draw(st.integers(1, 3))):
        question = draw(pointed_question(f"{indicator_id}q{n}"))
        if draw(st.booleans()):
            question = replace(question, visible_if=equals(gate.id, True))
        questions.append(question)
    questions.append(plain(f"{indicator_id}e", QuestionType.EVIDENCE))
    return indicator(
        indicator_id,
        *questions,
        weight=draw(WEIGHTS),
        evidence_required=draw(st.booleans()),
        cap_without_evidence=Decimal(draw(st.integers(0, 100))),
    )


@st.composite
def random_standard(draw):
    areas = []
    for a in range(draw(st.integers(1, 3))):
        indicators = [draw(random_indicator(f"a{a}i{i}")) for i in range(draw(st.integers(1, 3)))]
        areas.append(area(f"a{a}", *indicators, weight=draw(WEIGHTS)))
    minimums = sorted(draw(st.lists(st.integers(0, 100), min_size=1, max_size=3)))
    rubric_on = {draw(st.sampled_from([i.id for a in areas for i in a.indicators])): draw(st.integers(0, 4))}
    levels = [level(f"l{rank}", rank, str(m), str(m // 2)) for rank, m in enumerate(minimums, 1)]
    levels[-1] = replace(levels[-1], min_rubric=rubric_on)
    return standard(*areas, levels=levels)


def answer_for(question: Question):
    kind = question.type
    if kind == QuestionType.SINGLE_CHOICE:
        return st.sampled_from([o.value for o in question.options])
    if kind == QuestionType.MULTIPLE_CHOICE:
        values = [o.value for o in question.options]
        limit = min(len(values), question.max_choices or len(values))
        return st.lists(st.sampled_from(values), max_size=limit, unique=True).map(tuple)
    if kind == QuestionType.YES_NO:
        return st.booleans()
    if kind == QuestionType.EVIDENCE:
        return st.sampled_from([(), ("file-1",)])
    return st.integers(0, 120)


@st.composite
def scenario(draw):
    subject = draw(random_standard())
    answers = {q.id: draw(st.none() | answer_for(q)) for q in subject.all_questions()}
    rubric = {i.id: draw(st.integers(0, 4)) for i in subject.indicators()}
    return subject, answers, rubric


def scores(outcome) -> list[Decimal | None]:
    return [
        outcome.total,
        *(a.score for a in outcome.areas.values()),
        *(i.score for i in outcome.indicators.values()),
    ]


def rank(outcome) -> int:
    return outcome.level.rank if outcome.level else 0


@settings(max_examples=150, deadline=None)
@given(scenario())
def test_every_score_lies_between_0_and_100(case):
    subject, answers, rubric = case
    result = score(subject, answers, rubric)
    for outcome in (result.self_assessment, result.assessed):
        assert all(0 <= value <= 100 for value in scores(outcome) if value is not None)
        assert all(s.points <= s.max_points for s in outcome.indicators.values())


@settings(max_examples=150, deadline=None)
@given(scenario(), st.data())
def test_raising_an_answers_points_never_lowers_a_score_or_the_level(case, data):
    subject, answers, _ = case
    before = score(subject, answers).self_assessment
    if not before.questions:
        return
    question_id = data.draw(st.sampled_from(sorted(before.questions)))
    question = next(q for q in subject.all_questions() if q.id == question_id)
    after = score(subject, answers | {question_id: data.draw(answer_for(question))}).self_assessment
    if after.questions[question_id] < before.questions[question_id]:
        before, after = after, before
    for low, high in zip(scores(before), scores(after), strict=True):
        assert (low is None) == (high is None)
        assert low is None or low <= high
    assert rank(before) <= rank(after)


def scaled(subject, area_factor: Decimal, indicator_factor: Decimal):
    areas = tuple(
        replace(
            a,
            weight=a.weight * area_factor,
            indicators=tuple(replace(i, weight=i.weight * indicator_factor) for i in a.indicators),
        )
        for a in subject.areas
    )
    return replace(subject, areas=areas)


FACTORS = st.sampled_from(["0.01", "0.5", "3", "7", "1000"]).map(Decimal)


@settings(max_examples=100, deadline=None)
@given(scenario(), FACTORS, FACTORS)
def test_scaling_all_weights_by_a_constant_changes_nothing(case, area_factor, indicator_factor):
    subject, answers, rubric = case
    assert score(scaled(subject, area_factor, indicator_factor), answers, rubric) == score(
        subject, answers, rubric
    )


@settings(max_examples=100, deadline=None)
@given(scenario())
def test_the_same_input_gives_the_same_output(case):
    subject, answers, rubric = case
    first = score(subject, answers, rubric)
    assert score(subject, dict(reversed(answers.items())), dict(reversed(rubric.items()))) == first


@settings(max_examples=100, deadline=None)
@given(scenario(), st.data())
def test_a_standard_with_all_weight_on_one_area_scores_that_area(case, data):
    subject, answers, rubric = case
    chosen = data.draw(st.sampled_from([a.id for a in subject.areas]))
    areas = tuple(a if a.id == chosen else replace(a, weight=Decimal(0)) for a in subject.areas)
    result = score(replace(subject, areas=areas), answers, rubric)
    for outcome in (result.self_assessment, result.assessed):
        assert outcome.total == outcome.areas[chosen].score
