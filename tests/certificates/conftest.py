"""Fixtures of the certificate tests: a certificate issued the way the certification body issues one."""

from __future__ import annotations

import pytest

from tests import factories


@pytest.fixture
def certified(db, client_for):
    """A certificate issued on a positive decision after a full review, committed.

    (certificate, application, a client of the coordinator who decided, the factories' `Case`)
    """
    case = factories.certified(db)
    db.commit()
    return case.certificate, case.application, client_for(case.coordinator), case
