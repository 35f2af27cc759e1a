"""Reads one version of a standard from YAML: `load_standard` and `validate_standard_text`.

Pure: no Flask, no SQLAlchemy. A file goes through four stages, and each stage runs only when the
one before found nothing wrong, because later stages rely on what earlier ones guarantee:

1. size: more than `MAX_FILE_BYTES` is refused before parsing;
2. YAML: syntax, duplicate keys, aliases (`certify.standards.yamlmarks`);
3. shape: `schema.json` (`certify.standards.shape`);
4. meaning: ids, references, weights, bands, levels (`certify.standards.checks`).

The stages are `certify.standards.reading`, which the exams' item banks share.

Every problem carries the path and line it concerns, e.g.
`cmq-1.0.yaml:123: areas[2].indicators[0].questions[1].visible_if: refers to 'x', ...`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from certify.standards.build import build_standard
from certify.standards.checks import check_standard
from certify.standards.definition import Standard
from certify.standards.diff import diff_standards
from certify.standards.problems import Problem, StandardInvalid
from certify.standards.reading import read_data, read_file_bytes

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
    return load_standard(read_file_bytes(path, MAX_FILE_BYTES, StandardInvalid), source_name=path.name)


def _read(raw: str | bytes, source_name: str) -> tuple[Any, list[Problem]]:
    return read_data(raw, source_name, max_bytes=MAX_FILE_BYTES, check_meaning=check_standard)
