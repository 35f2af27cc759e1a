"""The questionnaire's pages: eligibility first, then one page per area; progress and what is missing.

Pure: no Flask, no SQLAlchemy.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from certify.questionnaire.answers import visible_questions
from certify.standards.definition import NOT_APPLICABLE, Question, QuestionType, Standard, Text

ELIGIBILITY_PAGE = "eligibility"
ELIGIBILITY_TITLE = Text(ru="Условия допуска", en="Eligibility")


@dataclass(frozen=True)
class Page:
    key: str
    title: Text
    #: (evidence target id, title, questions) per indicator or eligibility requirement
    sections: tuple[tuple[str, Text, tuple[Question, ...]], ...]

    @property
    def questions(self) -> tuple[Question, ...]:
        return tuple(q for _, _, questions in self.sections for q in questions)


@dataclass(frozen=True)
class PageProgress:
    page: Page
    answered: int
    required: int

    @property
    def complete(self) -> bool:
        return self.answered == self.required


class Part(StrEnum):
    """The parts of an application that are filled and submitted one after the other.

    An organisation's questionnaire is one part. A personal scheme's application is its prerequisites
    alone: the practical part (its areas) opens only once the candidate has been admitted and has passed
    the theory exam (Decree 1204; issue 16), and is filled, checked and submitted then, on its own.
    """

    APPLICATION = "application"
    PRACTICAL = "practical"


def pages_of(standard: Standard, part: Part = Part.APPLICATION) -> tuple[Page, ...]:
    """The pages of one part, filled and submitted together: an organisation's are all in the first."""
    pages = all_pages(standard)
    if not standard.is_person:
        return pages if part == Part.APPLICATION else ()
    return pages[:1] if part == Part.APPLICATION else pages[1:]


def pages_through(standard: Standard, part: Part) -> tuple[Page, ...]:
    """The pages of `part` and of the parts before it: what is read once `part` has opened."""
    return all_pages(standard) if part == Part.PRACTICAL else pages_of(standard)


def all_pages(standard: Standard) -> tuple[Page, ...]:
    """Every page of the standard, a personal scheme's practical ones included; eligibility first, unless
    there is none to check (a yearly report's, certify.monitoring.report)."""
    eligibility = Page(
        ELIGIBILITY_PAGE,
        ELIGIBILITY_TITLE,
        tuple((r.id, r.title, r.questions) for r in standard.eligibility),
    )
    areas = tuple(
        Page(a.id, a.title, tuple((i.id, i.title, i.questions) for i in a.indicators)) for a in standard.areas
    )
    return (eligibility, *areas) if standard.eligibility else areas


def page_by_key(standard: Standard, key: str, part: Part = Part.APPLICATION) -> Page | None:
    """The page `key` among those read once `part` has opened."""
    return next((page for page in pages_through(standard, part) if page.key == key), None)


def page_of_target(standard: Standard, target: str) -> str:
    """The page on which an indicator's or requirement's evidence is attached."""
    for page in all_pages(standard):
        if any(section_id == target for section_id, _, _ in page.sections):
            return page.key
    return ELIGIBILITY_PAGE


def _is_answered(question: Question, answers: Mapping[str, Any]) -> bool:
    return answers.get(question.id) not in (None, "", (), [])


def _asked(page: Page, answers: Mapping[str, Any]) -> list[Question]:
    """The page's required questions shown for these answers; a ratio is computed, so nobody is asked it."""
    shown = visible_questions(page.questions, answers)
    return [q for q in page.questions if q.required and q.id in shown and q.type != QuestionType.RATIO]


def required_open(page: Page, answers: Mapping[str, Any]) -> list[Question]:
    """Required questions shown for these answers that have no answer (evidence: no file)."""
    return [q for q in _asked(page, answers) if not _is_answered(q, answers)]


def progress(
    standard: Standard, answers: Mapping[str, Any], part: Part = Part.APPLICATION
) -> list[PageProgress]:
    """Per page read once `part` has opened: required questions answered / required questions shown
    (typed answers with evidence)."""
    result = []
    for page in pages_through(standard, part):
        required = _asked(page, answers)
        answered = sum(1 for q in required if _is_answered(q, answers))
        result.append(PageProgress(page, answered, len(required)))
    return result


def missing(standard: Standard, answers: Mapping[str, Any], part: Part = Part.APPLICATION):
    """The required answers `part` still lacks before it can be submitted, as (page, question)."""
    return [(page, q) for page in pages_of(standard, part) for q in required_open(page, answers)]


def declared_not_applicable(
    standard: Standard, answers: Mapping[str, Any], part: Part = Part.APPLICATION
) -> list[tuple[Page, Question]]:
    """The shown questions answered "not applicable" (typed answers), page by page."""
    return [
        (page, q)
        for page in pages_through(standard, part)
        for q in page.questions
        if answers.get(q.id) is NOT_APPLICABLE and q.id in visible_questions(page.questions, answers)
    ]


def evidence_targets(standard: Standard, part: Part = Part.APPLICATION) -> dict[str, Text]:
    """Every id files may be attached to while `part` is filled (its requirements or indicators), with
    its title."""
    return {target: title for page in pages_of(standard, part) for target, title, _ in page.sections}


def has_evidence_question(questions: Iterable[Question]) -> bool:
    return any(q.type == QuestionType.EVIDENCE for q in questions)
