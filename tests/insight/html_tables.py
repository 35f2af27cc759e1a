"""A page's tables and charts as a reader meets them: each cell's text, and each chart's spoken label."""

from __future__ import annotations

import re
from html import unescape
from html.parser import HTMLParser


class _Tables(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tables: dict[str, list[list[str]]] = {}
        self._current: list[list[str]] | None = None
        self._cell: list[str] | None = None
        self._in_head = False

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "table":
            key = attributes.get("id") or attributes.get("data-level") or str(len(self.tables))
            self._current = self.tables.setdefault(key, [])
        elif tag == "thead":
            self._in_head = True
        elif tag == "tr" and self._current is not None and not self._in_head:
            self._current.append([])
        elif tag in ("td", "th") and self._current is not None and not self._in_head:
            self._cell = []

    def handle_endtag(self, tag):
        if tag == "table":
            self._current = None
        elif tag == "thead":
            self._in_head = False
        elif tag in ("td", "th") and self._cell is not None:
            self._current[-1].append(" ".join("".join(self._cell).split()))
            self._cell = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)


def tables(page: str) -> dict[str, list[list[str]]]:
    """Each table's body rows (cell texts), by the table's id (or its data-level)."""
    parser = _Tables()
    parser.feed(page)
    return parser.tables


def charts(page: str) -> dict[str, str]:
    """Each chart's spoken label, by its title."""
    found = re.findall(r'<svg[^>]*aria-label="([^"]*)"[^>]*><title>([^<]*)</title>', page)
    return {unescape(title): unescape(label) for label, title in found}


def text_of(page: str, element_id: str) -> str:
    """The text inside the element with `element_id` (up to its closing tag)."""
    match = re.search(rf'id="{element_id}"[^>]*>(.*?)</(p|div|section)>', page, re.S)
    assert match, element_id
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", match.group(1))).split())
