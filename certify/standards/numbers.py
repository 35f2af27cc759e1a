"""Number answers: the one rule for what a number question accepts, written once.

The questionnaire's fields, hence the page, the autosave and the workbook import, read typed text with
`parse_number` / `parse_integer`; stored answers are read back with them too, and the scoring engine
checks typed values with `check_number`. Python's `Decimal` alone would take far more than a person
types: `Infinity`, `NaN`, `sNaN` (which raises on comparison), `1E+999999` (a million digits once written
out, from nine characters), `1_000` and digits of other scripts. An answer is instead plain ASCII
decimal notation (a sign, digits, a point, an exponent), finite, with at most `MAX_DIGITS` digits before
the point and `MAX_PLACES` after it, so its stored form is at most 23 characters long. Given the reader's
locale, a number written the way that locale writes numbers is read too ("1 500,5" in Russian, "1,500.5"
in English; Babel's strict parser decides), within the same bounds.
Pure: no Flask, no SQLAlchemy. Refusals raise `NumberRefused` with an English template marked for
translation and its params.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from babel.numbers import NumberFormatError, get_group_symbol, parse_decimal

from certify.textmarks import N_

#: digits before the decimal point: below 10**15, the widest integers both databases and JSON carry exactly
MAX_DIGITS = 15
#: digits after it: kopecks of an amount in thousands of roubles need five
MAX_PLACES = 6
#: longer text is refused unread; a number within the limits needs far fewer characters
MAX_TEXT = 100

NOT_A_NUMBER = N_("Enter a number in digits, such as 1250 or 0.5.")
NOT_WHOLE = N_("Enter a whole number.")
TOO_MANY_DIGITS = N_("Enter a number with at most %(digits)s digits before the decimal point.")
TOO_MANY_PLACES = N_("Enter a number with at most %(places)s digits after the decimal point.")

_NOTATION = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE](?P<exponent>[+-]?[0-9]+))?")
#: what people type between groups of digits: a space, a no-break space, a narrow or thin space
_SPACES = re.compile(r"[ \u00a0\u202f\u2009]")
#: a locale-formatted number: digits, group and decimal marks, a sign; no exponent, no letters
_LOCALISED = re.compile(r"[+\-\u2212]?[0-9][0-9 \u00a0\u202f\u2009.,']*")


class NumberRefused(ValueError):
    """Not an acceptable number; `template % params` says why (an English template marked with N_)."""

    def __init__(self, template: str, **params: object):
        super().__init__(template % params)
        self.template = template
        self.params = params


def parse_number(text: str, locale: str | None = None) -> Decimal:
    """The number `text` writes (blanks around it ignored), exactly; raises `NumberRefused` otherwise.

    With a `locale` ("ru", "en"), the way that locale writes numbers is accepted as well.
    """
    text = text.strip()
    if len(text) > MAX_TEXT:
        raise NumberRefused(TOO_MANY_DIGITS, digits=MAX_DIGITS)
    match = _NOTATION.fullmatch(text)
    if match is None and locale is not None:
        text = _plain_notation(text, locale)
        match = _NOTATION.fullmatch(text)
    if match is None:
        raise NumberRefused(NOT_A_NUMBER)
    try:
        number = Decimal(text)
    except InvalidOperation:
        # Only an exponent beyond what Decimal can hold gets here: a number far too large or too small.
        if match["exponent"].startswith("-"):
            raise NumberRefused(TOO_MANY_PLACES, places=MAX_PLACES) from None
        raise NumberRefused(TOO_MANY_DIGITS, digits=MAX_DIGITS) from None
    check_number(number)
    return number if not number.is_zero() else Decimal(0)


def _plain_notation(text: str, locale: str) -> str:
    """`text` in plain notation if it is a number as `locale` writes it; otherwise `text` unchanged."""
    if _LOCALISED.fullmatch(text) is None:
        return text
    spaced = _SPACES.sub(get_group_symbol(locale), text.replace("\u2212", "-"))
    try:
        return str(parse_decimal(spaced, locale=locale, strict=True))
    except (NumberFormatError, InvalidOperation):
        return text


def parse_integer(text: str, locale: str | None = None) -> int:
    """The whole number `text` writes ("12", "12.0" or "1.2e1"); raises `NumberRefused` otherwise."""
    number = parse_number(text, locale)
    if number != number.to_integral_value():
        raise NumberRefused(NOT_WHOLE)
    return int(number)


def check_number(value: int | Decimal) -> None:
    """Raise `NumberRefused` unless `value` is finite and within `MAX_DIGITS` and `MAX_PLACES`."""
    if isinstance(value, int):
        if abs(value) >= 10**MAX_DIGITS:
            raise NumberRefused(TOO_MANY_DIGITS, digits=MAX_DIGITS)
        return
    if not value.is_finite():
        raise NumberRefused(NOT_A_NUMBER)
    if value.is_zero():
        return
    if value.adjusted() >= MAX_DIGITS:  # the place of the first digit: O(1), even for a million digits
        raise NumberRefused(TOO_MANY_DIGITS, digits=MAX_DIGITS)
    if _places(value) > MAX_PLACES:
        raise NumberRefused(TOO_MANY_PLACES, places=MAX_PLACES)


def _places(value: Decimal) -> int:
    """Digits after the point, trailing zeros not counted (1.50 has one)."""
    _, digits, exponent = value.as_tuple()
    trailing = len(digits) - len("".join(map(str, digits)).rstrip("0"))
    return max(0, -(exponent + trailing))
