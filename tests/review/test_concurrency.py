"""Concurrent actions are serialised by the database: real concurrent sessions on PostgreSQL."""

from __future__ import annotations

import threading

import pytest
import sqlalchemy as sa

from certify.accounts.models import Role, User
from certify.audit.models import AuditEntry
from certify.audit.services import record, verify_chain
from certify.extensions import db as _db
from certify.questionnaire.models import Application
from certify.review import decisions
from certify.review.models import Decision
from certify.transitions import TransitionError
from tests import factories
from tests.conftest import TEST_DATABASE_URL
from tests.factories import make_user

pytestmark = pytest.mark.skipif(
    not TEST_DATABASE_URL.startswith("postgresql"),
    reason="row locks need a server database; `make test` runs this on PostgreSQL",
)


@pytest.fixture
def at_consensus(db):
    application = factories.agreed(db, value=2).application
    others = [make_user(db, Role.COORDINATOR) for _ in range(2)]
    db.commit()
    return application.id, [u.id for u in others]


def run_together(app, work, count: int) -> list:
    """Run `work(index)` in `count` threads, each with its own app context and session, started at once."""
    barrier, results = threading.Barrier(count), [None] * count

    def worker(index):
        with app.app_context():
            barrier.wait()
            try:
                results[index] = work(index)
                _db.session.commit()
            except Exception as error:  # noqa: BLE001  (the outcome is what the test compares)
                _db.session.rollback()
                results[index] = error
            finally:
                _db.session.remove()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


def test_two_coordinators_deciding_at_once_record_one_decision(app, db, at_consensus):
    application_id, coordinator_ids = at_consensus

    def decide(index):
        application = _db.session.get(Application, application_id)
        coordinator = _db.session.get(User, coordinator_ids[index])
        level = "basic" if index == 0 else None
        return decisions.decide(
            _db.session,
            application,
            coordinator,
            chosen_level=level,
            reasons=f"Решение {index}",
            justification="Обоснование отступления",
        )

    results = run_together(app, decide, 2)
    errors = [r for r in results if isinstance(r, Exception)]
    # The loser waits for the row lock, then finds the application decided: the workflow refuses.
    assert len(errors) == 1 and isinstance(errors[0], TransitionError), results
    db.expire_all()
    assert db.scalar(sa.select(sa.func.count(Decision.id))) == 1
    assert (
        db.scalar(sa.select(sa.func.count(AuditEntry.id)).where(AuditEntry.action == "review.decided")) == 1
    )
    assert verify_chain(db).ok


def test_concurrent_audited_actions_keep_one_unbroken_chain(app, db, at_consensus):
    application_id, coordinator_ids = at_consensus

    def record_entry(index):
        actor = _db.session.get(User, coordinator_ids[index])
        return record(
            _db.session, actor=actor, action="test.concurrent", subject_type="test", subject_id=str(index)
        )

    results = run_together(app, record_entry, 2)
    assert not [r for r in results if isinstance(r, Exception)], results
    db.expire_all()
    assert verify_chain(db).ok
