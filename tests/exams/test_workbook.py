"""The bank as an XLSX workbook and back: every part of the file is carried, and an author's edits arrive."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal
from io import BytesIO

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from certify.exams.bank import LIBRARY, Bank, load_bank, load_bank_file
from certify.exams.workbook import HEADERS, bank_workbook
from certify.exams.workbook_reading import read_bank_workbook
from certify.standards.definition import Text
from tests.exams.builders import tiny_bank

DEFAULT = LIBRARY / "cm-1.0.yaml"
TINY_WORKBOOK = bank_workbook(tiny_bank())


def sheets(raw: bytes) -> dict[str, list[dict[str, object]]]:
    """Each sheet's rows as {header: value}."""
    book = load_workbook(BytesIO(raw))
    result = {}
    for sheet in book.worksheets:
        header, *rows = list(sheet.iter_rows(values_only=True))
        result[sheet.title] = [dict(zip(header, row, strict=True)) for row in rows]
    return result


def edited(raw: bytes, change) -> bytes:
    """The workbook after `change(book)`, saved as a spreadsheet program would (shared strings)."""
    book = load_workbook(BytesIO(raw))
    change(book)
    output = BytesIO()
    book.save(output)
    return output.getvalue()


def read_back(raw: bytes) -> Bank:
    read = read_bank_workbook(raw, source_name="bank.xlsx")
    assert read.problems == [], [str(problem) for problem in read.problems]
    return load_bank(read.text, source_name="bank.yaml")


def row_of(book, item_id: str) -> int:
    return next(cell.row for cell in book["items"]["A"] if cell.value == item_id)


def column_of(sheet: str, header: str) -> int:
    return HEADERS[sheet].index(header) + 1


def test_the_workbook_has_a_sheet_for_every_part_of_the_bank_file():
    bank = tiny_bank()
    content = sheets(TINY_WORKBOOK)
    assert list(content) == ["items", "areas", "blueprints", "blueprint areas", "bank"]
    assert content["bank"] == [
        {"code": "tiny", "version": "1.0", "title (ru)": "Маленький банк", "title (en)": "A tiny bank"}
    ]
    assert content["blueprints"] == [
        {"id": "short", "title (ru)": "Короткий тест", "title (en)": "A short test", "time_limit_minutes": 10,
         "pass_mark": 60}
    ]  # fmt: skip
    assert [(r["blueprint"], r["area"], r["items"]) for r in content["blueprint areas"]] == [
        ("short", "basics", 3),
        ("short", "practice", 2),
    ]
    assert [row["id"] for row in content["items"]] == [item.id for item in bank.items]
    services = next(row for row in content["items"] if row["id"] == "basics_services")
    assert services["key"] == "a,b"
    assert (services["stem (ru)"], services["stem (en)"]) == (
        "Какие услуги оказывает кластер?",
        "Which services does a cluster offer?",
    )
    assert services["source document (en)"] == "Methodological guidelines"


def test_the_default_bank_comes_back_from_its_workbook_unchanged():
    bank = load_bank_file(DEFAULT)
    assert read_back(bank_workbook(bank)) == bank


def test_a_workbook_saved_again_by_a_spreadsheet_program_holds_the_same_bank():
    # It writes shared strings and its own styles where Certify streams inline strings.
    assert read_back(edited(TINY_WORKBOOK, lambda book: None)) == tiny_bank()


def test_the_same_workbook_always_gives_the_same_yaml_text():
    first = read_bank_workbook(TINY_WORKBOOK, source_name="one.xlsx").text
    assert first == read_bank_workbook(TINY_WORKBOOK, source_name="other-name.xlsx").text
    assert first.startswith("# ") and "code: tiny\nversion: '1.0'\n" in first


def test_a_fractional_pass_mark_and_a_text_beginning_with_equals_survive():
    bank = tiny_bank()
    blueprint = replace(bank.blueprints[0], pass_mark=Decimal("62.5"))
    item = replace(bank.items[0], stem=Text(ru="=2+2?", en="= two plus two?"))
    changed = replace(bank, blueprints=(blueprint,), items=(item, *bank.items[1:]))
    assert read_back(bank_workbook(changed)) == changed


def _change_stem(book):
    book["items"].cell(row_of(book, "practice_kpi"), column_of("items", "stem (en)")).value = "What is it?"


def _add_item(book):
    row = dict.fromkeys(HEADERS["items"])
    row.update(
        {"id": "practice_new", "version": 1, "area": "practice", "status": "draft", "type": "single_choice"}
    )
    row.update({"key": "b", "stem (ru)": "Новый?", "stem (en)": "New?", "source indicator": "mon_kpi"})
    row.update({"rationale (ru)": "Потому что.", "rationale (en)": "Because."})
    for number, letter in enumerate("abc", start=1):
        row.update(
            {f"option {number} id": letter, f"option {number} (ru)": letter, f"option {number} (en)": letter}
        )
    book["items"].append(list(row.values()))


def _drop_option(book):
    row = row_of(book, "basics_strategy")  # options a to d, the key b
    for header in ("option 4 id", "option 4 (ru)", "option 4 (en)"):
        book["items"].cell(row, column_of("items", header)).value = None


def _new_key(book):
    book["items"].cell(row_of(book, "basics_services"), column_of("items", "key")).value = "a; c"


def _new_blueprint_count(book):
    book["blueprint areas"].cell(3, 3).value = 1
    book["bank"].cell(2, 2).value = "1.1"


def _by_id(bank: Bank, item_id: str):
    return next(item for item in bank.items if item.id == item_id)


@pytest.mark.parametrize(
    ("change", "arrived"),
    [
        (_change_stem, lambda bank: _by_id(bank, "practice_kpi").stem.en == "What is it?"),
        (_add_item, lambda bank: _by_id(bank, "practice_new").key == {"b"} and len(bank.items) == 12),
        (_drop_option, lambda bank: _by_id(bank, "basics_strategy").option_ids == ("a", "b", "c")),
        (_new_key, lambda bank: _by_id(bank, "basics_services").key == {"a", "c"}),
        (_new_blueprint_count, lambda bank: bank.version == "1.1" and bank.blueprints[0].areas[1].items == 1),
    ],
    ids=["stem", "new item", "option dropped", "key", "blueprint and version"],
)
def test_an_authors_edit_arrives_and_nothing_else_changes(change, arrived):
    before = tiny_bank()
    after = read_back(edited(TINY_WORKBOOK, change))
    assert arrived(after)
    unchanged = [item for item in after.items if item in before.items]
    assert len(unchanged) >= len(before.items) - 1


#: what an author may type in a text cell: anything printable, in any script
_texts = st.text(
    st.characters(blacklist_categories=("Cs", "Cc", "Cn", "Zl", "Zp")), min_size=1, max_size=200
).filter(lambda text: text.strip())


@settings(max_examples=30, deadline=None)
@given(stem=_texts, rationale=_texts)
def test_any_text_typed_into_the_workbook_arrives_as_typed(stem, rationale):
    def change(book):
        row = row_of(book, "basics_members")
        for header, value in (("stem (ru)", stem), ("rationale (en)", rationale)):
            cell = book["items"].cell(row, column_of("items", header))
            cell.value = value
            cell.data_type = "s"  # typed as text, even when it begins with "="

    item = _by_id(read_back(edited(TINY_WORKBOOK, change)), "basics_members")
    assert (item.stem.ru, item.rationale.en) == (stem, rationale)
