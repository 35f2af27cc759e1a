"""The audit key: a configured file in production, a generated development key otherwise, and the check."""

from __future__ import annotations

import os
import stat
import threading

import pytest

from certify import create_app
from certify.audit import services
from certify.audit.keys import MIN_KEY_BYTES, AuditKeyError, load_audit_key

PRODUCTION_KEY = "9f" * 32


@pytest.fixture
def key_file(tmp_path):
    path = tmp_path / "audit-key"
    path.write_text(PRODUCTION_KEY + "\n")
    return path


def test_the_configured_file_holds_the_key_without_surrounding_whitespace(tmp_path, key_file):
    assert load_audit_key(tmp_path / "instance", key_file) == PRODUCTION_KEY.encode()
    assert not (tmp_path / "instance").exists()  # no development key is made


@pytest.mark.parametrize("content", ["", "short", "x" * (MIN_KEY_BYTES - 1)])
def test_a_short_key_is_refused(tmp_path, content):
    (tmp_path / "key").write_text(content)
    with pytest.raises(AuditKeyError, match=f"fewer than {MIN_KEY_BYTES} bytes"):
        load_audit_key(tmp_path, tmp_path / "key")


def test_a_missing_key_file_is_refused(tmp_path):
    with pytest.raises(AuditKeyError, match="cannot be read"):
        load_audit_key(tmp_path, tmp_path / "missing")


def test_the_development_key_is_made_once_owner_only_even_by_workers_starting_at_once(tmp_path):
    instance, barrier, keys = tmp_path / "instance", threading.Barrier(8), []

    def load() -> None:
        barrier.wait()
        keys.append(load_audit_key(instance, None))

    threads = [threading.Thread(target=load) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(set(keys)) == 1 and len(keys[0]) == 64
    assert os.listdir(instance) == ["audit-key"]
    assert stat.S_IMODE(os.stat(instance / "audit-key").st_mode) == 0o600
    assert load_audit_key(instance, None) == keys[0]


def test_entries_are_keyed_with_the_configured_key(app_settings, key_file, request):
    app_settings["CERTIFY_AUDIT_KEY_PATH"] = str(key_file)  # before the app is made
    db = request.getfixturevalue("db")
    entry = services.record(db, actor="cli", action="demo.made", subject_type="demo", subject_id=1)
    db.commit()
    assert services.verify_chain(db).ok
    assert services.verify_chain(db, key=PRODUCTION_KEY.encode()).ok
    report = services.verify_chain(db, key=b"the development key, or any other key")
    assert (report.ok, report.first_bad_id) == (False, entry.id)


def _check(app_settings, **settings):
    app = create_app(dict(app_settings, **settings))
    return app.test_cli_runner().invoke(args=["certify", "check"]).output


def test_check_flags_the_development_audit_key(app_settings):
    output = _check(app_settings, CERTIFY_AUDIT_KEY_PATH=None)
    assert (
        "dangerous: CERTIFY_AUDIT_KEY_PATH: the audit trail is keyed with the development key generated "
        "into the instance folder\n  fix: set CERTIFY_AUDIT_KEY_PATH to a file holding a long random key"
    ) in output


def test_check_flags_an_unusable_audit_key(app_settings, tmp_path):
    (tmp_path / "short").write_text("short")
    output = _check(app_settings, CERTIFY_AUDIT_KEY_PATH=str(tmp_path / "short"))
    assert (
        f"dangerous: CERTIFY_AUDIT_KEY_PATH: CERTIFY_AUDIT_KEY_PATH {tmp_path / 'short'} holds fewer"
        in output
    )


def test_check_accepts_a_configured_audit_key(app_settings, key_file):
    assert "CERTIFY_AUDIT_KEY_PATH" not in _check(app_settings, CERTIFY_AUDIT_KEY_PATH=str(key_file))
