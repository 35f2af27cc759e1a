"""A small, safe expression language for `visible_if` and eligibility rules.

Grammar (keywords are lowercase; `q` is a question id)::

    expression := and_expr ("or" and_expr)*
    and_expr   := not_expr ("and" not_expr)*
    not_expr   := "not" not_expr | "(" expression ")" | test
    test       := "answered" "(" q ")"
                | operand ("==" | "!=" | "<" | "<=" | ">" | ">=") literal
                | operand "in" "[" literal ("," literal)* "]"
                | STRING "in" q
    operand    := q | "count" "(" q ")"
    literal    := NUMBER | STRING | "true" | "false"

Semantics, chosen so that a condition never raises on real answers:

* An unanswered question (missing key, None, empty or blank string, empty collection) makes every
  test on it false, including `!=`; only `not` turns that into true. `answered(q)` is the explicit check.
* Numbers compare as Decimal; int, float, Decimal and bool answers are numbers (true = 1, false = 0, as
  in Python). A string literal written as an ISO date (`'2024-01-31'`) compares with date answers.
  Values of different kinds (a number and a string, say) are never equal and never ordered.
* `q in [...]` holds when the answer is one of the values; for a multiple-choice answer (a tuple),
  when any chosen option is. `'opt' in q` holds when option `opt` is chosen (or, for a single
  answer, equals it). `count(q)` is the number of chosen options.

The parser is hand-written and turns the text into a tree of closures once; `evaluate` only calls them.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from certify.standards import evaluation
from certify.standards.evaluation import Evaluator
from certify.textmarks import N_

MAX_SOURCE_LENGTH = 2000
#: Bounds the recursion of the parser, so hostile input cannot exhaust the stack.
MAX_NESTING = 32

EMPTY_EXPRESSION = N_("the expression is empty")
EXPRESSION_TOO_LONG = N_("the expression is longer than {limit} characters")
NESTED_TOO_DEEPLY = N_("the expression is nested more than {limit} levels deep")
UNEXPECTED_CHARACTER = N_("unexpected character {text!r}")
UNTERMINATED_STRING = N_("the string is not closed")
EXPECTED = N_("expected {expected} but found {found}")
TRAILING_INPUT = N_("unexpected {found} after the end of the expression")

_TOKEN = re.compile(
    r"""(?P<space>\s+)
      | (?P<number>-?[0-9]+(?:\.[0-9]+)?)
      | (?P<name>[A-Za-z_][A-Za-z0-9_]*)
      | (?P<string>'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*")
      | (?P<op>==|!=|<=|>=|<|>|\(|\)|\[|\]|,)""",
    re.VERBOSE | re.DOTALL,
)
_KEYWORDS = frozenset({"and", "or", "not", "in", "true", "false", "answered", "count"})
_COMPARATORS = frozenset({"==", "!=", "<", "<=", ">", ">="})


class ConditionSyntaxError(ValueError):
    """The expression is not valid; `position` is the 1-based column where the problem was found."""

    def __init__(self, message: str, position: int):
        super().__init__(message, position)
        self.message = message
        self.position = position

    def __str__(self) -> str:
        return f"{self.message} (column {self.position})"


class Expression:
    """A parsed condition: the `Condition` protocol of `certify.standards.definition`."""

    __slots__ = ("_comparisons", "_evaluate", "_references", "source")

    def __init__(
        self,
        source: str,
        evaluate: Evaluator,
        references: frozenset[str],
        comparisons: tuple[tuple[str, Any], ...] = (),
    ):
        self.source = source
        self._evaluate = evaluate
        self._references = references
        self._comparisons = comparisons

    def evaluate(self, answers: Mapping[str, Any]) -> bool:
        return self._evaluate(answers)

    def references(self) -> frozenset[str]:
        return self._references

    def comparisons(self) -> tuple[tuple[str, Any], ...]:
        """(question id, literal) for each literal an answer is compared with, to check options."""
        return self._comparisons

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Expression) and other.source == self.source

    def __hash__(self) -> int:
        return hash(self.source)

    def __repr__(self) -> str:
        return f"Expression({self.source!r})"


def parse(source: str) -> Expression:
    """Parse `source` into an `Expression`, or raise `ConditionSyntaxError`."""
    if len(source) > MAX_SOURCE_LENGTH:
        raise ConditionSyntaxError(EXPRESSION_TOO_LONG.format(limit=MAX_SOURCE_LENGTH), 1)
    parser = _Parser(source)
    evaluate = parser.parse()
    return Expression(
        source.strip(),
        evaluate,
        frozenset(parser.references),
        tuple(parser.comparisons),
    )


class _Token:
    __slots__ = ("column", "kind", "text")

    def __init__(self, kind: str, text: str, column: int):
        self.kind, self.text, self.column = kind, text, column

    def describe(self) -> str:
        if self.kind == "end":
            return "the end of the expression"
        return self.text if self.kind == "string" else f"'{self.text}'"


def _tokenize(source: str) -> list[_Token]:
    tokens, offset = [], 0
    while offset < len(source):
        match = _TOKEN.match(source, offset)
        if match is None:
            if source[offset] in "'\"":
                raise ConditionSyntaxError(UNTERMINATED_STRING, offset + 1)
            raise ConditionSyntaxError(UNEXPECTED_CHARACTER.format(text=source[offset]), offset + 1)
        kind, text = match.lastgroup, match.group()
        if kind == "name" and text in _KEYWORDS:
            kind = "keyword"
        if kind != "space":
            tokens.append(_Token(kind, text, offset + 1))
        offset = match.end()
    tokens.append(_Token("end", "", len(source) + 1))
    return tokens


class _Parser:
    def __init__(self, source: str):
        self.tokens = _tokenize(source)
        self.index = 0
        self.depth = 0
        self.references: set[str] = set()
        self.comparisons: list[tuple[str, Any]] = []

    def parse(self) -> Evaluator:
        if self.peek().kind == "end":
            raise ConditionSyntaxError(EMPTY_EXPRESSION, 1)
        evaluate = self.expression()
        if self.peek().kind != "end":
            token = self.peek()
            raise ConditionSyntaxError(TRAILING_INPUT.format(found=token.describe()), token.column)
        return evaluate

    def peek(self) -> _Token:
        return self.tokens[self.index]

    def advance(self) -> _Token:
        token = self.tokens[self.index]
        self.index += 1
        return token

    def accept(self, text: str) -> bool:
        token = self.peek()
        if token.kind in ("keyword", "op") and token.text == text:
            self.index += 1
            return True
        return False

    def expect(self, kinds: tuple[str, ...], expected: str, texts: frozenset[str] = frozenset()) -> _Token:
        token = self.peek()
        if token.kind in kinds and (not texts or token.text in texts):
            return self.advance()
        raise ConditionSyntaxError(EXPECTED.format(expected=expected, found=token.describe()), token.column)

    def expression(self) -> Evaluator:
        parts = [self.and_expression()]
        while self.accept("or"):
            parts.append(self.and_expression())
        if len(parts) == 1:
            return parts[0]

        def any_holds(answers: Mapping[str, Any]) -> bool:
            return any(part(answers) for part in parts)

        return any_holds

    def and_expression(self) -> Evaluator:
        parts = [self.not_expression()]
        while self.accept("and"):
            parts.append(self.not_expression())
        if len(parts) == 1:
            return parts[0]

        def all_hold(answers: Mapping[str, Any]) -> bool:
            return all(part(answers) for part in parts)

        return all_hold

    def not_expression(self) -> Evaluator:
        self.depth += 1
        if self.depth > MAX_NESTING:
            raise ConditionSyntaxError(NESTED_TOO_DEEPLY.format(limit=MAX_NESTING), self.peek().column)
        if self.accept("not"):
            result = evaluation.negation(self.not_expression())
        elif self.accept("("):
            result = self.expression()
            self.expect(("op",), "')'", frozenset({")"}))
        else:
            result = self.test()
        self.depth -= 1
        return result

    def test(self) -> Evaluator:
        token = self.peek()
        if token.kind == "string":
            option = _literal(self.advance())
            self.expect(("keyword",), "'in'", frozenset({"in"}))
            question_id = self.question_id()
            self.comparisons.append((question_id, option))
            return evaluation.contains(question_id, option)
        if self.accept("answered"):
            self.expect(("op",), "'('", frozenset({"("}))
            question_id = self.question_id()
            self.expect(("op",), "')'", frozenset({")"}))
            return lambda answers: not evaluation.is_unanswered(answers.get(question_id))
        counted = self.accept("count")
        if counted:
            self.expect(("op",), "'('", frozenset({"("}))
        question_id = self.question_id()
        if counted:
            self.expect(("op",), "')'", frozenset({")"}))
            operand = evaluation.counter(question_id)
        else:
            operand = evaluation.getter(question_id)
        if self.accept("in"):
            literals = self.literal_list()
            evaluate = evaluation.one_of(operand, literals)
        else:
            comparator = self.expect(("op",), "a comparison such as '==' or 'in'", _COMPARATORS).text
            literals = (self.literal(),)
            evaluate = evaluation.compare(operand, comparator, literals[0])
        if not counted:
            self.comparisons.extend((question_id, literal) for literal in literals)
        return evaluate

    def question_id(self) -> str:
        question_id = self.expect(("name",), "a question id").text
        self.references.add(question_id)
        return question_id

    def literal(self) -> Any:
        token = self.expect(("number", "string", "keyword"), "a number, a string, true or false")
        if token.kind == "keyword" and token.text not in ("true", "false"):
            raise ConditionSyntaxError(
                EXPECTED.format(expected="a number, a string, true or false", found=token.describe()),
                token.column,
            )
        return _literal(token)

    def literal_list(self) -> tuple[Any, ...]:
        self.expect(("op",), "'['", frozenset({"["}))
        values = [self.literal()]
        while self.accept(","):
            values.append(self.literal())
        self.expect(("op",), "']' or ','", frozenset({"]"}))
        return tuple(values)


def _literal(token: _Token) -> Any:
    if token.kind == "number":
        return Decimal(token.text)
    if token.kind == "keyword":
        return Decimal(token.text == "true")
    return re.sub(r"\\(.)", r"\1", token.text[1:-1], flags=re.DOTALL)
