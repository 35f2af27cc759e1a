"""The applications and certificates exports by subject kind (issue 17, item 3): a column says whether a
row is an organisation's or a candidate's, a `kind` filter chooses, the staff alone take them, and each
is audited with its kind."""

from __future__ import annotations

import pytest

from certify.accounts.models import Role
from certify.certificates.register import latest_of_application
from tests import factories
from tests.attestation import steps
from tests.attestation.theory_steps import admitted, practical_submitted, sit
from tests.factories import make_organisation, make_user
from tests.insight.test_exports import exports_recorded, rows_of, workbook

ORGANISATION, PERSON = "Certification of an organisation", "Attestation of a person"


@pytest.fixture
def both(db):
    """One organisation certified and one candidate (of an organisation) attested, by one coordinator."""
    coordinator = make_user(db, Role.COORDINATOR, locale="en")
    steps.install_scheme(db)
    organisation = factories.certified(db, coordinator=coordinator).application
    candidate = steps.candidate(db, full_name_en="Anna Volkova", organisation=make_organisation(db))
    person = admitted(db, user=candidate)
    sit(db, person, passed=True)
    practical_submitted(db, person)
    factories.start_review(db, person, coordinator, [make_user(db, Role.ASSESSOR) for _ in range(2)])
    factories.decide(db, factories.agree(db, person, 4), coordinator, certify=True)
    db.commit()
    return coordinator, organisation, person


def test_the_applications_export_is_of_one_kind_and_says_which(both, db, client_for):
    coordinator, organisation, person = both
    client = client_for(coordinator)
    (row,) = rows_of(workbook(client, "/insight/exports/applications.xlsx")["Applications"])
    assert (row["No."], row["Kind"], row["Candidate"]) == (organisation.id, ORGANISATION, None)
    (row,) = rows_of(workbook(client, "/insight/exports/applications.xlsx?kind=person")["Applications"])
    assert (row["No."], row["Kind"], row["Candidate"]) == (person.id, PERSON, "Anna Volkova")
    assert row["Organisation"] == person.organisation.name_en and row["Level"] == "Attested"
    # the scheme's own areas and indicators, scored by the examiners' consensus
    assert row["stg_goals Strategy goals and indicators"] == 4
    entries = exports_recorded(db)
    assert [e.after["filters"]["kind"] for e in entries] == ["organisation", "person"]
    assert entries[-1].after["filters"]["version"] == "cma 1.0" and entries[-1].after["rows"] == 1


def test_the_certificates_export_names_the_kind_and_the_holder_and_filters_by_kind(both, db, client_for):
    coordinator, organisation, person = both
    client = client_for(coordinator)
    every = rows_of(workbook(client, "/insight/exports/certificates.xlsx")["Certificates"])
    assert sorted(row["Kind"] for row in every) == [PERSON, ORGANISATION]
    (attestation,) = rows_of(
        workbook(client, "/insight/exports/certificates.xlsx?kind=person")["Certificates"]
    )
    assert attestation["Certificate No."] == latest_of_application(db, person.id).number
    assert attestation["Holder"] == "Anna Volkova" and attestation["Kind"] == PERSON
    (certificate,) = rows_of(
        workbook(client, "/insight/exports/certificates.xlsx?kind=organisation")["Certificates"]
    )
    assert certificate["Holder"] == organisation.organisation.name_en
    assert [e.after["filters"]["kind"] for e in exports_recorded(db)] == ["", "person", "organisation"]


@pytest.mark.parametrize("role", [Role.MANAGER, Role.ASSESSOR, Role.CANDIDATE])
def test_nobody_outside_the_body_takes_the_candidates_exports(login, db, role):
    client, _ = login(role)
    for url in (
        "/insight/exports/applications.xlsx?kind=person",
        "/insight/exports/certificates.xlsx?kind=person",
    ):
        assert client.get(url).status_code == 403, url
    assert exports_recorded(db) == []
