"""Fixtures of the API tests: a registry of certificates in force."""

from __future__ import annotations

import dataclasses

import pytest

from certify.certificates.models import Certificate
from tests import factories
from tests.api.helpers import copies_of


@dataclasses.dataclass
class Registry:
    case: factories.Case
    #: every certificate in force, in id order
    certificates: list[Certificate]


@pytest.fixture
def registry(db) -> Registry:
    """One certificate issued after a full review and six more in force like it, committed."""
    case = factories.certified(db)
    copies = copies_of(db, case.certificate, 6)
    db.commit()
    return Registry(case, [case.certificate, *copies])
