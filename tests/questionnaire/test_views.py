"""The manager's questionnaire in the browser's terms: pages, drafts, conflicts, evidence, submission."""

from __future__ import annotations

import io

import pytest
import sqlalchemy as sa

from certify.accounts.models import Role
from certify.demo.answers import plausible_answers
from certify.questionnaire import services
from certify.questionnaire.models import Application, EvidenceFile
from certify.questionnaire.pages import pages_of
from certify.storage import EVIDENCE
from tests import factories
from tests.factories import install_default_standard, make_application
from tests.questionnaire.test_services import MINIMAL_PDF
from tests.stored import stored_bytes


@pytest.fixture
def manager_setup(db, login):
    install_default_standard(db)
    db.commit()
    client, manager = login(Role.MANAGER)
    return client, manager


def started(client, db) -> Application:
    response = client.post("/applications/", data={})
    assert response.status_code == 302, response.get_data(as_text=True)
    return db.scalar(sa.select(Application).order_by(Application.id.desc()))


def page_data(application, page_key: str, version: int = 0, seed: int = 1) -> dict:
    standard = services.standard_of(application)
    answers = plausible_answers(standard, seed=seed)
    page = next(p for p in pages_of(standard) if p.key == page_key)
    data = {q.id: answers[q.id] for q in page.questions if q.id in answers}
    return {**data, "version": str(version), "go": page_key}


def test_a_manager_starts_an_application_and_sees_every_question_by_its_id(manager_setup, db):
    client, _ = manager_setup
    application = started(client, db)
    standard = services.standard_of(application)
    for page in pages_of(standard):
        html = client.get(f"/applications/{application.id}/pages/{page.key}").get_data(as_text=True)
        for question in page.questions:
            if question.type != "evidence":
                assert f'name="{question.id}"' in html


def test_saving_a_page_and_coming_back(manager_setup, db):
    client, _ = manager_setup
    application = started(client, db)
    data = page_data(application, "str")
    response = client.post(f"/applications/{application.id}/pages/str", data=data)
    assert response.status_code == 302
    html = client.get(f"/applications/{application.id}/pages/str").get_data(as_text=True)
    assert 'name="version" value="1"' in html
    first_text = next(v for k, v in data.items() if k.startswith("str_") and isinstance(v, str))
    assert first_text in html


def test_out_of_bounds_value_is_refused_beside_the_question_and_nothing_saved(manager_setup, db):
    client, _ = manager_setup
    application = started(client, db)
    response = client.post(
        f"/applications/{application.id}/pages/str", data={"str_members_total": "-5", "version": "0"}
    )
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "error-summary" in html and "invalid-feedback" in html
    assert services.load_answers(db, db.get(Application, application.id)) == {}


def test_a_stale_save_is_refused_and_shows_both_versions(manager_setup, db, login):
    client, manager = manager_setup
    application = started(client, db)
    colleague_client, _ = login(Role.MANAGER, organisation=manager.organisation)
    assert (
        colleague_client.post(
            f"/applications/{application.id}/pages/str", data=page_data(application, "str", seed=1)
        ).status_code
        == 302
    )
    response = client.post(
        f"/applications/{application.id}/pages/str", data=page_data(application, "str", seed=2)
    )
    assert response.status_code == 409
    html = response.get_data(as_text=True)
    assert 'id="conflict"' in html
    assert 'name="version" value="1"' in html  # a second press keeps this version deliberately


def test_autosave_returns_the_new_version_and_refuses_stale_ones(manager_setup, db):
    client, _ = manager_setup
    application = started(client, db)
    url = f"/applications/{application.id}/pages/str/autosave"
    first = client.post(url, data=page_data(application, "str"))
    assert first.get_json() == {"saved": True, "version": 1}
    stale = client.post(url, data=page_data(application, "str", seed=3))
    assert stale.status_code == 409 and stale.get_json()["conflict"] is True


def test_tampered_field_names_are_refused(manager_setup, db):
    client, _ = manager_setup
    application = started(client, db)
    response = client.post(
        f"/applications/{application.id}/pages/str", data={"version": "0", "gov_team_fte": "3"}
    )
    # a field that is not on the page is not part of its form: nothing of it is stored
    assert response.status_code in (302, 400)
    assert "gov_team_fte" not in services.load_answers(db, db.get(Application, application.id))


def test_another_organisations_application_is_not_found(manager_setup, db, login):
    client, _ = manager_setup
    application = started(client, db)
    stranger, _ = login(Role.MANAGER)
    for url in (
        f"/applications/{application.id}/pages/str",
        f"/applications/{application.id}/summary",
        f"/applications/{application.id}/workbook.xlsx",
    ):
        assert stranger.get(url).status_code == 404
    assert (
        stranger.post(f"/applications/{application.id}/pages/str", data={"version": "0"}).status_code == 404
    )


def test_evidence_upload_checks_content_and_keeps_the_name(manager_setup, db, app):
    client, _ = manager_setup
    application = started(client, db)
    url = f"/applications/{application.id}/evidence/str_members"
    fake = {"file": (io.BytesIO(b"MZ\x90\x00" + b"\x00" * 200), "устав.pdf"), "page": "str"}
    assert client.post(url, data=fake, content_type="multipart/form-data").status_code == 415
    good = {"file": (io.BytesIO(MINIMAL_PDF), "../../Устав АНО.pdf"), "page": "str"}
    assert client.post(url, data=good, content_type="multipart/form-data").status_code == 302
    row = db.scalar(sa.select(EvidenceFile))
    assert row.original_name == "Устав АНО.pdf" and row.kind == "pdf" and len(row.sha256) == 64
    stored = app.config["CERTIFY_STORAGE"] / "evidence" / row.stored_name  # where it always was
    assert stored.read_bytes() == stored_bytes(EVIDENCE, row.stored_name) == MINIMAL_PDF
    with client.get(f"/applications/{application.id}/evidence/{row.id}") as download:
        assert download.data == MINIMAL_PDF and "attachment" in download.headers["Content-Disposition"]


def test_an_oversized_upload_is_refused(manager_setup, db, app):
    client, _ = manager_setup
    app.config["EVIDENCE_MAX_BYTES"] = 1000
    application = started(client, db)
    big = {"file": (io.BytesIO(MINIMAL_PDF + b"%" * 2000), "big.pdf"), "page": "str"}
    response = client.post(
        f"/applications/{application.id}/evidence/str_members", data=big, content_type="multipart/form-data"
    )
    assert response.status_code == 415
    assert db.scalar(sa.select(sa.func.count(EvidenceFile.id))) == 0


def test_summary_lists_what_is_missing_and_submission_waits_for_it(manager_setup, db):
    client, _ = manager_setup
    application = started(client, db)
    html = client.get(f"/applications/{application.id}/summary").get_data(as_text=True)
    assert "pages/eligibility#q-" in html
    response = client.post(f"/applications/{application.id}/submit", data={"confirm": "y"})
    assert response.status_code == 422
    assert db.get(Application, application.id).state == "draft"


def test_a_renewal_marks_the_answers_that_changed_since_the_last_application(manager_setup, db):
    client, manager = manager_setup
    first = make_application(
        db, manager, answers={"str_members_total": "40", "str_members_active_share": "50"}
    )
    factories.submit(db, first)
    db.commit()
    assert client.post("/applications/", data={"prefill": "y"}).status_code == 302
    renewal = db.scalar(sa.select(Application).order_by(Application.id.desc()))
    assert renewal.previous_id == first.id
    client.post(
        f"/applications/{renewal.id}/pages/str",
        data={"version": "0", "str_members_total": "55", "str_members_active_share": "50"},
    )
    html = client.get(f"/applications/{renewal.id}/pages/str").get_data(as_text=True)
    marked = html.split('data-question="str_members_total"')[1].split("data-question=")[0]
    unmarked = html.split('data-question="str_members_active_share"')[1].split("data-question=")[0]
    assert "text-bg-info" in marked and "text-bg-info" not in unmarked


def test_one_refused_answer_does_not_hold_back_the_rest_of_the_page_from_autosaving(manager_setup, db):
    client, _ = manager_setup
    application = started(client, db)
    url = f"/applications/{application.id}/pages/fin/autosave"
    client.post(url, data={"version": "0", "fin_non_budget_share": "40"})
    response = client.post(
        url, data={"version": "1", "fin_income_total": "1250", "fin_non_budget_share": "сорок"}
    )
    answer = response.get_json()
    assert response.status_code == 422 and answer["saved"] is False and answer["version"] == 2
    assert list(answer["errors"]) == ["fin_non_budget_share"]
    db.expire_all()
    saved = services.load_answers(db, db.get(Application, application.id))
    assert saved["fin_income_total"] == "1250"
    assert saved["fin_non_budget_share"] == "40"  # the refused answer keeps its saved value


def test_an_autosave_with_a_wrong_version_saves_nothing(manager_setup, db):
    client, _ = manager_setup
    application = started(client, db)
    url = f"/applications/{application.id}/pages/fin/autosave"
    response = client.post(url, data={"version": "x", "fin_income_total": "1250"})
    assert response.status_code == 422 and "version" not in response.get_json()
    db.expire_all()
    assert services.load_answers(db, db.get(Application, application.id)) == {}
