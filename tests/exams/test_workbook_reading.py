"""Reading a bank workbook: every problem is shown where the author typed it (sheet, row, column)."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from datetime import datetime
from io import BytesIO
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from certify.exams import messages
from certify.exams.bank import load_bank
from certify.exams.workbook_places import SheetProblem, problem_text, relocate
from certify.exams.workbook_reading import is_workbook, read_bank_workbook
from certify.standards.problems import Problem
from tests.exams.test_workbook import TINY_WORKBOOK, column_of, edited, row_of

ROOT = Path(__file__).resolve().parents[2]
RUSSIAN = ROOT / "certify" / "translations" / "ru" / "LC_MESSAGES" / "messages.po"


def problems_of(raw: bytes) -> list[SheetProblem]:
    read = read_bank_workbook(raw, source_name="tiny.xlsx")
    assert read.text is None
    return read.problems


def where(problem: SheetProblem) -> tuple[str, int | None, str]:
    return problem.sheet, problem.row, problem.column


def put(sheet: str, row, header: str, value):
    """An edit: `row` is a row number or the id of the item in that row."""

    def change(book):
        number = row if isinstance(row, int) else row_of(book, row)
        book[sheet].cell(number, column_of(sheet, header)).value = value

    return change


def _percent_pass_mark(book):
    cell = book["blueprints"].cell(2, column_of("blueprints", "pass_mark"))
    cell.value, cell.number_format = 0.65, "0%"


ITEMS, AREAS, BLUEPRINT_AREAS = "items", "areas", "blueprint areas"


@pytest.mark.parametrize(
    ("change", "place", "template"),
    [
        pytest.param(
            put(ITEMS, "basics_members", "key", "e"), (ITEMS, 2, "key"), messages.WB_KEY_UNKNOWN, id="key"
        ),
        pytest.param(
            put(ITEMS, "basics_manager", "stem (en)", None),
            (ITEMS, 3, "stem (en)"),
            messages.WB_EMPTY_CELL,
            id="empty required cell",
        ),
        pytest.param(
            put(ITEMS, 1, "version", "id"), (ITEMS, 1, "id"), messages.WB_COLUMN_TWICE, id="header twice"
        ),
        pytest.param(
            put("blueprints", 2, "time_limit_minutes", "sixty"),
            ("blueprints", 2, "time_limit_minutes"),
            messages.WB_NOT_A_NUMBER,
            id="not a number",
        ),
        pytest.param(
            put(BLUEPRINT_AREAS, 3, "pass_mark", "=40+10"),
            (BLUEPRINT_AREAS, 3, "pass_mark"),
            messages.WB_FORMULA,
            id="formula",
        ),
        pytest.param(
            put("bank", 2, "version", datetime(2026, 10, 1)),
            ("bank", 2, "version"),
            messages.WB_DATE,
            id="version turned into a date",
        ),
        pytest.param(
            put(BLUEPRINT_AREAS, 2, "blueprint", "long"),
            (BLUEPRINT_AREAS, 2, "blueprint"),
            messages.WB_BLUEPRINT_UNKNOWN,
            id="unknown blueprint",
        ),
        pytest.param(
            lambda book: book.remove(book["bank"]),
            ("bank", None, ""),
            messages.WB_SHEET_MISSING,
            id="missing sheet",
        ),
        pytest.param(
            lambda book: book["bank"].append(["x", "1.0", "x", "x"]),
            ("bank", 3, ""),
            messages.WB_BANK_SECOND_ROW,
            id="second bank row",
        ),
        pytest.param(
            lambda book: book[AREAS].cell(3, 6, "a note"),
            (AREAS, 3, "F"),
            messages.WB_COLUMN_UNNAMED,
            id="unnamed column",
        ),
    ],
)
def test_a_problem_of_the_workbook_itself_is_located_on_its_cell(change, place, template):
    problems = problems_of(edited(TINY_WORKBOOK, change))
    assert [(where(p), p.template) for p in problems][:1] == [(place, template)]


def test_the_message_reads_as_the_author_sees_the_workbook():
    (problem,) = problems_of(edited(TINY_WORKBOOK, put("items", "basics_members", "key", "a,e")))
    assert str(problem) == (
        "tiny.xlsx: Sheet items, row 2, column key: "
        "the key names option 'e', which this row does not have (its options: a, b, c)"
    )


def test_a_renamed_header_names_both_the_missing_column_and_the_stray_one():
    problems = problems_of(edited(TINY_WORKBOOK, put("items", 1, "key", "Answer key")))
    assert {(where(p), p.template) for p in problems} == {
        (("items", 1, "Answer key"), messages.WB_COLUMN_UNKNOWN),
        (("items", 1, "key"), messages.WB_COLUMN_MISSING),
    }


def _case(change, place, text, name):
    return pytest.param(change, place, text, id=name)


@pytest.mark.parametrize(
    ("change", "place", "text"),
    [
        _case(
            put(ITEMS, "practice_kpi", "status", "actve"),
            (ITEMS, 8, "status"),
            "must be one of: draft, active, suspended, retired",
            "status",
        ),
        _case(
            put(ITEMS, "practice_kpi", "area", "nowhere"), (ITEMS, 8, "area"), "names area 'nowhere'", "area"
        ),
        _case(
            put(ITEMS, "basics_funding", "id", "basics_members"),
            (ITEMS, 6, "id"),
            "duplicate item id 'basics_members' (first used in row 2)",
            "duplicate item",
        ),
        _case(
            put(ITEMS, "basics_members", "option 2 id", "a"),
            (ITEMS, 2, "option 2 id"),
            "duplicate option id 'a' (first used in column option 1 id)",
            "duplicate option",
        ),
        _case(
            put(ITEMS, "basics_members", "key", "a, b"),
            (ITEMS, 2, "key"),
            "needs exactly one correct option, not 2",
            "key of two",
        ),
        _case(
            put(ITEMS, "basics_members", "option 3 id", None),
            (ITEMS, 2, "option 3 id"),
            "must not be empty",
            "option without its id",
        ),
        _case(
            put(ITEMS, "basics_members", "source document (ru)", "Закон"),
            (ITEMS, 2, "source document (en)"),
            "must not be empty",
            "half a document",
        ),
        _case(
            put(ITEMS, "basics_members", "source indicator", None),
            (ITEMS, 2, "source indicator"),
            "a source names exactly one of: an indicator, a document",
            "no source",
        ),
        _case(
            put(BLUEPRINT_AREAS, 2, "items", 9),
            (BLUEPRINT_AREAS, 2, "items"),
            "area 'basics' has 5 active items; blueprint 'short' draws 9",
            "too few active items",
        ),
        _case(
            put("bank", 2, "version", 2),
            ("bank", 2, "version"),
            "'2' is not a version of the form major.minor",
            "version typed as a number",
        ),
    ],
)
def test_a_problem_the_banks_checks_find_is_moved_back_onto_its_cell(change, place, text):
    first, *_ = problems_of(edited(TINY_WORKBOOK, change))
    assert where(first) == place
    assert text in first.message


def test_an_item_left_with_two_options_is_told_so_on_its_row():
    def drop(book):
        for header in ("option 3 id", "option 3 (ru)", "option 3 (en)"):
            put("items", "practice_kpi", header, None)(book)

    (problem,) = problems_of(edited(TINY_WORKBOOK, drop))
    assert (where(problem), problem.message) == (
        ("items", 8, "option 1 id"),
        "an item needs at least 3 options",
    )


def test_a_pass_mark_typed_as_a_percentage_or_with_a_decimal_comma_is_read_as_a_percent():
    def change(book):
        _percent_pass_mark(book)
        put("blueprint areas", 2, "pass_mark", "42,5")(book)

    read = read_bank_workbook(edited(TINY_WORKBOOK, change), source_name="tiny.xlsx")
    blueprint = load_bank(read.text, source_name="tiny.yaml").blueprints[0]
    assert (blueprint.pass_mark, str(blueprint.areas[0].pass_mark)) == (65, "42.5")


@pytest.mark.parametrize(
    "raw",
    [b"code: tiny\nversion: '1.0'\n", b"%PDF-1.7 not a workbook", b"PK\x03\x04 a broken archive", b""],
    ids=["yaml", "pdf", "broken zip", "empty"],
)
def test_a_file_that_is_not_a_workbook_gets_one_sentence(raw):
    (problem,) = problems_of(raw)
    assert where(problem) == ("", None, "")
    assert problem.template in (messages.WB_NOT_XLSX, messages.WB_UNSAFE)
    assert str(problem).startswith("tiny.xlsx: the ")


def test_another_office_file_is_not_a_workbook():
    document = BytesIO()
    with zipfile.ZipFile(document, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<document/>")
    (problem,) = problems_of(document.getvalue())
    assert problem.template == messages.WB_NOT_XLSX


def test_a_workbook_that_would_unpack_too_far_is_refused_before_it_is_parsed():
    bomb = BytesIO(TINY_WORKBOOK)
    with zipfile.ZipFile(bomb, "a", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/padding.xml", b" " * (20 * 1024 * 1024))
    (problem,) = problems_of(bomb.getvalue())
    assert problem.template == messages.WB_UNSAFE


def test_a_workbook_is_recognised_by_its_content_or_its_extension():
    assert is_workbook(TINY_WORKBOOK, "bank.yaml")
    assert is_workbook(b"anything", "Bank.XLSX") and is_workbook(b"anything", "old.xls")
    assert not is_workbook(b"code: tiny\n", "tiny-1.0.yaml")


def test_a_problem_no_cell_holds_keeps_its_path():
    problem = Problem(path="items[4].stem", line=7, message="odd", template="odd")
    (moved,) = relocate([problem], {}, {}, "tiny.xlsx")
    assert str(moved) == "tiny.xlsx: items[4].stem: odd"


def test_the_russian_catalogue_words_the_place_and_the_problem():
    with RUSSIAN.open("rb") as file:
        catalogue = read_po(file)

    def russian(message: str) -> str:
        entry = catalogue.get(message)
        return entry.string if entry is not None and entry.string else message

    (problem,) = problems_of(edited(TINY_WORKBOOK, put("items", "basics_members", "key", "e")))
    assert problem_text(problem, russian) == (
        "tiny.xlsx: Лист items, строка 2, столбец key: "
        "в ключе указан вариант «e», которого нет в этой строке (её варианты: a, b, c)"
    )
    for name in dir(messages):
        if name.startswith("WB_"):
            assert russian(getattr(messages, name)) != getattr(messages, name), name


def test_reading_a_workbook_pulls_in_no_web_or_database_stack():
    code = (
        "import certify.exams.workbook_reading, sys; "
        "assert 'flask' not in sys.modules and 'sqlalchemy' not in sys.modules, sorted(sys.modules)"
    )
    subprocess.run([sys.executable, "-c", code], check=True, cwd=ROOT)
