"""Parsed documents are shared by the digest of their source, each parsed once while it is kept."""

from __future__ import annotations

from certify.parsed import ParsedBySource


def test_each_source_is_parsed_once_and_the_oldest_let_go_past_the_limit():
    parses: list[str] = []

    def parser(text: str):
        return lambda: parses.append(text) or text.upper()

    parsed = ParsedBySource[str](kept=2)
    assert parsed.get("a", parser("a")) == "A" and parsed.get("a", parser("a")) == "A"
    assert parsed.get("b", parser("b")) == "B"
    assert parses == ["a", "b"]
    assert parsed.get("c", parser("c")) == "C"  # "a", parsed first, is let go
    assert parsed.get("b", parser("b")) == "B" and parses == ["a", "b", "c"]
    assert parsed.get("a", parser("a")) == "A" and parses == ["a", "b", "c", "a"]


def test_a_source_that_parses_to_none_is_not_parsed_again():
    calls = []
    parsed = ParsedBySource[None]()
    assert parsed.get("bad", lambda: calls.append(1)) is None
    assert parsed.get("bad", lambda: calls.append(1)) is None
    assert calls == [1]
