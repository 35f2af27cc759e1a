"""The statistics page (issue 17, item 2) on the seven decided applications of `decided_world`, each
figure worked out by hand from its table; the filters narrow them; small groups are withheld."""

from __future__ import annotations

import html
from urllib.parse import quote

import pytest

from certify.accounts.models import Role
from tests import factories
from tests.factories import make_user
from tests.insight.decided_world import MSK, build_world
from tests.insight.html_tables import charts, tables, text_of


@pytest.fixture
def world(db):
    return build_world(db)


def page_of(client, query: str = "") -> str:
    response = client.get(f"/insight/statistics{query}")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def area_row(page: str, title: str) -> list[str]:
    return next(row[1:] for row in tables(page)["areas"] if row[0] == title)


def test_each_figure_equals_the_one_worked_out_by_hand(world, db, client_for):
    # neither an application awaiting its decision nor a draft counts
    factories.agreed(db, coordinator=world.coordinator)
    factories.make_application(db, make_user(db, Role.MANAGER))
    db.commit()
    page = page_of(client_for(world.coordinator))
    found = tables(page)
    assert text_of(page, "decided-count") == "Decided applications: 7"
    assert found["levels"] == [["Excellence", "1"], ["Advanced", "1"], ["Basic", "4"], ["Not certified", "1"]]
    assert charts(page)["Decided applications by level"].endswith("Basic: 4; Not certified: 1")

    # str: 100 75 75 50 25 75 50; srv: 100 75 62.5 50 25 65 50; stg: 100 75 75 50 18.8 75 43.8
    assert area_row(page, "Cluster structure and participants") == [
        "7",
        "25.0",
        "50.0",
        "75.0",
        "75.0",
        "100.0",
    ]
    services = "Services to participants, links between them and joint projects"
    assert area_row(page, services) == ["7", "25.0", "50.0", "62.5", "70.0", "100.0"]
    assert area_row(page, "Strategy and performance management") == [
        "7",
        "18.8",
        "46.9",
        "75.0",
        "75.0",
        "100.0",
    ]
    spoken = charts(page)["Assessed scores by area"]
    assert (
        f"{services}: minimum 25.0, lower quartile 50.0, median 62.5, upper quartile 70.0, maximum 100.0"
        in spoken
    )

    # below basic only A5; below advanced A3-A7; below excellence A2-A7
    assert "fewer than 5 applications (1)" in page[page.index("For the level Basic") :]
    assert [(row[0].split()[0], row[1:]) for row in found["advanced"]] == [
        ("fin_non_budget", ["2", "critical", "2", "40%"]),
        ("stg_strategy", ["2", "critical", "2", "40%"]),
        ("srv_joint_projects", ["2", "critical", "2", "40%"]),
        ("srv_satisfaction", ["2", "critical", "2", "40%"]),
        ("srv_collaboration", ["2", "critical", "1", "20%"]),
    ]
    assert [(row[0].split()[0], row[1:]) for row in found["excellence"]] == [
        ("srv_joint_projects", ["3", "critical", "4", "67%"]),
        ("srv_satisfaction", ["3", "critical", "4", "67%"]),
        ("stg_strategy", ["3", "critical", "3", "50%"]),
        ("srv_collaboration", ["3", "critical", "3", "50%"]),
        ("fin_non_budget", ["2", "critical", "2", "33%"]),
        ("stg_action_plan", ["3", "", "3", "50%"]),
        ("stg_monitoring", ["3", "", "3", "50%"]),
    ]

    # 10, 20 … 70 days; January 2025: A1-A5; December 2024: A7; February 2025: A6
    assert found["timing"] == [
        ["All decided applications", "7", "40.0", "64.0"],
        ["December 2024", "1", "fewer than 5 applications (1)"],
        ["January 2025", "5", "30.0", "46.0"],
        ["February 2025", "1", "fewer than 5 applications (1)"],
    ]
    assert charts(page)["Median days from submission to decision, by month"].endswith("January 2025: 30.0")
    assert found["rounds"] == [["no clarification", "4"], ["1 round", "2"], ["2 rounds", "1"]]


def test_peer_percentiles_place_an_organisation_among_the_others(world, client_for):
    a4 = world.applications[3]  # 50 in every area
    page = page_of(client_for(world.coordinator), f"?organisation={a4.organisation_id}")
    assert f"Application No. {a4.id}, compared with 6 peers." in page
    rows = {row[0]: row[1:] for row in tables(page)["peers"]}
    # str: peers 100 75 75 25 75 50: one below, one tied, out of six
    assert rows["Cluster structure and participants"] == ["50.0", "25"]
    # stg: peers 100 75 75 18.8 75 43.8: two below
    assert rows["Strategy and performance management"] == ["50.0", "33"]


#: a query, how many applications it leaves, and their levels (excellence, advanced, basic, none)
NARROWED = [
    (f"?region={MSK}", 4, ["0", "0", "4", "0"]),
    ("?year=2025", 6, ["1", "1", "3", "1"]),
    ("?year=2024", 1, ["0", "0", "1", "0"]),
    ("?level=basic", 4, ["0", "0", "4", "0"]),
    ("?level=none", 1, ["0", "0", "0", "1"]),
    ("?field=water", 3, ["1", "1", "0", "1"]),
    ("?field=construction&year=2025", 2, ["0", "1", "1", "0"]),
]


def test_the_filters_narrow_the_figures(world, client_for):
    client = client_for(world.coordinator)
    for query, count, levels in NARROWED:
        page = page_of(client, query)
        assert text_of(page, "decided-count") == f"Decided applications: {count}", query
        assert [row[1] for row in tables(page)["levels"]] == levels, query


def test_the_page_reads_in_russian(world, client_for):
    client = client_for(world.coordinator)
    client.post("/language", data={"language": "ru"})
    page = page_of(client)
    assert '<h1 class="h3">Статистика</h1>' in page
    assert text_of(page, "decided-count") == "Заявок с решением: 7"
    found = tables(page)
    assert found["levels"][-1] == ["Не сертифицирована", "1"]
    assert found["rounds"] == [["без уточнений", "4"], ["1 раунд", "2"], ["2 раунда", "1"]]
    services = "Услуги участникам, связи между ними и совместные проекты"
    assert area_row(page, services) == ["7", "25,0", "50,0", "62,5", "70,0", "100,0"]
    assert ["Декабрь 2024", "1", "менее 5 заявок (1)"] in found["timing"]


def test_a_small_group_is_withheld_and_the_filters_stay_in_every_link(world, client_for):
    a4 = world.applications[3]
    client = client_for(world.coordinator)
    page = page_of(client, f"?region={MSK}&organisation={a4.organisation_id}")
    assert area_row(page, "Cluster structure and participants") == ["4", "fewer than 5 applications (4)"]
    assert text_of(page, "rounds-withheld") == "fewer than 5 applications (4)"
    assert text_of(page, "peers-reason") == (
        "Only 3 other organisations match the filters: a percentile needs at least 5 peers, or it could"
        " all but name them."
    )
    version = a4.standard_version_id
    exports = html.unescape(page[page.index('id="exports"') :])
    assert f"/insight/exports/applications.xlsx?version={version}&region={quote(MSK)}" in exports
    peers_form = page[page.index('id="peers-form"') : page.index("</form>", page.index('id="peers-form"'))]
    assert f'name="region" value="{MSK}"' in peers_form and f'name="version" value="{version}"' in peers_form
    # fewer than five peers or not, with six applications in 2025 the str area is shown again
    page = page_of(client, "?year=2025")
    assert area_row(page, "Cluster structure and participants") == [
        "6",
        "25.0",
        "56.25",
        "75.0",
        "75.0",
        "100.0",
    ]


def test_a_value_the_page_does_not_offer_is_left_out_and_said_so(world, client_for):
    page = page_of(client_for(world.coordinator), "?year=1999&level=platinum&region=Atlantis")
    assert text_of(page, "decided-count") == "Decided applications: 7"
    assert text_of(page, "ignored") == (
        "These filters had a value this page does not offer and were left out:"
        " Year of the decision, Region, Level."
    )


def test_before_any_decision_the_page_says_so(db, client_for):
    coordinator = make_user(db, Role.COORDINATOR, locale="en")
    factories.agreed(db, coordinator=coordinator)
    db.commit()
    assert "No application has been decided yet." in page_of(client_for(coordinator))


def test_the_dashboard_links_to_the_statistics(db, client_for):
    coordinator = make_user(db, Role.COORDINATOR)
    db.commit()
    page = client_for(coordinator).get("/insight/").get_data(as_text=True)
    assert 'href="/insight/statistics" id="statistics-link"' in page


@pytest.mark.parametrize("role", [Role.MANAGER, Role.ASSESSOR])
def test_nobody_outside_the_body_sees_the_statistics(login, role):
    client, _ = login(role)
    assert client.get("/insight/statistics").status_code == 403
