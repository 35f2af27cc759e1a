"""Numbers without bounds (issue 12): only finite numbers of sensible length are saved, anywhere.

`1E+999999` would be stored as a million characters, `Infinity` would break the summary, `sNaN` would
answer 500 at once. Each is refused beside its question, in the user's language, with what was typed
kept in the field; nothing is stored, and a value stored before the fix counts as unanswered.
"""

from __future__ import annotations

import io

import openpyxl
import pytest
import sqlalchemy as sa
from markupsafe import escape

from certify.accounts.models import Role
from certify.questionnaire import services
from certify.questionnaire.models import Answer, Application
from certify.questionnaire.workbook_layout import ANSWER_COLUMN, HEADER_ROW, ID_COLUMN
from tests.factories import install_default_standard

#: a money question of the "fin" page: at least 0, no maximum, so only the number rule stops these
QUESTION = "fin_income_total"
PAGE = "fin"
NOT_A_NUMBER = {
    "ru": "Введите число цифрами, например 1250 или 0,5.",
    "en": "Enter a number in digits, such as 1250 or 0.5.",
}
TOO_LONG = {
    "ru": "Введите число не больше чем с 15 цифрами до десятичной точки.",
    "en": "Enter a number with at most 15 digits before the decimal point.",
}
UNBOUNDED = [
    ("1E+999999", TOO_LONG),
    ("Infinity", NOT_A_NUMBER),
    ("-inf", NOT_A_NUMBER),
    ("NaN", NOT_A_NUMBER),
    ("sNaN", NOT_A_NUMBER),
    ("9" * 400, TOO_LONG),
]


@pytest.fixture
def started(db, login):
    install_default_standard(db)
    db.commit()
    client, _ = login(Role.MANAGER)
    client.post("/applications/", data={})
    return client, db.scalar(sa.select(Application))


def stored(db, application) -> dict:
    db.expire_all()
    return services.load_answers(db, db.get(Application, application.id))


def in_english(client) -> None:
    client.post("/language", data={"language": "en"})


@pytest.mark.parametrize(("typed", "message"), UNBOUNDED)
@pytest.mark.parametrize("language", ["ru", "en"])
def test_numbers_without_bounds_are_refused_by_the_page_keeping_what_was_typed(
    started, db, typed, message, language
):
    client, application = started
    if language == "en":
        in_english(client)
    response = client.post(
        f"/applications/{application.id}/pages/{PAGE}", data={"version": "0", QUESTION: typed}
    )
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert str(escape(message[language])) in page
    assert f'value="{typed}"' in page
    assert stored(db, application) == {}


@pytest.mark.parametrize(("typed", "message"), UNBOUNDED)
@pytest.mark.parametrize("language", ["ru", "en"])
def test_numbers_without_bounds_are_refused_by_the_autosave(started, db, typed, message, language):
    client, application = started
    if language == "en":
        in_english(client)
    response = client.post(
        f"/applications/{application.id}/pages/{PAGE}/autosave", data={"version": "0", QUESTION: typed}
    )
    assert response.status_code == 422
    answer = response.get_json()
    assert answer["saved"] is False and answer["errors"] == {QUESTION: [message[language]]}
    assert stored(db, application) == {}


def test_numbers_without_bounds_are_refused_for_integer_questions_too(started, db):
    client, application = started
    version = 0
    for typed in ("1E+999999", "Infinity", "sNaN", "1.5", "١٢"):
        response = client.post(
            f"/applications/{application.id}/pages/str/autosave",
            data={"version": str(version), "str_members_total": typed},
        )
        assert response.status_code == 422 and "str_members_total" in response.get_json()["errors"], typed
        version = response.get_json()["version"]
    assert stored(db, application) == {}


def test_numbers_without_bounds_still_let_plain_numbers_through(started, db):
    client, application = started
    response = client.post(
        f"/applications/{application.id}/pages/{PAGE}/autosave",
        data={"version": "0", QUESTION: " 1250.50 ", "fin_non_budget_share": "1e1"},
    )
    assert response.get_json() == {"saved": True, "version": 1}
    saved = stored(db, application)
    assert (saved[QUESTION], saved["fin_non_budget_share"]) == ("1250.5", "10")


@pytest.mark.parametrize("value", ["Infinity", "-Infinity", "NaN", "sNaN", "1" + "0" * 1_000_000, "12abc"])
def test_numbers_without_bounds_stored_before_the_fix_count_as_unanswered(started, db, value):
    client, application = started
    db.add(Answer(application_id=application.id, question_id=QUESTION, value=value))
    db.commit()

    summary = client.get(f"/applications/{application.id}/summary")
    assert summary.status_code == 200
    assert f"#q-{QUESTION}" in summary.get_data(as_text=True)  # listed as missing, with its link
    page = client.get(f"/applications/{application.id}/pages/{PAGE}")
    assert page.status_code == 200
    visibility = client.post(f"/applications/{application.id}/pages/{PAGE}/visibility", data={})
    assert visibility.status_code == 200


def test_numbers_without_bounds_are_refused_by_the_workbook_import(started, db):
    client, application = started
    with client.get(f"/applications/{application.id}/workbook.xlsx") as response:
        book = openpyxl.load_workbook(io.BytesIO(response.data))
    where = None
    for sheet in book.worksheets:
        for row in range(HEADER_ROW + 1, sheet.max_row + 1):
            if sheet.cell(row, ID_COLUMN).value == QUESTION:
                cell = sheet.cell(row, ANSWER_COLUMN)
                cell.value = "1E+999999"
                where = (sheet.title, cell.coordinate)
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
    assert str(escape(TOO_LONG["ru"])) in page
    assert where[1] in page and str(escape(where[0])) in page
    assert stored(db, application) == {}


@pytest.mark.parametrize(
    ("language", "typed", "shown"),
    [("ru", "1 500,5", "1500,5"), ("ru", "1\u00a0500,25", "1500,25"), ("en", "1,500.5", "1500.5")],
)
def test_a_number_written_the_readers_way_is_saved_and_shown_that_way(started, db, language, typed, shown):
    client, application = started
    if language == "en":
        in_english(client)
    url = f"/applications/{application.id}/pages/{PAGE}"
    response = client.post(f"{url}/autosave", data={"version": "0", QUESTION: typed})
    assert response.get_json() == {"saved": True, "version": 1}
    assert stored(db, application)[QUESTION] == shown.replace(",", ".")
    page = client.get(url).get_data(as_text=True)
    assert f'value="{shown}"' in page


def test_number_questions_are_text_boxes_so_the_browser_sends_what_was_typed(started):
    client, application = started
    page = client.get(f"/applications/{application.id}/pages/{PAGE}").get_data(as_text=True)
    field = page[page.index(f'name="{QUESTION}"') - 200 : page.index(f'name="{QUESTION}"') + 200]
    assert 'type="text"' in field and 'inputmode="decimal"' in field and 'type="number"' not in field
