"""The database connection: constraints are enforced everywhere, and SQLite is set up for several workers."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from certify.questionnaire.models import Answer


def test_foreign_keys_are_enforced(db):
    db.add(Answer(application_id=987654, question_id="str_members_total", value="40"))
    with pytest.raises(IntegrityError):
        db.flush()
    db.rollback()


def test_sqlite_writes_ahead_and_waits_for_locks(db):
    if db.get_bind().dialect.name != "sqlite":
        assert db.get_bind().dialect.name == "postgresql"  # the server handles both itself
        return
    assert db.scalar(sa.text("PRAGMA journal_mode")) == "wal"
    assert db.scalar(sa.text("PRAGMA busy_timeout")) == 5000
