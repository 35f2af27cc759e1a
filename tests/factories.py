"""Plain functions that create rows for tests, with defaults a test overrides only where it matters."""

from __future__ import annotations

from itertools import count

from certify.accounts import services
from certify.accounts.models import Organisation, Role, User

PASSWORD = "Tundra-Lighthouse-48"
_numbers = count(1)


def make_organisation(session, **fields) -> Organisation:
    n = next(_numbers)
    values = {
        "name_ru": f"Управляющая компания кластера № {n}",
        "name_en": f"Cluster management company No. {n}",
        "registration_number": f"11678000{n:05d}",
        "country": "RU",
        "region": "Санкт-Петербург",
        "cluster_name_ru": f"Кластер чистых технологий № {n}",
        "cluster_name_en": f"Cleantech cluster No. {n}",
        "specialisation": "",
        "priority_fields": ["water"],
    }
    values.update(fields)
    organisation = Organisation(**values)
    session.add(organisation)
    session.flush()
    return organisation


def make_user(
    session,
    *roles: Role,
    email: str | None = None,
    password: str = PASSWORD,
    confirmed: bool = True,
    organisation: Organisation | None = None,
    **fields,
) -> User:
    roles = roles or (Role.MANAGER,)
    if Role.MANAGER in roles and organisation is None:
        organisation = make_organisation(session)
    return services.create_user(
        session,
        email=email or f"user{next(_numbers)}@certify-test.example.org",
        password=password,
        full_name_ru=fields.pop("full_name_ru", "Ирина Викторовна Орлова"),
        full_name_en=fields.pop("full_name_en", "Irina Orlova"),
        roles=roles,
        organisation=organisation,
        confirmed=confirmed,
        **fields,
    )


def install_default_standard(session):
    from certify.standards.services import install_library

    return install_library(session)[0]


def make_application(session, manager: User, *, answers: dict | None = None):
    """A draft application of the manager's organisation on the default standard, with `answers` stored."""
    from certify.questionnaire import services as questionnaire
    from certify.questionnaire.models import Answer

    if questionnaire.current_version(session) is None:
        install_default_standard(session)
    application = questionnaire.start_application(session, manager.organisation, manager)
    session.add_all(
        Answer(application_id=application.id, question_id=qid, value=value)
        for qid, value in (answers or {}).items()
    )
    session.flush()
    return application
