"""The questionnaire's pages: eligibility first, then one page per area; progress and what is missing.

Pure: no Flask, no SQLAlchemy.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
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


def pages_of(standard: Standard) -> tuple[Page, ...]:
    """The pages the applicant fills and submits: eligibility first, then one page per area.

    A personal scheme's application is its prerequisites alone: the practical part (its areas) opens
    only once the candidate has been admitted and has passed the theory exam (Decree 1204; issue 16), so
    its pages are neither filled, required nor frozen with the application the coordinator admits.
    """
    pages = all_pages(standard)
    return pages[:1] if standard.is_person else pages


def all_pages(standard: Standard) -> tuple[Page, ...]:
    """Every page of the standard, a personal scheme's practical ones included."""
    eligibility = Page(
        ELIGIBILITY_PAGE,
        ELIGIBILITY_TITLE,
        tuple((r.id, r.title, r.questions) for r in standard.eligibility),
    )
    areas = tuple(
        Page(a.id, a.title, tuple((i.id, i.title, i.questions) for i in a.indicators)) for a in standard.areas
    )
    return (eligibility, *areas)


def page_by_key(standard: Standard, key: str) -> Page | None:
    return next((page for page in pages_of(standard) if page.key == key), None)


def page_of_target(standard: Standard, target: str) -> str:
    """The page on which an indicator's or requirement's evidence is attached."""
    for page in pages_of(standard):
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


def progress(standard: Standard, answers: Mapping[str, Any]) -> list[PageProgress]:
    """Per page: required questions answered / required questions shown (typed answers with evidence)."""
    result = []
    for page in pages_of(standard):
        required = _asked(page, answers)
        answered = sum(1 for q in required if _is_answered(q, answers))
        result.append(PageProgress(page, answered, len(required)))
    return result


def missing(standard: Standard, answers: Mapping[str, Any]) -> list[tuple[Page, Question]]:
    return [(page, q) for page in pages_of(standard) for q in required_open(page, answers)]


def declared_not_applicable(standard: Standard, answers: Mapping[str, Any]) -> list[tuple[Page, Question]]:
    """The shown questions answered "not applicable" (typed answers), page by page."""
    return [
        (page, q)
        for page in pages_of(standard)
        for q in page.questions
        if answers.get(q.id) is NOT_APPLICABLE and q.id in visible_questions(page.questions, answers)
    ]


def evidence_targets(standard: Standard) -> dict[str, Text]:
    """Every id files may be attached to now (requirements and indicators of `pages_of`), with its title."""
    return {target: title for page in pages_of(standard) for target, title, _ in page.sections}


def has_evidence_question(questions: Iterable[Question]) -> bool:
    return any(q.type == QuestionType.EVIDENCE for q in questions)
