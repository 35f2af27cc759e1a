"""Demo certificates in every status: clusters reviewed and decided, some of them long ago.

Each holder organisation goes through the real path (application, review, consensus, decision), so the
registry, the verification pages, the reports' peer percentiles and the reminders all show real data.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import sqlalchemy as sa

from certify.accounts.models import PriorityField, Role
from certify.certificates import lifecycle
from certify.certificates.issuance import latest_for_decision
from certify.certificates.models import Certificate, CertificateStatus
from certify.demo.applications import submitted_application
from certify.demo.organisations import ensure_organisation, ensure_person
from certify.demo.review import decide_after_review
from certify.questionnaire.models import Application

#: (organisation, holder (e-mail, name ru, name en, locale), days since the decision, what happened after)
HOLDERS = (
    (
        {
            "registration_number": "1021000512345",
            "name_ru": "АНО «Карельский кластер водных технологий»",
            "name_en": "Karelian Water Technology Cluster",
            "country": "RU",
            "region": "Республика Карелия",
            "cluster_name_ru": "Кластер водных технологий Карелии",
            "cluster_name_en": "Karelia Water Technology Cluster",
            "specialisation": "Водоподготовка, очистка сточных вод, мониторинг водоёмов",
            "priority_fields": [PriorityField.WATER.value],
        },
        ("holder1@certify-demo.example.org", "Елена Викторовна Куликова", "Elena Kulikova", "ru"),
        40,
        "valid",
    ),
    (
        {
            "registration_number": "1145476012340",
            "name_ru": "АНО «Сибирский кластер устойчивого строительства»",
            "name_en": "Siberian Sustainable Construction Cluster",
            "country": "RU",
            "region": "Новосибирская область",
            "cluster_name_ru": "Кластер устойчивого строительства Новосибирской области",
            "cluster_name_en": "Novosibirsk Sustainable Construction Cluster",
            "specialisation": "Энергоэффективные здания, деревянное домостроение",
            "priority_fields": [PriorityField.SUSTAINABLE_CONSTRUCTION.value],
        },
        ("holder2@certify-demo.example.org", "Дмитрий Олегович Белов", "Dmitry Belov", "ru"),
        200,
        "suspended",
    ),
    (
        {
            "registration_number": "1114027012340",
            "name_ru": "АНО «Калужский кластер обращения с отходами»",
            "name_en": "Kaluga Waste Management Cluster",
            "country": "RU",
            "region": "Калужская область",
            "cluster_name_ru": "Калужский кластер обращения с отходами",
            "cluster_name_en": "Kaluga Waste Management Cluster",
            "specialisation": "Переработка отходов, вторичные материалы",
            "priority_fields": [PriorityField.ENVIRONMENT_AND_WASTE.value],
        },
        ("holder3@certify-demo.example.org", "Сергей Николаевич Орлов", "Sergey Orlov", "ru"),
        300,
        "revoked",
    ),
    (
        {
            "registration_number": "80123456",
            "name_ru": "НКО «Эстонский кластер чистых технологий»",
            "name_en": "Estonian Cleantech Cluster",
            "country": "EE",
            "region": "Harjumaa",
            "cluster_name_ru": "Эстонский кластер чистых технологий",
            "cluster_name_en": "Estonian Cleantech Cluster",
            "specialisation": "Smart energy, resource efficiency",
            "priority_fields": [PriorityField.URBAN_ENERGY_EFFICIENCY.value],
        },
        ("holder4@certify-demo.example.org", "Kadri Tamm", "Kadri Tamm", "en"),
        800,
        "expired",
    ),
    (
        {
            "registration_number": "304512345",
            "name_ru": "Ассоциация «Литовский водный кластер»",
            "name_en": "Lithuanian Water Cluster",
            "country": "LT",
            "region": "Vilnius",
            "cluster_name_ru": "Литовский водный кластер",
            "cluster_name_en": "Lithuanian Water Cluster",
            "specialisation": "Water supply, wastewater, digital water management",
            "priority_fields": [PriorityField.WATER.value],
        },
        ("holder5@certify-demo.example.org", "Rūta Kazlauskienė", "Ruta Kazlauskiene", "en"),
        120,
        "corrected",
    ),
    (
        {
            "registration_number": "2141592-6",
            "name_ru": "Ассоциация «Финский кластер умного города»",
            "name_en": "Finnish Smart City Cluster",
            "country": "FI",
            "region": "Uusimaa",
            "cluster_name_ru": "Финский кластер умного города",
            "cluster_name_en": "Finnish Smart City Cluster",
            "specialisation": "Energy efficiency in cities, district heating",
            "priority_fields": [PriorityField.URBAN_ENERGY_EFFICIENCY.value],
        },
        ("holder6@certify-demo.example.org", "Mikko Korhonen", "Mikko Korhonen", "en"),
        670,
        "expiring",
    ),
)


def load_demo_certificates(session, coordinator, assessors, password: str) -> list:
    """Create the holders' organisations, reviews, decisions and certificates that are missing."""
    logins = []
    lead, second, _ = assessors
    for seed, (organisation_fields, holder, days_ago, fate) in enumerate(HOLDERS, start=1):
        organisation = ensure_organisation(session, organisation_fields)
        user = ensure_person(session, holder, Role.MANAGER, organisation, password)
        logins.append((user.email, [Role.MANAGER]))
        if session.scalar(sa.select(Application.id).where(Application.organisation_id == organisation.id)):
            continue
        application = submitted_application(session, user, seed=20 + seed, strength=0.9)
        decided_at = datetime.combine(date.today() - timedelta(days=days_ago), time(10), tzinfo=UTC)
        decision = decide_after_review(
            session, application, coordinator, lead, second, seed=seed, decided_at=decided_at
        )
        certificate = latest_for_decision(session, decision.id)
        if certificate is not None:
            _live(session, certificate, coordinator, fate)
    return logins


def _live(session, certificate: Certificate, coordinator, fate: str) -> None:
    """What happened to the certificate after issuance."""
    if fate == "suspended":
        lifecycle.change_status(
            session,
            certificate,
            coordinator,
            CertificateStatus.SUSPENDED,
            "Жалоба участника кластера на работу управляющей компании; проводится проверка.",
        )
    elif fate == "revoked":
        lifecycle.change_status(
            session,
            certificate,
            coordinator,
            CertificateStatus.REVOKED,
            "Управляющая компания ликвидирована; условия сертификации больше не выполняются.",
        )
    elif fate == "corrected":
        lifecycle.correct_certificate(
            session,
            certificate,
            coordinator,
            {"organisation_name_en": "Lithuanian Water Cluster Association"},
            "The organisation's English name as in its statutes.",
        )
