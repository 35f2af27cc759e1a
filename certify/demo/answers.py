"""Plausible answers to a standard, for demo data, benchmarks and tests: deterministic for a seed.

`strength` (0–1) moves every answer from the weakest option or band towards the strongest, so demo
applications land at different levels.
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from decimal import Decimal

from certify.questionnaire.answers import Stored, typed, visible_questions
from certify.standards.definition import CrossCheckKind, Question, QuestionType, Standard


def plausible_answers(standard: Standard, *, seed: int = 0, strength: float = 0.7) -> dict[str, Stored]:
    """Answers in the stored (form) shape for every question shown, in questionnaire order."""
    chooser = random.Random(seed)
    answers: dict[str, Stored] = {}
    typed_so_far: dict = {}
    same_as = _stated_twice(standard)
    for question in standard.all_questions():
        # files are uploaded, ratios computed: neither is answered; an attestation's number is a real
        # person's, which the demo names where it has one (certify.demo.attestation.attested_heads)
        if question.type in (QuestionType.EVIDENCE, QuestionType.RATIO, QuestionType.ATTESTATION):
            continue
        if question.id not in visible_questions([question], typed_so_far):
            continue
        earlier = same_as.get(question.id)
        value = answers[earlier] if earlier in answers else _answer(question, chooser, strength)
        value = _within_shared_limit(standard, question, value, answers)
        answers[question.id] = value
        typed_so_far[question.id] = typed(question, value)
    stated_twice = set(same_as) | set(same_as.values())
    for ratio in (q for q in standard.all_questions() if q.type == QuestionType.RATIO):
        if ratio.numerator not in stated_twice:  # a fact given twice stays as given; its ratio follows
            _fit_numerator(standard, ratio, answers, chooser, strength)
    return answers


def _fit_numerator(standard: Standard, ratio: Question, answers: dict, chooser, strength: float) -> None:
    """The ratio's numerator set so that the ratio lands where `strength` points, within 100 % for a share.

    Drawn independently, a count of participants with contracts could exceed the participants.
    """
    if ratio.numerator not in answers or ratio.denominator not in answers:
        return
    numerator = next(q for q in standard.all_questions() if q.id == ratio.numerator)
    target = Decimal(_number(ratio, chooser, strength))
    if ratio.per == 100:
        target = min(target, Decimal(100))
    value = target * Decimal(answers[ratio.denominator]) / ratio.per
    if numerator.maximum is not None:
        value = min(value, numerator.maximum)
    if numerator.type == QuestionType.INTEGER:
        answers[numerator.id] = str(int(value.to_integral_value()))
    else:
        answers[numerator.id] = format(value.quantize(Decimal("0.01")).normalize(), "f")


def _stated_twice(standard: Standard) -> dict[str, str]:
    """Question id -> the earlier question stating the same fact (an `equal` cross-check): one answer.

    A plausible organisation gives the same team size twice; demo data with a warning on every
    application would teach nothing.
    """
    return {
        later: check.questions[0]
        for check in standard.cross_checks
        if check.kind == CrossCheckKind.EQUAL
        for later in check.questions[1:]
    }


def _within_shared_limit(standard: Standard, question: Question, value: Stored, answers: dict) -> Stored:
    """The value, lowered so that shares answered so far stay within their `sum_at_most` limit."""
    for check in standard.cross_checks:
        if check.kind != CrossCheckKind.SUM_AT_MOST or question.id not in check.questions:
            continue
        used = sum((Decimal(answers[q]) for q in check.questions if q in answers), Decimal(0))
        value = str(max(Decimal(0), min(Decimal(value), check.limit - used)))
    return value


def _ranked(question: Question) -> list:
    return sorted(question.options, key=lambda option: option.points)


def _pick_index(count: int, chooser: random.Random, strength: float) -> int:
    spread = chooser.uniform(-0.25, 0.25)
    return max(0, min(count - 1, round((strength + spread) * (count - 1))))


def _answer(question: Question, chooser: random.Random, strength: float) -> Stored:
    kind = question.type
    if kind == QuestionType.SINGLE_CHOICE:
        if len({option.points for option in question.options}) == 1:
            # no points to rank by (e.g. the legal form): the first, most usual option is plausible
            return question.options[0].value
        return _ranked(question)[_pick_index(len(question.options), chooser, strength)].value
    if kind == QuestionType.MULTIPLE_CHOICE:
        limit = question.max_choices or len(question.options)
        count = max(1, min(limit, round(strength * len(question.options))))
        return [o.value for o in _ranked(question)[::-1][:count]]
    if kind == QuestionType.YES_NO:
        return "yes" if chooser.random() < strength + 0.15 else "no"
    if kind in (QuestionType.INTEGER, QuestionType.DECIMAL, QuestionType.PERCENTAGE, QuestionType.MONEY):
        return _number(question, chooser, strength)
    if kind == QuestionType.DATE:
        return (date(2026, 1, 1) - timedelta(days=chooser.randint(30, 900))).isoformat()
    if kind == QuestionType.SHORT_TEXT:
        if "url" in question.id or "site" in question.id:
            return "https://cluster.example.org"
        return "Подробности приведены в приложенных документах"
    return (
        "Управляющая компания ведёт эту работу по утверждённому плану; результаты обсуждаются "
        "с участниками кластера на ежеквартальных встречах."
    )


def _number(question: Question, chooser: random.Random, strength: float) -> str:
    """A number inside the question's bounds, in the band `strength` points to."""
    bands = sorted(question.bands, key=lambda band: band.points)
    low = question.minimum if question.minimum is not None else Decimal(0)
    high = question.maximum if question.maximum is not None else low + 1000
    if bands:
        band = bands[_pick_index(len(bands), chooser, strength)]
        low = max(low, band.minimum if band.minimum is not None else low)
        high = min(high, band.maximum - Decimal("0.01") if band.maximum is not None else low + 100)
    value = low + (high - low) * Decimal(str(round(chooser.random(), 2)))
    if question.type == QuestionType.INTEGER:
        return str(int(value.to_integral_value()))
    return format(value.quantize(Decimal("0.01")).normalize(), "f")
