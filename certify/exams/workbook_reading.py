"""Reading an item bank back from the XLSX workbook its authors edited offline: `read_bank_workbook`.

Pure: no Flask, no SQLAlchemy. The workbook (laid out by `certify.exams.workbook`) is converted to the
bank's YAML text, so that what is stored, hashed and read everywhere else stays one format, and that text
goes through the normal validation (`certify.exams.bank.validate_bank_text`). In stages, each only when
the one before found nothing wrong:

1. the file: at most `MAX_FILE_BYTES`, an XLSX by its content, an archive safe to unpack (the bounded
   reading of `certify.questionnaire.workbook`: sizes from the ZIP's directory before anything is
   parsed, then a budget on what openpyxl decompresses); anything else is one sentence, never a traceback;
2. the sheets: every sheet and column there, required cells filled, numbers that are numbers, a key
   naming options of its row (`certify.exams.workbook_sheets`);
3. the bank: schema and checks on the YAML text (`certify.exams.workbook_yaml`), each problem moved
   back onto its cell (`certify.exams.workbook_places`).

Every problem names the sheet, row and column: `Sheet items, row 12, column key: the key names option
'e', which this row does not have (its options: a, b, c)`.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from io import BytesIO
from typing import Any

from certify.exams import messages
from certify.exams.bank import MAX_FILE_BYTES, validate_bank_text
from certify.exams.workbook import AREAS, BANK, BLUEPRINT_AREAS, BLUEPRINTS, HEADERS, ITEMS, MAX_OPTIONS
from certify.exams.workbook_places import SheetProblem, problem_text, relocate
from certify.exams.workbook_sheets import SheetReader, key_ids
from certify.exams.workbook_yaml import bank_yaml
from certify.questionnaire import filetypes
from certify.standards import messages as file_messages
from certify.standards.problems import PathParts, Problem
from certify.workbooks import OverBudget, open_bounded

__all__ = ["SheetProblem", "WorkbookRead", "is_workbook", "problem_text", "read_bank_workbook"]

MB = 1024 * 1024
#: Unpacked, all parts together and each one. The default bank's workbook as Certify writes it (inline
#: strings) unpacks to 0.9 MB, 0.87 MB of it the items sheet; a bank at the 2 MiB limit of its YAML file
#: would need about 6 MB.
MAX_EXPANDED = 16 * MB
MAX_PART = 12 * MB
#: what openpyxl may decompress while reading: it opens every sheet twice (its size, then its rows)
READ_BUDGET = 2 * MAX_EXPANDED
_ZIP_SIGNATURE = b"PK\x03\x04"
_WORKBOOK_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".ods")


@dataclass(frozen=True)
class WorkbookRead:
    """The bank's YAML text when the workbook is a valid bank (else None), and every problem found."""

    text: str | None
    problems: list[Problem]


def is_workbook(data: bytes, name: str) -> bool:
    """Whether a file should be read as a workbook: a ZIP by its content, or a spreadsheet's extension.

    A spreadsheet that is not an XLSX (.xls, .ods) is then refused in one sentence instead of being
    parsed as YAML.
    """
    return data.startswith(_ZIP_SIGNATURE) or name.lower().endswith(_WORKBOOK_SUFFIXES)


def read_bank_workbook(data: bytes, *, source_name: str = "bank.xlsx") -> WorkbookRead:
    """The bank in the workbook as YAML text, or every problem in it, each located on its cell."""
    refusal = _refusal(data)
    if refusal is not None:
        return WorkbookRead(None, [_whole_file(source_name, *refusal)])
    reader = SheetReader(source_name)
    try:
        # openpyxl warns about what it drops (extensions, odd styles); none of it is part of a bank.
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            book = open_bounded(data, READ_BUDGET)
            try:
                bank_data = _bank_data(book, reader)
            finally:
                book.close()
    except OverBudget:
        return WorkbookRead(None, [_whole_file(source_name, messages.WB_UNSAFE)])
    # A damaged file can fail deep inside openpyxl or the XML parser with almost any exception;
    # whatever it is, nothing from it is read.
    except Exception:
        return WorkbookRead(None, [_whole_file(source_name, messages.WB_DAMAGED)])
    if reader.problems:
        return WorkbookRead(None, list(reader.problems))
    text = bank_yaml(bank_data)
    problems = validate_bank_text(text, source_name=source_name)
    if problems:
        return WorkbookRead(None, list(relocate(problems, reader.places, bank_data, source_name)))
    return WorkbookRead(text, [])


def _refusal(data: bytes) -> tuple[str, dict[str, Any]] | None:
    """The reason the whole file is not read: too large, not an XLSX, or an archive unsafe to unpack."""
    if len(data) > MAX_FILE_BYTES:
        return file_messages.FILE_TOO_LARGE, {"size": len(data), "limit": MAX_FILE_BYTES}
    if not data.startswith(_ZIP_SIGNATURE):
        return messages.WB_NOT_XLSX, {}
    stream = BytesIO(data)
    try:
        if filetypes.detect_kind(stream, size=len(data)) != filetypes.FileKind.XLSX:
            return messages.WB_NOT_XLSX, {}
        filetypes.check_zip(stream, size=len(data), max_total=MAX_EXPANDED, max_member=MAX_PART)
    except filetypes.FileRefused:
        return messages.WB_UNSAFE, {}
    return None


def _whole_file(source_name: str, template: str, params: dict[str, Any] | None = None) -> SheetProblem:
    params = params or {}
    return SheetProblem(
        path="",
        line=None,
        message=template.format(**params),
        source_name=source_name,
        template=template,
        params=params,
    )


# --- the sheets as the bank file's data -------------------------------------------------------------


def _bank_data(book, reader: SheetReader) -> dict[str, Any]:
    rows = {name: reader.rows(book, name, headers) or [] for name, headers in HEADERS.items()}
    data = _bank(reader, rows[BANK])
    for name in (AREAS, BLUEPRINTS, ITEMS):
        reader.place((name,), None, sheet=name)
    data["areas"] = [_area(reader, (AREAS, index), row) for index, row in enumerate(rows[AREAS])]
    data["blueprints"] = _blueprints(reader, rows[BLUEPRINTS], rows[BLUEPRINT_AREAS])
    data["items"] = [_item(reader, (ITEMS, index), row) for index, row in enumerate(rows[ITEMS])]
    return data


def _bank(reader: SheetReader, rows: list) -> dict[str, Any]:
    if not rows:
        if not any(problem.sheet == BANK for problem in reader.problems):
            reader.report((BANK, None, ""), messages.WB_BANK_NO_ROW)
        return {}
    for extra in rows[1:]:
        reader.report((BANK, extra.number, ""), messages.WB_BANK_SECOND_ROW)
    row = rows[0]
    return {
        "code": reader.name(row, "code", ("code",)),
        "version": reader.name(row, "version", ("version",)),
        "title": _text(reader, row, "title", ("title",)),
    }


def _area(reader: SheetReader, path: PathParts, row) -> dict[str, Any]:
    reader.place(path, row)
    title = _text(reader, row, "title", (*path, "title"))
    return {"id": reader.name(row, "id", (*path, "id")), "title": title}


def _blueprints(reader: SheetReader, rows: list, area_rows: list) -> list[dict[str, Any]]:
    blueprints, first_of = [], {}
    for index, row in enumerate(rows):
        path = ("blueprints", index)
        reader.place(path, row)
        reader.place((*path, "areas"), row)
        blueprint = {
            "id": reader.name(row, "id", (*path, "id")),
            "title": _text(reader, row, "title", (*path, "title")),
            "time_limit_minutes": reader.number(row, "time_limit_minutes", (*path, "time_limit_minutes")),
            "pass_mark": reader.number(row, "pass_mark", (*path, "pass_mark"), percent=True),
            "areas": [],
        }
        blueprints.append(blueprint)
        # A repeated id is the checks' to report; its area rows go to the first blueprint of that id.
        first_of.setdefault(blueprint["id"], index)
    for row in area_rows:
        owner = reader.name(row, "blueprint", None)
        if owner is not None and owner not in first_of:
            reader.report((row.sheet, row.number, "blueprint"), messages.WB_BLUEPRINT_UNKNOWN, id=owner)
        if owner not in first_of:
            continue
        parts = blueprints[first_of[owner]]["areas"]
        path = ("blueprints", first_of[owner], "areas", len(parts))
        reader.place(path, row)
        parts.append(
            {
                "area": reader.name(row, "area", (*path, "area")),
                "items": reader.number(row, "items", (*path, "items")),
                "pass_mark": reader.number(row, "pass_mark", (*path, "pass_mark"), percent=True),
            }
        )
    return blueprints


def _item(reader: SheetReader, path: PathParts, row) -> dict[str, Any]:
    reader.place(path, row)
    item = {
        "id": reader.name(row, "id", (*path, "id")),
        "version": reader.number(row, "version", (*path, "version")),
        "area": reader.name(row, "area", (*path, "area")),
        "status": reader.name(row, "status", (*path, "status")),
        "type": reader.name(row, "type", (*path, "type")),
        "stem": _text(reader, row, "stem", (*path, "stem")),
        "options": _options(reader, row, path),
        "rationale": _text(reader, row, "rationale", (*path, "rationale")),
        "source": _source(reader, row, path),
    }
    ids = [option["id"] for option in item["options"]]
    key = key_ids(reader.text(row, "key", None, required=False))
    for option_id in key:
        if option_id not in ids:
            known = ", ".join(str(i) for i in ids if i)
            where = (ITEMS, row.number, "key")
            reader.report(where, messages.WB_KEY_UNKNOWN, option=option_id, options=known)
    for option in item["options"]:
        if option["id"] in key:
            option["correct"] = True
    return item


def _options(reader: SheetReader, row, path: PathParts) -> list[dict[str, Any]]:
    reader.place((*path, "options"), row, "option 1 id")
    options = []
    for number in range(1, MAX_OPTIONS + 1):
        headers = (f"option {number} id", f"option {number} (ru)", f"option {number} (en)")
        if not any(reader.filled(row, header) for header in headers):
            continue  # an unused option slot, wherever it is
        where = (*path, "options", len(options))
        reader.place(where, row, headers[0])
        reader.place((*where, "text"), row, headers[1])
        text = {
            "ru": reader.text(row, headers[1], (*where, "text", "ru")),
            "en": reader.text(row, headers[2], (*where, "text", "en")),
        }
        options.append({"id": reader.name(row, headers[0], (*where, "id")), "text": text})
    return options


def _source(reader: SheetReader, row, path: PathParts) -> dict[str, Any]:
    where = (*path, "source")
    reader.place(where, row, "source indicator")
    source: dict[str, Any] = {}
    indicator = reader.name(row, "source indicator", (*where, "indicator"), required=False)
    if indicator is not None:
        source["indicator"] = indicator
    # Naming both, or neither, is the checks' to report ("exactly one of: an indicator, a document").
    if reader.filled(row, "source document (ru)") or reader.filled(row, "source document (en)"):
        source["document"] = _text(reader, row, "source document", (*where, "document"))
    return source


def _text(reader: SheetReader, row, name: str, path: PathParts) -> dict[str, str | None]:
    """A bilingual text from the columns `<name> (ru)` and `<name> (en)`, both required."""
    reader.place(path, row, f"{name} (ru)")
    return {
        "ru": reader.text(row, f"{name} (ru)", (*path, "ru")),
        "en": reader.text(row, f"{name} (en)", (*path, "en")),
    }
