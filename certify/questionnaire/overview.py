"""An application at a glance, as one user may see it: the questionnaire summary's every value.

Progress, the answers still missing, the preliminary self-assessment with its gap to each level (a chart
of the areas drawn by certify.insight.charts, and a table saying the same), the review's outcome so far
and the actions on offer, built in one place from the session, the user and the application. The summary
view only renders it, and the actions come from the workflow (`certify.transitions.allowed`), so the page
offers exactly what taking the action would accept.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from flask_babel import format_decimal, gettext
from markupsafe import Markup

from certify.attestation.admission import admission_due, open_return
from certify.certificates.models import Certificate
from certify.certificates.register import latest_of_application
from certify.insight.charts import Mark, MarkedBar, marked_bars
from certify.questionnaire.assessment import (
    AssessmentView,
    CrossCheckWarning,
    cross_check_warnings,
    self_assessment,
)
from certify.questionnaire.display import shown_answer
from certify.questionnaire.models import Application
from certify.questionnaire.pages import (
    Page,
    PageProgress,
    Part,
    declared_not_applicable,
    missing,
    pages_through,
    progress,
)
from certify.questionnaire.services import load_answers, part_of, scoring_day, standard_of, typed_answers_of
from certify.questionnaire.subject import Subject, subject_of
from certify.review.appeals import appeal_of
from certify.review.clarification import all_requests
from certify.review.decisions import decision_of
from certify.review.models import Appeal, ClarificationRequest, Decision
from certify.scoring import score
from certify.standards.definition import Question, Requirement, Standard
from certify.timeutil import as_utc
from certify.transitions import allowed, appeal_period
from certify.web.access import is_applicant, is_staff
from certify.web.i18n import current_language
from certify.workflow import Action, states
from certify.workflow.guards import appeal_deadline


@dataclass(frozen=True)
class Overview:
    """What the summary page shows of `application` to one user."""

    application: Application
    standard: Standard
    #: who applies: an organisation, or a person (an attestation candidate)
    subject: Subject
    #: required questions answered, page by page, in the questionnaire's order
    progress: list[PageProgress]
    #: every required answer the part being filled (or submitted last) still misses, as (page, question),
    #: so the page links to each
    missing: list[tuple[Page, Question]]
    #: the questions declared not applicable, as (page, question, the answer as shown), for the manager to
    #: review before submitting: they leave the self-assessment's maximum, and the assessors confirm them
    not_applicable: list[tuple[Page, Question, str]]
    #: the preliminary score from the answers alone; None for a person, whose answers earn no points
    #: (only the examiners' rubric scores the practical part), and for a yearly report
    assessment: AssessmentView | None
    #: answers that disagree with one another (the standard's cross-checks), to check before submitting
    warnings: list[tuple[CrossCheckWarning, list[tuple[Page, Question]]]]
    #: the workflow's actions offered to this user now; what they type is checked when they take one
    actions: frozenset[Action]
    #: answers may be imported from a filled workbook (the manager, while the answers may still change)
    can_import_workbook: bool
    #: the assessors' questions and the manager's answers, oldest first
    clarifications: list[ClarificationRequest]
    decision: Decision | None
    #: level id -> its name in the user's language, to name the decision's level
    level_names: dict[str, str]
    appeal: Appeal | None
    #: the last day of the appeal period (shown while the appeal is offered)
    appeal_until: date | None
    #: the latest certificate and the assessment report belong to the holder and the certification body,
    #: not to the assessors who may also see the application
    certificate: Certificate | None
    can_download_report: bool
    #: the answers as a workbook, to fill offline: an organisation's questionnaire (a person's
    #: prerequisites are a single page)
    offers_workbook: bool = True
    #: a person's prerequisites, each with whether the answers meet its rule
    prerequisites: list[tuple[Requirement, bool]] | None = None
    #: a person's application returned for completion: (requirement, what to complete), until submitted
    returned: list[tuple[Requirement, str]] | None = None
    #: the last day of a person's admission check, while it waits for it
    admission_due: date | None = None
    #: the self-assessment against each level: the total, and each area (None for a person)
    total_gaps: ScoreGaps | None = None
    area_gaps: list[ScoreGaps] = field(default_factory=list)
    #: the areas' scores with each level's minimum marked (SVG); the table of `area_gaps` says the same
    gaps_chart: Markup | None = None


@dataclass(frozen=True)
class LevelGap:
    """How far a score is from what one level asks of it."""

    level: str
    #: the level's minimum here; None where it sets none (no area minimum, or the area exempt)
    minimum: Decimal | None
    #: the points missing; 0 once reached, None without a minimum or a score
    short_by: Decimal | None
    #: the gap in words, in the reader's language ("reached", "12.5 short", "no minimum")
    text: str


@dataclass(frozen=True)
class ScoreGaps:
    """A score of the self-assessment (the total, or an area's) and its gap to each level."""

    title: str
    score: Decimal | None
    gaps: list[LevelGap]


def overview_of(session, user, application: Application) -> Overview:
    """The overview of `application` for `user`, who may see it (the caller checked that)."""
    standard = standard_of(application)
    stored = load_answers(session, application)
    typed = typed_answers_of(session, application, stored)
    applicant = is_applicant(user, application)
    holder_or_staff = applicant or is_staff(user)
    language = current_language()
    decision = decision_of(session, application)
    person = application.is_person
    part = part_of(session, application)
    assessment = (
        self_assessment(standard, typed, scoring_day(application)) if application.is_self_assessed else None
    )
    total_gaps, area_gaps = score_gaps(standard, assessment, language) if assessment else (None, [])
    return Overview(
        application=application,
        standard=standard,
        subject=subject_of(application, language),
        progress=progress(standard, typed, part),
        missing=missing(standard, typed, part),
        not_applicable=[
            (page, q, shown_answer(q, stored[q.id], language, gettext))
            for page, q in declared_not_applicable(standard, typed, part)
        ],
        assessment=assessment,
        warnings=_located(standard, part, cross_check_warnings(standard, typed)),
        actions=allowed(session, user, application),
        can_import_workbook=applicant and application.state in states.EDITABLE and not person,
        clarifications=all_requests(session, application),
        decision=decision,
        level_names={level.id: level.name.get(language) for level in standard.levels},
        appeal=appeal_of(session, application),
        appeal_until=(
            appeal_deadline(as_utc(decision.decided_at).date(), appeal_period(standard)) if decision else None
        ),
        certificate=latest_of_application(session, application.id) if holder_or_staff else None,
        can_download_report=holder_or_staff,
        offers_workbook=not person,
        total_gaps=total_gaps,
        area_gaps=area_gaps,
        gaps_chart=gaps_chart(area_gaps) if area_gaps else None,
        **(_person_view(session, application, standard, typed) if person else {}),
    )


def _gap(level: str, minimum: Decimal | None, score: Decimal | None) -> LevelGap:
    short_by = None if minimum is None or score is None else max(minimum - score, Decimal(0))
    return LevelGap(level, minimum, short_by, _gap_text(minimum, short_by))


def score_gaps(
    standard: Standard, assessment: AssessmentView, language: str
) -> tuple[ScoreGaps, list[ScoreGaps]]:
    """The total against each level's `min_total`, then each area against its `min_area`, the levels
    from the lowest. The level reached also needs its critical indicators: the reasons say which."""
    levels = sorted(standard.levels, key=lambda level: level.rank)
    total = ScoreGaps(
        gettext("Total"),
        assessment.total,
        [_gap(level.name.get(language), level.min_total, assessment.total) for level in levels],
    )
    rows = []
    for area, (title, area_score) in zip(standard.areas, assessment.areas, strict=True):
        minima = [
            None if level.min_area == 0 or area.id in level.min_area_exempt else level.min_area
            for level in levels
        ]
        named = zip(levels, minima, strict=True)
        rows.append(
            ScoreGaps(title, area_score, [_gap(lv.name.get(language), low, area_score) for lv, low in named])
        )
    return total, rows


def _gap_text(minimum: Decimal | None, short_by: Decimal | None) -> str:
    """A level's gap as the table and a screen reader say it: reached, or the points short."""
    if minimum is None:
        return gettext("no minimum")
    if short_by is None:
        return gettext("needs %(minimum)s", minimum=format_decimal(minimum))
    if short_by == 0:
        return gettext("reached")
    return gettext("%(points)s short", points=format_decimal(short_by))


def _spoken(area: ScoreGaps) -> str:
    shown = "—" if area.score is None else format_decimal(area.score)
    gaps = "; ".join(f"{gap.level}: {gap.text}" for gap in area.gaps)
    return f"{area.title}: {shown} ({gaps})"


def gaps_chart(areas: list[ScoreGaps]) -> Markup:
    """The areas' bars, each level's area minimum marked across them (certify.insight.charts)."""
    rows = [
        MarkedBar(
            label=area.title,
            value=None if area.score is None else float(area.score),
            shown="—" if area.score is None else format_decimal(area.score),
            marks=tuple(Mark(g.level, float(g.minimum)) for g in area.gaps if g.minimum is not None),
            spoken=_spoken(area),
        )
        for area in areas
    ]
    # the chart's text is escaped by `marked_bars`
    return Markup(marked_bars(gettext("Self-assessment by area, against each level"), rows))  # noqa: S704


def _person_view(session, application: Application, standard: Standard, typed) -> dict:
    """What a person's summary adds: the prerequisites met, the reasons of a return, the admission's day."""
    met = score(standard, typed).self_assessment.eligibility
    returned = open_return(session, application)
    reasons = returned.reasons if returned is not None else {}
    return {
        "prerequisites": [(r, met[r.id]) for r in standard.eligibility],
        "returned": [(r, reasons[r.id]) for r in standard.eligibility if r.id in reasons],
        "admission_due": admission_due(application),
    }


def _located(standard, part: Part, warnings: list[CrossCheckWarning]):
    """Each warning with the page and question of every answer that took part, for links."""
    where = {q.id: (page, q) for page in pages_through(standard, part) for q in page.questions}
    return [(warning, [where[qid] for qid in warning.question_ids]) for warning in warnings]
