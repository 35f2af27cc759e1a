"""A draft autosaved while the same assessor submits waits for the submission and is then refused."""

from __future__ import annotations

import threading
import time

import pytest
import sqlalchemy as sa

from certify.extensions import db as _db
from certify.questionnaire.services import standard_of
from certify.review import comparison, rubric_scores
from certify.review.models import Assignment
from certify.transitions import TransitionError
from tests import factories
from tests.conftest import TEST_DATABASE_URL

pytestmark = pytest.mark.skipif(
    not TEST_DATABASE_URL.startswith("postgresql"),
    reason="row locks need a server database; `make test` runs this on PostgreSQL",
)

WAITING = sa.text(
    "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND datname = current_database()"
)


def test_an_autosave_during_the_submission_waits_and_is_refused(app, db):
    case = factories.in_review(db)
    db.commit()
    assignment_id = case.lead.id
    indicators = [i.id for i in standard_of(case.application).indicators()]
    submitting = db.get(Assignment, assignment_id)
    marks = factories.every_item_accepted(db, case.application)
    rubric_scores.save_scores(
        db, submitting, scores={i: (3, "") for i in indicators}, feedback={}, marks=marks
    )
    rubric_scores.submit_scores(db, submitting, submitting.assessor)  # holds its locks until the commit
    outcome = []

    def autosave():
        with app.app_context():
            try:
                late = _db.session.get(Assignment, assignment_id)
                rubric_scores.save_scores(_db.session, late, scores={indicators[0]: (0, "")}, feedback={})
                _db.session.commit()
                outcome.append("saved")
            except TransitionError as refusal:
                _db.session.rollback()
                outcome.append(refusal)
            finally:
                _db.session.remove()

    thread = threading.Thread(target=autosave)
    thread.start()
    with app.app_context(), _db.engine.connect() as watcher:
        for _ in range(600):  # until the autosave waits on the submission's lock (or has finished)
            if watcher.scalar(WAITING) or not thread.is_alive():
                break
            time.sleep(0.05)
    db.commit()
    thread.join(timeout=60)
    assert len(outcome) == 1 and isinstance(outcome[0], TransitionError)
    db.expire_all()
    assert set(comparison.rubric_of(db, db.get(Assignment, assignment_id)).values()) == {3}
