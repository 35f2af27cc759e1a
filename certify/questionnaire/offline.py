"""Offline work: export the questionnaire to XLSX and import it back through the pages' own forms."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _
from werkzeug.datastructures import MultiDict

from certify.questionnaire import forms, services, workbook
from certify.questionnaire.answers import visible_questions
from certify.questionnaire.pages import pages_of
from certify.questionnaire.subject import subject_of
from certify.web.i18n import current_language


@dataclass(frozen=True)
class ImportProblem:
    sheet: str
    cell: str
    reason: str


@dataclass(frozen=True)
class ImportReport:
    imported: int
    problems: list[ImportProblem]


def export_workbook(session, application) -> bytes:
    standard = services.standard_of(application)
    language = current_language()
    title = f"{standard.title.get(language)} — {subject_of(application, language).name}"
    answers = services.load_answers(session, application)
    return workbook.build_workbook(standard, answers, title=title, language=language)


def import_workbook(session, application, data: bytes, user) -> ImportReport:
    """Import every valid cell and report every invalid one; nothing else changes.

    Cells go through the same form as the web page, so the rules (types, bounds, options) are the
    ones the manager sees on screen.
    """
    part = services.ensure_editable(session, application)
    standard = services.standard_of(application)
    read = workbook.read_workbook(standard, data)
    problems = [ImportProblem(p.sheet, p.ref, _(p.template, **p.params)) for p in read.problems]
    stored = services.load_answers(session, application)
    accepted: dict[str, dict] = {}
    for page in pages_of(standard, part):
        cells = {q.id: read.cells[q.id] for q in forms.answerable(page) if q.id in read.cells}
        if cells:
            accepted[page.key] = _valid_answers(page, cells, problems)
    merged = {**stored, **{qid: v for answers in accepted.values() for qid, v in answers.items()}}
    shown = visible_questions(
        standard.all_questions(), services.typed_answers_of(session, application, merged)
    )
    imported = 0
    for page_key, answers in accepted.items():
        for qid in [qid for qid in answers if qid not in shown]:
            cell = read.cells[qid]
            problems.append(
                ImportProblem(cell.sheet, cell.ref, _("This question is not asked with your other answers."))
            )
            del answers[qid]
        if answers:
            version = services.page_version(session, application, page_key).version
            services.save_page(
                session, application, page_key, expected_version=version, posted=answers, user=user
            )
            imported += len(answers)
    return ImportReport(imported, problems)


def _valid_answers(page, cells, problems: list[ImportProblem]) -> dict:
    formdata = MultiDict({"version": "0"})
    for qid, cell in cells.items():
        if cell.not_applicable is not None:
            forms.add_not_applicable(formdata, qid, cell.not_applicable)
            continue
        for item in cell.raw if isinstance(cell.raw, list) else [cell.raw]:
            formdata.add(qid, item)
    form = forms.page_form(page, current_language(), formdata=formdata, meta={"csrf": False})
    form.validate()
    posted = forms.posted_answers(page, form)
    errors = forms.errors_by_question(page, form)
    for qid, cell in cells.items():
        for error in errors.get(qid, []):
            problems.append(ImportProblem(cell.sheet, cell.ref, error))
    return {qid: posted[qid] for qid in cells if qid not in errors}
