"""The sheets of a bank workbook read into the bank file's plain data, each value remembering its cell.

Pure: no Flask, no SQLAlchemy. `SheetReader` turns the sheets laid out by `certify.exams.workbook` into the
dict a bank's YAML file holds, and records for every path of that dict the sheet, row and column it came
from (`places`), so that a problem the bank's schema or checks find later can be shown where the author
typed the value. Problems of the workbook's own shape (a missing sheet or column, an empty required cell,
a key naming an option the row lacks, a number that is not one) are reported here, located the same way.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal, InvalidOperation
from typing import Any

from openpyxl.utils import get_column_letter

from certify.exams import messages
from certify.exams.workbook import HEADERS
from certify.exams.workbook_places import SheetProblem
from certify.standards.problems import PathParts

#: far more items than a 2 MiB bank file can hold; stops a sheet of a million formatted rows early
MAX_ROWS = 5_000
#: the items sheet has 31 columns; an author's extra ones beyond this are not read at all
MAX_COLUMNS = 64
Place = tuple[str, int | None, str]


@dataclass(frozen=True)
class _Row:
    sheet: str
    number: int
    #: header -> the openpyxl cell under it
    cells: dict[str, Any]


class SheetReader:
    """Reads one workbook; `problems` and `places` fill as it goes."""

    def __init__(self, source_name: str):
        self.source_name = source_name
        self.problems: list[SheetProblem] = []
        self.places: dict[PathParts, Place] = {}

    def report(self, place: Place, template: str, **params: Any) -> None:
        sheet, row, column = place
        self.problems.append(
            SheetProblem(
                path="",
                line=None,
                message=template.format(**params),
                source_name=self.source_name,
                template=template,
                params=params,
                sheet=sheet,
                row=row,
                column=column,
            )
        )

    def rows(self, book, name: str, headers: tuple[str, ...]) -> list[_Row] | None:
        """The non-blank rows under the header of sheet `name`; None when the sheet or its header is wrong."""
        sheet = _sheet(book, name)
        if sheet is None:
            self.report((name, None, ""), messages.WB_SHEET_MISSING, sheets=", ".join(HEADERS))
            return None
        lines = sheet.iter_rows(max_row=MAX_ROWS + 2, max_col=MAX_COLUMNS)
        columns = self._columns(name, next(lines, ()), headers)
        if columns is None:
            return None
        rows: list[_Row] = []
        for number, cells in enumerate(lines, start=2):
            if number > MAX_ROWS + 1:
                self.report((name, None, ""), messages.WB_TOO_MANY_ROWS, limit=MAX_ROWS)
                return None
            if any(not _blank(cell.value) for cell in cells):
                rows.append(self._row(name, number, cells, columns))
        return rows

    def _columns(self, name: str, header_cells, headers: tuple[str, ...]) -> dict[int, str | None] | None:
        """Column index -> canonical header (None: no header); None when the header row is wrong."""
        wanted = {header.lower(): header for header in headers}
        columns: dict[int, str | None] = {}
        problems = len(self.problems)
        for index, cell in enumerate(header_cells):
            label = "" if _blank(cell.value) else str(cell.value).strip()
            header = wanted.get(label.lower())
            if label and header is None:
                self.report((name, 1, label), messages.WB_COLUMN_UNKNOWN)
            elif header is not None and header in columns.values():
                self.report((name, 1, header), messages.WB_COLUMN_TWICE)
            columns[index] = header
        for header in headers:
            if header not in columns.values():
                self.report((name, 1, header), messages.WB_COLUMN_MISSING)
        return columns if len(self.problems) == problems else None

    def _row(self, name: str, number: int, cells, columns: dict[int, str | None]) -> _Row:
        named: dict[str, Any] = {}
        for index, cell in enumerate(cells):
            header = columns.get(index)
            if header is not None:
                named[header] = cell
            elif not _blank(cell.value):
                # A value with no header would silently not be imported.
                self.report((name, number, get_column_letter(index + 1)), messages.WB_COLUMN_UNNAMED)
        return _Row(name, number, named)

    # --- values -------------------------------------------------------------------------------------

    def text(self, row: _Row, header: str, path: PathParts | None, *, required: bool = True) -> str | None:
        """The cell's text (a number typed there becomes its text); None when empty or unusable."""
        value = self._value(row, header, path, required)
        if value is None:
            return None
        if isinstance(value, bool):
            return "true" if value else "false"
        if isinstance(value, float) and value.is_integer():
            return str(int(value))
        return value if isinstance(value, str) else str(value)

    def name(self, row: _Row, header: str, path: PathParts | None, *, required: bool = True) -> str | None:
        """An id, code or keyword: the text without the spaces around it."""
        value = self.text(row, header, path, required=required)
        return None if value is None else value.strip()

    def number(self, row: _Row, header: str, path: PathParts, *, percent: bool = False):
        """The cell's number (int when whole, else Decimal); text like "12,5" or "70 %" is read too."""
        value = self._value(row, header, path, True)
        cell = row.cells.get(header)
        if value is None:
            return None
        if isinstance(value, bool):
            number = None
        elif isinstance(value, int | float):
            number = Decimal(repr(value))
            if percent and str(cell.number_format or "").endswith("%"):
                # "70 %" in a cell formatted as a percentage is stored as 0.7; a pass mark is 0-100.
                number *= 100
        else:
            number = _parsed(value, percent)
        if number is None:
            self.report((row.sheet, row.number, header), messages.WB_NOT_A_NUMBER, value=str(value).strip())
            return None
        return int(number) if number == number.to_integral_value() else number.normalize()

    def _value(self, row: _Row, header: str, path: PathParts | None, required: bool) -> Any:
        """The cell's value; None, reported, for a formula, a date or (when `required`) an empty cell.

        `path` is where the value goes in the bank's data, remembered so later problems find the cell.
        """
        place = (row.sheet, row.number, header)
        if path is not None:
            self.places[path] = place
        cell = row.cells.get(header)
        value = None if cell is None else cell.value
        if cell is not None and cell.data_type == "f":
            self.report(place, messages.WB_FORMULA)
            return None
        if isinstance(value, datetime | date | time):
            # Excel turns "1.10" into the first of October as it is typed.
            self.report(place, messages.WB_DATE, value=_date_text(value))
            return None
        if _blank(value):
            if required:
                self.report(place, messages.WB_EMPTY_CELL)
            return None
        return value

    def filled(self, row: _Row, header: str) -> bool:
        cell = row.cells.get(header)
        return cell is not None and not _blank(cell.value)

    def place(self, path: PathParts, row: _Row | None, column: str = "", *, sheet: str = "") -> None:
        """Remember where the value at `path` comes from: a cell, a whole row, or (no row) a sheet."""
        self.places[path] = (sheet, None, "") if row is None else (row.sheet, row.number, column)


def _parsed(text: str, percent: bool) -> Decimal | None:
    cleaned = text.strip().replace("\u00a0", "").replace(" ", "").replace(",", ".")
    if percent:
        cleaned = cleaned.removesuffix("%")
    try:
        number = Decimal(cleaned)
    except InvalidOperation:
        return None
    return number if number.is_finite() else None


def _date_text(value: datetime | date | time) -> str:
    if isinstance(value, datetime) and value.time() == time():
        return value.date().isoformat()
    return value.isoformat()


def key_ids(text: str | None) -> list[str]:
    """The option ids of a key cell: "a", "a,c", "a; c" or "a c"."""
    return [part for part in re.split(r"[\s,;]+", text or "") if part]


def _sheet(book, name: str):
    """The sheet called `name`, ignoring case and spaces around it (authors retype tab names)."""
    for title in book.sheetnames:
        if title.strip().lower() == name:
            return book[title]
    return None


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())
