"""The questionnaire as an XLSX workbook: written with the saved answers, read back after offline work.

Writing: an instruction sheet, then one sheet for eligibility and one per area; every question on its own
row with its id, both labels, type, allowed values and an ANSWER cell (the only one to fill). Reading
returns the non-empty answer cells as the strings a web form posts, plus structural problems (unknown or
repeated ids, formulas, a damaged file). Checking the values themselves is left to the page's own form,
so the web page and the workbook obey exactly the same rules.

Any manager may upload a workbook, so reading it is bounded before and while openpyxl parses it: the
expanded size of the whole and of each part (from the ZIP's directory, before anything is parsed), what
openpyxl decompresses in all (a part listed as a thousand sheets is read a thousand times), the number of
sheets, and rows and columns per sheet. openpyxl's read-only mode streams each sheet; only the shared
strings and styles are held whole, and `MAX_PART` bounds those.
Pure: no Flask, no SQLAlchemy.
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from io import BytesIO
from typing import Any

from openpyxl import Workbook

from certify.questionnaire import filetypes
from certify.questionnaire import workbook_layout as layout
from certify.questionnaire.answers import Stored
from certify.questionnaire.workbook_layout import ANSWER_COLUMN, HEADER_ROW, HEADERS, ID_COLUMN
from certify.standards.definition import Question, QuestionType, Standard
from certify.textmarks import N_
from certify.workbooks import OverBudget, open_bounded

MB = 1024 * 1024
MAX_BYTES = 5 * MB
#: Decompressed, all parts together and each one. The largest real workbook (cmq-1.0, every question
#: answered, every text at its length limit) expands to 0.56 MB, its largest part to 95 KB; evidence files
#: may expand to 200 MB, which let a 2 MB workbook carry 190 MB of shared strings (issue 12).
MAX_EXPANDED = 5 * MB
MAX_PART = 1 * MB
#: What openpyxl may decompress while reading, each opening of a part counted at least
#: `certify.workbooks.OPENING_COST` bytes
#: (an opening costs about 2 ms even for a tiny part): twice `MAX_EXPANDED`, since openpyxl opens every
#: sheet twice (its size, then its rows), which also leaves room for `MAX_SHEETS` sheets.
READ_BUDGET = 2 * MAX_EXPANDED
#: far more sheets than the questionnaire has (instructions, eligibility and one per area)
MAX_SHEETS = 50
#: far more rows than any questionnaire needs; stops a sheet of a million formatted rows early
MAX_ROWS = 5_000


@dataclass(frozen=True)
class Cell:
    """A filled ANSWER cell: where it is (to report the form's errors there) and what the form posts."""

    sheet: str
    #: the cell's reference, like "G7"
    ref: str
    #: a string, or the list of option values of a multiple choice
    raw: str | list[str]
    #: the justification, when the cell answers "not applicable: ..." a question that allows it
    not_applicable: str | None = None


@dataclass(frozen=True)
class CellProblem:
    """A cell that was not read, or the whole file (sheet and ref empty); `template` % `params` says why."""

    sheet: str
    ref: str
    template: str
    params: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class WorkbookRead:
    cells: dict[str, Cell]
    problems: list[CellProblem]


def build_workbook(
    standard: Standard, answers: Mapping[str, Stored], *, title: str, language: str = "ru"
) -> bytes:
    """The questionnaire of `standard` as XLSX bytes, its ANSWER cells filled from `answers`.

    The workbook is bilingual; only "not applicable" before a justification is written in `language`.
    """
    book = Workbook()
    layout.write_instructions(book.active, standard, title)
    groups = [(r.title, r.questions) for r in standard.eligibility]
    if any(questions for _, questions in groups):
        sheet = book.create_sheet(layout.ELIGIBILITY_SHEET)
        layout.write_questions(sheet, layout.ELIGIBILITY_HEADING, groups, answers, language)
    for number, area in enumerate(standard.areas, start=1):
        sheet = book.create_sheet(layout.sheet_name(number, area.title.ru))
        indicators = [(i.title, i.questions) for i in area.indicators]
        layout.write_questions(sheet, area.title, indicators, answers, language)
    book.properties.title = layout.printable(title)
    output = BytesIO()
    book.save(output)
    return output.getvalue()


# --- reading ---------------------------------------------------------------------------------------

NOT_XLSX = N_("The file is not an XLSX workbook.")
NOT_READABLE = N_("The workbook is damaged and cannot be read.")
TOO_LARGE = N_("The workbook is larger than %(limit)s MB.")
TOO_MANY_ROWS = N_("The sheet has more than %(count)s rows; the rest of it was not read.")
TOO_MANY_SHEETS = N_("The workbook has more than %(count)s sheets; it was not read.")
TOO_COMPLEX = N_(
    "The workbook is put together in an unusual way that would take too long to read. "
    "Save it again in Excel or LibreOffice, or download a new one from this site."
)
NO_ID = N_("This answer is in a row without a question id.")
UNKNOWN_ID = N_("“%(id)s” is not a question of this questionnaire.")
EVIDENCE_CELL = N_("Files for this question are uploaded on the website; the cell was not read.")
RATIO_CELL = N_("The website computes this answer from other answers; the cell was not read.")
REPEATED_ID = N_(
    "Question %(id)s is answered more than once (also in %(other)s); none of its answers was read."
)
FORMULA = N_("The cell holds a formula; type the value itself.")
NOT_APPLICABLE_REFUSED = N_("This question cannot be answered “not applicable”; give the answer itself.")
#: "not applicable: <justification>" in either language of `layout.NOT_APPLICABLE_WORDS`
_NOT_APPLICABLE_CELL = re.compile(r"\s*(?:не\s+применимо|not\s+applicable)\s*:(.*)", re.I | re.S)
#: answers in the manager's own words, which may well begin with "not applicable:"
_TEXT_TYPES = {QuestionType.SHORT_TEXT, QuestionType.LONG_TEXT}


def read_workbook(standard: Standard, data: bytes, *, max_bytes: int = MAX_BYTES) -> WorkbookRead:
    """The non-empty answer cells of an uploaded workbook, and every structural problem found in it."""
    refusal = _refusal(data, max_bytes)
    if refusal:
        return WorkbookRead({}, [refusal])
    reader = _SheetReader({q.id: q for q in standard.all_questions()})
    try:
        # openpyxl warns about features it drops (extensions, odd styles); none of them matter here.
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            book = open_bounded(data, READ_BUDGET)
            try:
                if len(book.sheetnames) > MAX_SHEETS:
                    return WorkbookRead({}, [CellProblem("", "", TOO_MANY_SHEETS, {"count": MAX_SHEETS})])
                for sheet in book.worksheets:
                    reader.read(sheet)
            finally:
                book.close()
    except OverBudget:
        return WorkbookRead({}, [CellProblem("", "", TOO_COMPLEX)])
    # A damaged upload can fail deep inside openpyxl or the XML parser with almost any exception;
    # whatever it is, nothing from the file is imported.
    except Exception:
        return WorkbookRead({}, [CellProblem("", "", NOT_READABLE)])
    return reader.result()


def _refusal(data: bytes, max_bytes: int) -> CellProblem | None:
    """The problem that stops the whole file: too large, not an XLSX, or an unsafe archive."""
    if len(data) > max_bytes:
        return CellProblem("", "", TOO_LARGE, {"limit": format(round(max_bytes / MB, 1), "g")})
    stream = BytesIO(data)
    try:
        kind = filetypes.detect_kind(stream, size=len(data))
        if kind == filetypes.FileKind.XLSX:
            filetypes.check_zip(stream, size=len(data), max_total=MAX_EXPANDED, max_member=MAX_PART)
    except filetypes.FileRefused as error:
        return CellProblem("", "", error.message, error.params)
    return None if kind == filetypes.FileKind.XLSX else CellProblem("", "", NOT_XLSX)


class _SheetReader:
    """Collects answer cells over all sheets, remembering where each id was seen to catch repeats."""

    def __init__(self, questions: Mapping[str, Question]):
        self.questions = questions
        self.cells: dict[str, Cell] = {}
        self.problems: list[CellProblem] = []
        self.seen: dict[str, str] = {}
        self.repeated: set[str] = set()

    def read(self, sheet) -> None:
        """Read a sheet laid out like ours (our header in column A); other sheets are ignored."""
        rows = sheet.iter_rows(max_row=HEADER_ROW + MAX_ROWS + 1, max_col=ANSWER_COLUMN)
        for number, row in enumerate(rows, start=1):
            if number == HEADER_ROW and (not row or row[0].value != HEADERS[0]):
                return
            if number > HEADER_ROW + MAX_ROWS:
                self.problems.append(CellProblem(sheet.title, "", TOO_MANY_ROWS, {"count": MAX_ROWS}))
                return
            if number > HEADER_ROW and len(row) >= ANSWER_COLUMN:
                self._read_row(sheet.title, row[ID_COLUMN - 1], row[ANSWER_COLUMN - 1])

    def _read_row(self, sheet: str, id_cell, answer) -> None:
        if _is_blank(answer.value):
            return
        qid, ref = layout.form_string(id_cell.value), answer.coordinate
        question = self.questions.get(qid)
        if not qid:
            self._problem(sheet, ref, NO_ID)
        elif question is None:
            self._problem(sheet, id_cell.coordinate, UNKNOWN_ID, id=qid)
        elif question.type == QuestionType.EVIDENCE:
            self._problem(sheet, ref, EVIDENCE_CELL)
        elif question.type == QuestionType.RATIO:
            self._problem(sheet, ref, RATIO_CELL)
        elif qid in self.seen:
            self._problem(sheet, ref, REPEATED_ID, id=qid, other=self.seen[qid])
            self.repeated.add(qid)
        else:
            self.seen[qid] = f"{sheet}!{ref}"
            if answer.data_type == "f":
                self._problem(sheet, ref, FORMULA)
            else:
                self._read_answer(sheet, ref, question, answer)

    def _read_answer(self, sheet: str, ref: str, question: Question, answer) -> None:
        justification = _not_applicable(question, answer)
        if justification is None:
            self._add_cell(question.id, Cell(sheet, ref, _raw(question, answer)))
        elif question.not_applicable:
            self._add_cell(question.id, Cell(sheet, ref, layout.form_string(answer.value), justification))
        else:
            self._problem(sheet, ref, NOT_APPLICABLE_REFUSED)

    def _add_cell(self, qid: str, cell: Cell) -> None:
        if cell.raw:  # a multiple choice of only separators (", ,") is as empty as a blank cell
            self.cells[qid] = cell

    def _problem(self, sheet: str, ref: str, template: str, **params: Any) -> None:
        self.problems.append(CellProblem(sheet, ref, template, params))

    def result(self) -> WorkbookRead:
        cells = {qid: cell for qid, cell in self.cells.items() if qid not in self.repeated}
        return WorkbookRead(cells, self.problems)


def _not_applicable(question: Question, answer) -> str | None:
    """The justification if the cell says "not applicable: ..."; a text answer is the manager's own words."""
    if question.type in _TEXT_TYPES or not isinstance(answer.value, str):
        return None
    match = _NOT_APPLICABLE_CELL.fullmatch(answer.value)
    return match.group(1).strip() if match else None


def _raw(question: Question, answer) -> str | list[str]:
    """The cell's value as the web form would post it."""
    text = layout.form_string(answer.value)
    if question.type == QuestionType.MULTIPLE_CHOICE:
        return [item.strip() for item in re.split(r"[,;]", text) if item.strip()]
    percent = question.type == QuestionType.PERCENTAGE and answer.number_format.endswith("%")
    if percent and isinstance(answer.value, int | float) and not isinstance(answer.value, bool):
        # "50%" typed in Excel is stored as 0.5, but a percentage answer is on the 0-100 scale.
        return layout.plain_number(Decimal(text) * 100)
    return text


def _is_blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())
