"""The expression language of `visible_if` and eligibility rules."""

import contextlib
from datetime import date, datetime
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from certify.standards.conditions import ConditionSyntaxError, parse

ANSWERS = {
    "kind": "ano",
    "staff": Decimal("0.5"),
    "members": 15,
    "share": 42.5,
    "site": True,
    "fields": ("water", "energy_cities"),
    "blank": "   ",
    "none": None,
    "empty": (),
    "since": date(2023, 6, 1),
    "stamp": datetime(2024, 1, 31, 12, 0),
    "nan": float("nan"),
}


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("kind == 'ano'", True),
        ("kind != 'ano'", False),
        ('kind == "ano"', True),
        ("kind in ['llc', 'ano']", True),
        ("kind in ['llc']", False),
        ("staff >= 0.5", True),
        ("staff > 0.5", False),
        ("members == 15", True),
        ("members < 15", False),
        ("members <= 15.0", True),
        ("share > 42", True),
        ("share == 42.5", True),
        ("site == true", True),
        ("site == 1", True),
        ("site == false", False),
        ("'water' in fields", True),
        ("'waste' in fields", False),
        ("fields in ['waste', 'water']", True),
        ("fields == 'water'", False),
        ("count(fields) >= 2", True),
        ("count(fields) == 3", False),
        ("count(kind) == 1", True),
        ("'ano' in kind", True),
        ("answered(kind)", True),
        ("since < '2024-01-01'", True),
        ("since >= '2024-01-01'", False),
        ("stamp == '2024-01-31'", True),
        ("since == 'not a date'", False),
        ("kind == 1", False),
        ("members == '15'", False),
        ("kind < 'b'", True),
        ("kind == 'ano' and members >= 15", True),
        ("kind == 'llc' or members >= 15", True),
        ("kind == 'llc' or members > 15", False),
        ("not kind == 'llc'", True),
        ("not (kind == 'ano' and site == true)", False),
        ("kind == 'llc' or kind == 'ano' and site == false", False),
        ("(kind == 'llc' or kind == 'ano') and not site == false", True),
        ("not not answered(kind)", True),
    ],
)
def test_truth_table(source, expected):
    assert parse(source).evaluate(ANSWERS) is expected


@pytest.mark.parametrize("question", ["missing", "none", "blank", "empty", "nan"])
@pytest.mark.parametrize(
    "template",
    [
        "{q} == 'x'",
        "{q} != 'x'",
        "{q} != 0",
        "{q} < 10",
        "{q} >= 0",
        "{q} in ['x', 'y']",
        "'x' in {q}",
        "count({q}) >= 0",
        "count({q}) < 1",
    ],
)
def test_an_unanswered_question_fails_every_test(question, template):
    assert parse(template.format(q=question)).evaluate(ANSWERS) is False


@pytest.mark.parametrize("question", ["missing", "none", "blank", "empty"])
def test_answered_and_its_negation(question):
    assert parse(f"answered({question})").evaluate(ANSWERS) is False
    assert parse(f"not answered({question})").evaluate(ANSWERS) is True
    assert parse(f"not {question} == 'x'").evaluate(ANSWERS) is True


def test_references_and_source():
    condition = parse("  a == 1 and ('x' in b or answered(c)) and count(d) > 0  ")
    assert condition.source == "a == 1 and ('x' in b or answered(c)) and count(d) > 0"
    assert condition.references() == frozenset({"a", "b", "c", "d"})
    assert condition.comparisons() == (("a", Decimal(1)), ("b", "x"))


def test_conditions_compare_by_source():
    assert parse("a == 1") == parse(" a == 1 ")
    assert parse("a == 1") != parse("a == 2")
    assert hash(parse("a == 1")) == hash(parse("a == 1 "))


def test_escaped_quotes_in_strings():
    assert parse(r"a == 'it\'s'").evaluate({"a": "it's"}) is True


@pytest.mark.parametrize(
    ("source", "message", "position"),
    [
        ("", "the expression is empty", 1),
        ("   ", "the expression is empty", 1),
        ("a ==", "expected a number, a string, true or false but found the end of the expression", 5),
        ("a == b", "expected a number, a string, true or false but found 'b'", 6),
        ("a = 1", "unexpected character '='", 3),
        ("a == 'x", "the string is not closed", 6),
        ("a @ 1", "unexpected character '@'", 3),
        ("a", "expected a comparison such as '==' or 'in' but found the end of the expression", 2),
        ("a == 1 b == 2", "unexpected 'b' after the end of the expression", 8),
        ("(a == 1", "expected ')' but found the end of the expression", 8),
        ("a in []", "expected a number, a string, true or false but found ']'", 7),
        ("a in ['x' 'y']", "expected ']' or ',' but found 'y'", 11),
        ("a in 'x'", "expected '[' but found 'x'", 6),
        ("answered a", "expected '(' but found 'a'", 10),
        ("1 in a", "expected a question id but found '1'", 1),
        ("'x' == a", "expected 'in' but found '=='", 5),
        ("a == and", "expected a number, a string, true or false but found 'and'", 6),
        ("and == 1", "expected a question id but found 'and'", 1),
        ("(" * 40 + "a == 1" + ")" * 40, "the expression is nested more than 32 levels deep", 33),
        ("a == 1" + " " * 2000, "the expression is longer than 2000 characters", 1),
    ],
)
def test_syntax_errors_name_the_column(source, message, position):
    with pytest.raises(ConditionSyntaxError) as caught:
        parse(source)
    assert (caught.value.message, caught.value.position) == (message, position)
    assert str(caught.value) == f"{message} (column {position})"


@given(st.text(max_size=200))
def test_parse_raises_only_syntax_errors_on_random_text(source):
    try:
        condition = parse(source)
    except ConditionSyntaxError as error:
        assert error.position >= 1
    else:
        assert isinstance(condition.evaluate({}), bool)


GRAMMAR_WORDS = st.sampled_from(
    [
        "a",
        "b",
        "and",
        "or",
        "not",
        "in",
        "(",
        ")",
        "[",
        "]",
        ",",
        "==",
        "<",
        ">=",
        "!=",
        "'x'",
        "1",
        "-2.5",
        "true",
        "answered",
        "count",
        "'2024-01-01'",
    ]
)


@given(st.lists(GRAMMAR_WORDS, max_size=25).map(" ".join))
def test_parse_raises_only_syntax_errors_on_near_grammatical_text(source):
    with contextlib.suppress(ConditionSyntaxError):
        parse(source)


ANY_ANSWER = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats()
    | st.decimals()
    | st.text(max_size=5)
    | st.dates()
    | st.datetimes()
    | st.binary(max_size=3),
    lambda inner: st.lists(inner, max_size=3).map(tuple) | st.frozensets(st.text(max_size=3)),
    max_leaves=6,
)
CONDITIONS = [
    parse(source)
    for source in (
        "a == 'x' or a != 1 or a < 2.5 or a >= '2024-01-01' or a > true",
        "a in ['x', 1, false, '2024-01-01'] and not b <= -3",
        "'x' in a or 'x' in b or answered(a) or count(b) >= 1",
        "count(a) < 2 and (b == false or b != 'y')",
    )
]


@given(st.fixed_dictionaries({}, optional={"a": ANY_ANSWER, "b": ANY_ANSWER}))
def test_evaluate_never_raises_on_random_answers(answers):
    for condition in CONDITIONS:
        assert isinstance(condition.evaluate(answers), bool)
