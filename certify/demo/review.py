"""Demo reviews: one application decided after a full review, one waiting for its assessors' confirmation."""

from __future__ import annotations

from certify.questionnaire.models import Application
from certify.questionnaire.services import standard_of
from certify.review import decisions, findings, rubric_scores, staffing
from certify.review.models import Assignment
from certify.transitions import active_assignments

REASONS = (
    "Эксперты подтвердили соответствие требованиям стандарта; решение принято по результатам консенсуса."
)

#: What the assessors wrote per area of the default standard (strengths, areas to improve).
FEEDBACK = {
    "str": (
        "Реестр участников ведётся и актуален; доля МСП высокая.",
        "Привлечь больше исследовательских организаций.",
    ),
    "gov": (
        "Наблюдательный совет с участием представителей бизнеса, регламенты опубликованы.",
        "Закрепить процедуру оценки работы управляющей компании участниками.",
    ),
    "fin": (
        "Членские взносы покрывают заметную часть бюджета.",
        "Снизить зависимость от субсидий, расширить платные услуги.",
    ),
    "stg": (
        "Стратегия с измеримыми показателями, ежегодный отчёт о её выполнении.",
        "Связать план мероприятий с целевыми показателями стратегии.",
    ),
    "srv": (
        "Регулярные отраслевые сессии и совместные проекты участников.",
        "Систематически измерять удовлетворённость участников услугами.",
    ),
    "intl": (
        "Партнёрства с кластерами Балтийского региона.",
        "Участвовать в международных консорциумах по совместным заявкам.",
    ),
    "res": (
        "Результаты совместных проектов документированы.",
        "Публиковать ежегодный отчёт о результатах для внешней аудитории.",
    ),
    "grn": (
        "Проекты по энергоэффективности и обращению с отходами.",
        "Ввести учёт экологического эффекта проектов участников.",
    ),
}

#: The consensus note the lead assessor writes when an indicator is above or below the usual 3.
JUSTIFICATIONS = {
    4: "Подтверждено документами и примерами за последние два года.",
    2: "Практика описана, но подтверждающих документов недостаточно.",
}


def load_demo_reviews(session, coordinator, assessors: list, submitted: list[Application]) -> None:
    """Take the first submitted application through review to a decision; assign the next one."""
    lead, second, third = assessors
    if len(submitted) >= 1 and not active_assignments(session, submitted[0]):
        decide_after_review(session, submitted[0], coordinator, lead, second)
    if len(submitted) >= 2 and not active_assignments(session, submitted[1]):
        staffing.assign_assessors(session, submitted[1], [lead, third], lead, coordinator)


def decide_after_review(
    session, application: Application, coordinator, lead, second, *, seed: int = 0, decided_at=None
):
    """Take a submitted application through a full review to a decision; `seed` varies the scores."""
    level = review_to_consensus(session, application, coordinator, lead, second, seed=seed)
    return decide_as_agreed(session, application, coordinator, level, decided_at=decided_at)


def decide_as_agreed(session, application: Application, coordinator, level: str | None, *, decided_at=None):
    """The coordinator's decision on the level the consensus gave, dated `decided_at` (None: now)."""
    return decisions.decide(
        session,
        application,
        coordinator,
        chosen_level=level,
        reasons=REASONS,
        justification="",
        decided_at=decided_at,
    )


def review_to_consensus(session, application: Application, coordinator, lead, second, *, seed: int = 0):
    """Review a submitted application up to its recorded consensus; the id of the level it gives."""
    staffing.assign_assessors(session, application, [lead, second], lead, coordinator)
    team: list[Assignment] = active_assignments(session, application)
    for assignment in team:
        staffing.confirm_independence(session, assignment, assignment.assessor)
    staffing.start_review(session, application, coordinator)
    indicators = [i.id for i in standard_of(application).indicators()]
    # the demo's assessors find every document relevant and confirm every "not applicable"
    marks = findings.Marks.accepting(findings.items_of(session, application))
    for offset, assignment in enumerate(team):
        scores = {i: (_assessor_score(_score(n, seed), n + offset), "") for n, i in enumerate(indicators)}
        rubric_scores.save_scores(session, assignment, scores=scores, feedback=FEEDBACK, marks=marks)
        rubric_scores.submit_scores(session, assignment, assignment.assessor)
    agreed = {i: _score(n, seed) for n, i in enumerate(indicators)}
    consensus = {i: (value, JUSTIFICATIONS.get(value, "")) for i, value in agreed.items()}
    outcome = rubric_scores.record_consensus(session, application, lead, consensus, marks=marks)
    return outcome.level.id if outcome.level else None


def _assessor_score(agreed: int, position: int) -> int:
    """An assessor's own score: the agreed one, or one step above it on every fifth indicator.

    Never two steps apart, which would call for a third assessor (`review.third_assessor_steps: 2`).
    """
    return min(4, agreed + 1) if position % 5 == 0 else agreed


def _score(index: int, seed: int) -> int:
    """Mostly 3 and 4, with a seed-dependent pattern, so organisations differ area by area."""
    return 4 if (index * 7 + seed * 3) % (3 + seed % 3) == 0 else 3 - ((index + seed) % 7 == 0)
