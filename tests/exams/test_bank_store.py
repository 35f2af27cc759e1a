"""Item banks in the database: imported once, item versions frozen once released, exams opened on them."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
import sqlalchemy as sa

from certify.exams import services
from certify.exams.bank import BankInvalid
from certify.exams.models import ExamBankVersion, ExamItemVersion, PassMarkMethod, StoredVersionChanged
from certify.exams.services import ExamRefused
from certify.timeutil import utcnow
from tests.exams.builders import TINY
from tests.exams.exam_steps import imported_tiny, opened


def _tiny(**replacements: str) -> str:
    text = TINY.read_text(encoding="utf-8")
    for old, new in replacements.items():
        assert old in text
        text = text.replace(old, new, 1)
    return text


def _item(db, item_id: str, version: int = 1) -> ExamItemVersion:
    return db.scalar(
        sa.select(ExamItemVersion).where(
            ExamItemVersion.item_id == item_id, ExamItemVersion.version == version
        )
    )


def test_importing_a_bank_stores_its_source_and_every_item_version(db):
    imported = services.import_bank(db, TINY.read_bytes(), source_name=TINY.name)
    assert imported.created and imported.new_items == 11
    assert imported.row.source == TINY.read_text(encoding="utf-8")
    assert _item(db, "basics_draft").status == "draft"
    assert _item(db, "basics_services").content["type"] == "multiple_choice"


def test_importing_the_same_file_again_changes_nothing(db):
    first = imported_tiny(db)
    again = services.import_bank(db, TINY.read_bytes(), source_name=TINY.name)
    assert again.row.id == first.id and not again.created
    assert db.scalar(sa.select(sa.func.count(ExamItemVersion.id))) == 11


def test_a_changed_file_under_a_stored_version_is_refused(db):
    imported_tiny(db)
    with pytest.raises(ExamRefused):
        services.import_bank(db, _tiny(**{"A tiny bank": "A changed bank"}), source_name=TINY.name)


def test_a_broken_file_is_refused_with_its_located_problems(db):
    with pytest.raises(BankInvalid) as error:
        services.import_bank(db, _tiny(**{"area: basics\n": "area: nowhere\n"}), source_name="tiny.yaml")
    assert "tiny.yaml:" in str(error.value)
    assert db.scalar(sa.select(sa.func.count(ExamBankVersion.id))) == 0


def test_a_released_item_version_cannot_be_rewritten(db):
    imported_tiny(db)
    row = _item(db, "basics_members")
    row.content = {**row.content, "stem": {"ru": "Другой вопрос", "en": "Another question"}}
    with pytest.raises(StoredVersionChanged):
        db.flush()


def test_a_released_item_may_still_be_suspended(db):
    imported_tiny(db)
    row = _item(db, "basics_members")
    row.status = "suspended"
    db.flush()
    assert _item(db, "basics_members").status == "suspended"


def test_an_imported_bank_version_cannot_be_rewritten(db):
    row = imported_tiny(db)
    row.source = row.source + "\n# changed"
    with pytest.raises(StoredVersionChanged):
        db.flush()


def test_a_later_bank_that_edits_an_active_item_must_give_it_a_new_version(db):
    imported_tiny(db)
    edited = _tiny(
        **{'version: "1.0"': 'version: "1.1"', "Кто входит в кластер?": "Кто входит в кластер сегодня?"}
    )
    with pytest.raises(ExamRefused) as refusal:
        services.import_bank(db, edited, source_name="tiny-1.1.yaml")
    assert "basics_members" in str(refusal.value.message)


def test_a_later_bank_may_bring_a_draft_up_to_date_and_release_it(db):
    imported_tiny(db)
    draft = _tiny(**{'version: "1.0"': 'version: "1.1"'})
    start = draft.index("  - id: basics_draft")
    released = draft[:start] + draft[start:].replace("status: draft", "status: active", 1)
    imported = services.import_bank(db, released, source_name="tiny-1.1.yaml")
    assert imported.updated_drafts == 1 and imported.new_items == 0
    assert _item(db, "basics_draft").status == "active"


def test_an_exam_takes_the_blueprints_pass_mark_unless_a_panel_set_one(db):
    bank = imported_tiny(db)
    fixed = services.open_exam(db, bank, "short")
    angoff = services.open_exam(db, bank, "short", pass_mark=Decimal("63.5"), method=PassMarkMethod.ANGOFF)
    assert (fixed.pass_mark, fixed.pass_mark_method) == (Decimal(60), "fixed")
    assert (angoff.pass_mark, angoff.pass_mark_method) == (Decimal("63.5"), "angoff")
    assert services.blueprint_of(angoff).pass_mark == Decimal("63.5")


@pytest.mark.parametrize(
    "options",
    [
        {"blueprint_id": "long"},
        {"closes_at": utcnow() - timedelta(days=2)},
        {"method": PassMarkMethod.ANGOFF},
        {"pass_mark": Decimal(101)},
    ],
    ids=["unknown blueprint", "window closes before it opens", "angoff without a mark", "mark over 100"],
)
def test_an_exam_that_cannot_work_is_refused(db, options):
    bank = imported_tiny(db)
    blueprint = options.pop("blueprint_id", "short")
    with pytest.raises(ExamRefused):
        services.open_exam(db, bank, blueprint, opens_at=utcnow() - timedelta(days=1), **options)


def test_an_exam_is_refused_when_held_back_items_leave_too_few_to_draw(db):
    bank = imported_tiny(db)
    for item_id in ("practice_kpi", "practice_project"):
        _item(db, item_id).status = "suspended"
    db.flush()
    with pytest.raises(ExamRefused) as refusal:
        opened(db, bank)
    assert "practice" in str(refusal.value.message)
