"""Configuration from the environment with safe defaults."""

from __future__ import annotations

from certify.config import settings_from_environment


def test_defaults_keep_everything_in_the_instance_folder(tmp_path, monkeypatch):
    for name in ("DATABASE_URL", "SECRET_KEY", "CERTIFY_STORAGE", "MAIL_FOLDER", "SESSION_COOKIE_SECURE"):
        monkeypatch.delenv(name, raising=False)
    settings = settings_from_environment(tmp_path)
    assert settings["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{tmp_path / 'certify.sqlite'}"
    assert settings["CERTIFY_STORAGE"] == tmp_path / "storage"
    assert settings["MAIL_FOLDER"] == tmp_path / "mail"
    assert settings["SESSION_COOKIE_SECURE"] is True


def test_the_secret_key_is_generated_once_and_kept(tmp_path, monkeypatch):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    first = settings_from_environment(tmp_path)["SECRET_KEY"]
    assert len(first) == 64
    assert settings_from_environment(tmp_path)["SECRET_KEY"] == first
    assert (tmp_path / "secret_key").stat().st_mode & 0o077 == 0
    assert settings_from_environment(tmp_path / "other")["SECRET_KEY"] != first


def test_environment_overrides(tmp_path, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "postgres://certify@db.internal/certify")
    monkeypatch.setenv("SECRET_KEY", "from-the-environment")
    settings = settings_from_environment(tmp_path)
    assert settings["SQLALCHEMY_DATABASE_URI"] == "postgresql+psycopg://certify@db.internal/certify"
    assert settings["SECRET_KEY"] == "from-the-environment"
