"""Bad input to the questionnaire: each refused with a clear 4xx, and nothing of the application lost."""

from __future__ import annotations

import io
import zipfile

import openpyxl
import pytest
import sqlalchemy as sa

from certify.accounts.models import Role
from certify.demo.answers import plausible_answers
from certify.questionnaire import services
from certify.questionnaire.models import Application, EvidenceFile
from certify.questionnaire.workbook_layout import ANSWER_COLUMN, HEADER_ROW, ID_COLUMN
from tests import factories
from tests.factories import install_default_standard
from tests.questionnaire.test_services import MINIMAL_PDF


@pytest.fixture
def started(db, login):
    install_default_standard(db)
    db.commit()
    client, manager = login(Role.MANAGER)
    client.post("/applications/", data={})
    application = db.scalar(sa.select(Application))
    return client, application


def saved(db, application) -> dict:
    db.expire_all()
    return services.load_answers(db, db.get(Application, application.id))


def test_an_answer_to_a_hidden_question_is_refused(started, db):
    client, application = started
    standard = services.standard_of(application)
    dependent = next(
        q for q in standard.all_questions() if q.visible_if and "gov_board_type" in q.visible_if.source
    )
    response = client.post(
        f"/applications/{application.id}/pages/gov",
        data={"version": "0", "gov_board_type": "none", dependent.id: "4"},
    )
    assert response.status_code == 422
    assert "не задаётся" in response.get_data(as_text=True)
    assert saved(db, application) == {}


def test_a_save_after_submission_is_refused(started, db):
    client, application = started
    factories.submit(db, application)
    db.commit()
    as_submitted = saved(db, application)
    assert as_submitted["str_members_total"] != "40"  # so a save let through would show
    response = client.post(
        f"/applications/{application.id}/pages/str", data={"version": "0", "str_members_total": "40"}
    )
    assert response.status_code == 409
    assert saved(db, application) == as_submitted


def test_a_request_over_the_upload_limit_gets_413_before_it_is_read(started, app):
    client, application = started
    app.config["MAX_CONTENT_LENGTH"] = 10_000
    big = {"file": (io.BytesIO(b"%PDF-1.4" + b"0" * 20_000), "big.pdf"), "page": "str"}
    response = client.post(
        f"/applications/{application.id}/evidence/str_members", data=big, content_type="multipart/form-data"
    )
    assert response.status_code == 413
    assert "Файл слишком большой" in response.get_data(as_text=True)


def test_a_zip_bomb_named_docx_is_refused(started, db):
    client, application = started
    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", b"0" * 20_000_000)
    bomb.seek(0)
    response = client.post(
        f"/applications/{application.id}/evidence/str_members",
        data={"file": (bomb, "отчёт.docx"), "page": "str"},
        content_type="multipart/form-data",
    )
    assert response.status_code == 415
    assert db.scalar(sa.select(sa.func.count(EvidenceFile.id))) == 0


def test_a_file_name_with_path_and_control_characters_is_cleaned(started, db):
    client, application = started
    response = client.post(
        f"/applications/{application.id}/evidence/str_members",
        data={"file": (io.BytesIO(MINIMAL_PDF), "..\\..\\etc/\x00evil\u202e.pdf"), "page": "str"},
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    name = db.scalar(sa.select(EvidenceFile.original_name))
    assert "/" not in name and "\\" not in name and "\x00" not in name and "\u202e" not in name


def test_evidence_cannot_be_removed_after_submission(started, db):
    client, application = started
    client.post(
        f"/applications/{application.id}/evidence/str_members",
        data={"file": (io.BytesIO(MINIMAL_PDF), "реестр.pdf"), "page": "str"},
        content_type="multipart/form-data",
    )
    file_id = db.scalar(sa.select(EvidenceFile.id))
    factories.submit(db, application)  # keeps the file, adds one wherever else evidence is asked
    db.commit()
    files = db.scalar(sa.select(sa.func.count(EvidenceFile.id)))
    assert client.post(f"/applications/{application.id}/evidence/{file_id}/remove").status_code == 303
    assert db.scalar(sa.select(sa.func.count(EvidenceFile.id))) == files
    assert db.get(EvidenceFile, file_id) is not None


def test_a_workbook_imports_valid_cells_and_reports_each_invalid_one(started, db):
    client, application = started
    standard = services.standard_of(application)
    answers = plausible_answers(standard, seed=2)
    with client.get(f"/applications/{application.id}/workbook.xlsx") as response:
        book = openpyxl.load_workbook(io.BytesIO(response.data))
    bad_cells = {}
    for sheet in book.worksheets:
        for row in range(HEADER_ROW + 1, sheet.max_row + 1):
            question_id = sheet.cell(row, ID_COLUMN).value
            if question_id == "str_members_total":
                sheet.cell(row, ANSWER_COLUMN).value = "-3"
                bad_cells[question_id] = (sheet.title, sheet.cell(row, ANSWER_COLUMN).coordinate)
            elif question_id == "elig_legal_form":
                sheet.cell(row, ANSWER_COLUMN).value = "pirate_ship"
                bad_cells[question_id] = (sheet.title, sheet.cell(row, ANSWER_COLUMN).coordinate)
            elif question_id == "elig_staff_fte":
                sheet.cell(row, ANSWER_COLUMN).value = answers["elig_staff_fte"]
    data = io.BytesIO()
    book.save(data)
    data.seek(0)
    response = client.post(
        f"/applications/{application.id}/workbook",
        data={"file": (data, "filled.xlsx")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    for sheet_title, coordinate in bad_cells.values():
        assert coordinate in page and sheet_title in page
    assert saved(db, application) == {"elig_staff_fte": answers["elig_staff_fte"]}


def test_a_file_that_is_not_a_workbook_changes_nothing(started, db):
    client, application = started
    response = client.post(
        f"/applications/{application.id}/workbook",
        data={"file": (io.BytesIO(b"MZ not a workbook"), "filled.xlsx")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 422
    assert saved(db, application) == {}
