"""Plain functions that create rows for tests, with defaults a test overrides only where it matters.

Below the users and drafts, applications are taken to each state of the workflow the way people take
them: through the real services. Two kinds of function there. A step, named by a verb (`submit`,
`start_review`, `score`, `agree`, `decide`, `appeal`), takes an existing application one stage further, as
the people on it would. A state, named by a participle (`submitted`, `in_review`, `scored`, `agreed`,
`decided`, `certified`, `appealed`), makes a new application, walks it through the steps to that state
and returns a `Case`. A state's keyword arguments go down to the earlier ones, so
`certified(db, manager=holder, seed=3)` names the holder and varies the answers. Tests import the module
(`from tests import factories`), since fixtures carry the states' names.

Like the services they call, these flush and never commit: a test that goes on through a client commits.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from itertools import count

from sqlalchemy.orm import object_session

from certify.accounts import services
from certify.accounts.models import Organisation, Role, User
from certify.certificates.issuance import latest_for_decision
from certify.certificates.models import Certificate
from certify.demo.answers import plausible_answers
from certify.demo.applications import DEMO_PDF
from certify.questionnaire import services as questionnaire
from certify.questionnaire.evidence import add_evidence
from certify.questionnaire.models import Answer, Application
from certify.questionnaire.pages import has_evidence_question, pages_of
from certify.review import appeals, decisions, findings, rubric_scores, staffing
from certify.review.models import Appeal, Assignment, Decision
from certify.transitions import active_assignments, appeal_panel_size

PASSWORD = "Tundra-Lighthouse-48"
_numbers = count(1)


def make_organisation(session, **fields) -> Organisation:
    n = next(_numbers)
    ogrn = f"11678000{n:04d}"
    values = {
        "name_ru": f"Управляющая компания кластера № {n}",
        "name_en": f"Cluster management company No. {n}",
        "registration_number": ogrn + str(int(ogrn) % 11 % 10),  # with its check digit
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


#: The version the workflow tests run on. Their answers, rubric scores and expected totals were written for
#: it; the library's newest version (new applications in the product) has its own tests, which install it
#: with `install_default_standard(session, "1.1")` or the whole library.
DEFAULT_VERSION = "1.0"


def install_default_standard(session, version: str = DEFAULT_VERSION):
    """Import and publish `cmq-<version>.yaml` from the library, alone: it is then the current version."""
    from certify.standards.services import install_library

    return install_library(session, [f"cmq-{version}.yaml"])[0]


def make_application(session, manager: User, *, answers: dict | None = None):
    """A draft application of the manager's organisation on the default standard, with `answers` stored."""
    if questionnaire.current_version(session) is None:
        install_default_standard(session)
    application = questionnaire.start_application(session, manager.organisation, manager)
    session.add_all(
        Answer(application_id=application.id, question_id=qid, value=value)
        for qid, value in (answers or {}).items()
    )
    session.flush()
    return application


# --- applications in each state, through the real services ---------------------------------------------

#: a justification, written only where the decision departs from the computed level
DEPARTURE = "Решение комиссии по итогам выездной проверки"


@dataclass
class Case:
    """An application and the people on it, filled in as far as its state goes."""

    application: Application
    manager: User
    coordinator: User | None = None
    #: the review team's assignments, in the order assigned (the first one leads)
    team: list[Assignment] = field(default_factory=list)
    decision: Decision | None = None
    certificate: Certificate | None = None
    appeal: Appeal | None = None

    @property
    def lead(self) -> Assignment:
        return next(a for a in self.team if a.is_lead)

    @property
    def second(self) -> Assignment:
        return next(a for a in self.team if not a.is_lead)


# --- steps --------------------------------------------------------------------------------------------


def submit(session, application: Application, manager: User | None = None, *, seed=5, strength=0.7):
    """Answer what is still open plausibly, attach a file wherever evidence is asked, and submit.

    Answers already stored are kept, so a test names the few that matter and the rest are filled in.
    """
    manager = manager or application.created_by
    standard = questionnaire.standard_of(application)
    stored = questionnaire.load_answers(session, application)
    session.add_all(
        Answer(application_id=application.id, question_id=qid, value=value, updated_by_id=manager.id)
        for qid, value in plausible_answers(standard, seed=seed, strength=strength).items()
        if qid not in stored
    )
    session.flush()
    attached = questionnaire.evidence_by_target(session, application)
    for page in pages_of(standard):
        for target, _, questions in page.sections:
            if target not in attached and has_evidence_question(questions):
                add_evidence(session, application, target, io.BytesIO(DEMO_PDF), f"{target}.pdf", manager)
    questionnaire.submit_application(session, application, manager)
    return application


def start_review(session, application: Application, coordinator: User, assessors: list[User]):
    """The coordinator names the team (the first one leads), each confirms independence, the review starts."""
    staffing.assign_assessors(session, application, assessors, assessors[0], coordinator)
    team = active_assignments(session, application)
    for assignment in team:
        staffing.confirm_independence(session, assignment, assignment.assessor)
    staffing.start_review(session, application, coordinator)
    return team


def every_item_accepted(session, application: Application) -> findings.Marks:
    """The marks of an assessor who finds every file relevant and confirms every "not applicable"."""
    return findings.Marks.accepting(findings.items_of(session, application))


def score(session, application: Application, value: int = 3) -> None:
    """Each assessor of the team who has not submitted yet gives `value` to every indicator, accepts every
    file and "not applicable" answer, and submits."""
    indicators = [i.id for i in questionnaire.standard_of(application).indicators()]
    marks = every_item_accepted(session, application)
    for assignment in active_assignments(session, application):
        if assignment.scores_submitted_at is None:
            scores = {i: (value, "") for i in indicators}
            rubric_scores.save_scores(session, assignment, scores=scores, feedback={}, marks=marks)
            rubric_scores.submit_scores(session, assignment, assignment.assessor)


def agree(session, application: Application, value: int = 3) -> Application:
    """Score where the team has not yet, then the lead records `value` everywhere as the consensus, every
    file relevant and every "not applicable" confirmed."""
    score(session, application, value)
    lead = next(a.assessor for a in active_assignments(session, application) if a.is_lead)
    indicators = questionnaire.standard_of(application).indicators()
    rubric_scores.record_consensus(
        session,
        application,
        lead,
        {i.id: (value, "") for i in indicators},
        marks=every_item_accepted(session, application),
    )
    return application


def issuance_level(session, application: Application) -> str:
    """The level the consensus earned: a decision may not grant a higher one (issue 14)."""
    outcome = decisions.computed_result(session, application)
    assert outcome.level, "these scores earn no level: certify with higher ones"
    return outcome.level.id


def decide(session, application, coordinator, *, certify: bool, reasons: str = "Решение комиссии"):
    """The coordinator decides: certify (at `issuance_level`) or not; a departure is justified."""
    computed = decisions.computed_result(session, application).level
    level = issuance_level(session, application) if certify else None
    departs = level != (computed.id if computed else None)
    return decisions.decide(
        session,
        application,
        coordinator,
        chosen_level=level,
        reasons=reasons,
        justification=DEPARTURE if departs else "",
    )


def appeal(session, application, manager=None, grounds: str = "Эксперты не учли реестр участников"):
    """The manager appeals the decision."""
    return appeals.lodge_appeal(session, application, manager or application.created_by, grounds)


def review_appeal(session, application: Application, coordinator: User, value: int = 4) -> Assignment:
    """Fresh assessors make up the appeal's panel (one for an organisation), each confirms independence
    and submits `value` everywhere; a panel of several records `value` as its consensus. The lead's
    assignment."""
    indicators = [i.id for i in questionnaire.standard_of(application).indicators()]
    marks = every_item_accepted(session, application)
    for _ in range(appeal_panel_size(questionnaire.standard_of(application))):
        assessor = make_user(session, Role.ASSESSOR)
        assignment = appeals.assign_appeal_assessor(session, application, coordinator, assessor)
        staffing.confirm_independence(session, assignment, assessor)
        scores = {i: (value, "") for i in indicators}
        rubric_scores.save_scores(session, assignment, scores=scores, feedback={}, marks=marks)
        rubric_scores.submit_scores(session, assignment, assessor)
    panel = appeals.appeal_panel(session, application)
    if len(panel) > 1:
        scores = {i: (value, "") for i in indicators}
        rubric_scores.record_consensus(session, application, panel[0].assessor, scores, marks=marks)
    return panel[0]


def all_scores(application: Application, value: int) -> dict[str, str]:
    """The scores form with `value` for every indicator, every file marked relevant and every "not
    applicable" confirmed, as an assessor's browser posts it (the consensus form names them alike)."""
    items = findings.items_of(object_session(application), application)
    marks = {f"file-{f}": "relevant" for f in items.file_ids()}
    marks |= {f"na-{q}": "confirmed" for q in items.not_applicable}
    return marks | {f"score-{i.id}": str(value) for i in questionnaire.standard_of(application).indicators()}


# --- states -------------------------------------------------------------------------------------------


def submitted(session, *, manager=None, application=None, seed: int = 5, strength: float = 0.7) -> Case:
    """A complete application with its evidence, submitted by its manager (`application`: a draft to use)."""
    if application is None:
        application = make_application(session, manager or make_user(session, Role.MANAGER))
    manager = manager or application.created_by
    submit(session, application, manager, seed=seed, strength=strength)
    return Case(application, manager)


def in_review(session, *, coordinator=None, assessors=None, **earlier) -> Case:
    """Submitted, then under review by `assessors` (two fresh ones unless named; the first leads)."""
    case = submitted(session, **earlier)
    case.coordinator = coordinator or make_user(session, Role.COORDINATOR)
    assessors = assessors or [make_user(session, Role.ASSESSOR), make_user(session, Role.ASSESSOR)]
    case.team = start_review(session, case.application, case.coordinator, assessors)
    return case


def scored(session, *, value: int = 3, **earlier) -> Case:
    """In review, then every assessor submitted `value` for every indicator."""
    case = in_review(session, **earlier)
    score(session, case.application, value)
    return case


def agreed(session, *, value: int = 3, **earlier) -> Case:
    """Scored, then the lead recorded `value` everywhere as the consensus."""
    case = in_review(session, **earlier)
    agree(session, case.application, value)
    return case


def decided(session, *, value: int = 1, reasons: str = "Решение комиссии", **earlier) -> Case:
    """Agreed (at 1 unless told: no level earned), then the coordinator decided not to certify."""
    case = agreed(session, value=value, **earlier)
    case.decision = decide(session, case.application, case.coordinator, certify=False, reasons=reasons)
    return case


def certified(session, *, value: int = 4, **earlier) -> Case:
    """Agreed (at 4 unless told), then certified at `issuance_level`, with its certificate issued."""
    case = agreed(session, value=value, **earlier)
    case.decision = decide(session, case.application, case.coordinator, certify=True)
    case.certificate = latest_for_decision(session, case.decision.id)
    return case


def appealed(session, *, grounds: str = "Эксперты не учли реестр участников", **earlier) -> Case:
    """Decided not to certify, then appealed by the manager; no appeal assessor yet."""
    case = decided(session, **earlier)
    case.appeal = appeal(session, case.application, case.manager, grounds)
    return case
