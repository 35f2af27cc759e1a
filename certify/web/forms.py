"""Helpers shared by the forms of every domain."""

from __future__ import annotations

from collections.abc import Iterable

from wtforms.fields.choices import SelectChoice


def select_choices(pairs: Iterable[tuple[object, object]]) -> list[SelectChoice]:
    """(value, label) pairs as the choice objects WTForms expects."""
    return [SelectChoice(value, label) for value, label in pairs]
