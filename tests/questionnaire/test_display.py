"""The stored answer as a reader sees it (issue 13, item 7): labels, Yes/No, locale numbers with units."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from certify.questionnaire.display import shown_answer
from certify.standards import numbers
from certify.standards.definition import Question, QuestionType, Text
from certify.standards.format import LIBRARY, load_standard_file

STANDARD = load_standard_file(LIBRARY / "cmq-1.0.yaml")
QUESTIONS = {q.id: q for q in STANDARD.all_questions()}
NBSP = "\u00a0"
RUSSIAN = {"Yes": "Да", "No": "Нет"}


@pytest.mark.parametrize(
    ("question_id", "stored", "locale", "shown"),
    [
        (
            "gov_mandate_basis",
            "statutes_registry",
            "ru",
            "Уставом, решением участников и записью в реестре кластеров",
        ),
        (
            "gov_mandate_basis",
            "statutes_registry",
            "en",
            "The statutes, a members' decision and an entry in a cluster register",
        ),
        (
            "gov_board_type",
            "elected_helix",
            "en",
            "An elected board with business, research and public representatives",
        ),
        ("str_member_types", ["business", "research"], "ru", "Компании; Научные организации"),
        ("str_member_types", ["business", "research"], "en", "Companies; Research organisations"),
        ("str_admission_rules", "yes", "ru", "Да"),
        ("str_admission_rules", "no", "ru", "Нет"),
        ("str_admission_rules", "yes", "en", "Yes"),
        ("str_members_active_share", "95.05", "ru", f"95,05{NBSP}%"),
        ("str_members_active_share", "95.05", "en", f"95.05{NBSP}%"),
        ("str_members_total", "1500", "ru", f"1{NBSP}500{NBSP}участников"),
        ("str_members_total", "1500", "en", f"1,500{NBSP}members"),
        ("gov_manager_since", "2021-03-05", "ru", "5 марта 2021\u202fг."),
        ("gov_manager_since", "2021-03-05", "en", "March 5, 2021"),
    ],
)
def test_an_answer_is_shown_in_the_readers_words(question_id, stored, locale, shown):
    translate = (lambda word: RUSSIAN[word]) if locale == "ru" else str
    assert shown_answer(QUESTIONS[question_id], stored, locale, translate) == shown


@pytest.mark.parametrize("stored", [None, "", []])
def test_an_unanswered_question_shows_nothing(stored):
    assert shown_answer(QUESTIONS["gov_mandate_basis"], stored, "ru") is None


@pytest.mark.parametrize(
    ("question_id", "stored"),
    [
        ("gov_mandate_basis", "withdrawn_option"),  # an option the standard no longer has
        ("str_members_total", "много"),  # a number edited by hand, which the questionnaire would refuse
        ("gov_manager_since", "весной"),
        ("str_admission_rules", "maybe"),
    ],
)
def test_a_value_that_no_longer_fits_is_shown_as_stored(question_id, stored):
    assert shown_answer(QUESTIONS[question_id], stored, "en") == stored


def test_texts_are_the_applicants_own_words():
    question = Question(id="t", type=QuestionType.SHORT_TEXT, label=Text("Т", "T"))
    assert shown_answer(question, "Кластер «Чистая вода»", "en") == "Кластер «Чистая вода»"


def test_a_percentage_without_a_unit_still_says_percent():
    question = Question(id="p", type=QuestionType.PERCENTAGE, label=Text("Доля", "Share"))
    assert shown_answer(question, "12.5", "ru") == f"12,5{NBSP}%"


@given(st.decimals(min_value=-(10**14), max_value=10**14, places=6, allow_nan=False, allow_infinity=False))
def test_a_shown_number_reads_back_as_the_same_number(value):
    """Every digit is kept: the number a reader sees is the number stored."""
    question = Question(id="d", type=QuestionType.DECIMAL, label=Text("Ч", "N"))
    for locale in ("ru", "en"):
        shown = shown_answer(question, format(value.normalize(), "f"), locale)
        assert numbers.parse_number(shown, locale) == Decimal(value)
