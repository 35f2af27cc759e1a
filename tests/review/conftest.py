"""Fixtures of the review tests: an application submitted through the questionnaire, waiting for its team.

`in_review` (a team at work, with a client per assessor) is in tests/conftest.py: the certificate tests
start from it too.
"""

from __future__ import annotations

import pytest

from tests import factories


@pytest.fixture
def submitted(db):
    """A complete application submitted by its manager, committed, with no assessors yet."""
    application = factories.submitted(db).application
    db.commit()
    return application
