"""A worker killed (SIGKILL) in the middle of issuing a certificate: its transaction dies with it, so the
number series has neither a gap nor a duplicate, no certificate row names the PDF it was writing, and
deciding again issues the certificate exactly once (issue 19, faults).

The worker is a real separate process on the test's PostgreSQL database, killed by the kernel at the
worst moment: its PDF written to the storage, its number taken and its rows flushed, the commit not yet
made. PostgreSQL only: the number's row lock and the server noticing a dead client are the point.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import sqlalchemy as sa

from certify.certificates.models import Certificate, CertificateSequence
from certify.review import decisions
from certify.review.models import Decision
from certify.storage import CERTIFICATES
from certify.transitions import TransitionError
from tests import factories
from tests.conftest import TEST_DATABASE_URL
from tests.stored import stored_path

pytestmark = pytest.mark.skipif(
    not TEST_DATABASE_URL, reason="a worker's lock and death seen by a database server: PostgreSQL only"
)
ROOT = Path(__file__).resolve().parents[2]

#: the worker: decides to certify as the coordinator, and stops for good once the PDF is stored,
#: before its transaction commits; it writes `ready` so the test knows when to kill it
WORKER = """
import sys, time
from pathlib import Path
from certify import create_app
from certify.extensions import db
from certify.storage.local import LocalStorage
from certify.accounts.models import User
from certify.questionnaire.models import Application
from certify.review import decisions
from tests.conftest import settings_for_tests

folder, url, application_id, coordinator_id, level, ready = sys.argv[1:]
stored = LocalStorage.store

def store_then_hang(storage, area, name, content):
    digest = stored(storage, area, name, content)
    if area == "certificates":
        Path(ready).write_text(str(storage.path(area, name)))
        time.sleep(600)
    return digest

LocalStorage.store = store_then_hang
app = create_app(settings_for_tests(Path(folder), url))
with app.app_context():
    application = db.session.get(Application, int(application_id))
    coordinator = db.session.get(User, int(coordinator_id))
    decisions.decide(db.session, application, coordinator, chosen_level=level, reasons="Решение комиссии",
                     justification="")
    db.session.commit()
"""


def killed_while_issuing(app, tmp_path, case, level: str) -> Path:
    """Start the worker, wait until it has written the PDF, kill it; the path of the PDF it wrote."""
    ready = tmp_path / "ready"
    worker = subprocess.Popen(
        [
            sys.executable,
            "-c",
            WORKER,
            str(tmp_path),
            app.config["SQLALCHEMY_DATABASE_URI"],
            str(case.application.id),
            str(case.coordinator.id),
            level,
            str(ready),
        ],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    deadline = time.monotonic() + 120
    while not ready.exists():
        if worker.poll() is not None:
            output = worker.stdout.read().decode()
            worker.stdout.close()
            pytest.fail(f"the worker ended before writing the PDF:\n{output}")
        assert time.monotonic() < deadline, "the worker never reached the PDF"
        time.sleep(0.05)
    worker.send_signal(signal.SIGKILL)
    worker.wait(timeout=30)
    worker.stdout.close()
    return Path(ready.read_text())


def test_a_worker_killed_while_issuing_leaves_no_gap_no_duplicate_and_issuing_again_completes_once(
    app, db, tmp_path
):
    assert app.config["CERTIFY_STORAGE"] == tmp_path / "storage", "the worker must share the test's storage"
    case = factories.agreed(db, value=4)
    level = factories.issuance_level(db, case.application)
    db.commit()

    orphan = killed_while_issuing(app, tmp_path, case, level)
    db.expire_all()
    assert orphan.exists(), "the worker did write its PDF before it was killed"
    assert db.scalar(sa.select(sa.func.count(Certificate.id))) == 0
    assert db.scalar(sa.select(sa.func.count(Decision.id))) == 0, "the decision died with its transaction"
    assert db.scalar(sa.select(sa.func.max(CertificateSequence.last_number))) in (None, 0), "no number used"

    # The coordinator decides again (the killed worker's lock was released with its connection).
    decision = decisions.decide(
        db,
        case.application,
        case.coordinator,
        chosen_level=level,
        reasons="Решение комиссии",
        justification="",
    )
    db.commit()
    (certificate,) = db.scalars(sa.select(Certificate)).all()
    assert certificate.number.endswith("-000001") and certificate.decision_id == decision.id
    stored = stored_path(CERTIFICATES, certificate.pdf_name)
    assert stored != orphan and stored.read_bytes().startswith(b"%PDF")
    assert not db.scalar(sa.select(Certificate.id).where(Certificate.pdf_name == orphan.name))
    with pytest.raises(TransitionError):  # decided: the workflow takes no second decision
        decisions.decide(
            db, case.application, case.coordinator, chosen_level=level, reasons="Ещё раз", justification=""
        )
    db.rollback()
    assert db.scalar(sa.select(sa.func.count(Certificate.id))) == 1
