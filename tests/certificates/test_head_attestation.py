"""The link both ways between the two schemes (issue 16, item 9): an organisation's application names its
head's Cluster Manager Attestation (a question of type attestation, cmq 1.3), which counts while it is
in force and which the level Excellence requires; the attested person's page lists those assessments."""

from __future__ import annotations

import pytest

from certify.accounts.models import Role
from certify.certificates import lifecycle
from certify.certificates.models import CertificateStatus
from certify.questionnaire import services as questionnaire
from certify.questionnaire.answers import typed_answers
from certify.standards.format import LIBRARY, load_standard_file
from tests import factories
from tests.certificates import persons
from tests.factories import install_default_standard, make_application, make_user
from tests.standards.test_format import MINIMAL, only_problem

QUESTION = "gov_head_attestation"


@pytest.fixture
def world(db):
    """An attested person (cma 1.0) and a manager's draft on cmq 1.3, the current version."""
    person = persons.attested(db)
    install_default_standard(db, "1.3")
    manager = make_user(db, Role.MANAGER)
    return person, manager, make_application(db, manager)


def save_head(db, application, manager, number: str) -> None:
    version = questionnaire.page_version(db, application, "gov").version
    questionnaire.save_page(
        db, application, "gov", expected_version=version, posted={QUESTION: number}, user=manager
    )


def held(db, application) -> bool | None:
    return questionnaire.typed_answers_of(db, application).get(QUESTION)


def excellence_requires(db, application) -> bool:
    standard = questionnaire.standard_of(application)
    (excellence,) = [level for level in standard.levels if level.id == "excellence"]
    return excellence.requires.evaluate(questionnaire.typed_answers_of(db, application))


def test_the_head_s_attestation_counts_while_it_is_in_force_and_excellence_requires_it(db, world):
    person, manager, application = world
    assert not excellence_requires(db, application)
    save_head(db, application, manager, person.certificate.number)
    assert held(db, application) is True and excellence_requires(db, application)
    lifecycle.change_status(
        db, person.certificate, person.coordinator, CertificateStatus.SUSPENDED, "Проверка сведений об опыте"
    )
    assert held(db, application) is False and not excellence_requires(db, application)


def test_a_number_the_registry_never_issued_under_the_scheme_is_refused_and_nothing_is_saved(db, world):
    person, manager, application = world
    organisation_certificate = factories.certified(db).certificate
    for number in ("CMA-2026-999999", organisation_certificate.number):
        with pytest.raises(questionnaire.QuestionnaireError) as refused:
            save_head(db, application, manager, number)
        assert number in str(refused.value.message) and "cma" in str(refused.value.message)
    assert QUESTION not in questionnaire.load_answers(db, application)


def test_the_page_takes_the_number_as_typed_and_says_whose_attestation_it_is(db, world, client_for):
    person, manager, application = world
    db.commit()
    client = client_for(manager)
    url = f"/applications/{application.id}/pages/gov"
    typed = person.certificate.number.lower().replace("-", " ")  # "cma 2026 000001"
    assert client.post(url, data={"version": "0", QUESTION: typed, "go": "gov"}).status_code == 302
    assert questionnaire.load_answers(db, application)[QUESTION] == person.certificate.number
    page = client.get(url).get_data(as_text=True)
    assert f"Аттестат {person.certificate.number}: {persons.NAME_RU}" in page

    refused = client.post(url, data={"version": "1", QUESTION: "12345"})
    assert refused.status_code == 422
    assert 'value="12345"' in refused.get_data(as_text=True), "what the manager typed stays in the form"


def test_the_holder_s_certificate_page_lists_the_submitted_assessments_naming_it(db, world, client_for):
    person, manager, application = world
    save_head(db, application, manager, person.certificate.number)
    draft = make_application(db, make_user(db, Role.MANAGER))
    save_head(db, draft, draft.created_by, person.certificate.number)
    factories.submit(db, application, manager)
    db.commit()
    holder = client_for(person.candidate).get(f"/certificates/{person.certificate.number}")
    text = holder.get_data(as_text=True)
    assert application.organisation.name_ru in text
    assert draft.organisation.name_ru not in text, "a draft is no assessment yet"
    staff = client_for(person.coordinator).get(f"/certificates/{person.certificate.number}")
    assert f"/applications/{application.id}/summary" in staff.get_data(as_text=True)


def test_typed_answers_read_the_registry_s_facts_for_the_question_s_scheme_only():
    standard = load_standard_file(LIBRARY / "cmq-1.3.yaml")
    stored = {QUESTION: "CMA-2026-000007"}
    assert typed_answers(standard, stored, {}, {"CMA-2026-000007": "cma"})[QUESTION] is True
    assert typed_answers(standard, stored, {}, {"CMA-2026-000007": "other"})[QUESTION] is False
    assert typed_answers(standard, stored, {})[QUESTION] is False


ATTESTATION_QUESTION = """\
          - id: one_head
            type: attestation
            label: {ru: "Аттестат руководителя", en: "The head's attestation"}
"""


def test_an_attestation_question_names_its_scheme_and_other_types_may_not():
    anchor = "          - id: one_count\n"
    missing = MINIMAL.replace(anchor, ATTESTATION_QUESTION + anchor)
    path, _line, message = only_problem(missing)
    assert path == "areas[0].indicators[0].questions[1]" and "scheme" in message
    foreign = MINIMAL.replace(
        '            label: {ru: "Число", en: "Count"}\n',
        '            label: {ru: "Число", en: "Count"}\n            scheme: cma\n',
    )
    assert only_problem(foreign)[2] == "'scheme' does not apply to a integer question"
