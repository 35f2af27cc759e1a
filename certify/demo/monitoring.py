"""Demo surveillance between certifications (issue 18): eight clusters certified on the newest standard
three times over five years, each yearly report filed and accepted when it fell due, so that the trends
and the peers' medians, the body's monitoring view and a renewal's assessment report show real figures.
Today one cluster's report is open for its manager to file, one is overdue (the coordinators alerted),
and one cluster's last report is flagged (its investment fell by more than the standard allows).

The history is replayed through the real services at the days it happened: submissions, reviews and
reports run with the clock set to their day (freezegun), so their audit entries, the assessors' cooling-off
and a renewal's cut-off read as they would have; decisions are dated (`decided_at`) and issue their
certificates now, so that each PDF is signed with today's key. Renewals come every two years and the
cooling-off lasts three, so the reviews rotate among six assessors.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal

import sqlalchemy as sa
from freezegun import freeze_time

from certify.accounts.models import PriorityField, Role
from certify.certificates.issuance import latest_for_decision
from certify.demo.answers import plausible_answers
from certify.demo.applications import attach_evidence, submitted_application
from certify.demo.organisations import ensure_organisation, ensure_person
from certify.demo.review import decide_as_agreed, review_to_consensus
from certify.monitoring import filing
from certify.monitoring.report import core_question_id, field_question_id
from certify.monitoring.review import accept_report
from certify.monitoring.rules import anniversary
from certify.monitoring.schedule import schedule_certificate
from certify.monitoring.services import duties, perform
from certify.questionnaire import services as questionnaire
from certify.questionnaire.models import Answer, Application
from certify.review import staffing
from certify.standards.services import current_version, definition_of
from certify.transitions import active_assignments

#: what became of the latest yearly report of a cluster, due `due_in_days` from today
FILED, OPEN, OVERDUE, FLAGGED = "filed", "open", "overdue", "flagged"


@dataclass(frozen=True, eq=False)  # told apart by identity: its organisation is a dict
class Monitored:
    organisation: dict
    #: the holder's manager: e-mail, name in Russian and English, language
    manager: tuple[str, str, str, str]
    #: the latest report's due date, in days from today (negative: past)
    due_in_days: int
    latest: str
    #: the size of the cluster against the typical one: its figures are the typical ones times this
    scale: Decimal


def _organisation(number: str, name_ru: str, name_en: str, region: str, specialisation: str) -> dict:
    cluster_ru = name_ru.split("«", 1)[1].rstrip("»")
    return {
        "registration_number": number,
        "name_ru": name_ru,
        "name_en": name_en,
        "country": "RU",
        "region": region,
        "cluster_name_ru": cluster_ru,
        "cluster_name_en": name_en,
        "specialisation": specialisation,
    }


MONITORED = (
    Monitored(
        _organisation(
            "1182901004410",
            "АНО «Архангельский кластер энергоэффективного города»",
            "Arkhangelsk Energy-Efficient City Cluster",
            "Архангельская область",
            "Энергосбережение в жилом фонде, умное освещение",
        ),
        ("reports@certify-demo.example.org", "Наталья Андреевна Попова", "Natalia Popova", "ru"),
        20,
        OPEN,
        Decimal("1.0"),
    ),
    Monitored(
        _organisation(
            "1163525071230",
            "Ассоциация «Вологодский кластер водных технологий»",
            "Vologda Water Technology Cluster",
            "Вологодская область",
            "Водоподготовка, очистка стоков",
        ),
        ("overdue@certify-demo.example.org", "Павел Викторович Зайцев", "Pavel Zaytsev", "ru"),
        -45,
        OVERDUE,
        Decimal("0.8"),
    ),
    Monitored(
        _organisation(
            "1175958001120",
            "АНО «Пермский кластер экологических технологий»",
            "Perm Environmental Technology Cluster",
            "Пермский край",
            "Переработка промышленных отходов, рекультивация",
        ),
        ("flagged@certify-demo.example.org", "Ирина Олеговна Мельникова", "Irina Melnikova", "ru"),
        -40,
        FLAGGED,
        Decimal("1.3"),
    ),
    Monitored(
        _organisation(
            "1187017002340",
            "АНО «Томский кластер зелёного строительства»",
            "Tomsk Green Construction Cluster",
            "Томская область",
            "Деревянное домостроение, энергоэффективные здания",
        ),
        ("monitored4@certify-demo.example.org", "Артём Сергеевич Козлов", "Artem Kozlov", "ru"),
        -40,
        FILED,
        Decimal("0.9"),
    ),
    Monitored(
        _organisation(
            "1166313011450",
            "Ассоциация «Самарский кластер ресурсосбережения»",
            "Samara Resource Efficiency Cluster",
            "Самарская область",
            "Энергосервис, вторичные ресурсы",
        ),
        ("monitored5@certify-demo.example.org", "Виктория Павловна Морозова", "Victoria Morozova", "ru"),
        -40,
        FILED,
        Decimal("1.5"),
    ),
    Monitored(
        _organisation(
            "1176027003560",
            "АНО «Псковский кластер чистой воды»",
            "Pskov Clean Water Cluster",
            "Псковская область",
            "Водоснабжение малых городов, мониторинг водоёмов",
        ),
        ("monitored6@certify-demo.example.org", "Григорий Ильич Фёдоров", "Grigory Fedorov", "ru"),
        -40,
        FILED,
        Decimal("0.7"),
    ),
    Monitored(
        _organisation(
            "1186686012670",
            "АНО «Уральский кластер энергоэффективности»",
            "Ural Energy Efficiency Cluster",
            "Свердловская область",
            "Энергоаудит, модернизация теплоснабжения",
        ),
        ("monitored7@certify-demo.example.org", "Олег Дмитриевич Никитин", "Oleg Nikitin", "ru"),
        -40,
        FILED,
        Decimal("1.2"),
    ),
    Monitored(
        _organisation(
            "1163926004780",
            "АНО «Калининградский кластер циркулярной экономики»",
            "Kaliningrad Circular Economy Cluster",
            "Калининградская область",
            "Сортировка и переработка отходов, экопромышленный парк",
        ),
        ("monitored8@certify-demo.example.org", "Светлана Юрьевна Волкова", "Svetlana Volkova", "ru"),
        -40,
        FILED,
        Decimal("1.1"),
    ),
)

#: the experts who reviewed the history besides the demo's three (a pool of six lets reviews rotate)
MORE_ASSESSORS = (
    ("assessor4@certify-demo.example.org", "Николай Борисович Ершов", "Nikolay Ershov", "ru"),
    ("assessor5@certify-demo.example.org", "Anna Lindqvist", "Anna Lindqvist", "en"),
    ("assessor6@certify-demo.example.org", "Тимур Рашидович Хасанов", "Timur Khasanov", "ru"),
)

#: who reviews what, by the certification (1st, 2nd, 3rd): the two assessors of the application, and the
#: one of that certificate's yearly report; no one takes part twice in three years for one cluster
ROTATION = ((0, 1, 2), (3, 4, 5), (0, 1, 2))

#: the cluster's field of the standard's green fields question, as its profile names it
PROFILE_FIELDS = {
    "energy_cities": PriorityField.URBAN_ENERGY_EFFICIENCY,
    "water": PriorityField.WATER,
    "construction": PriorityField.SUSTAINABLE_CONSTRUCTION,
    "environment_waste": PriorityField.ENVIRONMENT_AND_WASTE,
}

#: a typical cluster's core figures in its first reported year
FIRST_YEAR = {
    "participants": 40,
    "participants_business": 26,
    "participants_research_education": 8,
    "participant_types": 4,
    "team_fte": Decimal("3.5"),
    "non_budget_share": 30,
    "joint_projects_started": 6,
    "joint_projects_completed": 4,
    "investment_attracted": 120_000_000,
    "new_products": 5,
    "international_projects": 2,
}
#: how the figures grow, report after report (every two years)
GROWTH = (Decimal("1"), Decimal("1.15"), Decimal("1.3"))
#: counts that describe a kind rather than an amount: they do not grow with the cluster
FIXED = {"participant_types"}
#: a green KPI's baseline and target for a typical cluster; the actual figure moves from one to the other
GREEN = {
    "energy_saved": (1200, 3000),
    "water_saved": (40_000, 100_000),
    "green_floor_area": (15_000, 40_000),
    "waste_recovered": (2500, 6000),
    "co2_avoided": (800, 2000),
}
#: how far from the baseline to the target the actual figure has come, report after report
ATTAINED = (Decimal("0.3"), Decimal("0.55"), Decimal("0.8"))
#: the flagged cluster's last investment against the year before: a fall of more than a fifth
FLAGGED_INVESTMENT = Decimal("0.55")


def load_demo_monitoring(session, coordinator, assessors: list, password: str) -> list:
    """The monitored clusters with their history, unless they exist; their managers' and the extra
    assessors' logins."""
    pool = list(assessors) + [
        ensure_person(session, person, Role.ASSESSOR, None, password) for person in MORE_ASSESSORS
    ]
    logins = [(person.email, [Role.ASSESSOR]) for person in pool[len(assessors) :]]
    standard = definition_of(current_version(session))
    clusters = []
    for seed, monitored in enumerate(MONITORED, start=40):
        answers = plausible_answers(standard, seed=seed, strength=0.9)
        fields = answers.get(standard.monitoring.fields_question) or []
        organisation = ensure_organisation(
            session, monitored.organisation | {"priority_fields": [PROFILE_FIELDS[f].value for f in fields]}
        )
        manager = ensure_person(session, monitored.manager, Role.MANAGER, organisation, password)
        logins.append((manager.email, [Role.MANAGER]))
        if session.scalar(sa.select(Application.id).where(Application.organisation_id == organisation.id)):
            continue
        clusters.append((monitored, manager, seed))
    if clusters:
        _replay(session, coordinator, pool, clusters)
    return logins


def _replay(session, coordinator, pool: list, clusters: list) -> None:
    """Three certifications of every cluster, two years apart, each followed by its yearly report; the
    clusters in step, so that each renewal's report finds its peers' reports of the years before."""
    for certification, (lead, second, report_reviewer) in enumerate(ROTATION):
        issued = {m: _issued_on(m, certification) for m, *_ in clusters}
        with freeze_time(_morning(min(issued.values()) - timedelta(days=30)), tick=True) as clock:
            reviewed = []
            for monitored, manager, seed in clusters:
                clock.move_to(_morning(issued[monitored] - timedelta(days=21)))
                application = submitted_application(session, manager, seed=seed, strength=0.9)
                clock.move_to(_morning(issued[monitored] - timedelta(days=14)))
                level = review_to_consensus(
                    session, application, coordinator, pool[lead], pool[second], seed=seed
                )
                reviewed.append((monitored, application, level))
        periods = {}
        for monitored, application, level in reviewed:
            decided_at = datetime.combine(issued[monitored], time(10), tzinfo=UTC)
            decision = decide_as_agreed(session, application, coordinator, level, decided_at=decided_at)
            (periods[monitored],) = schedule_certificate(session, latest_for_decision(session, decision.id))
        last = certification == len(ROTATION) - 1
        with freeze_time(
            _morning(min(p.due_on for p in periods.values()) - timedelta(days=20)), tick=True
        ) as clock:
            for monitored, manager, _ in clusters:
                if last and monitored.latest in (OPEN, OVERDUE):
                    continue
                period = periods[monitored]
                clock.move_to(_morning(period.due_on - timedelta(days=12)))
                report = _filed(session, period, manager, monitored, certification, last)
                clock.move_to(_morning(period.due_on - timedelta(days=4)))
                _accepted(session, report, coordinator, pool[report_reviewer])
    today = date.today()
    for duty in duties(session, today):  # the reminder and the alert sent today, as the daily run would
        perform(session, duty, today)


def _issued_on(monitored: Monitored, certification: int) -> date:
    """The day the cluster's `certification` (0 for the first) was issued: its last report falls due
    `due_in_days` from today, a year after the third certification."""
    latest_due = date.today() + timedelta(days=monitored.due_in_days)
    return anniversary(latest_due, 2 * certification - 5)


def _morning(day: date) -> datetime:
    return datetime.combine(day, time(9), tzinfo=UTC)


def _filed(session, period, manager, monitored: Monitored, certification: int, last: bool) -> Application:
    """The period's report started by the manager, its figures and a document given, submitted."""
    report = filing.start_report(session, period, manager, date.today())
    standard = questionnaire.standard_of(report)
    figures = _figures(standard, monitored, certification, flagged=last and monitored.latest == FLAGGED)
    session.execute(sa.delete(Answer).where(Answer.application_id == report.id))  # carried over: restated
    session.add_all(
        Answer(application_id=report.id, question_id=qid, value=value, updated_by_id=manager.id)
        for qid, value in figures.items()
    )
    attach_evidence(session, report, manager, complete=True)
    questionnaire.submit_application(session, report, manager)
    return report


def _figures(standard, monitored: Monitored, certification: int, *, flagged: bool) -> dict[str, str]:
    """The report's answers: the typical figures grown for the year and scaled to the cluster; a share
    grows by points instead, and a green KPI comes closer to its target."""
    grown = monitored.scale * GROWTH[certification]
    answers = {}
    for kpi, first in FIRST_YEAR.items():
        if kpi in FIXED:
            value = Decimal(first)
        elif kpi == "non_budget_share":
            value = Decimal(first + 4 * certification)
        elif kpi == "investment_attracted" and flagged:
            value = first * monitored.scale * GROWTH[certification - 1] * FLAGGED_INVESTMENT
        else:
            value = first * grown
        answers[core_question_id(kpi)] = _written(value, whole=not isinstance(first, Decimal))
    asked = {question.id for question in standard.all_questions()}  # the chosen fields' pages only
    for field in standard.monitoring.fields:
        for kpi in field.kpis:
            baseline, target = (monitored.scale * Decimal(v) for v in GREEN[kpi])
            actual = baseline + (target - baseline) * ATTAINED[certification]
            for figure, value in (("baseline", baseline), ("target", target), ("actual", actual)):
                if (question_id := field_question_id(field.field, kpi, figure)) in asked:
                    answers[question_id] = _written(value, whole=True)
    return answers


def _written(value: Decimal, *, whole: bool) -> str:
    """A figure as a manager types it: whole, or with one decimal."""
    return str(value.quantize(Decimal(1) if whole else Decimal("0.1")))


def _accepted(session, report: Application, coordinator, reviewer) -> None:
    staffing.assign_assessors(session, report, [reviewer], reviewer, coordinator)
    (assignment,) = active_assignments(session, report)
    staffing.confirm_independence(session, assignment, reviewer)
    staffing.start_review(session, report, coordinator)
    accept_report(session, assignment, reviewer)
