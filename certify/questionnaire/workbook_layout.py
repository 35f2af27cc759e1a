"""How the questionnaire workbook looks: its sheets, wording, styles, and cell values in both directions.

`workbook` owns the public API (building and reading); this module lays out the sheets and holds the
bilingual wording, Russian first as everywhere in the standard. Pure: no Flask, no SQLAlchemy.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping
from datetime import date, datetime, time
from decimal import Decimal, InvalidOperation

from openpyxl.styles import Alignment, Font, PatternFill, Protection
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from certify.questionnaire.answers import Stored, is_empty, not_applicable_justification
from certify.standards.definition import NUMBER_TYPES, Question, QuestionType, Standard, Text

INSTRUCTIONS_SHEET = "Инструкция - Instructions"
ELIGIBILITY_SHEET = "Допуск - Eligibility"
HEADER_ROW = 2
ID_COLUMN, ANSWER_COLUMN = 1, 7
WIDTHS = (28, 60, 60, 20, 50, 14, 40)
#: Excel's serial dates before 1900-03-01 are off by a day (the 1900 leap-year bug), so older dates
#: are written as text.
FIRST_SAFE_DATE = date(1900, 3, 1)
#: significant digits a float carries exactly through Excel and back
SAFE_DIGITS = 15
LIST_FORMULA_LIMIT = 255

WRAP = Alignment(wrap_text=True, vertical="top")
BOLD = Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor="DDE4EE")
ANSWER_FILL = PatternFill("solid", fgColor="FFF6D5")
CLOSED_FILL = PatternFill("solid", fgColor="EEEEEE")
UNLOCKED = Protection(locked=False)
TEXT_FORMAT, DATE_FORMAT = "@", "yyyy-mm-dd"
YES_NO_WORDS = {True: "yes", False: "no"}
NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")

HEADERS = (
    "ID вопроса / Question ID",
    "Вопрос",
    "Question",
    "Тип / Type",
    "Допустимые значения / Allowed values",
    "Обязательный / Required",
    "ОТВЕТ / ANSWER",
)
ELIGIBILITY_HEADING = Text("Требования допуска", "Eligibility requirements")
INSTRUCTIONS = (
    ("Как заполнить анкету офлайн", "How to fill in the questionnaire offline"),
    (
        "Каждый следующий лист — страница анкеты, в том же порядке, что и на сайте.",
        "Each following sheet is a page of the questionnaire, in the same order as on the website.",
    ),
    (
        "Заполняйте только столбец «ОТВЕТ» (G); не меняйте идентификаторы вопросов в столбце A.",
        "Fill in only the ANSWER column (G); do not change the question ids in column A.",
    ),
    (
        "Для вариантов вводите значение из столбца «Допустимые значения» (до знака «—»); "
        "несколько значений — через запятую.",
        "For choices type the value from the Allowed values column (before the '—'); "
        "separate several values with commas.",
    ),
    ("Числа вводите числами, даты — в виде ГГГГ-ММ-ДД.", "Type numbers as numbers and dates as YYYY-MM-DD."),
    (
        "Если вопрос это допускает (см. «Допустимые значения»), можно ответить "
        "«не применимо: <обоснование>».",
        "Where a question allows it (see Allowed values), you may answer “not applicable: <justification>”.",
    ),
    (
        "Формулы не импортируются: вводите сами значения.",
        "Formulas are not imported: type the values themselves.",
    ),
    (
        "Файлы-подтверждения загружаются только на сайте; эти ячейки не читаются.",
        "Evidence files are uploaded on the website only; those cells are not read.",
    ),
    (
        "Загрузите файл на странице заявки. Верные ячейки сохранятся; для каждой ошибки будут показаны "
        "лист, ячейка и причина, остальные ответы не изменятся. Пустая ячейка не стирает ответ с сайта.",
        "Upload the file on the application's page. Valid cells are saved; each error is shown with its "
        "sheet, cell and reason, and nothing else changes. An empty cell does not erase a saved answer.",
    ),
)
TYPE_NAMES = {
    QuestionType.SINGLE_CHOICE: "Один вариант / Single choice",
    QuestionType.MULTIPLE_CHOICE: "Несколько вариантов / Multiple choice",
    QuestionType.YES_NO: "Да или нет / Yes or no",
    QuestionType.INTEGER: "Целое число / Whole number",
    QuestionType.DECIMAL: "Число / Number",
    QuestionType.PERCENTAGE: "Процент / Percentage",
    QuestionType.MONEY: "Сумма / Amount of money",
    QuestionType.DATE: "Дата / Date",
    QuestionType.SHORT_TEXT: "Текст / Text",
    QuestionType.LONG_TEXT: "Длинный текст / Long text",
    QuestionType.EVIDENCE: "Файлы / Files",
    QuestionType.RATIO: "Вычисляется / Computed",
    QuestionType.ATTESTATION: "Номер аттестата / Attestation number",
}
#: questions whose answer cell is closed: files are uploaded on the website, ratios computed by it
CLOSED_TYPES = frozenset({QuestionType.EVIDENCE, QuestionType.RATIO})
#: the words before the justification of a "not applicable" answer, by language; either one is read back
NOT_APPLICABLE_WORDS = {"ru": "не применимо", "en": "not applicable"}


def not_applicable_text(justification: str, language: str) -> str:
    """A "not applicable" answer as its cell says it, in `language` (Russian unless English)."""
    return f"{NOT_APPLICABLE_WORDS.get(language, NOT_APPLICABLE_WORDS['ru'])}: {justification}"


SHEET_NAME_LIMIT = 31
FORBIDDEN_IN_SHEET_NAMES = re.compile(r"[][:*?/\\]")


def sheet_name(number: int, title: str) -> str:
    """A legal sheet name (at most 31 characters, none of []:*?/\\), made unique by the area's number."""
    words = FORBIDDEN_IN_SHEET_NAMES.sub(" ", title).split()
    name = f"{number}. " + " ".join(words).strip("'")
    if len(name) <= SHEET_NAME_LIMIT:
        return name
    cut = name[: SHEET_NAME_LIMIT - 1]
    if cut.count(" ") > 1:  # end on a whole word, keeping at least the number and one word
        cut = cut.rsplit(" ", 1)[0]
    return cut.rstrip(" ,.;-—'") + "…"


def write_instructions(sheet, standard: Standard, title: str) -> None:
    sheet.title = INSTRUCTIONS_SHEET
    _set_text(sheet["A1"], title).font = Font(bold=True, size=14)
    _set_text(sheet["A2"], f"{standard.title.ru} / {standard.title.en}, {standard.version}")
    for row, (ru, en) in enumerate(INSTRUCTIONS, start=4):
        _set_text(sheet.cell(row, 1), ru).alignment = WRAP
        _set_text(sheet.cell(row, 2), en).alignment = WRAP
    sheet.column_dimensions["A"].width = sheet.column_dimensions["B"].width = 80


Groups = Iterable[tuple[Text, tuple[Question, ...]]]


def write_questions(
    sheet, heading: Text, groups: Groups, answers: Mapping[str, Stored], language: str = "ru"
) -> None:
    """A sheet of questions under their group titles (requirements or indicators), answers filled in;
    an answer declared not applicable in the words of `language`."""
    _set_text(sheet["A1"], f"{heading.ru} / {heading.en}").font = Font(bold=True, size=13)
    for column, (header, width) in enumerate(zip(HEADERS, WIDTHS, strict=True), start=1):
        cell = _set_text(sheet.cell(HEADER_ROW, column), header)
        cell.font, cell.fill, cell.alignment = BOLD, HEADER_FILL, WRAP
        sheet.column_dimensions[get_column_letter(column)].width = width
    sheet.freeze_panes = sheet.cell(HEADER_ROW + 1, ID_COLUMN + 1)
    row = HEADER_ROW + 1
    for group_title, questions in groups:
        for column, text in ((2, group_title.ru), (3, group_title.en)):
            _set_text(sheet.cell(row, column), text).font = BOLD
        for offset, question in enumerate(questions, start=1):
            _write_question(sheet, row + offset, question, answers.get(question.id), language)
        row += len(questions) + 1
    # Protection without a password only guards against typing over ids and labels by mistake.
    sheet.protection.sheet = True
    sheet.protection.formatColumns = sheet.protection.formatRows = False


def _write_question(sheet, row: int, question: Question, stored: Stored, language: str) -> None:
    required = "да / yes" if question.required else "нет / no"
    kind, allowed = TYPE_NAMES[question.type], allowed_values(question)
    texts = (question.id, question.label.ru, question.label.en, kind, allowed, required)
    for column, text in enumerate(texts, start=1):
        _set_text(sheet.cell(row, column), text).alignment = WRAP
    answer = sheet.cell(row, ANSWER_COLUMN)
    if question.type in CLOSED_TYPES:
        answer.fill = CLOSED_FILL
        return
    answer.fill, answer.protection, answer.alignment = ANSWER_FILL, UNLOCKED, WRAP
    answer.number_format = _answer_format(question)
    value = None if is_empty(stored) else _excel_value(question, stored, language)
    if isinstance(value, str):
        _set_text(answer, value)
    else:
        answer.value = value
    _add_choice_list(sheet, answer, question)


def _answer_format(question: Question) -> str:
    if question.type in NUMBER_TYPES:
        return "General"
    return DATE_FORMAT if question.type == QuestionType.DATE else TEXT_FORMAT


def _excel_value(question: Question, stored: Stored, language: str) -> str | int | float | date:
    """Numbers and dates as Excel's own types when they come back unchanged; anything else as text."""
    justification = not_applicable_justification(stored)
    if justification is not None:
        return not_applicable_text(justification, language)
    if isinstance(stored, dict):  # not an answer the questionnaire writes: shown as stored
        return str(stored)
    if isinstance(stored, list):
        return ", ".join(stored)
    if question.type in NUMBER_TYPES:
        value = _excel_number(stored)
    elif question.type == QuestionType.DATE:
        value = _excel_date(stored)
    else:
        return stored
    return value if form_string(value) == stored else stored


def _excel_number(text: str) -> str | int | float:
    try:
        number = Decimal(text)
    except InvalidOperation:
        return text
    if not number.is_finite() or len(number.as_tuple().digits) > SAFE_DIGITS:
        return text
    return int(number) if number == number.to_integral_value() else float(number)


def _excel_date(text: str) -> str | date:
    try:
        day = date.fromisoformat(text)
    except ValueError:
        return text
    return day if day >= FIRST_SAFE_DATE else text


def _add_choice_list(sheet, cell, question: Question) -> None:
    """A drop-down list of the allowed values, when Excel can hold it (a list formula has 255 chars)."""
    if question.type == QuestionType.YES_NO:
        values = ["yes", "no"]
    elif question.type == QuestionType.SINGLE_CHOICE:
        values = [option.value for option in question.options]
    else:
        return
    formula = '"' + ",".join(values) + '"'
    if len(formula) > LIST_FORMULA_LIMIT:
        return
    validation = DataValidation(type="list", formula1=formula, allow_blank=True)
    validation.error = "Выберите значение из списка / Choose a value from the list"
    sheet.add_data_validation(validation)
    validation.add(cell)


def _set_text(cell, text: str):
    """Write `text` as a literal string: a leading "=" stays text instead of becoming a formula."""
    cell.value = printable(text)
    if cell.data_type == "f":
        cell.data_type = "s"
        cell.quotePrefix = True
    return cell


def printable(text: str) -> str:
    # XML cannot hold most control characters, lone surrogates or U+FFFE/U+FFFF; writing them would fail.
    return NOT_XML.sub("", text)


def form_string(value: object) -> str:
    """An Excel-typed value as a form posts it: 15.0 -> "15", a date -> "2025-03-01", True -> "yes"."""
    if isinstance(value, bool):
        return YES_NO_WORDS[value]
    if isinstance(value, float) and math.isfinite(value):
        return plain_number(Decimal(repr(value)))
    if isinstance(value, datetime) and value.time() == time():
        return value.date().isoformat()
    if isinstance(value, date | time):
        return value.isoformat()
    return "" if value is None else str(value).strip()


def plain_number(number: Decimal) -> str:
    return format(number.normalize(), "f")


def allowed_values(question: Question) -> str:
    """What the ANSWER cell of `question` accepts, one item per line, and when the question is asked."""
    lines = [_accepted(question)]
    if question.not_applicable:
        ru, en = NOT_APPLICABLE_WORDS["ru"], NOT_APPLICABLE_WORDS["en"]
        lines.append(f"или «{ru}: <обоснование>» / or “{en}: <justification>”")
    if question.visible_if is not None:
        lines.append(f"Только если / Only if: {question.visible_if.source}")
    return "\n".join(lines)


def _accepted(question: Question) -> str:
    kind = question.type
    if kind == QuestionType.SINGLE_CHOICE:
        return _option_lines(question)
    if kind == QuestionType.MULTIPLE_CHOICE:
        return "\n".join([*_multiple_lines(question), _option_lines(question)])
    if kind == QuestionType.YES_NO:
        return "yes / no"
    if kind in NUMBER_TYPES:
        return "\n".join(_number_lines(question))
    if kind == QuestionType.DATE:
        return "ГГГГ-ММ-ДД / YYYY-MM-DD"
    if kind == QuestionType.EVIDENCE:
        return "Загрузите файлы на сайте / Upload files on the website"
    if kind == QuestionType.RATIO:
        return "Сайт вычислит по другим ответам / The website computes it from other answers"
    if kind == QuestionType.ATTESTATION:
        return "Номер аттестата, например CMA-2026-000001 / The attestation's number, e.g. CMA-2026-000001"
    return "Текст / Text"


def _option_lines(question: Question) -> str:
    return "\n".join(f"{o.value} — {o.label.ru} / {o.label.en}" for o in question.options)


def _multiple_lines(question: Question) -> list[str]:
    lines = ["Значения через запятую / Values separated by commas"]
    if question.max_choices:
        lines.append(f"не больше {question.max_choices} / at most {question.max_choices}")
    return lines


def _number_lines(question: Question) -> list[str]:
    low, high = _plain(question.minimum), _plain(question.maximum)
    lines = []
    if low is not None and high is not None:
        lines.append(f"от {low} до {high} / from {low} to {high}")
    elif low is not None:
        lines.append(f"не меньше {low} / at least {low}")
    elif high is not None:
        lines.append(f"не больше {high} / at most {high}")
    if question.unit:
        lines.append(f"{question.unit.ru} / {question.unit.en}")
    return lines or ["Число / Number"]


def _plain(number: Decimal | None) -> str | None:
    return None if number is None else plain_number(number)
