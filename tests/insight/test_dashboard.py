"""The body's dashboard (issue 17, item 1): every number links to its list and equals that list's count,
on SQLite and on PostgreSQL (TEST_DATABASE_URL)."""

from __future__ import annotations

import html
import re

import pytest

from certify.accounts.models import Role
from tests.factories import make_user

#: a number on the dashboard: the link to its list, and the count
TALLY = re.compile(r'<a class="tally" href="([^"]+)"[^>]*>(\d+)</a>')
LISTED = '<tr class="listed">'


def tallies(client) -> dict[str, int]:
    page = client.get("/insight/").get_data(as_text=True)
    return {html.unescape(href): int(number) for href, number in TALLY.findall(page)}


def listed(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.get_data(as_text=True)


def test_every_number_on_the_dashboard_equals_the_count_of_the_list_it_links_to(
    pipeline, candidates, client_for
):
    client = client_for(pipeline.coordinator)
    numbers = tallies(client)
    for url, number in numbers.items():
        page = listed(client, url)
        assert page.count(LISTED) == number, url
        assert f"В списке: {number}" in page, url
    # each kind of number counts something here, so the equality above is not 0 == 0; the organisations'
    # numbers are those of the organisations' pipeline alone, whatever the candidates' states
    for deadline in pipeline.late:
        assert numbers[f"/insight/overdue?deadline={deadline}"] == 1, deadline
    assert numbers["/insight/applications?state=appealed"] == 1
    assert numbers["/insight/applications?state=in_review"] == 2  # the late review and the fresh one
    assert numbers["/insight/applications?state=submitted"] == 1
    assert numbers["/insight/certificates?within=30&kind=organisation"] == 1
    assert numbers["/insight/certificates?within=90&kind=organisation"] == 2
    assert numbers["/insight/certificates?within=30&kind=person"] == 1
    assert numbers["/insight/certificates?within=90&kind=person"] == 1
    assert numbers["/insight/applications"] == 6
    for stage, applications in candidates.at.items():
        assert numbers[f"/insight/candidates?stage={stage}"] == len(applications), stage
    for deadline in candidates.late:
        assert numbers[f"/insight/candidates?late={deadline}"] == 1, deadline
    assert numbers["/insight/candidates"] == sum(len(a) for a in candidates.at.values()) == 9
    # the examiners' work: two assigned on the admitted candidate, two scoring the one in review
    assert numbers["/insight/assignments?kind=person"] == 4
    everyone = numbers["/insight/assignments"]
    assert everyone == numbers["/insight/assignments?kind=organisation"] + 4
    per_assessor = [(url, n) for url, n in numbers.items() if "assignments?assessor=" in url]
    assert sum(n for url, n in per_assessor if "kind=" not in url) == everyone
    assert sum(n for url, n in per_assessor if "kind=person" in url) == 4


def test_each_candidate_past_a_deadline_is_listed_under_it_with_its_last_day(
    pipeline, candidates, client_for
):
    client = client_for(pipeline.coordinator)
    for deadline, application in candidates.late.items():
        page = listed(client, f"/insight/candidates?late={deadline}")
        assert f"/attestation/applications/{application.id}/admission" in page, deadline
        assert "просрочено" in page, deadline
    fresh = candidates.at["applying"][1]
    page = listed(client, "/insight/candidates?stage=applying")
    late = candidates.late["admission"]
    assert page.index(f"applications/{late.id}/admission") < page.index(f"applications/{fresh.id}/admission")
    assert "6 недель" in page and page.count("просрочено") == 1
    # the scheme's days, read from cma 1.0, name each deadline
    dashboard = client.get("/insight/").get_data(as_text=True)
    for days in ("в течение 10 дн. после подачи", "30-дневного окна", "в течение 30 дн. после согласования"):
        assert days in dashboard, days


def test_the_organisations_lists_leave_the_candidates_out(pipeline, candidates, client_for):
    client = client_for(pipeline.coordinator)
    for url in ("/insight/applications", "/insight/overdue", "/insight/certificates?within=90"):
        page = listed(client, url)
        for applications in candidates.at.values():
            for application in applications:
                assert f"/attestation/applications/{application.id}/" not in page, url
    examining = listed(client, "/insight/assignments?kind=person")
    assert examining.count("Аттестация персонала") == 4


def test_each_late_application_is_listed_under_its_deadline_and_the_fresh_one_under_none(
    pipeline, client_for
):
    client = client_for(pipeline.coordinator)
    for deadline, application in pipeline.late.items():
        page = listed(client, f"/insight/overdue?deadline={deadline}")
        assert f"/review/applications/{application.id}/team" in page, deadline
    every_late = listed(client, "/insight/overdue")
    assert every_late.count(LISTED) == len(pipeline.late)
    assert f"/review/applications/{pipeline.fresh.id}/team" not in every_late


def test_the_assessors_a_late_application_waits_for_are_named(pipeline, client_for):
    page = listed(client_for(pipeline.coordinator), "/insight/overdue?deadline=independence")
    assert "Пётр Сергеевич Волков" in page and "Анна Игоревна Соколова" in page


def test_the_applications_are_listed_the_longest_waiting_first(pipeline, client_for):
    page = listed(client_for(pipeline.coordinator), "/insight/applications?state=in_review")
    late, fresh = pipeline.late["scoring"].id, pipeline.fresh.id
    assert page.index(f"/review/applications/{late}/team") < page.index(f"/review/applications/{fresh}/team")
    assert "6 недель" in page  # LATE_BY_DAYS, as Babel rounds it


def test_an_unknown_filter_lists_everything(pipeline, client_for):
    client = client_for(pipeline.coordinator)
    assert listed(client, "/insight/applications?state=draft").count(LISTED) == 6
    assert listed(client, "/insight/overdue?deadline=nonsense").count(LISTED) == 4
    assert listed(client, "/insight/certificates?within=1000").count(LISTED) == 2
    everyone = listed(client, "/insight/assignments").count(LISTED)
    assert listed(client, "/insight/assignments?assessor=99999999999999").count(LISTED) == everyone


def test_a_deadline_changed_in_the_settings_counts_and_reads_with_its_days(app, pipeline, client_for):
    app.config["CERTIFY_DEADLINE_SCORING_DAYS"] = 60
    client = client_for(pipeline.coordinator)
    assert tallies(client)["/insight/overdue?deadline=scoring"] == 0
    assert "в течение 60 дн. после начала экспертизы" in client.get("/insight/").get_data(as_text=True)


@pytest.mark.parametrize("role", [Role.COORDINATOR, Role.ADMIN])
def test_coordinators_and_admins_land_on_the_dashboard_after_logging_in(client, db, role):
    person = make_user(db, role)
    db.commit()
    response = client.post("/login", data={"email": person.email, "password": "Tundra-Lighthouse-48"})
    assert response.headers["Location"] == "/insight/"


@pytest.mark.parametrize("role", [Role.MANAGER, Role.ASSESSOR])
def test_nobody_outside_the_body_sees_the_dashboard_or_its_lists(login, role):
    client, _ = login(role)
    for url in (
        "/insight/",
        "/insight/applications",
        "/insight/overdue",
        "/insight/assignments",
        "/insight/certificates",
        "/insight/calibration",
    ):
        assert client.get(url).status_code == 403, url
