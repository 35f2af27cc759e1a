"""An item bank as an XLSX workbook, for authors who write and review items offline: `bank_workbook`.

Pure: no Flask, no SQLAlchemy. The workbook carries everything a bank file has, one sheet per part, each
with one header row and one row per entry, so that `certify.exams.workbook_reading` can read it back:

- `items`: one row per item; its texts in both languages side by side, the options in the bank's order
  (id, Russian, English), the key as the correct option ids ("a" or "a,c"), the rationale and the source;
- `areas`, `blueprints` and `blueprint areas` (one row per area a blueprint draws from);
- `bank`: the bank's code, version and title.

The sheets and their headers are defined here, once, for the writer and the reader. The workbook is
written in openpyxl's write-only mode, which streams rows to the file instead of holding every cell.
"""

from __future__ import annotations

from collections.abc import Iterable
from io import BytesIO

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from certify.exams.bank import Bank, Item

#: a bank item has at most six options (schema.json)
MAX_OPTIONS = 6
ITEMS = "items"
AREAS = "areas"
BLUEPRINTS = "blueprints"
BLUEPRINT_AREAS = "blueprint areas"
BANK = "bank"
ITEM_HEADERS = (
    "id",
    "version",
    "area",
    "status",
    "type",
    "key",
    "stem (ru)",
    "stem (en)",
    *(f"option {n} {part}" for n in range(1, MAX_OPTIONS + 1) for part in ("id", "(ru)", "(en)")),
    "rationale (ru)",
    "rationale (en)",
    "source indicator",
    "source document (ru)",
    "source document (en)",
)
#: every sheet of a bank workbook with its header row, in the order the workbook shows them
HEADERS: dict[str, tuple[str, ...]] = {
    ITEMS: ITEM_HEADERS,
    AREAS: ("id", "title (ru)", "title (en)"),
    BLUEPRINTS: ("id", "title (ru)", "title (en)", "time_limit_minutes", "pass_mark"),
    BLUEPRINT_AREAS: ("blueprint", "area", "items", "pass_mark"),
    BANK: ("code", "version", "title (ru)", "title (en)"),
}
TEXT_WIDTH = 50
_HEADER_FONT = Font(bold=True)
_WRAPPED = Alignment(wrap_text=True, vertical="top")


def bank_workbook(bank: Bank) -> bytes:
    """The whole bank as an XLSX file: items, areas, blueprints with their areas, and the bank itself."""
    workbook = Workbook(write_only=True)
    rows = {
        ITEMS: (_item_row(item) for item in bank.items),
        AREAS: ((area.id, area.title.ru, area.title.en) for area in bank.areas),
        BLUEPRINTS: (
            (b.id, b.title.ru, b.title.en, b.time_limit_minutes, b.pass_mark) for b in bank.blueprints
        ),
        BLUEPRINT_AREAS: (
            (b.id, part.area, part.items, part.pass_mark) for b in bank.blueprints for part in b.areas
        ),
        BANK: [(bank.code, bank.version, bank.title.ru, bank.title.en)],
    }
    for name, headers in HEADERS.items():
        _write_sheet(workbook, name, headers, rows[name])
    workbook.properties.title = f"{bank.code} {bank.version}: {bank.title.en}"
    output = BytesIO()
    workbook.save(output)
    return output.getvalue()


def _item_row(item: Item) -> list[object]:
    options: list[object] = []
    for option in item.options:
        options += [option.id, option.text.ru, option.text.en]
    options += [None] * (3 * MAX_OPTIONS - len(options))
    document = item.source.document
    return [
        item.id,
        item.version,
        item.area,
        item.status.value,
        item.type.value,
        ",".join(sorted(item.key)),
        item.stem.ru,
        item.stem.en,
        *options,
        item.rationale.ru,
        item.rationale.en,
        item.source.indicator,
        document.ru if document else None,
        document.en if document else None,
    ]


def _write_sheet(workbook: Workbook, name: str, headers: tuple[str, ...], rows: Iterable) -> None:
    sheet = workbook.create_sheet(name)
    # A write-only sheet takes its layout before its first row.
    sheet.freeze_panes = "B2"
    for number, header in enumerate(headers, start=1):
        wide = "(ru)" in header or "(en)" in header
        sheet.column_dimensions[get_column_letter(number)].width = TEXT_WIDTH if wide else 14
    sheet.append([_cell(sheet, header, _HEADER_FONT) for header in headers])
    for row in rows:
        sheet.append([_cell(sheet, value) for value in row])


def _cell(sheet, value: object, font: Font | None = None) -> WriteOnlyCell:
    cell = WriteOnlyCell(sheet, value=value)
    if isinstance(value, str) and value.startswith("="):
        # openpyxl would store a text beginning with "=" as a formula; an author's text is text.
        cell.data_type = "s"
    cell.alignment = _WRAPPED
    if font is not None:
        cell.font = font
    return cell
