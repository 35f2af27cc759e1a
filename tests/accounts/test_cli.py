"""`flask certify user create` and `flask certify demo`."""

from __future__ import annotations

import sqlalchemy as sa

from certify.accounts.models import Role, User
from certify.demo.attestation import CANDIDATES
from certify.demo.certificates import HOLDERS
from certify.demo.data import USERS
from certify.demo.exams import SIMULATED
from certify.demo.monitoring import MONITORED, MORE_ASSESSORS


def test_user_create_with_roles(runner, db):
    result = runner.invoke(
        args=[
            "certify",
            "user",
            "create",
            "Coord@certify-test.example.org",
            "--role",
            "coordinator",
            "--role",
            "admin",
            "--password",
            "Birch-Compass-Window-3",
        ]
    )
    assert result.exit_code == 0, result.output
    user = db.scalar(sa.select(User))
    assert user.email == "coord@certify-test.example.org"
    assert user.roles == {Role.COORDINATOR, Role.ADMIN}
    assert user.email_confirmed_at is not None


def test_user_create_prompts_for_the_password(runner, db):
    result = runner.invoke(
        args=["certify", "user", "create", "a@certify-test.example.org", "--role", "assessor"],
        input="Birch-Compass-Window-3\nBirch-Compass-Window-3\n",
    )
    assert result.exit_code == 0, result.output


def test_user_create_refuses_a_weak_password_clearly(runner, db):
    result = runner.invoke(
        args=[
            "certify",
            "user",
            "create",
            "a@certify-test.example.org",
            "--role",
            "admin",
            "--password",
            "short",
        ]
    )
    assert result.exit_code == 1
    assert "12" in result.output
    assert db.scalar(sa.select(sa.func.count(User.id))) == 0


def test_no_account_exists_until_created(db):
    assert db.scalar(sa.select(sa.func.count(User.id))) == 0


def test_demo_is_idempotent_and_prints_a_login_for_every_role(runner, db):
    first = runner.invoke(args=["certify", "demo", "--password", "Birch-Compass-Window-3"])
    second = runner.invoke(args=["certify", "demo"])
    assert first.exit_code == second.exit_code == 0, first.output + second.output
    # the simulated candidates sit the demo exam and have no login of their own to print
    monitoring = len(MONITORED) + len(MORE_ASSESSORS)
    people = len(USERS) + len(HOLDERS) + SIMULATED + len(CANDIDATES) + monitoring
    assert db.scalar(sa.select(sa.func.count(User.id))) == people
    for role in Role:
        assert role.value in first.output
    assert "admin@certify-demo.example.org" in second.output
