"""Whether a registration number can be an organisation's, by the rules of its country's register.

Pure: no Flask, no database. A number is checked where its country's format is fixed and carries a check
digit or a fixed length; elsewhere any number of digits, letters and dashes passes (the form's own rule).
Russia: the OGRN of a legal entity (13 digits; the last is the first twelve modulo 11, then modulo 10),
or the OGRNIP of an individual entrepreneur (15 digits; modulo 13, then 10). Finland: the Business ID
(Y-tunnus, 1234567-8, weighted modulo 11). Belarus (UNP), Kazakhstan (BIN) and Estonia (registry code):
their fixed number of digits.
"""

from __future__ import annotations

import re

from certify.textmarks import N_

NOT_AN_OGRN = N_("An OGRN has 13 digits (an OGRNIP 15): check it against the extract from the register.")
OGRN_CHECK_DIGIT = N_(
    "The last digit of this OGRN does not match the others: check the number against the extract from "
    "the register."
)
NOT_A_BUSINESS_ID = N_("A Finnish Business ID has seven digits, a dash and a check digit, e.g. 1572860-0.")
BUSINESS_ID_CHECK_DIGIT = N_("The check digit of this Business ID does not match: check the number.")
DIGITS = N_("A registration number of this country has %(n)s digits.")

#: countries whose numbers are only a fixed count of digits
_DIGIT_COUNTS = {"BY": 9, "KZ": 12, "EE": 8}
_FINNISH_WEIGHTS = (7, 9, 10, 5, 8, 4, 2)


def normalised(number: str) -> str:
    """The number without the spaces people put between its groups, in upper case."""
    return re.sub(r"\s+", "", number).upper()


def problem(country: str, number: str) -> tuple[str, dict] | None:
    """(English template marked with N_, its params) when `number` cannot be of `country`; else None."""
    number = normalised(number)
    if country == "RU":
        return _russian(number)
    if country == "FI":
        return _finnish(number)
    if country in _DIGIT_COUNTS:
        digits = _DIGIT_COUNTS[country]
        return None if re.fullmatch(rf"\d{{{digits}}}", number) else (DIGITS, {"n": digits})
    return None


def _russian(number: str) -> tuple[str, dict] | None:
    if not re.fullmatch(r"\d{13}|\d{15}", number):
        return NOT_AN_OGRN, {}
    body, check = number[:-1], int(number[-1])
    modulus = 11 if len(number) == 13 else 13
    return None if int(body) % modulus % 10 == check else (OGRN_CHECK_DIGIT, {})


def _finnish(number: str) -> tuple[str, dict] | None:
    match = re.fullmatch(r"(\d{7})-(\d)", number)
    if match is None:
        return NOT_A_BUSINESS_ID, {}
    remainder = sum(int(d) * w for d, w in zip(match[1], _FINNISH_WEIGHTS, strict=True)) % 11
    expected = 0 if remainder == 0 else 11 - remainder  # a remainder of 1 is never issued: 10 is no digit
    return None if expected == int(match[2]) else (BUSINESS_ID_CHECK_DIGIT, {})
