"""`GET /api/v1/statistics`: counts of certificates in force and of decisions per year, hiding counts
under 5 so that no organisation can be picked out; for staff tokens only."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from certify.accounts.models import Role
from certify.api.statistics import shown
from certify.review.models import Decision
from tests.api.helpers import bearer, copies_of, is_problem, make_token
from tests.factories import make_application, make_user


@pytest.mark.parametrize(("count", "said"), [(1, "<5"), (4, "<5"), (5, 5), (120, 120)])
def test_counts_under_five_are_hidden(count, said):
    assert shown(count) == said


def decided_in(db, year: int, count: int) -> None:
    """`count` applications first decided in `year` (and one appeal decision, which does not count)."""
    for n in range(count):
        application = make_application(db, make_user(db, Role.MANAGER))
        moment = datetime(year, 3, 1 + n, 12, tzinfo=UTC)
        db.add(Decision(application_id=application.id, chosen_level=None, reasons="—", decided_at=moment))
        if n == 0:
            db.add(Decision(application_id=application.id, on_appeal=True, reasons="—", decided_at=moment))
    db.flush()


def test_staff_read_the_aggregates_with_small_counts_hidden(db, registry, client):
    original = registry.case.certificate
    copies_of(db, original, 2, level_id="advanced", level_name_ru="Продвинутый", level_name_en="Advanced")
    decided_in(db, 2001, 2)
    decided_in(db, 2002, 6)
    coordinator = make_user(db, Role.COORDINATOR)
    secret = make_token(db, coordinator, "read:statistics")
    db.commit()
    figures = client.get("/api/v1/statistics", headers=bearer(secret)).get_json()
    assert figures["threshold"] == 5 and figures["as_of"] == date.today().isoformat()
    in_force = {
        (row["standard"]["version"], row["level"]["id"]): row["count"]
        for row in figures["certificates_in_force"]
    }
    assert in_force == {("1.0", original.level_id): 7, ("1.0", "advanced"): "<5"}
    per_year = {row["year"]: row["count"] for row in figures["decided_applications"]}
    assert per_year[2001] == "<5" and per_year[2002] == 6
    assert per_year[original.issued_on.year] == "<5"  # the registry's one real decision
    assert "organisation" not in str(figures) and original.number not in str(figures)


def test_only_a_staff_token_reads_them(db, client):
    manager = make_user(db, Role.MANAGER)
    secret = make_token(db, manager, "read:registry", "read:own")
    db.commit()
    assert is_problem(client.get("/api/v1/statistics"), 401, "token-required")
    assert is_problem(client.get("/api/v1/statistics", headers=bearer(secret)), 403, "insufficient-scope")
