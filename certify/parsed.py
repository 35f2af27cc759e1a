"""Documents parsed once per process and shared, found by the SHA-256 of their source.

Stored versions of standards and exam banks never change (their models refuse it), so one parsed copy
serves every request: parsing a version takes up to a second, and reading its source from the database
(up to 300 KB of YAML) on every request cost more than the rest of the request. Tests and the demo make
hundreds of versions; a deployment has a few, so the oldest parsed are let go past `kept`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Generic, TypeVar

T = TypeVar("T")


class ParsedBySource(Generic[T]):
    def __init__(self, kept: int = 32):
        self.kept = kept
        self._parsed: dict[str, T] = {}

    def get(self, digest: str, parse: Callable[[], T]) -> T:
        """The parsed copy of the source whose SHA-256 is `digest`; `parse()` makes it the first time."""
        if digest not in self._parsed:
            parsed = parse()
            if len(self._parsed) >= self.kept:
                del self._parsed[next(iter(self._parsed))]
            self._parsed[digest] = parsed
        return self._parsed[digest]
