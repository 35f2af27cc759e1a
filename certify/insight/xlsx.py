"""XLSX workbooks sent while their rows are still being read: the exports' one writer (issue 17, item 4).

`stream_workbook` yields the file's bytes as openpyxl's write-only mode produces them. Each sheet's XML
goes straight into its entry of the ZIP package, and the package is written to a pipe that hands over
whatever has been compressed so far, so a download starts with the first rows and the process holds only
a row and the compressor's buffers, never the whole set (nor a temporary copy of it on disk, where
openpyxl would otherwise keep each sheet until the workbook is saved). The ZIP is written without seeking
back, with a data descriptor after each entry, which every XLSX reader accepts.

openpyxl 3.1 gives each write-only sheet a `WorksheetWriter`, whose `out` may be any file; we hand it the
sheet's ZIP entry. Its package writer, which would copy each sheet's data into the archive from that
writer's temporary file, is told the data is already there (`_PackageWriter`); everything else (styles,
workbook, relationships, content types) is openpyxl's own. tests/insight/test_xlsx.py opens the result.

Cells are values, never formulas: a text beginning with "=" stays text (an organisation named
"=HYPERLINK(…)" must not become a link in the body's spreadsheet), and control characters, which the
format cannot hold, are dropped. Pure: neither Flask nor SQLAlchemy.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import suppress
from dataclasses import dataclass
from typing import Any
from zipfile import ZIP_DEFLATED, ZipFile

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.drawing.spreadsheet_drawing import SpreadsheetDrawing
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._writer import WorksheetWriter
from openpyxl.writer.excel import ExcelWriter

CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
#: Excel's limit on a sheet's name, and the characters it refuses there
TITLE_LENGTH, TITLE_REFUSED = 31, str.maketrans({c: " " for c in "[]:*?/\\"})
#: the widest a column is made for its header, in characters (a reader widens it further if they like)
MAX_WIDTH = 60


@dataclass(frozen=True)
class Sheet:
    """One sheet: its title, its header row, and its rows, read only as the file is written."""

    title: str
    header: Sequence[str]
    rows: Iterable[Sequence[Any]]


class _Pipe(io.RawIOBase):
    """Where the ZIP archive writes: it keeps what was written since the last `drain`, nothing more.

    Not seekable, so `zipfile` writes each entry's sizes after its data instead of going back for them.
    """

    def __init__(self) -> None:
        super().__init__()
        self._chunks: list[bytes] = []

    def writable(self) -> bool:
        return True

    def write(self, data) -> int:
        self._chunks.append(bytes(data))
        return len(data)

    def drain(self) -> bytes:
        data = b"".join(self._chunks)
        self._chunks.clear()
        return data


class _PackageWriter(ExcelWriter):
    """openpyxl's package writer, for sheets whose data is already in the archive."""

    def write_worksheet(self, ws) -> None:
        ws._drawing = SpreadsheetDrawing()
        ws._drawing.charts = ws._charts
        ws._drawing.images = ws._images
        ws._rels = ws._writer._rels
        self.manifest.append(ws)


def stream_workbook(
    sheets: Iterable[Sheet], *, title: str = "", before_closing: Callable[[int], None] | None = None
) -> Iterator[bytes]:
    """The workbook's bytes, yielded as they are compressed.

    `before_closing(rows)` is called once every row of every sheet is written (`rows`: how many, the
    header rows left out), before the package's last parts: an export records itself there, so that no
    complete file leaves without its audit entry.
    """
    pipe = _Pipe()
    workbook = Workbook(write_only=True)
    workbook.properties.title = title
    archive = ZipFile(pipe, "w", ZIP_DEFLATED)
    written = 0
    try:
        for number, sheet in enumerate(sheets, 1):
            worksheet = workbook.create_sheet(_title(sheet.title, number))
            worksheet._id = number  # the part name, as openpyxl's package writer numbers sheets
            with archive.open(worksheet.path[1:], "w") as part:
                _start(worksheet, sheet.header, part)
                for row in sheet.rows:
                    worksheet.append([_cell(worksheet, value) for value in row])
                    written += 1
                    if chunk := pipe.drain():
                        yield chunk
                worksheet.close()
        if before_closing is not None:
            before_closing(written)
        _PackageWriter(workbook, archive).save()
        yield pipe.drain()
    except BaseException:
        _abandon(workbook, archive)
        raise


def _abandon(workbook: Workbook, archive: ZipFile) -> None:
    """Stop a workbook cut short (the download closed, or a row failed to read) now, not in the garbage
    collector: openpyxl's sheet writers would end their XML into entries already closed, and the archive
    its directory into a pipe nobody reads. Whatever they say while stopping is of no use to anyone."""
    for worksheet in workbook.worksheets:
        writer = getattr(worksheet, "_writer", None)
        for generator in (worksheet._rows, writer.xf if writer is not None else None):
            if generator is not None:
                with suppress(Exception):
                    generator.close()
    with suppress(Exception):
        archive.close()


def _start(worksheet, header: Sequence[str], part) -> None:
    """The sheet's top (frozen header, column widths), written into its entry, then the header row."""
    worksheet.freeze_panes = "A2"
    for index, name in enumerate(header, 1):
        worksheet.column_dimensions[get_column_letter(index)].width = min(max(len(name) + 2, 10), MAX_WIDTH)
    worksheet._writer = WorksheetWriter(worksheet, out=part)
    worksheet._writer.write_top()
    bold = Font(bold=True)
    cells = []
    for name in header:
        cell = _cell(worksheet, name, always_a_cell=True)
        cell.font = bold
        cells.append(cell)
    worksheet.append(cells)


def _cell(worksheet, value: Any, *, always_a_cell: bool = False):
    """A value as openpyxl should store it: texts cleaned and never read as a formula."""
    if not isinstance(value, str):
        return WriteOnlyCell(worksheet, value) if always_a_cell else value
    cell = WriteOnlyCell(worksheet, ILLEGAL_CHARACTERS_RE.sub("", value))
    if cell.data_type == "f":
        cell.data_type = "s"
    return cell


def _title(text: str, number: int) -> str:
    """A sheet name Excel accepts: the refused characters blanked, cut to 31; the number when empty."""
    return text.translate(TITLE_REFUSED).strip()[:TITLE_LENGTH] or f"Sheet{number}"
