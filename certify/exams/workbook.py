"""An item bank as an XLSX workbook, for authors who review and write items offline: `bank_workbook`.

Pure: no Flask, no SQLAlchemy. One row per item with its texts in both languages side by side, the
options in the bank's order (id, Russian, English), the key as the correct option ids, the rationale and
the source; a second sheet lists the areas. Reading a workbook back into a bank file is a later
increment: until then the YAML file stays the only way in, so its located problems stay the only report.
"""

from __future__ import annotations

from io import BytesIO

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from certify.exams.bank import Bank, Item

#: a bank item has at most six options (schema.json)
MAX_OPTIONS = 6
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
TEXT_WIDTH = 50


def bank_workbook(bank: Bank) -> bytes:
    """The bank's items and areas as an XLSX file."""
    workbook = Workbook()
    items = workbook.active
    items.title = "items"
    items.append(ITEM_HEADERS)
    for item in bank.items:
        items.append(_item_row(item))
    _style(items)
    areas = workbook.create_sheet("areas")
    areas.append(("id", "title (ru)", "title (en)"))
    for area in bank.areas:
        areas.append((area.id, area.title.ru, area.title.en))
    _style(areas)
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


def _style(sheet) -> None:
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "B2"
    for column in sheet.iter_cols(min_row=1, max_row=1):
        header = str(column[0].value)
        wide = "(ru)" in header or "(en)" in header
        sheet.column_dimensions[column[0].column_letter].width = TEXT_WIDTH if wide else 14
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
