"""Numbers as the reader writes them ("0,815" and "97 %" in Russian), a dash where there is none."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

from flask_babel import format_decimal, format_percent

DASH = "—"


def as_decimal(value: Fraction | Decimal | int) -> Decimal:
    """An exact fraction as a Decimal for Babel (to 28 significant digits, far beyond what is printed)."""
    if isinstance(value, Fraction):
        return Decimal(value.numerator) / Decimal(value.denominator)
    return Decimal(value)


def decimal(value: Fraction | Decimal | int | None, pattern: str = "0.000") -> str:
    if value is None:
        return DASH
    return format_decimal(as_decimal(value), pattern)


def share(value: Fraction | None) -> str:
    if value is None:
        return DASH
    return format_percent(as_decimal(value))
