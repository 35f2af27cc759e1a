"""What the loader reports about a standard file: `Problem`, `StandardInvalid` and path helpers."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

#: A location in the parsed document: keys and list indexes from the root.
PathParts = tuple[str | int, ...]


@dataclass(frozen=True)
class Problem:
    """One mistake in a standard file, located by path and line.

    `message` is the English text; `template` and `params` let the web layer translate it
    (`gettext(template).format(**params)`).
    """

    path: str
    line: int | None
    message: str
    source_name: str = ""
    template: str = ""
    params: Mapping[str, Any] = field(default_factory=dict)

    def __str__(self) -> str:
        place = ":".join(
            part for part in (self.source_name, "" if self.line is None else str(self.line)) if part
        )
        located = ": ".join(part for part in (place, self.path) if part)
        return f"{located}: {self.message}" if located else self.message


class FileInvalid(ValueError):
    """A data file (a standard, an item bank) is not valid; `problems` lists every mistake found."""

    def __init__(self, problems: Iterable[Problem]):
        self.problems = tuple(problems)
        super().__init__("\n".join(str(problem) for problem in self.problems))


class StandardInvalid(FileInvalid):
    """The file is not a valid standard."""


def format_path(parts: PathParts) -> str:
    """`('areas', 2, 'weight')` -> `'areas[2].weight'`."""
    text = ""
    for part in parts:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else part)
    return text


class Locator:
    """Builds problems for one file, finding each path's line in the marks of the YAML reader."""

    def __init__(self, source_name: str):
        self.source_name = source_name
        #: path -> 1-based line where its value starts; filled by `certify.standards.yamlmarks`
        self.lines: dict[PathParts, int] = {}
        self.problems: list[Problem] = []

    def line_of(self, parts: PathParts) -> int | None:
        """The line of `parts`, or of its nearest ancestor when the path itself is absent."""
        parts = tuple(parts)
        while parts not in self.lines and parts:
            parts = parts[:-1]
        return self.lines.get(parts)

    def report(self, parts: PathParts, template: str, **params: Any) -> None:
        """Record a problem at `parts`, located on the line of that path."""
        self.report_at(parts, self.line_of(parts), template, **params)

    def report_at(self, parts: PathParts, line: int | None, template: str, **params: Any) -> None:
        """Record a problem at `parts` on an explicit `line`."""
        self.problems.append(
            Problem(
                path=format_path(parts),
                line=line,
                message=template.format(**params),
                source_name=self.source_name,
                template=template,
                params=params,
            )
        )
