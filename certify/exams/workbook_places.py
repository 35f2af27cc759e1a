"""Where a problem in a bank workbook is, as its author sees it: `SheetProblem` and `relocate`.

Pure: no Flask, no SQLAlchemy. A workbook is checked by converting it to the bank's YAML and validating
that, so the schema and the checks report YAML paths (`items[3].options`) and lines of a file the author
never saw. `relocate` moves each of them onto the sheet, row and column the value came from, rewording
the few messages that speak of YAML (a line number, a list of options) and keeping the path when no cell
holds the value. `problem_text` words any problem, a YAML file's or a workbook's, in a given language.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from certify.exams import messages
from certify.standards import messages as file_messages
from certify.standards.problems import Problem

Gettext = Callable[[str], str]
Place = tuple[str, int | None, str]
#: the checks' key problems are reported on an item's options; in a workbook the key is its own column
_KEY_TEMPLATES = {
    messages.SINGLE_CHOICE_KEY,
    messages.MULTIPLE_CHOICE_NO_KEY,
    messages.MULTIPLE_CHOICE_ALL_KEYS,
}
#: (path with list indexes as "#", template) -> the workbook's wording, and its column when it differs
_REWORDED: dict[tuple[tuple[str, ...], str], tuple[str, str | None]] = {
    (("items", "#", "options"), file_messages.SCHEMA_TOO_FEW): (messages.WB_TOO_FEW_OPTIONS, "option 1 id"),
    (("blueprints", "#", "areas"), file_messages.SCHEMA_TOO_FEW): (messages.WB_BLUEPRINT_NO_AREAS, None),
    (("areas",), file_messages.SCHEMA_TOO_FEW): (messages.WB_NO_AREAS, None),
    (("version",), file_messages.SCHEMA_PATTERN): (messages.WB_VERSION_FORM, None),
    ((), file_messages.FILE_TOO_LARGE): (messages.WB_CONVERTED_TOO_LARGE, None),
}


def _untranslated(template: str) -> str:
    return template


@dataclass(frozen=True)
class SheetProblem(Problem):
    """A problem located in a workbook: sheet name, row number and column header, as the author sees them.

    `row` is None for the whole sheet and `column` empty for the whole row; without a sheet the problem
    is about the whole file, or about a value no cell holds, which `path` then names.
    """

    sheet: str = ""
    row: int | None = None
    column: str = ""

    def where(self, gettext: Gettext = _untranslated) -> str:
        """Where the problem is, e.g. `Sheet items, row 12, column key`, in the language of `gettext`."""
        if not self.sheet:
            return self.path
        if self.row is None:
            return gettext(messages.WB_AT_SHEET).format(sheet=self.sheet)
        if not self.column:
            return gettext(messages.WB_AT_ROW).format(sheet=self.sheet, row=self.row)
        return gettext(messages.WB_AT_CELL).format(sheet=self.sheet, row=self.row, column=self.column)

    def __str__(self) -> str:
        return problem_text(self)


def problem_text(problem: Problem, gettext: Gettext = _untranslated) -> str:
    """The problem in one line, translated by `gettext`: "file: where: what", as `str(problem)` in English."""
    message = gettext(problem.template).format(**problem.params) if problem.template else problem.message
    if isinstance(problem, SheetProblem):
        place, where = problem.source_name, problem.where(gettext)
    else:
        line = "" if problem.line is None else str(problem.line)
        place, where = ":".join(part for part in (problem.source_name, line) if part), problem.path
    return ": ".join(part for part in (place, where, message) if part)


def relocate(
    problems: list[Problem], places: Mapping[tuple, Place], data: dict[str, Any], source_name: str
) -> list[SheetProblem]:
    """The YAML's problems on the cells they came from (`places`: path -> sheet, row, column)."""
    return [_relocated(problem, places, data, source_name) for problem in problems]


def _relocated(problem: Problem, places: Mapping[tuple, Place], data: dict[str, Any], source_name: str):
    parts = _parts(problem.path)
    template, params = problem.template, dict(problem.params)
    sheet, row, column = _place(parts, places)
    if template in _KEY_TEMPLATES:
        column = "key"
    reworded = _REWORDED.get((tuple("#" if isinstance(p, int) else p for p in parts), template))
    if reworded is not None:
        template, column = reworded[0], reworded[1] if reworded[1] is not None else column
    elif template == file_messages.DUPLICATE_ID:
        # "first used on line 40" names a line of the converted YAML; the author needs the row or column.
        template, params["first"] = _first_use(parts, params["id"], places, data)
    return SheetProblem(
        path=problem.path,
        line=None,
        message=template.format(**params),
        source_name=source_name,
        template=template,
        params=params,
        sheet=sheet,
        row=row,
        column=column,
    )


def _first_use(parts: tuple, value: str, places: Mapping[tuple, Place], data: dict[str, Any]):
    """The wording and the row (or, for an option, the column) where the duplicated id was first used."""
    entries_path = parts[:-2]  # (..., "items", 7, "id") -> (..., "items")
    entries: Any = data
    for part in entries_path:
        entries = entries[part]
    first = next(index for index, entry in enumerate(entries) if entry.get("id") == value)
    if entries_path[-1] == "options":
        return messages.WB_DUPLICATE_OPTION, _place((*entries_path, first, "id"), places)[2]
    return messages.WB_DUPLICATE_ROW, _place((*entries_path, first), places)[1]


def _place(parts: tuple, places: Mapping[tuple, Place]) -> Place:
    """The place of `parts`, or of its nearest ancestor that has one; ("", None, "") for none."""
    while parts not in places and parts:
        parts = parts[:-1]
    return places.get(parts, ("", None, ""))


def _parts(path: str) -> tuple[str | int, ...]:
    """`items[3].options` -> `("items", 3, "options")`, the inverse of `format_path`."""
    return tuple(
        int(index) if index else name for name, index in re.findall(r"([A-Za-z_][\w]*)|\[(\d+)\]", path)
    )
