"""The exports' XLSX writer: a workbook openpyxl reads back, sent while its rows are still being read."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal

from openpyxl import load_workbook

from certify.insight.xlsx import Sheet, stream_workbook


def opened(chunks) -> object:
    return load_workbook(io.BytesIO(b"".join(chunks)))


def test_the_workbook_opens_with_its_sheets_headers_and_values():
    sheets = [
        Sheet(
            "Заявки",
            ["No.", "Organisation", "Score", "Decided"],
            [[1, "Кластер", Decimal("62.5"), date(2025, 1, 2)]],
        ),
        Sheet("Empty", ["Only a header"], []),
    ]
    book = opened(stream_workbook(sheets, title="statistics"))
    assert book.sheetnames == ["Заявки", "Empty"]
    rows = list(book["Заявки"].iter_rows(values_only=True))
    assert rows[0] == ("No.", "Organisation", "Score", "Decided")
    assert rows[1][:3] == (1, "Кластер", 62.5) and rows[1][3].date() == date(2025, 1, 2)
    assert book["Заявки"]["A1"].font.bold and book["Заявки"].freeze_panes == "A2"
    assert list(book["Empty"].iter_rows(values_only=True)) == [("Only a header",)]
    assert book.properties.title == "statistics"


def test_rows_are_sent_while_they_are_still_being_read():
    read = []

    def rows():
        for n in range(20_000):
            read.append(n)
            yield [n, f"Управляющая компания кластера № {n}", n * 7 % 101]

    sent_while_reading = 0
    for _chunk in stream_workbook([Sheet("rows", ["n", "name", "score"], rows())]):
        if len(read) < 20_000:
            sent_while_reading += 1
    # the file leaves in many pieces before the last row is read, not in one at the end
    assert sent_while_reading > 10


def test_the_rows_are_counted_before_the_file_is_closed():
    counted = []
    chunks = []
    sheets = [Sheet("a", ["x"], [[1], [2]]), Sheet("b", ["y"], [[3]])]
    for chunk in stream_workbook(sheets, before_closing=lambda rows: counted.append((rows, len(chunks)))):
        chunks.append(chunk)
    ((rows, sent_before),) = counted
    assert rows == 3
    assert sent_before < len(chunks)  # the package's last parts come after the count
    assert opened(chunks).sheetnames == ["a", "b"]


def test_a_text_that_looks_like_a_formula_stays_text():
    sheets = [Sheet("t", ["name"], [['=HYPERLINK("https://evil.example","Open")'], ["=1+1"]])]
    sheet = opened(stream_workbook(sheets))["t"]
    assert sheet["A2"].data_type == "s" and sheet["A2"].value.startswith("=HYPERLINK")
    assert sheet["A3"].value == "=1+1" and sheet["A3"].data_type == "s"


def test_control_characters_are_dropped_and_sheet_names_made_acceptable():
    sheets = [Sheet("a/b: [c]?*" + "x" * 40, ["h"], [["bell\x07 and nul\x00"]]), Sheet("", ["h"], [])]
    book = opened(stream_workbook(sheets))
    first, second = book.sheetnames
    assert len(first) <= 31 and not set("/:[]?*") & set(first)
    assert second == "Sheet2"
    assert book[first]["A2"].value == "bell and nul"
