"""The OpenAPI 3.1 document: valid, served as built, describing exactly the app's /api/v1 rules with the
scopes their views ask for; and the page for people rendered from it, in Russian and English."""

from __future__ import annotations

import re

from openapi_spec_validator import validate
from openapi_spec_validator.validation.validators import OpenAPIV31SpecValidator

from certify.api.openapi import document
from certify.web.security import CONTENT_SECURITY_POLICY

VARIABLE = re.compile(r"<(?:[a-z]+:)?([a-z_]+)>")


def test_the_document_is_valid_openapi_3_1(client):
    served = client.get("/api/v1/openapi.json").get_json()
    assert served["openapi"] == "3.1.0"
    validate(served, cls=OpenAPIV31SpecValidator)
    assert served == document()


def test_every_api_rule_is_described_and_every_described_path_exists(app):
    rules = {
        VARIABLE.sub(r"{\1}", rule.rule): rule
        for rule in app.url_map.iter_rules()
        if rule.rule.startswith("/api/v1")
    }
    described = document()["paths"]
    assert set(rules) == set(described)
    for path, rule in rules.items():
        methods = rule.methods - {"HEAD", "OPTIONS"}
        assert {method.lower() for method in methods} == set(described[path]), path
        view = app.view_functions[rule.endpoint]
        security = described[path]["get"].get("security", [])
        if path == "/api/v1/docs":
            continue
        assert {"bearerToken": [str(view.api_scope)]} in security, path
        assert ({} in security) == view.api_anonymous, path
        names = {p["$ref"].rsplit("/", 1)[1] for p in described[path]["get"]["parameters"]}
        assert set(rule.arguments) <= names, path


def test_every_problem_kind_is_a_section_of_the_docs_page(client):
    page = client.get("/api/v1/docs").get_data(as_text=True)
    for kind in document()["x-problem-types"]:
        assert f'id="problem-{kind}"' in page


def test_the_docs_page_is_in_russian_and_english_and_fetches_nothing_elsewhere(client):
    russian = client.get("/api/v1/docs")
    text = russian.get_data(as_text=True)
    assert russian.status_code == 200 and '<html lang="ru">' in text
    assert "Сертификаты в силе" in text and "Пагинация" in text
    assert russian.headers["Content-Security-Policy"] == CONTENT_SECURITY_POLICY
    assert not re.search(r'(?:src|href)="(?:https?:)?//', text)  # no script, style or link off the site
    client.post("/language", data={"language": "en"})
    english = client.get("/api/v1/docs").get_data(as_text=True)
    assert '<html lang="en">' in english and "Certificates in force" in english
    assert "/api/v1/me/applications" in english and "read:statistics" in english
