"""Reads YAML safely into plain values while remembering the line of every path.

PyYAML's safe loader forgets where values came from, so we compose the node graph ourselves and build
the values from it: each mapping key and list item gets its line recorded under its path. Walking the
nodes also lets us refuse what `yaml.safe_load` would silently accept: duplicate keys (the last one
would win) and aliases (which can expand a small file into a huge document). PyYAML composes nested
lists and mappings recursively, so `[[[[…` two megabytes deep would exhaust Python's stack; the loader
counts the levels and stops past `MAX_NESTING`, where the reader, the schema check and the builder
would recurse too.
"""

from __future__ import annotations

import math
from decimal import Decimal
from typing import Any

import yaml

from certify.standards import messages
from certify.standards.problems import Locator, PathParts

_FLOAT_TAG = "tag:yaml.org,2002:float"
#: Lists and mappings inside each other, the root included; a real standard needs about ten.
MAX_NESTING = 32


class _NestedTooDeeply(Exception):
    def __init__(self, mark: yaml.Mark):
        super().__init__(mark)
        self.mark = mark


class _Loader(yaml.SafeLoader):
    """The safe loader, refusing to compose collections nested deeper than `MAX_NESTING`."""

    def __init__(self, text: str):
        super().__init__(text)
        self.depth = 0

    def compose_sequence_node(self, anchor):
        return self._nested(super().compose_sequence_node, anchor)

    def compose_mapping_node(self, anchor):
        return self._nested(super().compose_mapping_node, anchor)

    def _nested(self, compose, anchor):
        if self.depth == MAX_NESTING:
            # The collection's start event is next: its mark is where the nesting got too deep.
            raise _NestedTooDeeply(self.peek_event().start_mark)
        self.depth += 1
        try:
            return compose(anchor)
        finally:
            self.depth -= 1


def read_yaml(text: str, locator: Locator) -> Any:
    """Plain values from `text` (dict, list, str, int, Decimal, bool, date, None).

    Lines go to `locator.lines`; mistakes are reported to `locator`, and None is returned
    when the text is not YAML at all.
    """
    try:
        loader = _Loader(text)
    except yaml.reader.ReaderError as error:  # a character YAML never allows; checked before parsing
        _report_unreadable(locator, text, error)
        return None
    try:
        node = loader.get_single_node()
        if node is None:
            locator.report_at((), 1, messages.YAML_EMPTY)
            return None
        return _Reader(loader, locator).value(node, ())
    except _NestedTooDeeply as error:
        line, column = error.mark.line + 1, error.mark.column + 1
        locator.report_at((), line, messages.YAML_TOO_DEEP, limit=MAX_NESTING, column=column)
    except yaml.constructor.ConstructorError as error:
        _report_yaml_error(locator, error, messages.YAML_UNSUPPORTED)
    except yaml.MarkedYAMLError as error:
        _report_yaml_error(locator, error, messages.YAML_SYNTAX)
    finally:
        loader.dispose()
    return None


def _report_unreadable(locator: Locator, text: str, error: yaml.reader.ReaderError) -> None:
    """A control character (or another one YAML refuses), at its line and column."""
    line_start = text.rfind("\n", 0, error.position) + 1
    locator.report_at(
        (),
        text.count("\n", 0, error.position) + 1,
        messages.YAML_SYNTAX,
        column=error.position - line_start + 1,
        error=f"unacceptable character #x{error.character:04x}: {error.reason}",
    )


def _report_yaml_error(locator: Locator, error: yaml.MarkedYAMLError, template: str) -> None:
    mark = error.problem_mark or error.context_mark
    description = "; ".join(part for part in (error.context, error.problem) if part)
    locator.report_at(
        (),
        mark.line + 1 if mark else None,
        template,
        column=mark.column + 1 if mark else "?",
        error=description,
    )


class _Reader:
    def __init__(self, loader: yaml.SafeLoader, locator: Locator):
        self.loader = loader
        self.locator = locator
        self.seen: set[int] = set()

    def value(self, node: yaml.Node, path: PathParts) -> Any:
        # A mapping value is located at its key (set by `mapping`), which is also right for aliases.
        self.locator.lines.setdefault(path, node.start_mark.line + 1)
        if id(node) in self.seen:
            self.locator.report(path, messages.YAML_ALIAS)
            return None
        self.seen.add(id(node))
        if isinstance(node, yaml.MappingNode):
            return self.mapping(node, path)
        if isinstance(node, yaml.SequenceNode):
            return [self.value(item, (*path, index)) for index, item in enumerate(node.value)]
        return self.scalar(node, path)

    def mapping(self, node: yaml.MappingNode, path: PathParts) -> dict[str, Any]:
        self.loader.flatten_mapping(node)
        result: dict[str, Any] = {}
        first_lines: dict[str, int] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                self.locator.report_at(
                    path, key_node.start_mark.line + 1, messages.YAML_BAD_KEY, kind=key_node.id
                )
                continue
            key, line = key_node.value, key_node.start_mark.line + 1
            if key in first_lines:
                self.locator.report_at(
                    (*path, key), line, messages.YAML_DUPLICATE_KEY, key=key, first=first_lines[key]
                )
                continue
            first_lines[key] = line
            self.locator.lines[(*path, key)] = line
            result[key] = self.value(value_node, (*path, key))
        return result

    def scalar(self, node: yaml.ScalarNode, path: PathParts) -> Any:
        value = self.loader.construct_object(node)
        if node.tag != _FLOAT_TAG:
            return value
        if not math.isfinite(value):
            self.locator.report(path, messages.YAML_NOT_FINITE, value=node.value)
            return value
        # Decimal from the shortest repr keeps 12.5 as 12.5, so weights and points add up exactly.
        return Decimal(repr(value))
