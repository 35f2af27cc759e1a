"""Scoring speed: 10,000 self-assessments of varied answers on cmq-1.0, against a 200 µs target (issue 19).

The answers are generated before the clock starts (a fixed seed, so runs compare); the plan is built
during a first, untimed pass that counts the levels, as in a worker that has already scored once. The
same answers are then scored with a random rubric, for information. The last line is the `BENCH` line,
for the self-assessment: the path every submitted questionnaire takes.
Usage: .venv/bin/python bench/scoring.py
"""

from __future__ import annotations

import random
import sys
import time
from collections import Counter
from collections.abc import Callable
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from certify.scoring import score  # noqa: E402
from certify.standards.definition import NUMBER_TYPES, Question, QuestionType  # noqa: E402
from certify.standards.format import LIBRARY, load_standard_file  # noqa: E402

SUBMISSIONS = 10_000
TARGET_US = 200


def random_answer(question: Question, rng: random.Random) -> Any:
    """A valid answer to `question`, or None (unanswered) one time in ten."""
    if rng.random() < 0.1:
        return None
    kind = question.type
    if kind == QuestionType.SINGLE_CHOICE:
        return rng.choice(question.options).value
    if kind == QuestionType.MULTIPLE_CHOICE:
        count = rng.randint(0, min(len(question.options), question.max_choices or len(question.options)))
        return tuple(option.value for option in rng.sample(question.options, count))
    if kind == QuestionType.YES_NO:
        return rng.random() < 0.5
    if kind in NUMBER_TYPES:
        return random_number(question, rng)
    if kind == QuestionType.DATE:
        return date(2020, 1, 1) + timedelta(days=rng.randint(0, 2000))
    if kind == QuestionType.EVIDENCE:
        return tuple(str(rng.randint(1, 999)) for _ in range(rng.randint(0, 2)))
    return "Some text"


def random_number(question: Question, rng: random.Random) -> int | Decimal:
    low = int(question.minimum) if question.minimum is not None else 0
    high = int(question.maximum) if question.maximum is not None else 1000
    value = rng.randint(low, high)
    return value if question.type == QuestionType.INTEGER else Decimal(value)


def microseconds_each(run: Callable[[Any], Any], items: list) -> float:
    started = time.perf_counter()
    for item in items:
        run(item)
    return (time.perf_counter() - started) / len(items) * 1e6


def main() -> None:
    standard = load_standard_file(LIBRARY / "cmq-1.0.yaml")
    rng = random.Random(20240601)
    questions = standard.all_questions()
    submissions = [{q.id: random_answer(q, rng) for q in questions} for _ in range(SUBMISSIONS)]
    rubrics = [{i.id: rng.randint(0, 4) for i in standard.indicators()} for _ in range(SUBMISSIONS)]
    levels = Counter(getattr(score(standard, a).self_assessment.level, "id", "none") for a in submissions)
    self_assessed = microseconds_each(lambda answers: score(standard, answers), submissions)
    assessed = microseconds_each(
        lambda pair: score(standard, *pair), list(zip(submissions, rubrics, strict=True))
    )
    print(f"standard {standard.code} {standard.version}: {len(standard.indicators())} indicators, ", end="")
    print(f"{len(questions)} questions; {SUBMISSIONS} submissions, levels {dict(sorted(levels.items()))}")
    print(
        f"self-assessment: {self_assessed:.1f} µs per submission, {self_assessed / TARGET_US:.3f} of target"
    )
    print(f"with a rubric (both outcomes): {assessed:.1f} µs, {assessed / TARGET_US:.3f} of target")
    print(f"BENCH scoring us_per_submission={self_assessed:.1f} target_us={TARGET_US}")


if __name__ == "__main__":
    main()
