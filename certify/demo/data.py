"""Demo organisations and users of every role, so that each screen has something real on a fresh install."""

from __future__ import annotations

import sqlalchemy as sa

from certify.accounts import services
from certify.accounts.models import PriorityField, Role, User
from certify.demo.applications import load_demo_applications
from certify.demo.attestation import attested_heads, load_demo_attestation
from certify.demo.certificates import load_demo_certificates
from certify.demo.exams import load_demo_exams
from certify.demo.monitoring import load_demo_monitoring
from certify.demo.organisations import ensure_organisation
from certify.demo.review import load_demo_reviews
from certify.questionnaire.models import Application
from certify.standards.services import install_library
from certify.workflow.states import State

# Demo users exist only on machines where someone ran `flask certify demo`.
DEFAULT_PASSWORD = "Klaster-Demo-2026!"  # noqa: S105

ORGANISATIONS = (
    {
        "registration_number": "1167800053410",
        "name_ru": "АНО «Центр кластерного развития чистых технологий»",
        "name_en": "Cleantech Cluster Development Centre",
        "country": "RU",
        "region": "Санкт-Петербург",
        "cluster_name_ru": "Санкт-Петербургский кластер чистых технологий",
        "cluster_name_en": "St Petersburg Cleantech Cluster",
        "specialisation": "Энергоэффективность городской среды, водоподготовка, обращение с отходами",
        "priority_fields": [
            PriorityField.URBAN_ENERGY_EFFICIENCY.value,
            PriorityField.WATER.value,
            PriorityField.ENVIRONMENT_AND_WASTE.value,
        ],
    },
    {
        "registration_number": "1121600004525",
        "name_ru": "АО «Управляющая компания Камского кластера»",
        "name_en": "Kama Cluster Management Company",
        "country": "RU",
        "region": "Республика Татарстан",
        "cluster_name_ru": "Камский инновационный территориально-производственный кластер",
        "cluster_name_en": "Kama Innovative Territorial Production Cluster",
        "specialisation": "Нефтехимия, автомобилестроение, устойчивое строительство",
        "priority_fields": [PriorityField.SUSTAINABLE_CONSTRUCTION.value],
    },
    {
        "registration_number": "40003856621",
        "name_ru": "Ассоциация «Клинтек Латвия»",
        "name_en": "Cleantech Latvia",
        "country": "LV",
        "region": "Riga",
        "cluster_name_ru": "Латвийский кластер чистых технологий",
        "cluster_name_en": "Latvian Cleantech Cluster",
        "specialisation": "Water technologies, renewable energy, circular economy",
        "priority_fields": [PriorityField.WATER.value, PriorityField.ENVIRONMENT_AND_WASTE.value],
    },
)

USERS = (
    (
        "admin@certify-demo.example.org",
        "Администратор Системы",
        "System Administrator",
        [Role.ADMIN],
        None,
        "ru",
    ),
    (
        "coordinator@certify-demo.example.org",
        "Ольга Сергеевна Воронцова",
        "Olga Vorontsova",
        [Role.COORDINATOR],
        None,
        "ru",
    ),
    (
        "assessor1@certify-demo.example.org",
        "Андрей Петрович Лебедев",
        "Andrey Lebedev",
        [Role.ASSESSOR],
        None,
        "ru",
    ),
    ("assessor2@certify-demo.example.org", "Liisa Virtanen", "Liisa Virtanen", [Role.ASSESSOR], None, "en"),
    (
        "assessor3@certify-demo.example.org",
        "Марина Игоревна Соколова",
        "Marina Sokolova",
        [Role.ASSESSOR],
        None,
        "ru",
    ),
    (
        "manager@certify-demo.example.org",
        "Иван Алексеевич Смирнов",
        "Ivan Smirnov",
        [Role.MANAGER],
        "1167800053410",
        "ru",
    ),
    (
        "manager2@certify-demo.example.org",
        "Рустам Ильдарович Галиев",
        "Rustam Galiev",
        [Role.MANAGER],
        "1121600004525",
        "ru",
    ),
    (
        "manager3@certify-demo.example.org",
        "Jānis Bērziņš",
        "Janis Berzins",
        [Role.MANAGER],
        "40003856621",
        "en",
    ),
    (
        "candidate@certify-demo.example.org",
        "Анна Сергеевна Белова",
        "Anna Belova",
        [Role.CANDIDATE],
        None,
        "ru",
    ),
)


#: the version the certified examples were assessed on
FIRST_VERSION = "cmq-1.0.yaml"


def load_demo(session, password: str | None = None) -> list[tuple[str, list[Role]]]:
    """Create what is missing (idempotent); with `password`, also reset the demo users' passwords."""
    # The certified examples were assessed on 1.0; new drafts and submissions start on the newest version,
    # which supersedes 1.0 (it retires, as no application is open on it).
    install_library(session, [FIRST_VERSION])
    organisations = {o["registration_number"]: ensure_organisation(session, o) for o in ORGANISATIONS}
    logins, managers = [], {}
    for email, name_ru, name_en, roles, organisation_number, locale in USERS:
        user = services.find_user(session, email)
        if user is None:
            user = services.create_user(
                session,
                email=email,
                password=password or DEFAULT_PASSWORD,
                full_name_ru=name_ru,
                full_name_en=name_en,
                roles=roles,
                organisation=organisations.get(organisation_number),
                locale=locale,
                confirmed=True,
            )
        elif password:
            services.set_password(session, user, password)
        logins.append((user.email, roles))
        if Role.MANAGER in roles:
            managers[user.email] = user
    by_email = {email: services.find_user(session, email) for email, *_ in USERS}
    coordinator = by_email["coordinator@certify-demo.example.org"]
    assessors = [by_email[f"assessor{n}@certify-demo.example.org"] for n in (1, 2, 3)]
    logins += load_demo_certificates(session, coordinator, assessors, password or DEFAULT_PASSWORD)
    install_library(session)
    load_demo_exams(session, password or DEFAULT_PASSWORD)
    # the attested managers first: an organisation's application names its head's attestation
    logins += load_demo_attestation(
        session, coordinator, assessors, organisations, password or DEFAULT_PASSWORD
    )
    load_demo_applications(session, managers, attested_heads(session))
    load_demo_reviews(session, coordinator, assessors, _submitted(session))
    logins += load_demo_monitoring(session, coordinator, assessors, password or DEFAULT_PASSWORD)
    return logins


def _submitted(session) -> list[Application]:
    """The demo managers' submitted applications (the certified examples are decided by now)."""
    statement = sa.select(Application).where(Application.state == State.SUBMITTED).order_by(Application.id)
    return list(session.scalars(statement))


def demo_users(session) -> list[User]:
    emails = [u[0] for u in USERS]
    return list(session.scalars(sa.select(User).where(User.email.in_(emails)).order_by(User.id)))
