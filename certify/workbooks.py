"""Reading an uploaded XLSX workbook with a bound on what openpyxl may decompress: `open_bounded`.

Shared by the questionnaire's offline workbook and the item bank's: both read files people send, and a
small archive can make openpyxl read the same large part over and over (each opening is charged).
"""

from __future__ import annotations

import zipfile
from io import BytesIO

from openpyxl.reader.excel import ExcelReader

#: each opening of a part is charged at least this much, however small the part
OPENING_COST = 64 * 1024


class OverBudget(Exception):
    """openpyxl asked for more than the budget: the workbook reads the same parts over and over."""


class _BudgetedArchive(zipfile.ZipFile):
    """The upload's ZIP, charging each part openpyxl opens against the budget."""

    def __init__(self, data: bytes, budget: int):
        super().__init__(BytesIO(data))
        self.left = budget

    def open(self, name, mode="r", pwd=None, *, force_zip64=False):
        if mode == "r":
            # The declared size is what zipfile will return at most (the caller checked it already).
            info = name if isinstance(name, zipfile.ZipInfo) else self.getinfo(name)
            self.left -= max(info.file_size, OPENING_COST)
            if self.left < 0:
                raise OverBudget()
        return super().open(name, mode, pwd, force_zip64=force_zip64)


def open_bounded(data: bytes, budget: int):
    """The workbook in openpyxl's read-only mode; raises OverBudget past `budget` bytes read.

    This is `load_workbook(read_only=True)` with openpyxl's own reader, given the budgeted archive before
    it reads anything (openpyxl is pinned; its reader keeps the archive in `archive` and `valid_files`).
    """
    reader = ExcelReader(BytesIO(data), read_only=True, keep_vba=False, data_only=False, keep_links=False)
    reader.archive.close()
    reader.archive = _BudgetedArchive(data, budget)
    reader.valid_files = reader.archive.namelist()
    reader.read()
    return reader.wb
