"""Reading a YAML data file in four stages: size, YAML, shape, meaning. Shared by standards and item banks.

Each stage runs only when the one before found nothing wrong, because later stages rely on what earlier
ones guarantee, and every problem is located (file, line, path). Pure: no Flask, no SQLAlchemy.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator

from certify.standards import messages
from certify.standards.problems import FileInvalid, Locator, Problem
from certify.standards.shape import check_shape
from certify.standards.yamlmarks import read_yaml


def read_data(
    raw: str | bytes,
    source_name: str,
    *,
    max_bytes: int,
    check_meaning: Callable[[Any, Locator], None],
    validator: Draft202012Validator | None = None,
) -> tuple[Any, list[Problem]]:
    """The file's plain data and its problems (data is None when a stage before meaning failed).

    `validator` checks the shape (the standard's schema by default); `check_meaning` reports the rest.
    """
    locator = Locator(source_name)
    size = len(raw.encode("utf-8") if isinstance(raw, str) else raw)
    if size > max_bytes:
        _report_too_large(locator, size, max_bytes)
        return None, locator.problems
    text = decode_text(raw, locator)
    if text is None:
        return None, locator.problems
    data = read_yaml(text, locator)
    if locator.problems:
        return None, locator.problems
    check_shape(data, locator, validator)
    if locator.problems:
        return None, locator.problems
    check_meaning(data, locator)
    return data, locator.problems


def read_file_bytes(path: Path, max_bytes: int, invalid: type[FileInvalid]) -> bytes:
    """The file's bytes; a file over `max_bytes` raises `invalid` before it is read into memory."""
    size = path.stat().st_size
    if size > max_bytes:
        locator = Locator(path.name)
        _report_too_large(locator, size, max_bytes)
        raise invalid(locator.problems)
    return path.read_bytes()


def decode_text(raw: str | bytes, locator: Locator) -> str | None:
    """UTF-8 text (a byte-order mark allowed); None, with the line of the first bad byte reported."""
    if isinstance(raw, str):
        return raw
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw.count(b"\n", 0, error.start) + 1
        locator.report_at((), line, messages.NOT_UTF8, error=error.reason)
        return None


def _report_too_large(locator: Locator, size: int, limit: int) -> None:
    locator.report_at((), None, messages.FILE_TOO_LARGE, size=size, limit=limit)
