"""Reading a standard's YAML: a deeply nested file is refused with a located problem, not a RecursionError."""

from __future__ import annotations

import pytest

from certify.standards import yamlmarks
from certify.standards.format import LIBRARY, MAX_FILE_BYTES, validate_standard_text
from certify.standards.problems import Locator
from tests.standards.test_format import MINIMAL, line_of

#: `yamlmarks.MAX_NESTING`, spelt out so that these tests also run (and fail) on a reader without it
MAX_NESTING = 32
TOO_DEEP = "lists and mappings are nested more than {limit} levels deep (column {column})"
DEPTH = 5000
#: the root mapping is the first level, so the `MAX_NESTING`-th bracket after it is one level too many
FLOW_SEQUENCES = ("deep: " + "[" * DEPTH + "]" * DEPTH + "\n", len("deep: ") + MAX_NESTING)
FLOW_MAPPINGS = (
    "deep: " + "{a: " * DEPTH + "1" + "}" * DEPTH + "\n",
    len("deep: ") + 4 * (MAX_NESTING - 1) + 1,
)
#: block mappings: each level on its own line, one space further in
BLOCK_MAPPINGS = (
    "".join(" " * level + "deep:\n" for level in range(1000)) + " " * 1000 + "end\n",
    MAX_NESTING + 1,
)


@pytest.mark.parametrize(
    ("tail", "column"), [FLOW_SEQUENCES, FLOW_MAPPINGS, BLOCK_MAPPINGS], ids=["[[", "{a: {a:", "block"]
)
def test_deeply_nested_yaml_is_refused_with_a_located_error(tail, column):
    text = MINIMAL + tail

    problems = validate_standard_text(text, source_name="demo.yaml")

    [problem] = problems
    assert problem.template == TOO_DEEP
    assert problem.params == {"limit": MAX_NESTING, "column": column}
    first = line_of(text, "deep:")
    expected_line = first + MAX_NESTING if tail is BLOCK_MAPPINGS[0] else first
    assert problem.line == expected_line
    assert str(problem) == (
        f"demo.yaml:{expected_line}: lists and mappings are nested more than {MAX_NESTING} levels deep "
        f"(column {column})"
    )


def test_deeply_nested_yaml_of_the_largest_allowed_size_is_refused_at_once():
    depth = MAX_FILE_BYTES // 2 - 10
    text = "[" * depth + "]" * depth

    [problem] = validate_standard_text(text, source_name="deep.yaml")

    assert (problem.line, problem.template, problem.params["column"]) == (1, TOO_DEEP, 33)


def test_deeply_nested_yaml_limit_leaves_the_real_standard_far_below_it():
    assert yamlmarks.MAX_NESTING == MAX_NESTING
    locator = Locator("cmq-1.0.yaml")
    data = yamlmarks.read_yaml((LIBRARY / "cmq-1.0.yaml").read_text(encoding="utf-8"), locator)
    assert locator.problems == []
    assert nesting(data) * 2 < MAX_NESTING


def test_deeply_nested_yaml_exactly_at_the_limit_is_read():
    locator = Locator("x.yaml")
    depth = MAX_NESTING - 1  # inside the root mapping
    value = yamlmarks.read_yaml("deep: " + "[" * depth + "]" * depth, locator)
    assert locator.problems == []
    assert nesting(value) == MAX_NESTING


def nesting(value) -> int:
    """How many lists and mappings are nested in `value`, itself included."""
    if isinstance(value, dict):
        return 1 + max((nesting(item) for item in value.values()), default=0)
    if isinstance(value, list):
        return 1 + max((nesting(item) for item in value), default=0)
    return 0
