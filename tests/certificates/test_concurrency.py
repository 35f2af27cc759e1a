"""Concurrent changes to one certificate are serialised by its row lock: real sessions on PostgreSQL."""

from __future__ import annotations

import threading
import time

import pytest
import sqlalchemy as sa
from flask_babel import gettext

from certify.accounts.models import Role, User
from certify.certificates import lifecycle
from certify.certificates.issuance import CertificateError, status_of
from certify.certificates.models import Certificate, CertificateStatus
from certify.extensions import db as _db
from tests import factories
from tests.conftest import TEST_DATABASE_URL
from tests.factories import make_user
from tests.review.test_concurrency import run_together

pytestmark = pytest.mark.skipif(
    not TEST_DATABASE_URL.startswith("postgresql"),
    reason="row locks need a server database; `make test` runs this on PostgreSQL",
)


REVOKED = "A revoked certificate cannot change any more."
REPLACED = "This certificate has been replaced by a newer one; change that one instead."
NOT_IN_FORCE = "Only a certificate in force can be corrected."


def refused_with(error, msgid: str) -> bool:
    """`error` is the service's refusal with that message (in the language the threads spoke)."""
    return isinstance(error, CertificateError) and str(error.message) == gettext(msgid)


@pytest.fixture
def in_force(db):
    """A certificate in force and two coordinators, committed: (certificate id, [coordinator ids])."""
    certificate = factories.certified(db).certificate
    coordinators = [make_user(db, Role.COORDINATOR) for _ in range(2)]
    db.commit()
    return certificate.id, [u.id for u in coordinators]


def _act(certificate: Certificate, coordinator_id, action: str):
    coordinator = _db.session.get(User, coordinator_id)
    if action == "correct":
        return lifecycle.correct_certificate(
            _db.session, certificate, coordinator, {"region": "Москва"}, "Опечатка в регионе"
        )
    status = CertificateStatus.REVOKED if action == "revoke" else CertificateStatus.SUSPENDED
    return lifecycle.change_status(_db.session, certificate, coordinator, status, f"Причина: {action}")


def race(app, in_force, first: str, second: str) -> list:
    """Both coordinators open the certificate; `first` changes it (uncommitted) before `second` starts.

    The first holds its transaction open a moment after flushing, so the second acts while the first's
    change is not yet committed: the interleaving that overwrote "revoked" before rows were locked.
    """
    certificate_id, coordinator_ids = in_force
    flushed = threading.Event()

    def work(index):
        certificate = _db.session.get(Certificate, certificate_id)
        if index == 0:
            result = _act(certificate, coordinator_ids[0], first)
            flushed.set()
            time.sleep(0.5)
            return result
        flushed.wait(timeout=30)
        return _act(certificate, coordinator_ids[1], second)

    return run_together(app, work, 2)


def test_a_suspension_while_a_revocation_commits_is_refused(app, db, in_force):
    """Finding 8: the suspension waits for the row, then finds the certificate revoked and is refused."""
    results = race(app, in_force, "revoke", "suspend")
    assert results[0] is None and refused_with(results[1], REVOKED), results
    db.expire_all()
    assert db.get(Certificate, in_force[0]).status == CertificateStatus.REVOKED


def test_two_revocations_at_once_one_is_refused(app, db, in_force):
    """Finding 8: the second coordinator waits for the lock, then finds the certificate revoked."""
    results = race(app, in_force, "revoke", "revoke")
    assert results[0] is None and refused_with(results[1], REVOKED), results


def test_a_correction_while_a_revocation_commits_is_refused(app, db, in_force):
    """Finding 8: a correction racing a revocation issues no fresh valid certificate."""
    results = race(app, in_force, "revoke", "correct")
    assert results[0] is None and refused_with(results[1], NOT_IN_FORCE), results
    db.expire_all()
    certificates = db.scalars(sa.select(Certificate)).all()
    assert [status_of(c) for c in certificates] == [CertificateStatus.REVOKED]


def test_a_revocation_while_a_correction_commits_is_refused(app, db, in_force):
    """Finding 8: the revocation then finds the certificate replaced, and the coordinator is told so."""
    results = race(app, in_force, "correct", "revoke")
    assert isinstance(results[0], Certificate) and refused_with(results[1], REPLACED), results
    db.expire_all()
    certificates = db.scalars(sa.select(Certificate).order_by(Certificate.id)).all()
    assert [status_of(c) for c in certificates] == [CertificateStatus.SUPERSEDED, CertificateStatus.VALID]
