"""Registration numbers checked by their country's rules: OGRN and OGRNIP check digits, Finnish IDs."""

from __future__ import annotations

import pytest

from certify.accounts import registration_numbers as numbers


@pytest.mark.parametrize(
    ("country", "number"),
    [
        ("RU", "1027700132195"),  # a real OGRN
        ("RU", "1027 7001 32195"),  # grouped as people copy it
        ("RU", "304500116000157"),  # an OGRNIP
        ("FI", "1572860-0"),
        ("FI", "0112038-9"),
        ("EE", "80123456"),
        ("BY", "304512345"),
        ("KZ", "123456789012"),
        ("DE", "HRB 12345"),  # no national rule here: the form's shape rule alone applies
    ],
)
def test_numbers_of_the_right_shape_and_check_digit_pass(country, number):
    assert numbers.problem(country, number) is None


@pytest.mark.parametrize(
    ("country", "number", "template"),
    [
        ("RU", "1027700132194", numbers.OGRN_CHECK_DIGIT),
        ("RU", "304500116000158", numbers.OGRN_CHECK_DIGIT),
        ("RU", "10277001321", numbers.NOT_AN_OGRN),
        ("RU", "102770013219A", numbers.NOT_AN_OGRN),
        ("FI", "1572860-1", numbers.BUSINESS_ID_CHECK_DIGIT),
        ("FI", "3141592-0", numbers.BUSINESS_ID_CHECK_DIGIT),  # remainder 1: never issued
        ("FI", "15728600", numbers.NOT_A_BUSINESS_ID),
        ("EE", "8012345", numbers.DIGITS),
    ],
)
def test_a_number_that_cannot_be_the_countrys_is_refused_with_the_reason(country, number, template):
    template_found, _ = numbers.problem(country, number)
    assert template_found == template
