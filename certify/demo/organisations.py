"""Demo organisations are created once, found by their registration number afterwards."""

from __future__ import annotations

import sqlalchemy as sa

from certify.accounts.models import Organisation


def ensure_organisation(session, fields: dict) -> Organisation:
    number = fields["registration_number"]
    existing = session.scalar(sa.select(Organisation).where(Organisation.registration_number == number))
    if existing:
        return existing
    organisation = Organisation(**fields)
    session.add(organisation)
    session.flush()
    return organisation
