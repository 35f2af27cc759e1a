"""`flask certify exam …`: banks validated, imported, exported and counted; exams opened and closed;
overdue attempts closed by the command a timer runs."""

from __future__ import annotations

from datetime import timedelta
from io import BytesIO

import sqlalchemy as sa
from openpyxl import load_workbook

from certify.exams.bank import LIBRARY, load_bank
from certify.exams.models import AttemptEnd, Exam, ExamAttempt
from certify.timeutil import utcnow
from tests.exams.builders import TINY, tiny_bank
from tests.exams.exam_steps import imported_tiny, keyed_answers, opened, started

DEFAULT_BANK = LIBRARY / "cm-1.0.yaml"


def _run(runner, *arguments):
    return runner.invoke(args=["certify", "exam", *arguments])


def test_validate_accepts_the_default_bank_and_lists_the_problems_of_a_broken_one(runner, tmp_path):
    assert _run(runner, "bank", "validate", str(DEFAULT_BANK)).output.strip().endswith("valid")
    broken = tmp_path / "broken-1.0.yaml"
    broken.write_text(TINY.read_text(encoding="utf-8").replace("area: basics\n", "area: nowhere\n", 1))
    result = _run(runner, "bank", "validate", str(broken))
    assert result.exit_code == 1
    assert "broken-1.0.yaml:" in result.output and "nowhere" in result.output


def test_import_stores_a_bank_once(runner, db):
    first = _run(runner, "bank", "import", str(TINY))
    assert first.exit_code == 0 and "tiny/1.0: imported, 11 new item versions" in first.output
    again = _run(runner, "bank", "import", str(TINY))
    assert again.exit_code == 0 and "already imported" in again.output


def test_stats_counts_the_default_bank_per_area_and_status_and_checks_its_blueprint(runner):
    result = _run(runner, "bank", "stats", str(DEFAULT_BANK))
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].startswith("cm 1.0:")
    strategy = next(line for line in lines if line.startswith("strategy") and "draws" not in line)
    assert int(strategy.split()[2]) >= 15  # active items
    verdicts = ("ok", "target", "FILL")
    feasibility = [line for line in lines if line.split()[:1] and line.split()[-1] in verdicts]
    assert len(feasibility) == 8 and all(line.endswith("ok") for line in feasibility)


def test_stats_of_a_stored_bank_leaves_out_the_items_the_body_held_back(runner, db):
    from certify.exams.models import ExamItemVersion

    imported_tiny(db)
    suspend = sa.update(ExamItemVersion).where(ExamItemVersion.item_id == "practice_kpi")
    db.execute(suspend.values(status="suspended"))
    db.commit()
    result = _run(runner, "bank", "stats", "tiny/1.0")
    lines = result.output.splitlines()
    practice = next(line for line in lines if line.startswith("practice") and "below" in line)
    assert practice.split()[1:3] == ["2", "2"]


def test_export_prints_the_stored_file_or_writes_a_workbook(runner, db, tmp_path):
    imported_tiny(db)
    db.commit()
    assert _run(runner, "bank", "export", "tiny/1.0").output == TINY.read_text(encoding="utf-8")

    path = tmp_path / "tiny.xlsx"
    assert _run(runner, "bank", "export", "tiny/1.0", "--xlsx", str(path)).exit_code == 0
    sheet = load_workbook(BytesIO(path.read_bytes()))["items"]
    header = [cell.value for cell in sheet[1]]
    rows = {
        row[0]: dict(zip(header, row, strict=True)) for row in sheet.iter_rows(min_row=2, values_only=True)
    }
    services = next(item for item in tiny_bank().items if item.id == "basics_services")
    assert len(rows) == len(tiny_bank().items)
    assert rows["basics_services"]["key"] == "a,b"
    assert rows["basics_services"]["stem (ru)"] == services.stem.ru
    assert rows["basics_services"]["option 3 (en)"] == services.options[2].text.en


def test_export_of_a_bank_not_stored_says_so(runner):
    result = _run(runner, "bank", "export", "nothing/9.9")
    assert result.exit_code == 1 and "no bank version nothing/9.9" in result.output


def test_open_and_close_an_exam(runner, db):
    imported_tiny(db)
    db.commit()
    opened_now = _run(runner, "open", "tiny/1.0", "short", "--pass-mark", "65", "--method", "angoff")
    assert opened_now.exit_code == 0, opened_now.output
    exam = db.scalar(sa.select(Exam))
    assert exam.pass_mark_method == "angoff" and exam.closes_at is None
    closed = _run(runner, "close", str(exam.id))
    assert closed.exit_code == 0 and "closed" in closed.output
    assert _run(runner, "close", str(exam.id)).exit_code == 1  # already closed


def test_open_refuses_an_unknown_blueprint(runner, db):
    imported_tiny(db)
    db.commit()
    result = _run(runner, "open", "tiny/1.0", "long")
    assert result.exit_code == 1 and "long" in result.output


def test_close_overdue_closes_and_scores_an_attempt_nobody_came_back_to(runner, db):
    exam = opened(db)
    attempt = started(db, exam, at=utcnow() - timedelta(minutes=11))
    running = started(db, exam)
    answers = keyed_answers(attempt, right=1)
    first = next(iter(answers))
    from certify.exams import attempts

    attempts.save_answer(db, attempt, first, answers[first], now=utcnow() - timedelta(minutes=10))
    db.commit()
    attempt_id, running_id = attempt.id, running.id

    result = _run(runner, "close-overdue")

    assert result.exit_code == 0 and "1 overdue attempts closed" in result.output
    db.expire_all()
    closed = db.get(ExamAttempt, attempt_id)
    assert closed.closed_how == AttemptEnd.TIMED_OUT and closed.result["correct"] == 1
    assert db.get(ExamAttempt, running_id).is_open


def _workbook_of_tiny(runner, tmp_path, name="tiny.xlsx"):
    path = tmp_path / name
    assert _run(runner, "bank", "export", str(TINY), "--xlsx", str(path)).exit_code == 0
    return path


def _edit_workbook(path, target, **cells):
    """Save the workbook at `path` under `target` with cells changed, e.g. items="F2=e"."""
    book = load_workbook(path)
    for sheet, assignment in cells.items():
        reference, _, value = assignment.partition("=")
        book[sheet.replace("_", " ")][reference] = value
    book.save(target)
    return target


def test_validate_reads_a_workbook_and_locates_its_problems_by_sheet_row_and_column(runner, tmp_path):
    workbook = _workbook_of_tiny(runner, tmp_path)
    valid = _run(runner, "bank", "validate", str(workbook))
    assert valid.exit_code == 0 and valid.output.strip().endswith("(an XLSX workbook): valid")
    broken = _edit_workbook(workbook, tmp_path / "broken.xlsx", items="F2=e")
    result = _run(runner, "bank", "validate", str(broken))
    assert result.exit_code == 1
    assert "broken.xlsx: Sheet items, row 2, column key: the key names option 'e'" in result.output


def test_a_file_named_xlsx_that_is_not_one_is_refused_in_one_sentence(runner, tmp_path):
    fake = tmp_path / "bank.xlsx"
    fake.write_text(TINY.read_text(encoding="utf-8"), encoding="utf-8")
    result = _run(runner, "bank", "validate", str(fake))
    assert result.exit_code == 1
    assert result.output.strip().splitlines() == [
        "bank.xlsx: the file is not an XLSX workbook; save it as .xlsx from Excel or LibreOffice, "
        "or give the bank's YAML file"
    ]


def test_validate_words_the_problems_in_russian_on_request(runner, tmp_path):
    broken = tmp_path / "broken-1.0.yaml"
    broken.write_text(TINY.read_text(encoding="utf-8").replace("area: basics\n", "area: nowhere\n", 1))
    result = _run(runner, "bank", "validate", str(broken), "--language", "ru")
    assert result.exit_code == 1 and "указана область «nowhere», которой нет в этом банке" in result.output


def test_import_of_a_workbook_stores_its_yaml_and_an_unchanged_one_changes_nothing(runner, db, tmp_path):
    from certify.exams import services

    workbook = _workbook_of_tiny(runner, tmp_path)
    first = _run(runner, "bank", "import", str(workbook))
    assert first.exit_code == 0, first.output
    assert "read as an XLSX workbook and converted to YAML" in first.output
    assert "tiny/1.0: imported, 11 new item versions" in first.output
    row = services.find_bank_version(db, "tiny", "1.0")
    assert row.source.startswith("# An item bank converted from an XLSX workbook")
    assert services.bank_of(row) == tiny_bank()
    again = _run(runner, "bank", "import", str(workbook))
    assert again.exit_code == 0 and "already imported" in again.output


def test_a_changed_workbook_needs_a_new_version_and_then_arrives(runner, db, tmp_path):
    from certify.exams import services

    imported_tiny(db)
    db.commit()
    exported = tmp_path / "stored.xlsx"
    assert _run(runner, "bank", "export", "tiny/1.0", "--xlsx", str(exported)).exit_code == 0
    assert "already imported" in _run(runner, "bank", "import", str(exported)).output

    draft_edit = _edit_workbook(exported, tmp_path / "edited.xlsx", items="H7=A draft, edited")
    refused = _run(runner, "bank", "import", str(draft_edit))
    assert refused.exit_code == 1
    assert "Version 1.0 of bank tiny is imported and cannot change" in refused.output

    released = _edit_workbook(draft_edit, tmp_path / "tiny-1.1.xlsx", bank="B2=1.1")
    result = _run(runner, "bank", "import", str(released))
    assert result.exit_code == 0
    assert "tiny/1.1: imported, 0 new item versions, 1 drafts updated" in result.output
    stored = services.bank_of(services.find_bank_version(db, "tiny", "1.1"))
    assert next(i for i in stored.items if i.id == "basics_draft").stem.en == "A draft, edited"


def test_export_writes_the_stored_yaml_to_a_file_and_converts_a_workbook_without_importing(
    runner, db, tmp_path
):
    imported_tiny(db)
    db.commit()
    target = tmp_path / "out.yaml"
    assert _run(runner, "bank", "export", "tiny/1.0", "--yaml", str(target)).exit_code == 0
    assert target.read_text(encoding="utf-8") == TINY.read_text(encoding="utf-8")

    workbook = _workbook_of_tiny(runner, tmp_path)
    converted = _run(runner, "bank", "export", str(workbook))
    assert converted.exit_code == 0
    assert load_bank(converted.output, source_name="tiny.yaml") == tiny_bank()
    assert _run(runner, "bank", "stats", str(workbook)).output.startswith("tiny 1.0: 11 items")
