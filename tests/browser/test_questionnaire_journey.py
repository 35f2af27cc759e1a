"""A manager fills the default standard's questionnaire in the browser, in both languages, and submits it.

Russian: the eligibility page is typed by hand. English: the rest comes back through the XLSX workbook,
downloaded from the summary, filled offline and uploaded; then the evidence files, and the submission.
"""

from __future__ import annotations

import io

import openpyxl
import pytest

from certify.accounts.models import Role
from certify.demo.answers import plausible_answers
from certify.questionnaire.answers import typed_answers
from certify.questionnaire.pages import pages_of, progress
from certify.questionnaire.workbook_layout import ANSWER_COLUMN, HEADER_ROW, ID_COLUMN
from certify.standards.services import definition_of
from tests.factories import PASSWORD, install_default_standard, make_user
from tests.questionnaire.test_services import MINIMAL_PDF

pytestmark = pytest.mark.browser


@pytest.fixture
def manager(db):
    version = install_default_standard(db)
    user = make_user(db, Role.MANAGER, full_name_ru="Ольга Петровна Седова", full_name_en="Olga Sedova")
    db.commit()
    return user, definition_of(version)


def answer_on_page(page, question, value) -> None:
    """Type one answer as a person would: tick, choose or type."""
    if question.type == "single_choice" or question.type == "yes_no":
        page.check(f"input[name={question.id}][value='{value}']")
    elif question.type == "multiple_choice":
        for item in value:
            page.check(f"input[name={question.id}][value='{item}']")
    else:
        page.fill(f"[name={question.id}]", value)


def fill_workbook(data: bytes, answers: dict) -> bytes:
    book = openpyxl.load_workbook(io.BytesIO(data))
    for sheet in book.worksheets:
        for row in range(HEADER_ROW + 1, sheet.max_row + 1):
            question_id = sheet.cell(row, ID_COLUMN).value
            value = answers.get(question_id)
            if value is not None:
                sheet.cell(row, ANSWER_COLUMN).value = ", ".join(value) if isinstance(value, list) else value
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_complete_and_submit_the_questionnaire(live_server, page, manager, mailbox, tmp_path):
    user, standard = manager
    answers = plausible_answers(standard, seed=11)
    eligibility, *areas = pages_of(standard)

    page.goto(f"{live_server}/login")
    page.fill("[name=email]", user.email)
    page.fill("[name=password]", PASSWORD)
    page.press("[name=password]", "Enter")
    page.get_by_role("link", name="Заявки").click()
    page.get_by_role("button", name="Начать новую заявку").click()
    page.get_by_role("heading", name="Условия допуска").wait_for()

    for question in eligibility.questions:
        if question.id in answers:
            answer_on_page(page, question, answers[question.id])
    page.get_by_role("button", name="Сохранить").click()
    page.get_by_text("Сохранено.").wait_for()
    typed = typed_answers(standard, {q: answers[q] for q in answers if q.startswith("elig_")}, {})
    expected = progress(standard, typed)[0]  # everything but the evidence files, which come later
    badge = page.get_by_role("navigation", name="Страницы анкеты").locator("a .badge").first
    assert 0 < expected.answered < expected.required  # started, the evidence still to come
    assert badge.inner_text() == "начато"
    assert badge.get_attribute("title") == (
        f"Отвечено на {expected.answered} из {expected.required} обязательных вопросов"
    )

    page.get_by_role("button", name="English").click()
    page.get_by_role("link", name="Summary and submission").click()
    with page.expect_download() as download:
        page.get_by_role("link", name="Download the workbook (XLSX)").click()
    filled = tmp_path / "filled.xlsx"
    filled.write_bytes(fill_workbook(download.value.path().read_bytes(), answers))
    page.set_input_files("#workbook", str(filled))
    page.locator("form:has(#workbook)").get_by_role("button", name="Upload").click()
    page.get_by_role("heading", name="Workbook imported").wait_for()
    assert page.locator("table").count() == 0, page.locator("main").inner_text()

    evidence = tmp_path / "Устав АНО.pdf"
    evidence.write_bytes(MINIMAL_PDF)
    for area in [eligibility, *areas]:
        targets = [t for t, _, qs in area.sections if any(q.type == "evidence" and q.required for q in qs)]
        if not targets:
            continue
        page.goto(
            f"{page.url.split('/applications/')[0]}/applications/{application_id(page)}/pages/{area.key}"
        )
        for target in targets:
            page.set_input_files(f"#file-{target}", str(evidence))
            page.locator(f"button[form=upload-{target}]").click()
            page.get_by_text("Устав АНО.pdf uploaded.").first.wait_for()

    page.get_by_role("link", name="Summary and submission").click()
    assert page.get_by_text("Still missing").count() == 0, page.locator("main").inner_text()
    page.get_by_role("heading", name="Self-assessment").wait_for()
    page.check("[name=confirm]")
    page.get_by_role("button", name="Submit the application").click()
    page.get_by_role("heading", name="is submitted").wait_for()

    receipt = mailbox()[-1]
    assert receipt["To"] == user.email and "received" in receipt["Subject"]


def application_id(page) -> str:
    return page.url.split("/applications/")[1].split("/")[0]
