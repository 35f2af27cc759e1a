"""Reads one version of a standard from YAML: `load_standard` and `validate_standard_text`.

Pure: no Flask, no SQLAlchemy. A file goes through four stages, and each stage runs only when the
one before found nothing wrong, because later stages rely on what earlier ones guarantee:

1. size: more than `MAX_FILE_BYTES` is refused before parsing;
2. YAML: syntax, duplicate keys, aliases (`certify.standards.yamlmarks`);
3. shape: `schema.json` (`certify.standards.shape`);
4. meaning: ids, references, weights, bands, levels (`certify.standards.checks`).

Every problem carries the path and line it concerns, e.g.
`cmq-1.0.yaml:123: areas[2].indicators[0].questions[1].visible_if: refers to 'x', ...`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from certify.standards import messages
from certify.standards.build import build_standard
from certify.standards.checks import check_standard
from certify.standards.definition import Standard
from certify.standards.diff import diff_standards
from certify.standards.problems import Locator, Problem, StandardInvalid
from certify.standards.shape import check_shape
from certify.standards.yamlmarks import read_yaml

__all__ = [
    "LIBRARY",
    "MAX_FILE_BYTES",
    "Problem",
    "StandardInvalid",
    "diff_standards",
    "load_standard",
    "load_standard_file",
    "validate_standard_text",
]

#: Real standards are a few hundred kilobytes; the limit keeps uploads from tying up a worker.
MAX_FILE_BYTES = 2 * 1024 * 1024
#: The standards shipped with Certify, one YAML file per version: `<code>-<version>.yaml`.
LIBRARY = Path(__file__).with_name("library")


def validate_standard_text(
    text_or_bytes: str | bytes, *, source_name: str = "standard.yaml"
) -> list[Problem]:
    """Every problem in the file, in file order within each stage; empty when it is valid."""
    return _read(text_or_bytes, source_name)[1]


def load_standard(text_or_bytes: str | bytes, *, source_name: str) -> Standard:
    """The `Standard` in the file; raises `StandardInvalid` listing every problem."""
    data, problems = _read(text_or_bytes, source_name)
    if problems:
        raise StandardInvalid(problems)
    return build_standard(data)


def load_standard_file(path: Path) -> Standard:
    """Load a standard from `path` (e.g. `LIBRARY / 'cmq-1.0.yaml'`), naming problems after it."""
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        # Refuse before reading, so a huge file never reaches memory.
        locator = Locator(path.name)
        _report_too_large(locator, size)
        raise StandardInvalid(locator.problems)
    return load_standard(path.read_bytes(), source_name=path.name)


def _read(raw: str | bytes, source_name: str) -> tuple[Any, list[Problem]]:
    locator = Locator(source_name)
    size = len(raw.encode("utf-8") if isinstance(raw, str) else raw)
    if size > MAX_FILE_BYTES:
        _report_too_large(locator, size)
        return None, locator.problems
    text = _decode(raw, locator)
    if text is None:
        return None, locator.problems
    data = read_yaml(text, locator)
    if locator.problems:
        return None, locator.problems
    check_shape(data, locator)
    if locator.problems:
        return None, locator.problems
    check_standard(data, locator)
    return data, locator.problems


def _report_too_large(locator: Locator, size: int) -> None:
    locator.report_at((), None, messages.FILE_TOO_LARGE, size=size, limit=MAX_FILE_BYTES)


def _decode(raw: str | bytes, locator: Locator) -> str | None:
    if isinstance(raw, str):
        return raw
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw.count(b"\n", 0, error.start) + 1
        locator.report_at((), line, messages.NOT_UTF8, error=error.reason)
        return None
