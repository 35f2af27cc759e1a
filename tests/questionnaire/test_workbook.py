"""The offline workbook: built from the standard, filled in Excel's own types, read back cell by cell."""

from __future__ import annotations

import io
import zipfile
from datetime import date, datetime, time
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from certify.questionnaire.answers import is_empty
from certify.questionnaire.workbook import (
    EVIDENCE_CELL,
    FORMULA,
    NO_ID,
    NOT_READABLE,
    NOT_XLSX,
    REPEATED_ID,
    TOO_LARGE,
    UNKNOWN_ID,
    Cell,
    build_workbook,
    read_workbook,
)
from certify.questionnaire.workbook_layout import INSTRUCTIONS_SHEET, form_string
from certify.standards.definition import (
    Area,
    Indicator,
    Option,
    Question,
    QuestionType,
    Requirement,
    Standard,
    Text,
)
from certify.standards.format import LIBRARY, load_standard_file

T = QuestionType


def text(value: str) -> Text:
    return Text(f"{value} (рус.)", value)


def question(qid: str, kind: QuestionType, **extra) -> Question:
    return Question(id=qid, type=kind, label=text(qid), **extra)


OPTIONS = tuple(Option(value, text(value)) for value in ("low", "mid", "high", "1"))
SMALL = Standard(
    code="small",
    version="1.0",
    title=text("Small standard"),
    description=text("For tests"),
    validity_months=24,
    eligibility=(
        Requirement(
            "elig",
            text("Eligibility"),
            rule=None,
            evidence=text("Charter"),
            questions=(question("e_ok", T.YES_NO),),
        ),
    ),
    levels=(),
    areas=tuple(
        Area(
            area_id,
            Text("Область: очень длинное название [с] символами / и *звёздами*?", area_id),
            Decimal(1),
            indicators=(
                Indicator(
                    f"{area_id}_i",
                    text("Indicator"),
                    Decimal(1),
                    text("Guidance"),
                    tuple(text(f"score {n}") for n in range(5)),
                    text("Evidence"),
                    questions=tuple(
                        question(f"{area_id}_{kind.value}", kind, options=OPTIONS) for kind in kinds
                    ),
                ),
            ),
        )
        for area_id, kinds in (
            ("a", (T.SINGLE_CHOICE, T.MULTIPLE_CHOICE, T.INTEGER, T.DECIMAL, T.EVIDENCE)),
            ("b", (T.PERCENTAGE, T.MONEY, T.DATE, T.SHORT_TEXT, T.LONG_TEXT)),
        )
    ),
)


def cmq() -> Standard:
    return load_standard_file(LIBRARY / "cmq-1.0.yaml")


def numbers() -> st.SearchStrategy[str]:
    decimals = st.decimals(min_value=-(10**12), max_value=10**12, places=4)
    return st.integers(-(10**15), 10**15).map(str) | decimals.map(lambda d: format(d.normalize(), "f"))


def texts() -> st.SearchStrategy[str]:
    characters = st.characters(blacklist_categories=("Cs",))
    return st.text(characters, max_size=60).map(
        lambda s: "".join(c for c in s if c.isprintable() or c in "\r\n")
    )


def answer_for(item: Question) -> st.SearchStrategy:
    values = [option.value for option in item.options]
    strategies = {
        T.SINGLE_CHOICE: st.sampled_from(values),
        T.MULTIPLE_CHOICE: st.lists(st.sampled_from(values), unique=True),
        T.YES_NO: st.sampled_from(["yes", "no"]),
        T.DATE: st.dates().map(date.isoformat),
        T.SHORT_TEXT: texts() | st.just("=SUM(A1:A3)"),
        T.LONG_TEXT: texts(),
    }
    return st.none() | strategies.get(item.type, numbers())


@st.composite
def small_answers(draw) -> dict:
    return {q.id: draw(answer_for(q)) for q in SMALL.all_questions() if q.type != T.EVIDENCE}


def stored_shape(answers: dict) -> dict:
    """What the app stores: stripped strings, nothing empty."""
    cleaned = {qid: v.strip() if isinstance(v, str) else v for qid, v in answers.items()}
    return {qid: v for qid, v in cleaned.items() if not is_empty(v)}


def raws(read) -> dict:
    return {qid: cell.raw for qid, cell in read.cells.items()}


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(small_answers())
def test_round_trip_returns_exactly_the_answers(answers):
    answers = stored_shape(answers)

    read = read_workbook(SMALL, build_workbook(SMALL, answers, title="Тест"))

    assert read.problems == []
    assert raws(read) == answers


def cmq_answers(standard: Standard) -> dict:
    samples = {
        T.YES_NO: "no",
        T.INTEGER: "15",
        T.DECIMAL: "0.5",
        T.PERCENTAGE: "37.5",
        T.MONEY: "1250000",
        T.DATE: "2025-03-01",
        T.SHORT_TEXT: "https://кластер.рф",
        T.LONG_TEXT: "Первая строка\r\nвторая; с запятой, и «кавычками»",
    }
    answers = {}
    for item in standard.all_questions()[::2]:
        if item.type in (T.SINGLE_CHOICE, T.MULTIPLE_CHOICE):
            answers[item.id] = item.options[-1].value
            if item.type == T.MULTIPLE_CHOICE:
                answers[item.id] = [o.value for o in item.options[:2]]
        elif item.type in samples:
            answers[item.id] = samples[item.type]
    return answers


def test_round_trip_on_the_real_standard():
    standard = cmq()
    answers = cmq_answers(standard)

    read = read_workbook(standard, build_workbook(standard, answers, title="Кластер «Север»"))

    assert read.problems == []
    assert raws(read) == answers


def test_the_workbook_has_instructions_then_eligibility_then_one_sheet_per_area():
    standard = cmq()
    book = load_workbook(io.BytesIO(build_workbook(standard, {}, title="Заявка")))

    assert book.sheetnames[0] == INSTRUCTIONS_SHEET
    assert len(book.sheetnames) == 2 + len(standard.areas)
    assert len(set(book.sheetnames)) == len(book.sheetnames)
    for name in book.sheetnames:
        assert len(name) <= 31
        assert not set("[]:*?/\\") & set(name)
    assert book[INSTRUCTIONS_SHEET]["A1"].value == "Заявка"


def test_sheet_names_are_legal_even_for_awkward_titles():
    book = load_workbook(io.BytesIO(build_workbook(SMALL, {}, title="x")))

    assert book.sheetnames[2:] == ["1. Область очень длинное…", "2. Область очень длинное…"]


def rows_by_id(sheet) -> dict:
    return {row[0].value: row for row in sheet.iter_rows(min_row=3) if row[0].value}


def test_each_question_row_describes_the_question_and_its_answer():
    standard = cmq()
    book = load_workbook(io.BytesIO(build_workbook(standard, {"fin_income_total": "1500"}, title="x")))
    sheet = book.worksheets[1 + [a.id for a in standard.areas].index("fin") + 1]
    rows = rows_by_id(sheet)

    income = rows["fin_income_total"]
    assert [c.value for c in income[1:3]] == [
        "Общий доход организации за последний финансовый год",
        "The organisation's total income in the last financial year",
    ]
    assert "не меньше 0 / at least 0" in income[4].value
    assert "тыс. руб. / RUB thousand" in income[4].value
    assert income[5].value == "да / yes"
    assert income[6].value == 1500
    assert sheet.freeze_panes == "B3"


def test_choices_list_their_values_and_get_a_drop_down():
    book = load_workbook(io.BytesIO(build_workbook(SMALL, {}, title="x")))
    sheet = book.worksheets[2]
    choice = rows_by_id(sheet)["a_single_choice"]

    assert choice[4].value.splitlines()[0] == "low — low (рус.) / low"
    validations = sheet.data_validations.dataValidation
    assert [v.formula1 for v in validations] == ['"low,mid,high,1"']
    assert choice[6].coordinate in validations[0].sqref


def test_evidence_questions_say_upload_on_the_website_and_leave_the_answer_empty():
    book = load_workbook(io.BytesIO(build_workbook(SMALL, {"a_evidence": "ignored"}, title="x")))
    evidence = rows_by_id(book.worksheets[2])["a_evidence"]

    assert "Upload files on the website" in evidence[4].value
    assert evidence[6].value is None


def filled(standard: Standard, cells: dict[str, object], **formats: str) -> bytes:
    """Our workbook with ANSWER cells typed in as Excel would store them (`cells`: question id -> value)."""
    book = load_workbook(io.BytesIO(build_workbook(standard, {}, title="x")))
    for sheet in book.worksheets[1:]:
        for qid, row in rows_by_id(sheet).items():
            if qid in cells:
                row[6].value = cells[qid]
                row[6].number_format = formats.get(qid, row[6].number_format)
    output = io.BytesIO()
    book.save(output)
    return output.getvalue()


def test_excel_typed_values_come_back_as_form_strings():
    data = filled(
        SMALL,
        {
            "e_ok": True,
            "a_integer": 15.0,
            "a_decimal": 0.5,
            "b_date": datetime(2025, 3, 1),
            "b_percentage": 0.5,
            "b_money": 1500,
            "a_multiple_choice": " low; high ,mid,, ",
            "a_single_choice": 1,
        },
        b_percentage="0%",
    )

    assert raws(read_workbook(SMALL, data)) == {
        "e_ok": "yes",
        "a_integer": "15",
        "a_decimal": "0.5",
        "b_date": "2025-03-01",
        "b_percentage": "50",
        "b_money": "1500",
        "a_multiple_choice": ["low", "high", "mid"],
        "a_single_choice": "1",
    }


def test_cells_know_their_sheet_and_reference():
    read = read_workbook(SMALL, build_workbook(SMALL, {"e_ok": "no", "b_money": "10"}, title="x"))

    assert read.cells["e_ok"] == Cell("Допуск - Eligibility", "G4", "no")
    assert read.cells["b_money"].ref == "G5"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (15.0, "15"),
        (0.5, "0.5"),
        (1e20, "100000000000000000000"),
        (datetime(2025, 3, 1), "2025-03-01"),
        (datetime(2025, 3, 1, 9, 30), "2025-03-01T09:30:00"),
        (time(9, 30), "09:30:00"),
        (False, "no"),
        ("  text  ", "text"),
        (None, ""),
    ],
)
def test_form_string(value, expected):
    assert form_string(value) == expected


def edited(data: bytes, edit) -> bytes:
    book = load_workbook(io.BytesIO(data))
    edit(book)
    output = io.BytesIO()
    book.save(output)
    return output.getvalue()


def test_structural_problems_are_reported_and_those_cells_skipped():
    def edit(book):
        sheet = book.worksheets[2]
        sheet["A4"], sheet["G4"] = "no_such_question", "low"
        sheet["G5"] = "=1+1"
        sheet["A7"], sheet["G7"] = "a_integer", "20"
        sheet["A9"], sheet["G9"] = None, "orphan"
        sheet["G8"] = "a file"

    answers = {"a_integer": "10", "a_decimal": "2.5", "e_ok": "yes"}
    read = read_workbook(SMALL, edited(build_workbook(SMALL, answers, title="x"), edit))

    assert raws(read) == {"e_ok": "yes"}
    problems = {(p.ref, p.template): p.params for p in read.problems}
    assert problems == {
        ("A4", UNKNOWN_ID): {"id": "no_such_question"},
        ("G5", FORMULA): {},
        ("G7", REPEATED_ID): {"id": "a_integer", "other": "1. Область очень длинное…!G6"},
        ("G8", EVIDENCE_CELL): {},
        ("G9", NO_ID): {},
    }
    assert all(p.sheet == "1. Область очень длинное…" for p in read.problems)


def test_renamed_and_added_sheets_are_fine():
    def edit(book):
        book.worksheets[1].title = "Мой лист"
        book.create_sheet("Notes")["G3"] = "not ours"

    read = read_workbook(SMALL, edited(build_workbook(SMALL, {"e_ok": "no"}, title="x"), edit))

    assert read.problems == []
    assert read.cells["e_ok"].sheet == "Мой лист"


def docx() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


def broken_xlsx() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook><not-closed>")
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("data", "template"),
    [(b"%PDF-1.4 not a workbook", None), (docx(), NOT_XLSX), (broken_xlsx(), NOT_READABLE)],
)
def test_files_that_are_not_readable_workbooks_import_nothing(data, template):
    read = read_workbook(SMALL, data)

    assert read.cells == {}
    [problem] = read.problems
    assert (problem.sheet, problem.ref) == ("", "")
    assert template is None or problem.template == template


def test_a_truncated_workbook_imports_nothing():
    data = build_workbook(SMALL, {"e_ok": "yes"}, title="x")

    [problem] = read_workbook(SMALL, data[: len(data) // 2]).problems

    assert "damaged" in problem.template


def test_a_workbook_over_the_size_limit_is_not_opened():
    data = build_workbook(SMALL, {}, title="x")

    read = read_workbook(SMALL, data, max_bytes=1024)

    assert read.problems[0].template == TOO_LARGE
    assert read.problems[0].params == {"limit": "0"}
