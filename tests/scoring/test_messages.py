"""Reasons and errors in both languages: one template table per language, parameters rendered per locale."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest

from certify.scoring import Reason, ScoringInputError
from certify.scoring.messages import EN, RU, render_param
from certify.standards.definition import Text

D = Decimal
FINANCING = Text(ru="Финансирование", en="Financing")
ADVANCED = Text(ru="Продвинутый", en="Advanced")


def placeholders(template: str) -> set[str]:
    return set(re.findall(r"%\((\w+)\)s", template))


def test_both_languages_say_the_same_things_with_the_same_parameters():
    assert EN.keys() == RU.keys()
    assert {code: placeholders(t) for code, t in EN.items()} == {
        code: placeholders(t) for code, t in RU.items()
    }


@pytest.mark.parametrize(
    ("locale", "expected"),
    [
        ("en", "Area 'Financing' is 38.0, below the 40.0 level 'Advanced' requires."),
        ("ru", "Область «Финансирование»: 38,0 — ниже 40,0, требуемых для уровня «Продвинутый»."),
    ],
)
def test_a_reason_reads_in_the_requested_language(locale, expected):
    params = {"area": FINANCING, "area_id": "fin", "score": D("38.0"), "required": D(40), "level": ADVANCED}
    assert Reason("area_below_minimum", params).message(locale) == expected


def test_the_english_template_is_the_gettext_source():
    assert Reason("total_missing", {}).template == EN["total_missing"]


@pytest.mark.parametrize(
    ("value", "locale", "shown"),
    [
        (D("39.95"), "en", "40.0"),
        (D("39.95"), "ru", "40,0"),
        (D(40), "en_GB", "40.0"),
        (FINANCING, "ru_RU", "Финансирование"),
        (FINANCING, "en", "Financing"),
        (3, "ru", 3),
    ],
)
def test_parameters_render_in_the_locale(value, locale, shown):
    assert render_param(value, locale) == shown


def test_an_error_reads_in_both_languages_and_its_string_is_english():
    error = ScoringInputError("unknown_question", question="q9")
    assert str(error) == "There is no question 'q9' in this standard."
    assert error.message("ru") == "В этом стандарте нет вопроса «q9»."
