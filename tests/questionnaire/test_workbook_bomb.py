"""XLSX workbook bomb (issue 12): a small upload that would expand far is refused before it is parsed.

The reported file: 2.0 MB, under the 5 MB upload cap and under 100:1 in every part, whose
`sharedStrings.xml` expanded to 190 MB; reading it took 78.6 s and 1.8 GB. The bombs here are built the
same way (see workbook_bombs.py), only smaller, so the tests stay fast. The tests check that nothing is
parsed; bench/workbook_bomb.py measures the time and memory of refusing the reported file.
"""

from __future__ import annotations

import io
import re
import zipfile

import pytest
import sqlalchemy as sa
from openpyxl import load_workbook

from certify.accounts.models import Role
from certify.questionnaire import filetypes, services
from certify.questionnaire import workbook as workbook_module
from certify.questionnaire.models import Application
from certify.questionnaire.workbook import build_workbook, read_workbook
from certify.standards.definition import QuestionType as T
from tests.factories import install_default_standard
from tests.questionnaire.test_workbook import SMALL, cmq
from tests.questionnaire.workbook_bombs import SHARED_STRINGS, shared_strings_bomb

MB = 1024 * 1024
TOO_MUCH_IN_ALL = "The archive would expand to more than %(limit)s MB."
TOO_MUCH_IN_ONE_PART = "A part of the archive would expand to more than %(limit)s MB."


@pytest.fixture
def opened(monkeypatch) -> list[str]:
    """The ZIP members read from now on; reading a bomb's shared strings fails the read at once."""
    names: list[str] = []
    original = zipfile.ZipFile.open

    def spy(self, name, mode="r", *args, **kwargs):
        member = name.filename if isinstance(name, zipfile.ZipInfo) else name
        if mode == "r":
            names.append(member)
            if member == SHARED_STRINGS:
                raise AssertionError("the bomb's shared strings were decompressed")
        return original(self, name, mode, *args, **kwargs)

    monkeypatch.setattr(zipfile.ZipFile, "open", spy)
    return names


def expanded(data: bytes) -> tuple[int, int]:
    """(all members, the largest member) of a ZIP, in bytes once decompressed."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        sizes = [member.file_size for member in archive.infolist()]
    return sum(sizes), max(sizes)


def the_refusal(read) -> tuple[str, dict]:
    assert read.cells == {}
    [problem] = read.problems
    assert (problem.sheet, problem.ref) == ("", ""), "the whole file is refused, not a cell"
    return problem.template, problem.params


def test_workbook_bomb_is_refused_before_its_parts_are_parsed(opened):
    bomb = shared_strings_bomb(build_workbook(SMALL, {}, title="x"), size=20 * MB)
    assert len(bomb) < MB and expanded(bomb)[0] > 20 * MB
    # The checks evidence files get let it through: only the workbook's own limits stop it.
    assert filetypes.detect_kind(io.BytesIO(bomb), size=len(bomb)) == filetypes.FileKind.XLSX
    opened.clear()

    read = read_workbook(SMALL, bomb)

    assert the_refusal(read) == (TOO_MUCH_IN_ALL, {"limit": "5"})
    assert opened == []


def test_workbook_bomb_in_a_single_part_is_refused(opened):
    bomb = shared_strings_bomb(build_workbook(SMALL, {}, title="x"), size=2 * MB)
    assert expanded(bomb)[0] < 5 * MB

    read = read_workbook(SMALL, bomb)

    assert the_refusal(read) == (TOO_MUCH_IN_ONE_PART, {"limit": "1"})
    assert SHARED_STRINGS not in opened


def longest_answers(standard) -> dict:
    """Every question answered, every text at its length limit: the largest workbook a manager makes."""
    samples = {T.LONG_TEXT: "Ж" * 10_000, T.SHORT_TEXT: "Ж" * 500, T.YES_NO: "yes", T.DATE: "2025-03-01"}
    answers = {}
    for question in standard.all_questions():
        if question.type == T.MULTIPLE_CHOICE:
            answers[question.id] = [option.value for option in question.options]
        elif question.type == T.SINGLE_CHOICE:
            answers[question.id] = question.options[-1].value
        elif question.type != T.EVIDENCE:
            answers[question.id] = samples.get(question.type, "123456789012345")
    return answers


def test_workbook_bomb_limits_leave_room_for_the_largest_real_workbook():
    standard = cmq()
    data = build_workbook(standard, longest_answers(standard), title="Кластер «Север»")
    total, largest = expanded(data)

    # Measured: 0.56 MB in all, 95 KB in the largest sheet; the limits are about ten times that.
    assert total * 5 < workbook_module.MAX_EXPANDED and largest * 10 < workbook_module.MAX_PART
    read = read_workbook(standard, data)
    assert read.problems == [] and len(read.cells) == len(longest_answers(standard))


def listing_one_sheet(data: bytes, times: int) -> bytes:
    """The workbook with its first question sheet listed `times` more times, all pointing at one part."""
    with zipfile.ZipFile(io.BytesIO(data)) as source:
        parts = {member.filename: source.read(member.filename) for member in source.infolist()}
    book = parts["xl/workbook.xml"].decode()
    relation = re.findall(r'<sheet [^>]*r:id="(rId\d+)"', book)[1]
    copies = "".join(
        f'<sheet xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" '
        f'name="Copy {n}" sheetId="{100 + n}" r:id="{relation}"/>'
        for n in range(times)
    )
    parts["xl/workbook.xml"] = book.replace("</sheets>", copies + "</sheets>").encode()
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as target:
        for name, body in parts.items():
            target.writestr(name, body)
    return output.getvalue()


def test_workbook_bomb_of_one_sheet_listed_thousands_of_times_is_refused():
    data = listing_one_sheet(build_workbook(SMALL, {"e_ok": "yes"}, title="x"), 3000)
    assert expanded(data)[0] < MB

    read = read_workbook(SMALL, data)

    assert the_refusal(read)[0] == workbook_module.TOO_COMPLEX


def test_workbook_bomb_of_many_sheets_is_refused():
    book = load_workbook(io.BytesIO(build_workbook(SMALL, {}, title="x")))
    for number in range(workbook_module.MAX_SHEETS):
        book.create_sheet(f"Notes {number}")
    output = io.BytesIO()
    book.save(output)

    template, params = the_refusal(read_workbook(SMALL, output.getvalue()))

    assert template == workbook_module.TOO_MANY_SHEETS and params == {"count": workbook_module.MAX_SHEETS}


def test_workbook_bomb_reads_no_row_past_the_limit():
    book = load_workbook(io.BytesIO(build_workbook(SMALL, {"e_ok": "yes"}, title="x")))
    book.worksheets[1].cell(1_048_576, 1).value = "the last row Excel has"
    output = io.BytesIO()
    book.save(output)

    read = read_workbook(SMALL, output.getvalue())

    assert [p.template for p in read.problems] == [workbook_module.TOO_MANY_ROWS]
    assert read.cells["e_ok"].raw == "yes"


def test_workbook_bomb_upload_is_refused_in_the_users_language(db, login):
    install_default_standard(db)
    db.commit()
    client, _ = login(Role.MANAGER)
    client.post("/applications/", data={})
    application = db.scalar(sa.select(Application))
    standard = services.standard_of(application)
    bomb = shared_strings_bomb(build_workbook(standard, {}, title="x"), size=20 * MB)

    response = client.post(
        f"/applications/{application.id}/workbook",
        data={"file": (io.BytesIO(bomb), "filled.xlsx")},
        content_type="multipart/form-data",
    )

    assert response.status_code == 422
    assert "После распаковки архив занял бы больше 5 МБ." in response.get_data(as_text=True)
    db.expire_all()
    assert services.load_answers(db, db.get(Application, application.id)) == {}
