"""PostgreSQL restarted while a manager's page autosaves: during the outage the save is refused with a
clear "try again" (503 with Retry-After, never a stack trace), nothing acknowledged is lost, and once the
server is back the same workers save again without a restart (issue 19, faults).

The server restarted is a PostgreSQL cluster of the test's own (initdb into a temporary folder, on a free
port), so that the other tests, on the suite's server, are not interrupted. PostgreSQL only: SQLite has no
server to restart.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
from contextlib import suppress
from pathlib import Path

import pytest
import sqlalchemy as sa

from certify import create_app
from certify.accounts.models import Role
from certify.extensions import db as _db
from certify.questionnaire.models import Answer, Application
from tests.conftest import TEST_DATABASE_URL, log_in, settings_for_tests
from tests.factories import install_default_standard, make_user

pytestmark = pytest.mark.skipif(
    not TEST_DATABASE_URL, reason="a database server to restart: PostgreSQL only (make test runs it there)"
)


class Cluster:
    """A PostgreSQL cluster in `folder` on `port`, run as the user postgres when the tests run as root."""

    def __init__(self, folder: Path, port: int):
        self.folder, self.port = folder, port
        self.data, self.log = folder / "data", folder / "server.log"

    def run(self, *command: str) -> None:
        prefix = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        subprocess.run([*prefix, *command], check=True, capture_output=True, timeout=120)

    def create(self) -> None:
        if os.geteuid() == 0:
            shutil.chown(self.folder, "postgres")
        self.run("initdb", "-D", str(self.data), "-A", "trust", "-U", "postgres", "--no-sync")

    def start(self) -> None:
        options = f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1 -c fsync=off"
        self.run("pg_ctl", "-D", str(self.data), "-l", str(self.log), "-o", options, "-w", "start")

    def stop(self) -> None:
        self.run("pg_ctl", "-D", str(self.data), "-m", "fast", "-w", "stop")

    @property
    def url(self) -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/postgres"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def cluster():
    if shutil.which("initdb") is None or shutil.which("pg_ctl") is None:
        pytest.fail("PostgreSQL's initdb and pg_ctl are needed for this test (scripts/ensure-postgres.sh)")
    # Not under pytest's temporary folder, which only root may enter: the server runs as postgres.
    folder = Path(tempfile.mkdtemp(prefix="certify-restarted-postgres-"))
    folder.chmod(0o755)
    server = Cluster(folder, free_port())
    try:
        server.create()
        server.start()
        yield server
    finally:
        with suppress(subprocess.CalledProcessError):
            server.run("pg_ctl", "-D", str(server.data), "-m", "immediate", "stop")
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture
def restartable(cluster, tmp_path):
    """The app on the cluster, with a manager's client and their application's first page."""
    app = create_app(settings_for_tests(tmp_path, cluster.url))
    with app.app_context():
        _db.create_all()
        install_default_standard(_db.session)
        manager = make_user(_db.session, Role.MANAGER)
        _db.session.commit()
        client = app.test_client()
        assert log_in(client, manager.email).status_code == 302
        assert client.post("/applications/", data={}).status_code == 302
        application_id = _db.session.scalar(sa.select(Application.id))
        yield app, client, application_id
        _db.session.remove()
        _db.engine.dispose()


def autosave(client, application_id: int, members: str, version: int):
    return client.post(
        f"/applications/{application_id}/pages/eligibility/autosave",
        data={"elig_members_signed": members, "version": str(version)},
        headers={"Accept": "application/json"},
    )


def stored_members(application_id: int) -> str | None:
    answer = _db.session.scalar(
        sa.select(Answer).where(
            Answer.application_id == application_id, Answer.question_id == "elig_members_signed"
        )
    )
    return None if answer is None else str(answer.value)


def test_saves_during_a_restart_are_refused_with_try_again_and_none_acknowledged_is_lost(
    cluster, restartable
):
    app, client, application_id = restartable
    saved = autosave(client, application_id, "25", 0)
    assert saved.status_code == 200 and saved.json["saved"], saved.get_data(as_text=True)
    version = saved.json["version"]

    cluster.stop()
    refused = autosave(client, application_id, "30", version)
    assert refused.status_code == 503 and refused.headers["Retry-After"] == "5"
    assert refused.json["unavailable"] and "Повторите попытку" in refused.json["messages"]["ru"]
    page = client.get(f"/applications/{application_id}/pages/eligibility")
    assert page.status_code == 503 and "Сервис временно недоступен" in page.get_data(as_text=True)
    assert "Traceback" not in page.get_data(as_text=True)

    cluster.start()  # the same app, its pool holding connections to the server that went away
    retried = autosave(client, application_id, "30", version)
    assert retried.status_code == 200 and retried.json["saved"], retried.get_data(as_text=True)
    _db.session.remove()
    assert stored_members(application_id) == "30"
