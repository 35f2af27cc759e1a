"""Demo candidates for the attestation of cluster managers (scheme cma 1.0), one in every state.

Each candidate goes through the real services, as far as their state: applying (a draft half filled),
returned for completion with a reason, admitted and registered for the theory exam, the exam failed with
a retake still allowed, the theory passed and the practical task half answered, the practical part
submitted and under review (two examiners, one has scored), attested (two, listed in the public
registry), not attested with the commission's conclusion per competence area, an attestation expired, and
one suspended; an attested candidate with nine years managing a cluster reaches the level "senior",
whose critical joint project needs the practical part's documents. The examiners are the demo
assessors, who work for no organisation, so no candidate's conflict rule excludes them; the coordinator
decides and examines no one. A candidate with any application is left as they are: a second run adds
nothing.
"""

from __future__ import annotations

import io
from datetime import UTC, date, datetime, time, timedelta

import sqlalchemy as sa

from certify.accounts import services as accounts
from certify.accounts.models import Role, User
from certify.accounts.passwords import hash_password
from certify.attestation import services as attestation
from certify.attestation.theory import attempts_of
from certify.certificates import lifecycle, register
from certify.certificates.issuance import latest_for_decision, status_of
from certify.certificates.models import CertificateStatus
from certify.demo.applications import DEMO_PDF
from certify.exams import attempts, registrations
from certify.exams import services as exams
from certify.exams.bank import LIBRARY
from certify.exams.models import Exam
from certify.exams.records import form_from_data
from certify.questionnaire import services as questionnaire
from certify.questionnaire.evidence import add_evidence
from certify.questionnaire.models import Application
from certify.questionnaire.pages import ELIGIBILITY_PAGE, Part, has_evidence_question, pages_of
from certify.review import decisions, findings, rubric_scores, staffing
from certify.standards.definition import QuestionType
from certify.timeutil import utcnow
from certify.transitions import active_assignments

SCHEME_CODE = "cma"
THEORY_BANK = LIBRARY / "cm-1.0.yaml"
#: the file attached to each requirement of cma 1.0
REQUIREMENTS = ("elig_education", "elig_experience", "elig_training")

#: (state, e-mail, name ru, name en, locale, organisation's registration number or None,
#:  (education, years managing, experience record, training hours, training record))
CANDIDATES = (
    ("applying", "candidate-applying@certify-demo.example.org", "Ксения Андреевна Миронова",
     "Ksenia Mironova", "ru", None,
     ("Казанский федеральный университет, менеджмент, 2015", "2", "2023–2025: руководитель проектного "
      "офиса кластера", "24", "Проектное управление, 24 ч, 2024")),
    ("returned", "candidate-returned@certify-demo.example.org", "Павел Викторович Зайцев",
     "Pavel Zaitsev", "ru", "1121600004525",
     ("КНИТУ, химическая технология, 2010", "4", "2021–2025: заместитель директора управляющей компании "
      "Камского кластера", "56", "Управление кластерами, РАНХиГС, 2023, 40 ч; Экспорт, 2024, 16 ч")),
    ("admitted", "candidate-admitted@certify-demo.example.org", "Татьяна Олеговна Крылова",
     "Tatiana Krylova", "en", None,
     ("НИУ ВШЭ, государственное управление, 2013", "3", "2022–2025: директор центра кластерного "
      "развития Калужской области", "48", "Cluster Excellence, ESCA, 2024, 48 ч")),
    ("exam_failed", "candidate-exam-failed@certify-demo.example.org", "Артём Денисович Фёдоров",
     "Artyom Fyodorov", "ru", None,
     ("УрФУ, экономика, 2016", "2.5", "2023–2025: руководитель центра кластерного развития", "40",
      "Развитие кластеров, 2024, 40 ч")),
    ("practical", "candidate-practical@certify-demo.example.org", "Олег Маратович Садыков",
     "Oleg Sadykov", "ru", None,
     ("КФУ, экономика, 2012", "3", "2022–2025: руководитель проектов центра кластерного развития", "40",
      "Кластерная политика, 2024, 40 ч")),
    ("under_review", "candidate-review@certify-demo.example.org", "Наталья Игоревна Романова",
     "Natalia Romanova", "ru", "1167800053410",
     ("СПбГЭУ, экономика и управление, 2009", "6", "2019–2025: директор по развитию центра кластерного "
      "развития чистых технологий", "72", "Управление кластерами, ВШЭ, 2023, 72 ч")),
    ("attested", "candidate-attested@certify-demo.example.org", "Екатерина Владимировна Захарова",
     "Ekaterina Zakharova", "ru", None,
     ("МГУ, экономика, 2011", "3.5", "2021–2025: директор специализированной организации кластера "
      "водных технологий", "48", "Управление кластерами, ВШЭ, 2024, 48 ч")),
    ("attested", "candidate-attested2@certify-demo.example.org", "Михаил Юрьевич Гордеев",
     "Mikhail Gordeev", "ru", "1121600004525",
     ("МГТУ им. Баумана, 2005; MBA, 2012", "9", "2016–2025: генеральный директор управляющей компании "
      "кластера", "96", "Кластерная политика, РАНХиГС, 2023, 72 ч; ESCA, 2024, 24 ч")),
    ("not_attested", "candidate-not-attested@certify-demo.example.org", "Алексей Николаевич Степанов",
     "Alexey Stepanov", "ru", "1167800053410",
     ("НГУ, физика, 2012", "2", "2023–2025: руководитель центра кластерного развития", "40",
      "Основы кластерного развития, 2024, 40 ч")),
    ("expired", "candidate-expired@certify-demo.example.org", "Виктория Павловна Ковалёва",
     "Victoria Kovaleva", "ru", None,
     ("РЭУ им. Плеханова, 2008", "5", "2017–2022: директор центра кластерного развития", "60",
      "Управление кластерами, 2021, 60 ч")),
    ("suspended", "candidate-suspended@certify-demo.example.org", "Григорий Сергеевич Никитин",
     "Grigory Nikitin", "ru", None,
     ("ТГУ, экономика, 2010", "4", "2020–2025: директор специализированной организации кластера",
      "48", "Управление кластерами, 2024, 48 ч")),
)  # fmt: skip

RETURN_REASON = (
    "Приложите удостоверения о повышении квалификации: в загруженном файле только первая страница, "
    "часы обучения не видны."
)
#: what an examiner writes per competence area (strengths, what to improve)
FEEDBACK = {
    "stg": ("Карта цепочки создания стоимости полная, разрывы названы.", "Связать цели с показателями."),
    "gov": ("Полномочия органов управления описаны ясно.", "Добавить порядок учёта мнения МСП."),
    "fin": ("Финансовая модель реалистична.", "Проработать сценарий потери крупнейшего источника."),
    "srv": ("Портфель услуг опирается на опрос участников.", "Уточнить бюджет совместного проекта."),
    "mon": ("Таблица показателей с базовыми и целевыми значениями.", "Назначить ответственных."),
    "grn": ("Выбор зелёных направлений обоснован.", "Указать методику измерения эффекта."),
}
ATTESTED_REASONS = "Теоретический экзамен сдан; экзаменаторы согласованно оценили кейс выше порога уровня."
NOT_ATTESTED_REASONS = (
    "Теоретический экзамен сдан, практическая часть оценена ниже порога уровня «Аттестован»."
)
CONCLUSION = {
    "areas": {
        "stg": "Ниже порога: анализ цепочки не доведён до целей и показателей.",
        "gov": "Ниже порога: не описано, как принимаются решения с участием МСП.",
        "fin": "Ниже порога: финансовый план без сценария рисков.",
        "srv": "Ниже порога: совместный проект без бюджета и сроков.",
        "mon": "Ниже порога: показатели не связаны с целями стратегии.",
        "grn": "Ниже порога: экологический эффект заявлен, но не измерен.",
    },
    "recommendations": (
        "Пройти обучение по стратегическому планированию и финансовой модели кластера; повторно подать "
        "заявление не ранее чем через 6 месяцев, приложив доработанный кейс."
    ),
}
SUSPENSION_REASON = (
    "Поступили сведения о недостоверности опыта работы, указанного в заявлении; проводится проверка."
)
#: how long ago the expired attestation was decided: past its 36 months of validity
EXPIRED_DAYS_AGO = 36 * 31 + 45


def load_demo_attestation(session, coordinator: User, examiners: list[User], organisations: dict, password):
    """Create the missing candidates and take each to their state; returns their logins."""
    theory_exam(session)
    scheme = next(v for v in attestation.published_schemes(session) if v.code == SCHEME_CODE)
    password_hash = None
    logins = []
    for number, (state, email, name_ru, name_en, locale, organisation, profile) in enumerate(CANDIDATES):
        user = accounts.find_user(session, email)
        if user is None:
            password_hash = password_hash or hash_password(password)
            user = accounts.add_user(
                session,
                email=email,
                password_hash=password_hash,
                full_name_ru=name_ru,
                full_name_en=name_en,
                roles=[Role.CANDIDATE],
                organisation=organisations.get(organisation),
                locale=locale,
                confirmed=True,
            )
        logins.append((user.email, [Role.CANDIDATE]))
        if attestation.applications_of(session, user):
            continue
        application = attestation.apply_for_attestation(session, scheme, user, consent=True)
        team = examiners[number % 3 :] + examiners[: number % 3]  # each examiner leads some reviews
        _take_to(session, state, application, prerequisites(profile), coordinator, team[:2])
    return logins


#: the attested demo candidates who head their organisation's specialised organisation
HEADS = ("candidate-attested2@certify-demo.example.org",)


def attested_heads(session) -> dict[int, str]:
    """{organisation id: the number of its head's attestation in force}, for the organisations' answers."""
    heads = {}
    for email in HEADS:
        user = accounts.find_user(session, email)
        in_force = [
            c for c in register.of_person(session, user.id) if status_of(c) is CertificateStatus.VALID
        ]
        if user.organisation_id is not None and in_force:
            heads[user.organisation_id] = in_force[0].number
    return heads


def theory_exam(session) -> Exam:
    """The scheme's theory exam (bank cm 1.0, blueprint cm_theory), open without an end."""
    bank = exams.find_bank_version(session, "cm", "1.0")
    if bank is None:
        bank = exams.import_bank(session, THEORY_BANK.read_bytes(), source_name=THEORY_BANK.name).row
    exam = session.scalar(
        sa.select(Exam).where(Exam.bank_version_id == bank.id, Exam.blueprint_id == "cm_theory")
    )
    if exam is None:
        opens_at = utcnow().replace(hour=8, minute=0, second=0, microsecond=0) - timedelta(days=7)
        exam = exams.open_exam(session, bank, "cm_theory", opens_at=opens_at)
    return exam


def prerequisites(profile: tuple[str, str, str, str, str]) -> dict[str, str]:
    """The prerequisites page as the candidate's form posts it."""
    education, years, experience, hours, training = profile
    return {
        "elig_education_level": "master",
        "elig_education_details": education,
        "elig_years_managing": years,
        "elig_experience_record": experience,
        "elig_training_hours": hours,
        "elig_training_record": training,
    }


def _take_to(session, state: str, application: Application, answers: dict, coordinator, team) -> None:
    """Take a new draft to `state` the way the candidate, the coordinator and the examiners would."""
    _fill(session, application, answers, REQUIREMENTS[: 1 if state == "applying" else 3])
    if state == "applying":
        return
    questionnaire.submit_application(session, application, application.candidate)
    if state == "returned":
        attestation.return_for_completion(session, application, coordinator, {"elig_training": RETURN_REASON})
        return
    attestation.admit(session, application, coordinator)
    if state == "admitted":
        return
    # A sitting is a request of its own in the product: its result's e-mail and audit entry are written
    # as its transaction ends. The savepoint ends it here, so they come in order and the demo can drop
    # the e-mail with the others (certify.attestation.models writes them before a commit).
    with session.begin_nested():
        _sit_theory(session, application, passed=state != "exam_failed")
    if state == "exam_failed":
        return
    write_practical(session, application, complete=state != "practical")
    if state == "practical":
        return
    questionnaire.submit_practical(session, application, application.candidate)
    assignments = _examiners(session, application, coordinator, team)
    if state == "under_review":
        _score(session, assignments[0], _agreed(application, state))
        return
    _decide(session, application, coordinator, assignments, state)


def _fill(session, application: Application, answers: dict, files) -> None:
    candidate = application.candidate
    version = questionnaire.page_version(session, application, ELIGIBILITY_PAGE).version
    questionnaire.save_page(
        session, application, ELIGIBILITY_PAGE, expected_version=version, posted=answers, user=candidate
    )
    for target in files:
        add_evidence(session, application, target, io.BytesIO(DEMO_PDF), f"{target}-документ.pdf", candidate)


def write_practical(session, application: Application, *, complete: bool) -> None:
    """The candidate answers the practical task page by page, a file for each indicator asking for one;
    only its first half when not `complete`."""
    candidate = application.candidate
    pages = pages_of(questionnaire.standard_of(application), Part.PRACTICAL)
    for page in pages if complete else pages[: len(pages) // 2]:
        version = questionnaire.page_version(session, application, page.key).version
        answer = _practical_answer(page)
        posted = {q.id: answer for q in page.questions if q.type == QuestionType.LONG_TEXT}
        questionnaire.save_page(
            session, application, page.key, expected_version=version, posted=posted, user=candidate
        )
        for target, _title, questions in page.sections:
            if has_evidence_question(questions):
                add_evidence(session, application, target, io.BytesIO(DEMO_PDF), f"{target}.pdf", candidate)


def _practical_answer(page) -> str:
    """A plausible answer to a section of the case, long enough to be read as one."""
    return (
        f"{page.title.ru}. По данным кейса «Тёплый город»: 42 участника, 78 % дохода — субсидия, два "
        "совместных проекта одних и тех же четырёх компаний, разрывы цепочки — сертифицированная "
        "теплоизоляция и монтажники. Предлагаю цели на три года с базовыми и целевыми значениями, "
        "ответственных и сроки; допущения названы в приложении."
    )


def _sit_theory(session, application: Application, *, passed: bool) -> None:
    """The candidate sits the registered attempt: one item in eight missed (passed) or one in two."""
    registered = next(a for a in attempts_of(session, application) if a.is_open)
    attempt = registrations.start_attempt(session, registered.exam, application.candidate)
    items = {item.id: item for item in exams.bank_of(attempt.exam.bank_version).items}
    missed_every = 8 if passed else 2
    answers = {}
    for number, slot in enumerate(form_from_data(attempt.form).slots):
        item = items[slot.item_id]
        wrong = next(option for option in item.option_ids if option not in item.key)
        answers[slot.item_id] = [wrong] if number % missed_every == 0 else sorted(item.key)
    attempts.submit_attempt(session, attempt, answers)


def _examiners(session, application: Application, coordinator, team: list[User]):
    """Two examiners assigned (the first leads), each confirming independence, and the review started."""
    staffing.assign_assessors(session, application, team, team[0], coordinator)
    assignments = active_assignments(session, application)
    for assignment in assignments:
        staffing.confirm_independence(session, assignment, assignment.assessor)
    staffing.start_review(session, application, coordinator)
    return sorted(assignments, key=lambda a: not a.is_lead)


def _agreed(application: Application, state: str) -> dict[str, int]:
    """The consensus per indicator: weak (not attested), else mostly 3 with some 4."""
    indicators = [i.id for i in questionnaire.standard_of(application).indicators()]
    if state == "not_attested":
        return {i: 2 if n % 4 == 0 else 1 for n, i in enumerate(indicators)}
    return {i: 4 if n % 4 == 1 else 3 for n, i in enumerate(indicators)}


def _score(session, assignment, agreed: dict[str, int], offset: int = 0) -> None:
    """An examiner's scores: the agreed ones, one step apart on every fifth indicator (never two, which
    would call for a third examiner), every file relevant; submitted."""
    marks = findings.Marks.accepting(findings.items_of(session, assignment.application))
    scores = {
        i: (min(4, value + 1) if (n + offset) % 5 == 0 else value, "")
        for n, (i, value) in enumerate(agreed.items())
    }
    rubric_scores.save_scores(session, assignment, scores=scores, feedback=FEEDBACK, marks=marks)
    rubric_scores.submit_scores(session, assignment, assignment.assessor)


def _decide(session, application: Application, coordinator, assignments, state: str) -> None:
    """Both examiners score, the lead records the consensus, the commission decides; then the
    attestation's later life (expired by its date, or suspended)."""
    agreed = _agreed(application, state)
    for offset, assignment in enumerate(assignments):
        _score(session, assignment, agreed, offset)
    lead = assignments[0].assessor
    marks = findings.Marks.accepting(findings.items_of(session, application))
    consensus = {i: (value, "") for i, value in agreed.items()}
    outcome = rubric_scores.record_consensus(session, application, lead, consensus, marks=marks)
    level = outcome.level.id if outcome.level else None
    decided_at = None
    if state == "expired":
        decided_at = datetime.combine(date.today() - timedelta(days=EXPIRED_DAYS_AGO), time(10), tzinfo=UTC)
    decision = decisions.decide(
        session,
        application,
        coordinator,
        chosen_level=level,
        reasons=ATTESTED_REASONS if level else NOT_ATTESTED_REASONS,
        justification="",
        decided_at=decided_at,
        conclusion=None if level else CONCLUSION,
    )
    if state == "suspended":
        certificate = latest_for_decision(session, decision.id)
        lifecycle.change_status(
            session, certificate, coordinator, CertificateStatus.SUSPENDED, SUSPENSION_REASON
        )
