"""Evidence storage that refuses a write (read-only, full, or a missing bucket) during an upload: the
manager is told to try again, the answers on the page stay, and no row names a file that is not there
(issue 19, faults).

Real faults, not mocks of the code under test: the folder is made read-only by the kernel (an immutable
directory, since the tests may run as root), a full disk is the kernel's own /dev/full, whose writes
fail with ENOSPC, and the S3 storage is a real S3 server without the configured bucket. Both databases:
the fault is the storage's.
"""

from __future__ import annotations

import io
import os
import shutil
import subprocess
from pathlib import Path

import pytest
import sqlalchemy as sa

from certify.accounts.models import Role
from certify.questionnaire.models import EvidenceFile
from certify.storage import local
from tests.factories import install_default_standard
from tests.questionnaire.test_services import MINIMAL_PDF
from tests.questionnaire.test_views import started

UPLOAD = "/applications/{id}/evidence/str_members"


def upload(client, application):
    data = {"file": (io.BytesIO(MINIMAL_PDF), "устав.pdf"), "page": "str"}
    return client.post(UPLOAD.format(id=application.id), data=data, content_type="multipart/form-data")


def stored_files(app) -> list[str]:
    folder = Path(app.config["CERTIFY_STORAGE"]) / "evidence"
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


@pytest.fixture
def manager(db, login):
    """A manager's client, on the default standard."""
    install_default_standard(db)
    db.commit()
    return login(Role.MANAGER)[0]


@pytest.fixture
def read_only_storage(app):
    """The evidence folder, read-only for whoever runs the tests (root included), until the test ends."""
    folder = Path(app.config["CERTIFY_STORAGE"]) / "evidence"
    folder.mkdir(parents=True, exist_ok=True)
    if os.geteuid() != 0:
        folder.chmod(0o555)
        yield folder
        folder.chmod(0o700)
        return
    if shutil.which("chattr") is None:
        pytest.skip(
            "root runs the tests and chattr (e2fsprogs) is missing: no way to make a folder read-only"
        )
    if subprocess.run(["chattr", "+i", str(folder)], capture_output=True).returncode != 0:
        pytest.skip(f"the file system under {folder} has no immutable attribute (chattr +i refused)")
    yield folder
    subprocess.run(["chattr", "-i", str(folder)], check=True)


def assert_refused_with_a_try_again(response, db):
    assert response.status_code == 503
    page = response.get_data(as_text=True)
    assert "хранилище файлов сервера недоступно" in page and "Traceback" not in page
    assert 'name="str_members_total"' in page, "the page comes back with its form"
    assert db.scalar(sa.select(sa.func.count(EvidenceFile.id))) == 0


def assert_refused_and_nothing_kept(response, db, app, before: list[str]):
    assert_refused_with_a_try_again(response, db)
    assert stored_files(app) == before


def test_a_read_only_storage_refuses_the_upload_with_a_try_again(manager, db, app, read_only_storage):
    application = started(manager, db)
    assert_refused_and_nothing_kept(upload(manager, application), db, app, stored_files(app))


def test_a_full_disk_refuses_the_upload_and_leaves_no_partial_file(manager, db, app, monkeypatch):
    client = manager
    application = started(client, db)
    before = stored_files(app)
    opened = []

    def on_a_full_disk(path):
        """The file is created where it belongs; its bytes go to /dev/full, as to a disk with no room."""
        opened.append(path)
        Path(path).touch()
        return open("/dev/full", "wb")  # noqa: SIM115 (closed by the caller's `with`)

    monkeypatch.setattr(local, "open_private", on_a_full_disk)
    response = upload(client, application)
    assert opened, "the upload reached the storage"
    assert_refused_and_nothing_kept(response, db, app, before)
    monkeypatch.undo()
    assert upload(client, application).status_code == 302, "once there is room, the same upload is stored"
    assert db.scalar(sa.select(sa.func.count(EvidenceFile.id))) == 1


def test_an_s3_storage_without_its_bucket_refuses_the_upload_alike(s3_settings, s3_client, manager, db, app):
    s3_client.delete_bucket(Bucket=s3_settings["CERTIFY_S3_BUCKET"])  # gone since the app was built
    application = started(manager, db)
    assert_refused_with_a_try_again(upload(manager, application), db)
    assert stored_files(app) == [], "nothing went to the local folder instead"
