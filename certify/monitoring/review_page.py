"""The assessor's page on a yearly report: each figure beside the year before's, the flags that accepting
it would raise, the documents, the clarification requests, and the two steps (issue 18)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from flask import render_template
from flask_babel import gettext as _
from flask_login import current_user

from certify import transitions
from certify.extensions import db
from certify.monitoring.report import figure_title
from certify.monitoring.review import figures_of, flags_of, year_before
from certify.questionnaire import services as questionnaire
from certify.questionnaire.display import shown_answer
from certify.questionnaire.subject import subject_of
from certify.review import clarification
from certify.review import forms as review_forms
from certify.review.models import Assignment
from certify.standards.definition import NUMBER_TYPES, Question
from certify.web.i18n import current_language


@dataclass(frozen=True)
class FigureRow:
    question: Question
    shown: str | None
    #: the year before's figure as read, None without a report that year or without the figure
    before: str | None
    #: the change against the year before, in per cent; None when either is missing or it was 0
    change_percent: Decimal | None


def render(assignment: Assignment, status: int = 200, *, clarification_form=None):
    report = assignment.application
    standard = questionnaire.standard_of(report)
    language = current_language()
    answers = questionnaire.load_answers(db.session, report)
    before = year_before(db.session, report)
    before_answers = questionnaire.load_answers(db.session, before) if before is not None else {}
    now, then = figures_of(db.session, report), figures_of(db.session, before) if before is not None else {}
    pages = [
        (
            area,
            [
                FigureRow(
                    question,
                    shown_answer(question, answers.get(question.id), language, _),
                    shown_answer(question, before_answers.get(question.id), language, _),
                    _change(now.get(question.id), then.get(question.id)),
                )
                for question in area.indicators[0].questions
                if question.type in NUMBER_TYPES
            ],
        )
        for area in standard.areas
    ]
    return render_template(
        "monitoring/review.html",
        assignment=assignment,
        report=report,
        subject=subject_of(report, language),
        pages=pages,
        year_before=before,
        flags=[(figure_title(standard, flag.question_id), flag) for flag in flags_of(db.session, report)],
        evidence=questionnaire.evidence_by_target(db.session, report),
        actions=transitions.allowed(db.session, current_user, report),
        clarifications=clarification.all_requests(db.session, report),
        clarification_form=clarification_form or review_forms.clarification_form(standard, language),
        indicator_titles={area.id: area.title.get(language) for area in standard.areas},
    ), status


def _change(now: Decimal | None, then: Decimal | None) -> Decimal | None:
    if now is None or not then:
        return None
    return ((now - then) / then * 100).quantize(Decimal("0.1"))
