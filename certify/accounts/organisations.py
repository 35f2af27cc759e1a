"""Organisations: the cluster management companies."""

from __future__ import annotations

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from certify.accounts.models import Organisation
from certify.accounts.services import AccountError

ORGANISATION_FIELDS = (
    "name_ru",
    "name_en",
    "registration_number",
    "country",
    "region",
    "cluster_name_ru",
    "cluster_name_en",
    "specialisation",
    "priority_fields",
)


def register_organisation(session, *, registration_number: str, **fields) -> Organisation:
    """A new organisation; one whose registration number is already registered is refused."""
    number = check_registration_number_free(session, registration_number)
    cleaned = {k: v.strip() if isinstance(v, str) else v for k, v in fields.items()}
    organisation = Organisation(registration_number=number, **cleaned)
    session.add(organisation)
    session.flush()
    return organisation


def check_registration_number_free(session, registration_number: str) -> str:
    """The number as stored; refused when an organisation is registered under it already.

    Joining an existing organisation needs the certification body: otherwise anyone who knows a
    registration number could read that organisation's applications.
    """
    number = registration_number.strip().upper()
    if session.scalar(sa.select(Organisation.id).where(Organisation.registration_number == number)):
        raise AccountError(
            _l(
                "An organisation with this registration number is already registered. "
                "Please ask the certification body to add you to it."
            ),
            field="registration_number",
        )
    return number


def organisation_choices(session, locale: str) -> list[tuple[int, str]]:
    organisations = session.scalars(sa.select(Organisation).order_by(Organisation.name_ru))
    return [(o.id, o.name(locale)) for o in organisations]
