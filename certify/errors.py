"""The common base of the domain errors that services raise and views show."""

from __future__ import annotations


class DomainError(Exception):
    """A refused operation: `message` (translatable) is shown to the user, `status` is the HTTP answer."""

    status = 409

    def __init__(self, message, status: int | None = None):
        super().__init__(str(message))
        self.message = message
        if status is not None:
            self.status = status
