"""Demo organisations and people are created once, found by registration number or e-mail afterwards."""

from __future__ import annotations

import sqlalchemy as sa

from certify.accounts import services as accounts
from certify.accounts.models import Organisation, Role, User


def ensure_organisation(session, fields: dict) -> Organisation:
    number = fields["registration_number"]
    existing = session.scalar(sa.select(Organisation).where(Organisation.registration_number == number))
    if existing:
        return existing
    organisation = Organisation(**fields)
    session.add(organisation)
    session.flush()
    return organisation


def ensure_person(
    session, person: tuple[str, str, str, str], role: Role, organisation, password: str
) -> User:
    """The demo user `person` (e-mail, name in Russian and in English, language) with `role`, of
    `organisation` (or none)."""
    email, name_ru, name_en, locale = person
    return accounts.find_user(session, email) or accounts.create_user(
        session,
        email=email,
        password=password,
        full_name_ru=name_ru,
        full_name_en=name_en,
        roles=[role],
        organisation=organisation,
        locale=locale,
        confirmed=True,
    )
