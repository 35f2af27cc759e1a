"""Both languages everywhere: the switch, its memory, templates and catalogs."""

from __future__ import annotations

import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from jinja2 import Environment

from certify.accounts.models import User

ROOT = Path(__file__).resolve().parents[2]
TRANSLATIONS = ROOT / "certify" / "translations"
#: attributes whose values people read or hear (`value` only where it is a button's caption)
VISIBLE_ATTRIBUTES = {"placeholder", "title", "alt", "aria-label"}
BUTTON_INPUTS = {"submit", "button", "reset"}


def test_russian_is_the_default(client):
    page = client.get("/").get_data(as_text=True)
    assert '<html lang="ru">' in page
    assert "Войти" in page


def test_language_switch_is_remembered_on_the_browser(client):
    response = client.post("/language", data={"language": "en", "next": "/login"})
    assert response.headers["Location"] == "/login"
    page = client.get("/login").get_data(as_text=True)
    assert '<html lang="en">' in page and "Forgot your password?" in page


def test_language_switch_refuses_unknown_languages_and_foreign_redirects(client):
    assert client.post("/language", data={"language": "de"}).status_code == 400
    response = client.post("/language", data={"language": "en", "next": "//evil.example.com"})
    assert response.headers["Location"] == "/"


def test_a_logged_in_users_choice_is_saved_on_the_account(manager_client, db):
    manager_client.post("/language", data={"language": "en"})
    assert db.query(User).one().locale == "en"
    assert "Your account" in manager_client.get("/account").get_data(as_text=True)


def test_error_pages_in_both_languages(client):
    assert "Страница не найдена" in client.get("/missing").get_data(as_text=True)
    client.post("/language", data={"language": "en"})
    assert "Page not found" in client.get("/missing").get_data(as_text=True)


class _TextCollector(HTMLParser):
    def __init__(self):
        super().__init__()
        self.texts: list[str] = []

    def handle_data(self, data):
        self.texts.append(data)

    def handle_starttag(self, tag, attrs):
        self.texts.extend(value for name, value in attrs if name in VISIBLE_ATTRIBUTES and value)
        if tag == "input" and dict(attrs).get("type") in BUTTON_INPUTS:
            self.texts.append(dict(attrs).get("value") or "")


def _literal_text(template: Path) -> list[str]:
    """Text a template shows that is not produced by an expression or a tag (i.e. not translatable)."""
    environment = Environment(extensions=["jinja2.ext.i18n"], autoescape=True)
    pieces = []
    for _, kind, value in environment.lex(template.read_text()):
        # every expression and tag becomes a neutral placeholder; only literal template data stays
        pieces.append(value if kind == "data" else ("0" if kind.startswith("variable") else ""))
    collector = _TextCollector()
    collector.feed("".join(pieces))
    return [t.strip() for t in collector.texts if any(ch.isalpha() for ch in t)]


# PDF templates print both languages side by side by design, so their text is not translated.
BILINGUAL_DOCUMENTS = ROOT / "templates" / "certificates" / "pdf"
TEMPLATES = sorted(
    p
    for p in (ROOT / "templates").rglob("*")
    if p.suffix in {".html", ".txt"} and BILINGUAL_DOCUMENTS not in p.parents
)


@pytest.mark.parametrize("template", TEMPLATES, ids=lambda p: str(p.relative_to(ROOT / "templates")))
def test_templates_show_no_text_outside_the_translation_machinery(template):
    # The brand name is the same in every language by design.
    untranslated = [t for t in _literal_text(template) if t.replace("Certify", "").strip(" ·/") != ""]
    assert untranslated == []


def test_catalogs_are_up_to_date(tmp_path):
    template = tmp_path / "messages.pot"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "babel.messages.frontend",
            "extract",
            "-F",
            str(ROOT / "babel.cfg"),
            "-k",
            "_l",
            "-k",
            "lazy_gettext",
            "-k",
            "N_",
            "--no-location",
            "-o",
            str(template),
            str(ROOT),
        ],
        check=True,
        capture_output=True,
    )
    with template.open("rb") as handle:
        wanted = {m.id for m in read_po(handle) if m.id}
    for language in ("ru", "en"):
        with (TRANSLATIONS / language / "LC_MESSAGES" / "messages.po").open("rb") as handle:
            catalog = read_po(handle)
        have = {m.id for m in catalog if m.id and not m.fuzzy}
        assert wanted - have == set(), f"{language}: run `make translations` and translate"
        if language == "ru":
            untranslated = [m.id for m in catalog if m.id and not all(_forms(m))]
            assert untranslated == [], "ru: messages without a translation"


def _forms(message) -> tuple:
    """The translated forms of a message: one, or a plural's tuple (each form must be filled)."""
    return message.string if isinstance(message.string, tuple) else (message.string,)


def test_every_template_folder_is_read_for_translatable_text():
    # Babel's extraction skips folders whose names start with "_" or ".": the error summary's heading
    # in such a folder stayed English on Russian pages.
    hidden = [p for p in (ROOT / "templates").rglob("*") if p.is_dir() and p.name[0] in "_."]
    assert hidden == []


def test_the_error_summary_speaks_the_pages_language(client):
    page = client.post("/register", data={"email": "not an address"}).get_data(as_text=True)
    assert "Исправьте, пожалуйста:" in page and "Please correct" not in page
