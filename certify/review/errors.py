"""The review's domain error."""

from __future__ import annotations

from certify.errors import DomainError


class ReviewError(DomainError):
    """A refused review operation; `message` is shown to the user."""
