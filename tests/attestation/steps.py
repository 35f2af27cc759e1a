"""A candidate's application on the default scheme cma 1.0, through the real services, for the tests.

Like tests/factories.py these flush and never commit: a test that goes on through a client commits.
"""

from __future__ import annotations

import io
from datetime import timedelta

from certify.accounts.models import Role, User
from certify.attestation import services
from certify.demo.applications import DEMO_PDF
from certify.questionnaire import services as questionnaire
from certify.questionnaire.evidence import add_evidence
from certify.questionnaire.models import Application
from certify.questionnaire.pages import ELIGIBILITY_PAGE
from certify.standards.models import StandardVersion
from certify.standards.services import install_library
from certify.timeutil import utcnow
from tests.factories import make_user

SCHEME = "cma-1.0.yaml"
#: answers meeting every prerequisite of cma 1.0, in the form's string encoding
PREREQUISITES = {
    "elig_education_level": "master",
    "elig_education_details": "СПбГУ, экономика, 2012",
    "elig_years_managing": "3.5",
    "elig_experience_record": "2021–2024: директор центра кластерного развития",
    "elig_training_hours": "48",
    "elig_training_record": "Управление кластерами, ВШЭ, 2024, 48 ч",
}
#: the requirement every file is attached to
FILES = ("elig_education", "elig_experience", "elig_training")
REASON = "Приложите диплом с приложением: файл не читается."


def install_scheme(session, *, with_exam: bool = True) -> StandardVersion:
    """The default standard (the organisations') and cma 1.0, published; with the scheme's theory exam
    (bank cm, blueprint cm_theory) open for 60 days already, without an end, unless told otherwise."""
    from tests.factories import install_default_standard

    install_default_standard(session)
    version = install_library(session, [SCHEME])[0]
    if with_exam:
        open_theory_exam(session)
    return version


def open_theory_exam(session, **options):
    """The default bank cm 1.0 imported (once) and its blueprint cm_theory opened."""
    from certify.exams import services as exams
    from certify.exams.bank import LIBRARY

    path = LIBRARY / "cm-1.0.yaml"
    bank = exams.find_bank_version(session, "cm", "1.0")
    if bank is None:
        bank = exams.import_bank(session, path.read_bytes(), source_name=path.name).row
    options.setdefault("opens_at", utcnow() - timedelta(days=60))  # room for attempts dated in the past
    return exams.open_exam(session, bank, "cm_theory", **options)


def candidate(session, **fields) -> User:
    return make_user(session, Role.CANDIDATE, **fields)


def applied(session, user: User | None = None, version: StandardVersion | None = None) -> Application:
    """A draft for `user` (a new candidate unless named) on cma 1.0, its consent accepted."""
    version = version or services.published_schemes(session)[0]
    return services.apply_for_attestation(session, version, user or candidate(session), consent=True)


def fill(session, application: Application, answers: dict | None = None, files=FILES) -> None:
    """Save the prerequisites page with `answers` (all met by default), attach a file to each of `files`."""
    user = application.candidate
    version = questionnaire.page_version(session, application, ELIGIBILITY_PAGE).version
    questionnaire.save_page(
        session,
        application,
        ELIGIBILITY_PAGE,
        expected_version=version,
        posted=PREREQUISITES if answers is None else answers,
        user=user,
    )
    attached = questionnaire.evidence_by_target(session, application)
    for target in files:
        if target not in attached:
            add_evidence(session, application, target, io.BytesIO(DEMO_PDF), f"{target}.pdf", user)


def submitted(session, **applying) -> Application:
    """Applied, filled so that every prerequisite is met, and submitted by the candidate."""
    application = applied(session, **applying)
    fill(session, application)
    questionnaire.submit_application(session, application, application.candidate)
    return application
