"""Issue 14, item 4, offline: "not applicable: <justification>" in the XLSX workbook, both ways.

Written in the reader's language, read back in either, refused with a per-cell reason where the standard
does not allow it; a text answer that happens to begin with those words stays the manager's text.
"""

from __future__ import annotations

import io

import openpyxl
import pytest
from markupsafe import escape

from certify.questionnaire import services
from certify.questionnaire.workbook import build_workbook, read_workbook
from certify.questionnaire.workbook_layout import ANSWER_COLUMN, HEADER_ROW, ID_COLUMN
from tests.questionnaire.test_not_applicable_questionnaire import (
    REASON,
    html,
    in_english,
    install_standard,
    page_url,
    start_draft,
    stored,
)


@pytest.fixture
def started(db, login):
    return start_draft(db, login)


def answer_cells(book) -> dict:
    """question id -> its ANSWER cell, over every sheet."""
    return {
        sheet.cell(row, ID_COLUMN).value: sheet.cell(row, ANSWER_COLUMN)
        for sheet in book.worksheets[1:]
        for row in range(HEADER_ROW + 1, sheet.max_row + 1)
        if sheet.cell(row, ID_COLUMN).value
    }


def downloaded(client, application):
    with client.get(f"/applications/{application.id}/workbook.xlsx") as response:
        return openpyxl.load_workbook(io.BytesIO(response.data))


def uploaded(client, application, book):
    data = io.BytesIO()
    book.save(data)
    data.seek(0)
    return client.post(
        f"/applications/{application.id}/workbook",
        data={"file": (data, "filled.xlsx")},
        content_type="multipart/form-data",
    )


@pytest.mark.parametrize(("language", "words"), [("ru", "не применимо"), ("en", "not applicable")])
def test_the_workbook_round_trip_keeps_an_answer_declared_not_applicable(started, db, language, words):
    client, application = started
    if language == "en":
        in_english(client)
    posted = {"version": "0", "green_share-not-applicable": "y", "green_share-justification": REASON}
    assert client.post(page_url(application), data=posted).status_code == 302
    book = downloaded(client, application)
    cells = answer_cells(book)
    assert cells["green_share"].value == f"{words}: {REASON}"
    cells["green_saved"].value = "Not Applicable:  Воду кластер не расходует вовсе."
    response = uploaded(client, application, book)
    assert response.status_code == 200, html(response)
    assert stored(db, application) == {
        "green_share": {"not_applicable": REASON},
        "green_saved": {"not_applicable": "Воду кластер не расходует вовсе."},
    }


def test_not_applicable_is_refused_cell_by_cell_where_it_is_not_allowed_or_not_justified(started, db):
    client, application = started
    book = downloaded(client, application)
    cells = answer_cells(book)
    cells["green_plan"].value = f"не применимо: {REASON}"
    cells["green_share"].value = "не применимо: кратко"
    cells["two_q"].value = "yes"
    response = uploaded(client, application, book)
    assert response.status_code == 422
    page = html(response)
    refused = "На этот вопрос нельзя ответить «не применимо»: укажите сам ответ."
    assert str(escape(refused)) in page and cells["green_plan"].coordinate in page
    assert "Напишите от 10 до 2000 символов (сейчас 6)." in page
    assert stored(db, application) == {"two_q": "yes"}


def test_a_text_answer_beginning_with_not_applicable_is_the_managers_own_text(db):
    install_standard(db)
    standard = services.definition_of(services.current_version(db))
    note = "Не применимо: раздел заполним после аудита."
    read = read_workbook(standard, build_workbook(standard, {"green_note": note}, title="x"))
    assert read.problems == []
    assert (read.cells["green_note"].raw, read.cells["green_note"].not_applicable) == (note, None)


def test_the_workbook_says_where_not_applicable_is_allowed(db):
    install_standard(db)
    standard = services.definition_of(services.current_version(db))
    cells = answer_cells(openpyxl.load_workbook(io.BytesIO(build_workbook(standard, {}, title="x"))))
    allowed = {qid: cell.offset(column=-2).value for qid, cell in cells.items()}
    assert "«не применимо: <обоснование>» / or “not applicable: <justification>”" in allowed["green_share"]
    assert "не применимо" not in allowed["green_plan"]
