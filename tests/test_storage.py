"""The storage of the app's files (certify/storage): one contract, kept by the local folder and by S3.

The S3 backend is tested against a real S3 HTTP API (moto's server on a free port, `s3_endpoint`), so
every request goes through boto3, HTTP and the server's answers as it would in production.
"""

from __future__ import annotations

import hashlib
import io
import os
import stat

import pytest
import sqlalchemy as sa
from flask import Flask

from certify import create_app
from certify.accounts.models import Role
from certify.certificates.models import Certificate
from certify.questionnaire.models import Application, EvidenceFile
from certify.review import decisions
from certify.storage import (
    CERTIFICATES,
    CHUNK,
    EVIDENCE,
    REPORTS,
    StorageMisconfigured,
    StorageUnavailable,
    storage,
)
from certify.storage.local import LocalStorage
from certify.storage.s3 import S3Storage
from tests import factories
from tests.factories import install_default_standard
from tests.questionnaire.test_services import MINIMAL_PDF
from tests.questionnaire.test_views import started

PDF = b"%PDF-1.7\n" + bytes(range(256)) * 40


def s3_storage(endpoint: str, bucket: str) -> S3Storage:
    return S3Storage.from_config(
        {
            "CERTIFY_S3_BUCKET": bucket,
            "CERTIFY_S3_PREFIX": "certify/",
            "CERTIFY_S3_ENDPOINT_URL": endpoint,
            "CERTIFY_S3_REGION": "us-east-1",
        }
    )


@pytest.fixture(params=["local", "s3"])
def backend(request, tmp_path):
    """Each backend, empty."""
    if request.param == "local":
        return LocalStorage(tmp_path / "storage")
    return s3_storage(request.getfixturevalue("s3_endpoint"), request.getfixturevalue("s3_bucket"))


@pytest.fixture
def serving(backend):
    """A client of a bare Flask app whose one view answers a download from `backend`, as the app's do."""
    app = Flask(__name__)
    app.testing = True  # an error in the view reaches the test

    @app.get("/<area>/<name>/<sha256>")
    def download(area: str, name: str, sha256: str):
        return backend.download(
            area, name, mimetype="application/pdf", download_name="Устав.pdf", sha256=sha256
        )

    return app.test_client()


def read(backend, area: str, name: str) -> bytes:
    with backend.open(area, name) as stream:
        return stream.read()


def test_stored_bytes_are_read_back_with_their_sha256(backend):
    digest = backend.store(CERTIFICATES, "a1", PDF)
    assert digest == hashlib.sha256(PDF).hexdigest()
    assert read(backend, CERTIFICATES, "a1") == PDF


def test_a_stream_of_several_chunks_is_stored_and_read_back_in_pieces(backend):
    content = os.urandom(3 * CHUNK + 7)
    upload = io.BytesIO(b"skipped" + content)
    upload.seek(7)  # a stream is stored from where it stands
    assert backend.store(EVIDENCE, "big", upload) == hashlib.sha256(content).hexdigest()
    pieces = []
    with backend.open(EVIDENCE, "big") as stream:
        while piece := stream.read(CHUNK):
            pieces.append(piece)
    assert len(pieces) >= 4 and b"".join(pieces) == content


def test_areas_keep_their_files_apart(backend):
    backend.store(CERTIFICATES, "same", b"certificate")
    backend.store(REPORTS, "same", b"report")
    assert (read(backend, CERTIFICATES, "same"), read(backend, REPORTS, "same")) == (
        b"certificate",
        b"report",
    )
    with pytest.raises(ValueError, match="no storage area"):
        backend.store("elsewhere", "x", b"")


def test_a_deleted_file_is_gone_and_deleting_a_missing_one_is_no_error(backend):
    backend.store(EVIDENCE, "gone", PDF)
    backend.delete(EVIDENCE, "gone")
    backend.delete(EVIDENCE, "gone")
    backend.delete(EVIDENCE, "never-stored")
    with pytest.raises(StorageUnavailable, match="evidence/gone"):
        read(backend, EVIDENCE, "gone")


def test_a_missing_file_is_unavailable_to_read_and_to_download(backend, serving):
    with pytest.raises(StorageUnavailable, match="reports/missing"):
        backend.open(REPORTS, "missing")
    with pytest.raises(StorageUnavailable, match="reports/missing"):
        serving.get(f"/{REPORTS}/missing/{'0' * 64}")


def test_a_download_is_an_attachment_with_its_length_and_etag_and_answers_304_to_a_match(backend, serving):
    sha256 = backend.store(CERTIFICATES, "c1", PDF)
    url = f"/{CERTIFICATES}/c1/{sha256}"
    with serving.get(url) as response:
        assert response.status_code == 200 and response.data == PDF
        assert response.mimetype == "application/pdf" and response.content_length == len(PDF)
        disposition = response.headers["Content-Disposition"]
        assert disposition.startswith(
            "attachment;"
        ) and "filename*=UTF-8''%D0%A3%D1%81%D1%82%D0%B0%D0%B2.pdf" in (disposition)
        etag = response.headers["ETag"]
        assert etag and response.headers["Cache-Control"] == "no-cache"
    with serving.get(url, headers={"If-None-Match": etag}) as again:
        assert again.status_code == 304 and again.data == b""
    with serving.get(url, headers={"If-None-Match": '"another"'}) as changed:
        assert changed.status_code == 200 and changed.data == PDF


@pytest.fixture(params=["local", "s3"])
def refusing(request, tmp_path):
    """Each backend, unable to write: a folder that cannot be created (a file is in the way), a bucket
    that does not exist."""
    if request.param == "local":
        (tmp_path / "storage").write_text("not a folder")
        return LocalStorage(tmp_path / "storage")
    return s3_storage(request.getfixturevalue("s3_endpoint"), "certify-no-such-bucket")


def test_a_refused_write_is_storage_unavailable(refusing):
    with pytest.raises(StorageUnavailable, match="evidence/e1 could not be written"):
        refusing.store(EVIDENCE, "e1", io.BytesIO(PDF))
    with pytest.raises(StorageUnavailable):
        read(refusing, EVIDENCE, "e1")


def test_discarding_a_file_the_storage_will_not_delete_is_logged_not_raised(refusing, app, caplog):
    # what was committed stands: the file left behind is named by no row
    with pytest.raises(StorageUnavailable):
        refusing.delete(EVIDENCE, "e1")
    with app.app_context():
        refusing.discard(EVIDENCE, "e1")
    assert "a file no row names stays in the storage: evidence/e1 could not be deleted" in caplog.text


def test_local_files_keep_the_layout_of_existing_installations_owner_only(tmp_path):
    previous = os.umask(0)
    try:
        LocalStorage(tmp_path).store(EVIDENCE, "e1", PDF)
    finally:
        os.umask(previous)
    path = tmp_path / "evidence" / "e1"
    assert path.read_bytes() == PDF
    assert (stat.S_IMODE(path.parent.stat().st_mode), stat.S_IMODE(path.stat().st_mode)) == (0o700, 0o600)


def test_s3_objects_are_kept_under_the_prefix_by_area(s3_endpoint, s3_bucket, s3_client):
    s3_storage(s3_endpoint, s3_bucket).store(REPORTS, "r1", PDF)
    listed = s3_client.list_objects_v2(Bucket=s3_bucket)["Contents"]
    assert [(o["Key"], o["Size"]) for o in listed] == [("certify/reports/r1", len(PDF))]


# --- choosing the backend --------------------------------------------------------------------------------


def test_the_app_uses_local_files_by_default(app):
    with app.app_context():
        assert isinstance(storage(), LocalStorage) and storage().root == app.config["CERTIFY_STORAGE"]


@pytest.mark.parametrize(
    ("settings", "message"),
    [
        ({"CERTIFY_STORAGE_BACKEND": "ftp"}, "CERTIFY_STORAGE_BACKEND='ftp': choose one of local, s3"),
        ({"CERTIFY_STORAGE_BACKEND": "s3", "CERTIFY_S3_BUCKET": ""}, "needs CERTIFY_S3_BUCKET"),
        (
            {
                "CERTIFY_STORAGE_BACKEND": "s3",
                "CERTIFY_S3_BUCKET": "b",
                "CERTIFY_S3_ENDPOINT_URL": "no-scheme",
            },
            "the S3 storage settings cannot work",
        ),
    ],
)
def test_a_storage_setting_that_cannot_work_stops_the_app_at_start(app_settings, settings, message):
    with pytest.raises(StorageMisconfigured, match=message):
        create_app(app_settings | settings)


def test_check_names_the_s3_storage(s3_settings, app):
    output = app.test_cli_runner().invoke(args=["certify", "check"]).output
    bucket, endpoint = s3_settings["CERTIFY_S3_BUCKET"], s3_settings["CERTIFY_S3_ENDPOINT_URL"]
    assert f"storage: S3 bucket {bucket} at {endpoint}, objects under certify/<area>/\n" in output


# --- the app on S3, end to end ---------------------------------------------------------------------------


def remove_bucket(s3_client, bucket: str) -> None:
    for found in s3_client.list_objects_v2(Bucket=bucket).get("Contents", []):
        s3_client.delete_object(Bucket=bucket, Key=found["Key"])
    s3_client.delete_bucket(Bucket=bucket)


def objects_in(s3_client, bucket: str) -> dict[str, bytes]:
    listed = s3_client.list_objects_v2(Bucket=bucket).get("Contents", [])
    return {o["Key"]: s3_client.get_object(Bucket=bucket, Key=o["Key"])["Body"].read() for o in listed}


def test_on_s3_evidence_is_uploaded_downloaded_and_removed(s3_settings, s3_client, app, db, login):
    install_default_standard(db)
    db.commit()
    client, _ = login(Role.MANAGER)
    application = started(client, db)
    data = {"file": (io.BytesIO(MINIMAL_PDF), "устав.pdf"), "page": "str"}
    upload = client.post(
        f"/applications/{application.id}/evidence/str_members", data=data, content_type="multipart/form-data"
    )
    assert upload.status_code == 302
    row = db.scalar(sa.select(EvidenceFile))
    bucket = s3_settings["CERTIFY_S3_BUCKET"]
    assert objects_in(s3_client, bucket) == {f"certify/evidence/{row.stored_name}": MINIMAL_PDF}
    assert row.sha256 == hashlib.sha256(MINIMAL_PDF).hexdigest()
    url = f"/applications/{application.id}/evidence/{row.id}"
    with client.get(url) as download:
        assert download.status_code == 200 and download.data == MINIMAL_PDF
        assert (
            download.headers["ETag"] == f'"{row.sha256}"'
            and "attachment" in download.headers["Content-Disposition"]
        )
    with client.get(url, headers={"If-None-Match": f'"{row.sha256}"'}) as again:
        assert again.status_code == 304
    assert client.post(f"{url}/remove").status_code == 302
    assert objects_in(s3_client, bucket) == {}, "deleted once the removal was committed"
    assert not (app.config["CERTIFY_STORAGE"] / "evidence").exists(), "nothing written locally"


def test_on_s3_a_certificate_and_its_report_are_stored_and_downloaded(
    s3_settings, s3_client, app, db, client_for, caplog
):
    case = factories.certified(db)
    db.commit()
    certificate, application = case.certificate, case.application
    stored = objects_in(s3_client, s3_settings["CERTIFY_S3_BUCKET"])
    pdf = stored[f"certify/certificates/{certificate.pdf_name}"]
    report = stored[f"certify/reports/{application.report_name}"]
    assert hashlib.sha256(pdf).hexdigest() == certificate.pdf_sha256 and pdf.startswith(b"%PDF")
    assert hashlib.sha256(report).hexdigest() == application.report_sha256
    holder = client_for(case.manager)
    with holder.get(f"/certificates/{certificate.number}.pdf") as download:
        assert download.status_code == 200 and download.data == pdf
        assert (
            download.content_length == len(pdf) and download.headers["ETag"] == f'"{certificate.pdf_sha256}"'
        )
    with holder.get(f"/applications/{application.id}/report.pdf") as download:
        assert download.status_code == 200 and download.data == report
    kept_locally = {p.name for p in app.config["CERTIFY_STORAGE"].iterdir()}
    assert kept_locally == {"audit-checkpoints"}, "only the operator's files are kept locally"


def test_on_s3_a_decision_whose_certificate_cannot_be_stored_is_a_try_again_and_leaves_nothing(
    s3_settings, s3_client, app, db, client_for, caplog
):
    case = factories.agreed(db, value=4)
    level = factories.issuance_level(db, case.application)
    db.commit()
    remove_bucket(s3_client, s3_settings["CERTIFY_S3_BUCKET"])  # the evidence goes too: not read here
    response = client_for(case.coordinator).post(
        f"/review/applications/{case.application.id}/decision",
        data={"level": level, "reasons": "Решение комиссии", "justification": ""},
    )
    assert response.status_code == 503 and response.headers["Retry-After"] == "5"
    assert "Traceback" not in response.get_data(as_text=True)
    assert "storage unavailable on POST" in caplog.text and "could not be written" in caplog.text
    db.expire_all()
    assert db.get(Application, case.application.id).state == "consensus"
    assert decisions.decision_of(db, case.application) is None
    assert db.scalar(sa.select(sa.func.count(Certificate.id))) == 0


def test_on_s3_a_download_the_storage_cannot_answer_is_a_try_again(
    s3_settings, s3_client, app, db, client_for, caplog
):
    case = factories.certified(db)
    db.commit()
    bucket = s3_settings["CERTIFY_S3_BUCKET"]
    s3_client.delete_object(Bucket=bucket, Key=f"certify/certificates/{case.certificate.pdf_name}")
    response = client_for(case.manager).get(f"/certificates/{case.certificate.number}.pdf")
    assert response.status_code == 503 and response.headers["Retry-After"] == "5"
    assert "storage unavailable on GET" in caplog.text and "could not be read" in caplog.text
