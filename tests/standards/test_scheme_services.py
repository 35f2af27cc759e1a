"""A personal scheme in the database: its kind stored, its exam found, never taken for an organisation's."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from flask_babel import force_locale

from certify.accounts.models import Role
from certify.exams.bank import LIBRARY as BANKS
from certify.exams.services import import_bank
from certify.questionnaire import services as questionnaire
from certify.questionnaire.services import QuestionnaireError
from certify.standards import services
from certify.standards.format import LIBRARY
from certify.standards.models import PublishedVersionChanged, StandardVersion
from tests.factories import make_user
from tests.standards.test_attestation_checks import SCHEME
from tests.standards.test_format import MINIMAL

CMA = (LIBRARY / "cma-1.0.yaml").read_bytes()


def test_import_stores_the_kind_of_each_version(db):
    scheme = services.import_standard(db, CMA, source_name="cma-1.0.yaml")
    organisation = services.import_standard(db, MINIMAL, source_name="demo.yaml")
    assert (scheme.kind, scheme.is_person) == ("person", True)
    assert (organisation.kind, organisation.is_person) == ("organisation", False)
    db.commit()
    stored = dict(db.execute(sa.select(StandardVersion.code, StandardVersion.kind)).all())
    assert stored == {"cma": "person", "demo": "organisation"}


def test_the_current_version_is_an_organisations_unless_a_scheme_is_asked_for(db):
    services.install_library(db, ["cma-1.0.yaml"])
    assert services.current_version(db) is None
    assert services.current_version(db, "cma") is None
    assert services.current_version(db, kind="person").label == "cma 1.0"
    assert services.current_version(db, "cma", kind=None).label == "cma 1.0"
    services.install_library(db, ["cmq-1.1.yaml"])
    assert services.current_version(db).label == "cmq 1.1"
    assert services.current_version(db, kind=None) is not None


def test_a_manager_never_starts_an_application_on_a_personal_scheme(db):
    services.install_library(db, ["cma-1.0.yaml"])
    manager = make_user(db, Role.MANAGER)
    with pytest.raises(QuestionnaireError) as refused, force_locale("en"):
        questionnaire.start_application(db, manager.organisation, manager)
    with force_locale("en"):
        assert str(refused.value.message) == "No standard is published yet. Please try again later."
    services.install_library(db, ["cmq-1.1.yaml"])
    application = questionnaire.start_application(db, manager.organisation, manager)
    assert application.standard_version.label == "cmq 1.1"


def test_a_scheme_whose_bank_is_nowhere_is_refused_with_its_name(db):
    missing = SCHEME.replace("bank: cm\n", "bank: leadership\n")
    with pytest.raises(services.StandardRefused) as refused:
        services.import_standard(db, missing, source_name="scheme.yaml")
    with force_locale("en"):  # the messages are lazy: shown in the reader's language
        message = str(refused.value.message)
    assert message == (
        "The scheme's exam names the item bank 'leadership', which neither the exam library nor the"
        " database holds. Import the bank first, or correct exam.bank."
    )
    assert db.scalar(sa.select(sa.func.count(StandardVersion.id))) == 0


def test_a_scheme_naming_a_blueprint_the_bank_lacks_is_told_which_it_has(db):
    wrong = SCHEME.replace("blueprint: cm_theory\n", "blueprint: cm_practice\n")
    with pytest.raises(services.StandardRefused) as refused:
        services.import_standard(db, wrong, source_name="scheme.yaml")
    with force_locale("en"):
        message = str(refused.value.message)
    assert message == (
        "The item bank 'cm' has no blueprint 'cm_practice' (it has: cm_theory). Correct exam.blueprint."
    )


def test_a_bank_stored_in_the_database_counts_as_well_as_the_library(db):
    scheme = SCHEME.replace("bank: cm\n", "bank: cmx\n")
    with pytest.raises(services.StandardRefused):
        services.import_standard(db, scheme, source_name="scheme.yaml")
    bank = (BANKS / "cm-1.0.yaml").read_text(encoding="utf-8").replace("\ncode: cm\n", "\ncode: cmx\n", 1)
    import_bank(db, bank, source_name="cmx-1.0.yaml")
    assert services.import_standard(db, scheme, source_name="scheme.yaml").kind == "person"


def test_a_published_versions_kind_never_changes(db):
    row = services.install_library(db, ["cma-1.0.yaml"])[0]
    db.commit()
    row.kind = "organisation"
    with pytest.raises(PublishedVersionChanged, match="kind"):
        db.flush()
    db.rollback()


def test_superseded_schemes_retire_like_standards(db):
    services.install_library(db)
    newer = CMA.decode("utf-8").replace('version: "1.0"', 'version: "1.1"', 1)
    row = services.import_standard(db, newer, source_name="cma-1.1.yaml")
    services.publish_version(db, row)
    assert services.find_version(db, "cma", "1.0").status == "retired"
    assert services.current_version(db, kind="person").label == "cma 1.1"
    assert services.current_version(db).label == "cmq 1.3"
