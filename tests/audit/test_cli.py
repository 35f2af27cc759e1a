"""`flask certify audit verify`: exit 0 with the count, or exit 1 naming the first tampered entry."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

import certify.audit.models  # noqa: F401  (the tables, until the app imports them)
from certify.audit import services
from certify.audit.cli import audit_cli


@pytest.fixture
def verify(app, runner):
    """Run the command through the app's CLI once the lead has wired it in, else through its group."""
    if "audit" in getattr(app.cli.commands.get("certify"), "commands", {}):
        return lambda: runner.invoke(args=["certify", "audit", "verify"])
    return lambda: runner.invoke(audit_cli, ["verify"])


def record(db, count: int) -> list:
    entries = [
        services.record(
            db, actor="cli", action="demo.made", subject_type="demo", subject_id=n, after={"n": n}
        )
        for n in range(count)
    ]
    db.commit()
    return entries


def test_an_intact_chain(db, verify):
    record(db, 3)
    result = verify()
    assert result.exit_code == 0, result.output
    assert "audit chain intact: 3 entries" in result.output


def test_a_tampered_entry_is_named(db, verify):
    entries = record(db, 3)
    db.execute(
        sa.text("UPDATE audit_entries SET after = :v WHERE id = :id"), {"v": '{"n": 7}', "id": entries[1].id}
    )
    db.commit()
    result = verify()
    assert result.exit_code == 1
    assert f"audit chain broken at entry #{entries[1].id}: " in result.output
