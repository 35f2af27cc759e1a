"""Cursor pagination: a walk of every page sees each row once, cursors cannot be forged or carried over,
limits are checked, and the first version's `?page=` still works, deprecated."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest

from certify.certificates.models import Certificate
from tests.api.helpers import copies_of, is_problem


def walk(client, url: str, **query) -> list[dict]:
    """Every page from `url` on, following `next`; checks the Link header says the same."""
    pages, answer = [], client.get(url, query_string=query or None)
    while True:
        assert answer.status_code == 200, answer.get_json()
        body = answer.get_json()
        pages.append(body)
        link = answer.headers.get("Link")
        if body["next"] is None:
            assert link is None
            return pages
        assert link == f'<{body["next"]}>; rel="next"'
        answer = client.get(body["next"].removeprefix("http://localhost"))


def test_walking_every_page_sees_each_certificate_once_in_id_order(db, registry, client):
    pages = walk(client, "/api/v1/certificates", limit=3)
    numbers = [item["number"] for body in pages for item in body["items"]]
    assert numbers == [c.number for c in registry.certificates]
    assert [len(body["items"]) for body in pages] == [3, 3, 1]
    assert all(body["total"] == 7 and body["limit"] == 3 for body in pages)
    assert "page" in pages[0] and "page" not in pages[1]  # numbered fields on the first page only


def test_rows_added_during_a_walk_shift_nothing(db, registry, client):
    first = client.get("/api/v1/certificates", query_string={"limit": 4}).get_json()
    added = copies_of(db, registry.case.certificate, 2)
    db.commit()
    rest = walk(client, first["next"].removeprefix("http://localhost"))
    numbers = [item["number"] for item in first["items"]] + [i["number"] for b in rest for i in b["items"]]
    assert numbers == [c.number for c in [*registry.certificates, *added]]


def test_the_next_link_keeps_the_search(db, registry, client):
    copies_of(db, registry.case.certificate, 3, region="Великий Новгород")
    db.commit()
    pages = walk(client, "/api/v1/certificates", q="новгород", limit=2)
    assert [len(body["items"]) for body in pages] == [2, 1]
    assert parse_qs(urlsplit(pages[0]["next"]).query)["q"] == ["новгород"]


@pytest.mark.parametrize("limit", ["0", "101", "-1", "abc", "1.5", "", "٣"])
def test_a_limit_out_of_bounds_is_a_problem_naming_it(db, client, limit):
    problem = is_problem(client.get("/api/v1/certificates", query_string={"limit": limit}), 400)
    assert problem["parameter"] == "limit" and "1" in problem["detail"] and "100" in problem["detail"]


def test_a_cursor_that_was_tampered_with_or_belongs_elsewhere_is_refused(db, registry, client):
    cursor = parse_qs(urlsplit(client.get("/api/v1/certificates?limit=2").get_json()["next"]).query)[
        "cursor"
    ][0]
    assert client.get("/api/v1/certificates", query_string={"limit": 2, "cursor": cursor}).status_code == 200
    for bad in (cursor[:-2] + "xx", "abc", "x" * 300):
        problem = is_problem(client.get("/api/v1/certificates", query_string={"cursor": bad}), 400)
        assert problem["parameter"] == "cursor", bad
    other_search = client.get("/api/v1/certificates", query_string={"cursor": cursor, "q": "кластер"})
    assert is_problem(other_search, 400, "invalid-cursor")
    with_page = client.get("/api/v1/certificates", query_string={"cursor": cursor, "page": 2})
    assert is_problem(with_page, 400, "invalid-parameter")


def test_the_first_versions_page_numbers_still_work_with_a_deprecation_header(db, registry, client):
    answer = client.get("/api/v1/certificates", query_string={"page": 2, "limit": 3})
    body = answer.get_json()
    assert (body["page"], body["pages"], body["total"]) == (2, 3, 7)
    assert [item["number"] for item in body["items"]] == [c.number for c in registry.certificates[3:6]]
    assert answer.headers["Deprecation"].startswith("@")
    assert 'rel="deprecation"' in answer.headers["Link"] and 'rel="next"' in answer.headers["Link"]
    beyond = client.get("/api/v1/certificates", query_string={"page": 9}).get_json()
    assert beyond["items"] == [] and beyond["next"] is None
    assert "Deprecation" not in client.get("/api/v1/certificates").headers


def test_an_empty_registry_is_one_empty_page(db, client):
    body = client.get("/api/v1/certificates").get_json()
    assert (body["items"], body["total"], body["next"], body["pages"]) == ([], 0, None, 0)
    assert db.query(Certificate).count() == 0
