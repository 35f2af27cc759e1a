"""Numbers without bounds (issue 12): the one rule for number answers, on any text at all."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from certify.standards import numbers
from certify.standards.numbers import (
    MAX_DIGITS,
    MAX_PLACES,
    NOT_A_NUMBER,
    NOT_WHOLE,
    TOO_MANY_DIGITS,
    TOO_MANY_PLACES,
    NumberRefused,
    check_number,
    parse_integer,
    parse_number,
)

D = Decimal


def number_like() -> st.SearchStrategy[str]:
    """Text close to numbers: signs, digits, points, exponents of any size, special values, odd digits."""
    digits = st.text("0123456789", max_size=30)
    exponent = st.integers(-(10**30), 10**30).map(lambda e: f"e{e:+d}") | st.sampled_from(["", "E5", "e-7"])
    plain = st.builds(
        lambda sign, whole, point, fraction, tail: f"{sign}{whole}{point}{fraction}{tail}",
        st.sampled_from(["", "-", "+", " "]),
        digits,
        st.sampled_from(["", "."]),
        digits,
        exponent,
    )
    special = st.sampled_from(
        ["Infinity", "-inf", "NaN", "sNaN", "-sNaN", "nan", "1_000", "١٢", "0x10", "1e"]
    )
    return plain | special | st.text(max_size=40)


def within_the_rule(value: Decimal) -> bool:
    return value.is_finite() and abs(value) < 10**MAX_DIGITS and value == round(value, MAX_PLACES)


@given(number_like())
@example("1E+999999")
@example("9" * 400)
@example("1E-999999")
@example("1E+99999999999999999999999")
@example("-0.000")
def test_numbers_without_bounds_any_text_is_a_bounded_number_or_a_refusal(text):
    try:
        value = parse_number(text)
    except NumberRefused as refusal:
        assert refusal.template in (NOT_A_NUMBER, TOO_MANY_DIGITS, TOO_MANY_PLACES)
        assert str(refusal) == refusal.template % refusal.params
        return
    assert isinstance(value, Decimal) and within_the_rule(value)
    # What the questionnaire stores, read again, is the same number, and short.
    stored = format(value.normalize(), "f")
    assert len(stored) <= 1 + MAX_DIGITS + 1 + MAX_PLACES
    assert parse_number(stored) == value


@given(number_like())
def test_numbers_without_bounds_any_text_is_a_bounded_integer_or_a_refusal(text):
    try:
        value = parse_integer(text)
    except NumberRefused as refusal:
        assert refusal.template in (NOT_A_NUMBER, NOT_WHOLE, TOO_MANY_DIGITS, TOO_MANY_PLACES)
        return
    assert type(value) is int and abs(value) < 10**MAX_DIGITS


@given(st.decimals(allow_nan=True, allow_infinity=True) | st.integers())
def test_numbers_without_bounds_check_number_agrees_with_the_parser(value):
    try:
        check_number(value)
    except NumberRefused:
        assert not (isinstance(value, int) and abs(value) < 10**MAX_DIGITS)
        assert not (isinstance(value, Decimal) and within_the_rule(value))
    else:
        assert within_the_rule(Decimal(value))


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("12", D(12)),
        (" 0.5 ", D("0.5")),
        ("-3", D(-3)),
        ("+7", D(7)),
        ("1e3", D(1000)),
        ("1.50", D("1.5")),
        (".25", D("0.25")),
        ("5.", D(5)),
        ("999999999999999", D(10**15 - 1)),
        ("0.000001", D("0.000001")),
        ("1.0000000000", D(1)),
        ("-0", D(0)),
    ],
)
def test_numbers_without_bounds_plain_numbers_are_read_exactly(text, value):
    assert parse_number(text) == value


@pytest.mark.parametrize(
    ("text", "template"),
    [
        ("1E+999999", TOO_MANY_DIGITS),
        ("9" * 400, TOO_MANY_DIGITS),
        ("1000000000000000", TOO_MANY_DIGITS),
        ("0.0000001", TOO_MANY_PLACES),
        ("1E-999999", TOO_MANY_PLACES),
        ("Infinity", NOT_A_NUMBER),
        ("-inf", NOT_A_NUMBER),
        ("NaN", NOT_A_NUMBER),
        ("sNaN", NOT_A_NUMBER),
        ("1_000", NOT_A_NUMBER),
        ("١٢", NOT_A_NUMBER),
        ("0,5", NOT_A_NUMBER),
        ("", NOT_A_NUMBER),
    ],
)
def test_numbers_without_bounds_are_refused_with_a_reason(text, template):
    with pytest.raises(NumberRefused) as caught:
        parse_number(text)
    assert caught.value.template == template


@pytest.mark.parametrize(("text", "value"), [("12", 12), ("12.0", 12), ("1.2e1", 12), ("-0", 0)])
def test_numbers_without_bounds_whole_numbers_are_ints(text, value):
    assert parse_integer(text) == value and type(parse_integer(text)) is int


def test_numbers_without_bounds_a_fraction_is_not_a_whole_number():
    with pytest.raises(NumberRefused) as caught:
        parse_integer("1.5")
    assert caught.value.template == NOT_WHOLE


def test_numbers_without_bounds_a_huge_int_is_refused_without_converting_it():
    with pytest.raises(NumberRefused):
        numbers.check_number(10**1_000_000)


@pytest.mark.parametrize(
    ("text", "locale", "value"),
    [
        ("1 500,5", "ru", "1500.5"),
        ("1\u00a0500,5", "ru", "1500.5"),
        ("12\u202f345\u202f678,9", "ru", "12345678.9"),
        ("0,5", "ru", "0.5"),
        ("\u22122,5", "ru", "-2.5"),
        ("1500.5", "ru", "1500.5"),
        ("1,500.5", "en", "1500.5"),
        ("1 500.5", "en", "1500.5"),
        ("1,500", "en", "1500"),
    ],
)
def test_a_number_is_read_the_way_its_readers_locale_writes_it(text, locale, value):
    assert parse_number(text, locale) == Decimal(value)


@pytest.mark.parametrize(
    ("text", "locale"), [("1 50,5", "ru"), ("1,500.5", "ru"), ("0,5", "en"), ("1 500,5", None)]
)
def test_a_number_grouped_wrongly_or_for_another_locale_is_refused(text, locale):
    with pytest.raises(NumberRefused):
        parse_number(text, locale)


@given(
    number_like() | st.text(alphabet="0123456789 ,.\u00a0-\u2212", max_size=30), st.sampled_from(["ru", "en"])
)
def test_numbers_without_bounds_hold_for_locale_formatted_text_too(text, locale):
    try:
        value = parse_number(text, locale)
    except NumberRefused:
        return
    assert within_the_rule(value)
