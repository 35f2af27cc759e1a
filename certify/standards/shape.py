"""Checks the shape of a parsed data file against its JSON Schema and words each error plainly.

The standard's `schema.json` by default; an item bank passes its own validator (`validator_for`).
"""

from __future__ import annotations

import functools
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator, ValidationError

from certify.standards import messages
from certify.standards.problems import Locator

SCHEMA_PATH = Path(__file__).with_name("schema.json")

_TYPE_NAMES = {
    "string": "text",
    "integer": "a whole number",
    "number": "a number",
    "object": "a mapping",
    "array": "a list",
    "boolean": "true or false",
    "null": "nothing",
}
_PATTERN_HINTS = {
    "^[a-z][a-z0-9_]*$": "lowercase letters, digits and _, starting with a letter",
    "^[a-z0-9][a-z0-9_]*$": "lowercase letters, digits and _",
    "^[a-z][a-z0-9-]*$": "lowercase letters, digits and -, starting with a letter",
    "^[0-9]+\\.[0-9]+$": "major.minor, such as '1.0'; quote it so YAML keeps it as text",
    "^[a-z]$": "a single lowercase letter",
}
_LANGUAGES = {"ru", "en"}


@functools.cache
def validator_for(schema_path: Path) -> Draft202012Validator:
    """The validator for the JSON Schema at `schema_path`, built once per process."""
    schema = json.loads(schema_path.read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema)


def schema_validator() -> Draft202012Validator:
    """The validator for the standard's `schema.json`."""
    return validator_for(SCHEMA_PATH)


def check_shape(data: Any, locator: Locator, validator: Draft202012Validator | None = None) -> None:
    """Report every way `data` departs from the schema (the standard's by default), in file order."""
    errors = sorted(
        (validator or schema_validator()).iter_errors(data),
        key=lambda error: (
            locator.line_of(tuple(error.absolute_path)) or 0,
            [str(part) for part in error.absolute_path],
        ),
    )
    for error in errors:
        _report(error, locator)


def _found(value: Any) -> str:
    if isinstance(value, bool):
        return "true or false"
    if isinstance(value, (int, float, Decimal)):
        return f"the number {value}"
    if isinstance(value, str):
        return f"the text '{value}'"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if value is None:
        return "nothing"
    return f"a {type(value).__name__}"


def _report(error: ValidationError, locator: Locator) -> None:
    path = tuple(error.absolute_path)
    kind, limit, value = error.validator, error.validator_value, error.instance
    if kind == "required":
        name = next(n for n in limit if n not in value and error.message.startswith(repr(n)))
        if set(error.schema.get("properties", {})) == _LANGUAGES:
            locator.report(path, messages.SCHEMA_TRANSLATION, language=name)
        else:
            locator.report(path, messages.SCHEMA_REQUIRED, name=name)
    elif kind == "additionalProperties" and isinstance(value, dict):
        for name in sorted(set(value) - set(error.schema.get("properties", {}))):
            locator.report((*path, name), messages.SCHEMA_UNKNOWN, name=name)
    elif kind == "type":
        expected = " or ".join(_TYPE_NAMES[name] for name in _as_list(limit))
        locator.report(path, messages.SCHEMA_TYPE, expected=expected, found=_found(value))
    elif kind == "enum":
        locator.report(path, messages.SCHEMA_ENUM, allowed=", ".join(map(str, limit)))
    elif kind in ("minimum", "maximum", "exclusiveMinimum"):
        template = {
            "minimum": messages.SCHEMA_MINIMUM,
            "maximum": messages.SCHEMA_MAXIMUM,
            "exclusiveMinimum": messages.SCHEMA_EXCLUSIVE_MINIMUM,
        }[kind]
        locator.report(path, template, limit=limit, value=value)
    elif kind == "pattern" and limit == "\\S":
        locator.report(path, messages.SCHEMA_EMPTY_TEXT)
    elif kind == "pattern":
        hint = _PATTERN_HINTS.get(limit, limit)
        locator.report(path, messages.SCHEMA_PATTERN, value=value, hint=hint)
    elif kind in ("minItems", "maxItems"):
        template = messages.SCHEMA_TOO_FEW if kind == "minItems" else messages.SCHEMA_TOO_MANY
        locator.report(path, template, limit=limit)
    else:
        locator.report(path, messages.SCHEMA_OTHER, error=error.message)


def _as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]
