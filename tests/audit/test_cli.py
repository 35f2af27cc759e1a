"""`flask certify audit verify` and `checkpoint`: exit 0 with the count, or 1 naming the first problem."""

from __future__ import annotations

import shutil

import pytest
import sqlalchemy as sa

import certify.audit.models  # noqa: F401  (the tables, until the app imports them)
from certify.audit import services
from certify.audit.cli import audit_cli
from certify.audit.keys import checkpoint_folder


def _command(app, runner, name: str):
    """Run the command through the app's CLI once the lead has wired it in, else through its group."""
    if "audit" in getattr(app.cli.commands.get("certify"), "commands", {}):
        return lambda: runner.invoke(args=["certify", "audit", name])
    return lambda: runner.invoke(audit_cli, [name])


@pytest.fixture
def verify(app, runner):
    return _command(app, runner, "verify")


@pytest.fixture
def checkpoint(app, runner):
    return _command(app, runner, "checkpoint")


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
    last = record(db, 3)[-1].id
    result = verify()
    assert result.exit_code == 0, result.output
    assert (
        f"audit chain intact: 3 entries, up to the checkpoint of entry #{last} written at 20" in result.output
    )


def test_an_empty_trail(verify, checkpoint):
    assert (verify().exit_code, verify().output) == (0, "audit chain intact: 0 entries\n")
    assert (checkpoint().exit_code, checkpoint().output) == (
        0,
        "the audit trail is empty: nothing to checkpoint\n",
    )


def test_a_tampered_entry_is_named(db, verify):
    entries = record(db, 3)
    db.execute(
        sa.text("UPDATE audit_entries SET after = :v WHERE id = :id"), {"v": '{"n": 7}', "id": entries[1].id}
    )
    db.commit()
    result = verify()
    assert result.exit_code == 1
    assert f"audit chain broken at entry #{entries[1].id}: " in result.output


def test_finding_5_a_cut_off_end_fails_and_cannot_be_checkpointed(db, verify, checkpoint):
    entries = record(db, 3)
    second, second_mac, last = entries[-2].id, entries[-2].entry_hash, entries[-1].id
    db.execute(sa.text("DELETE FROM audit_entries WHERE id = :id"), {"id": last})
    db.execute(sa.text("UPDATE audit_chain_head SET last_hash = :h"), {"h": second_mac})
    db.commit()
    for result in (verify(), checkpoint()):
        assert result.exit_code == 1
        assert result.output.startswith(
            f"audit chain broken: the chain ends at entry #{second} but the checkpoint "
        )
        assert result.output.endswith(f"vouches for entry #{last} (entries were removed from the end)\n")
    assert sorted(p.name for p in checkpoint_folder().iterdir()) == [f"{last:012d}.json"]


def test_a_forged_checkpoint_is_named(app, db, verify, checkpoint):
    record(db, 2)
    forged = checkpoint_folder() / "000000000099.json"
    forged.write_text('{"entry_id": 99, "entry_hash": "", "written_at": "", "mac": "0"}')
    for result in (verify(), checkpoint()):
        assert (result.exit_code, result.output) == (
            1,
            f"audit checkpoint {forged} is not valid: its MAC does not match: forged, changed, or "
            "written with another audit key\n",
        )


def test_without_any_checkpoint_verify_fails_until_one_is_written(db, verify, checkpoint):
    last = record(db, 2)[-1].id
    shutil.rmtree(checkpoint_folder())
    result = verify()
    assert result.exit_code == 1
    assert result.output.startswith(
        f"audit chain holds (2 entries), but no checkpoint in {checkpoint_folder()} "
    )
    result = checkpoint()
    assert (result.exit_code, result.output) == (0, f"audit checkpoint written: entry #{last} (2 entries)\n")
    assert verify().exit_code == 0
