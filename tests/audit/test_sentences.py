"""Audit entries as sentences (certify.audit.sentences): pure, in English and Russian, and complete."""

from __future__ import annotations

import ast
import re
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from babel.dates import format_date
from babel.support import Translations
from hypothesis import given
from hypothesis import strategies as st

from certify.audit.sentences import KINDS, kinds_by_domain, sentence

PROJECT_ROOT = Path(__file__).resolve().parents[2]
RU = Translations.load(str(PROJECT_ROOT / "certify" / "translations"), ["ru"])
ACTION = re.compile(r"^[a-z_]+\.[a-z_]+$")
#: the statuses `lifecycle.change_status` stores, each recorded as f"certificate.{status}"
STORED_STATUSES = ("valid", "suspended", "revoked")
TEAM = {"team": [{"assessor": "a@x", "lead": True}, {"assessor": "b@y", "lead": False}]}


def ru(said) -> str:
    return said.text(RU.gettext, lambda day: format_date(day, "medium", locale="ru"))


@pytest.mark.parametrize(
    ("action", "before", "after", "english"),
    [
        (
            "application.submitted",
            {"state": "draft"},
            {"state": "submitted", "answers": 12},
            "Application submitted",
        ),
        ("review.assigned", None, TEAM, "Review team assigned: a@x, b@y (lead a@x)"),
        (
            "review.assigned",
            None,
            {"team": [{"assessor": "b@y", "lead": False}]},
            "Review team assigned: b@y",
        ),
        ("certificate.revoked", {"status": "valid"}, {"status": "revoked", "reason": "Fraud"}, None),
        (
            "certificate.valid",
            {"status": "suspended"},
            {"reason": "Cleared"},
            "Certificate reinstated. Reason: Cleared",
        ),
        (
            "certificate.issued",
            None,
            {"level": "gold", "expires_on": "2029-03-01"},
            "Certificate issued at level gold, valid until 2029-03-01",
        ),
        ("review.decided", None, {"state": "not_certified", "level": None}, "Decision: not certified"),
        (
            "review.appeal_decided",
            {"level": "silver"},
            {"outcome": "changed", "level": "gold"},
            "Appeal decided: the level is changed from silver to gold",
        ),
        (
            "account.roles_changed",
            {"roles": ["manager"]},
            {"roles": ["assessor", "coordinator"]},
            "Roles changed from manager to assessor, coordinator",
        ),
        ("account.login_failed", None, {"reason": "wrong_password"}, "Login refused: wrong password"),
        ("user.updated", {"active": True}, {"active": False}, "Account deactivated"),
    ],
)
def test_sentences_in_english(action, before, after, english):
    expected = english or "Certificate revoked. Reason: Fraud"
    assert sentence(action, "CMQ-2026-000001", before, after).text() == expected


def test_sentences_in_russian():
    assert ru(sentence("application.submitted")) == "Заявка подана"
    assert ru(sentence("review.assigned", after=TEAM)) == "Назначена команда: a@x, b@y (ведущий a@x)"
    revoked = sentence("certificate.revoked", after={"reason": "Нарушение условий"})
    assert ru(revoked) == "Сертификат отозван. Причина: Нарушение условий"
    created = sentence("account.created", after={"email": "m@x", "roles": ["manager", "admin"]})
    assert ru(created) == "Учётная запись создана: m@x, роли: руководитель, администратор"
    issued = sentence("certificate.issued", after={"level": "gold", "expires_on": "2029-03-01"})
    assert ru(issued) == "Сертификат выдан на уровень gold, действует до " + format_date(
        date(2029, 3, 1), "medium", locale="ru"
    )
    assert ru(sentence("standard.published", "cmq-1.0")) == "Версия стандарта cmq-1.0 опубликована"


def test_typed_values_are_never_translated():
    """A reason that happens to read like one of our messages is still shown as typed."""
    assert (
        ru(sentence("certificate.suspended", after={"reason": "Data"}))
        == "Сертификат приостановлен. Причина: Data"
    )


def test_an_unknown_action_reads_as_a_generic_sentence():
    assert sentence("robot.danced", after={"x": 1}).text() == "Recorded: robot.danced"
    assert ru(sentence("robot.danced")) == "Записано событие: robot.danced"


def test_missing_values_or_a_hidden_entry_leave_the_title_alone():
    assert sentence("certificate.revoked", after={"status": "revoked"}).text() == "Certificate revoked"
    assert sentence("review.assigned", after={"team": "not a list"}).text() == "Review team assigned"
    hidden = sentence("review.consensus_recorded", after={"total": 30, "level": "gold"}, detailed=False)
    assert hidden.text() == "Consensus recorded"


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=10),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3),
    max_leaves=8,
)
VALUES = JSON | st.dictionaries(
    st.sampled_from(["reason", "team", "level", "roles", "email", "expires_on", "outcome", "state", "name"]),
    JSON,
    max_size=4,
)


@given(action=st.sampled_from(sorted(KINDS)), before=VALUES, after=VALUES)
def test_any_recorded_values_make_a_sentence(action, before, after):
    """Whatever an entry holds (old entries, odd shapes), describing it never fails."""
    for said in (sentence(action, "1", before, after), sentence(action, "1", before, after, detailed=False)):
        assert said.text() and ru(said)


def _recorded_actions() -> set[str]:
    """Every action the code passes to `record(`, `audit.record(`, `_record(`, `_record_link_request(`,
    `audit_exam(` or `_audit(`."""
    found: set[str] = set()
    for path in (PROJECT_ROOT / "certify").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            name = getattr(node.func, "attr", None) or getattr(node.func, "id", "")
            if name not in ("record", "_record", "_record_link_request", "audit_exam", "_audit"):
                continue
            values = [*node.args, *(k.value for k in node.keywords if k.arg == "action")]
            # `"a.one" if … else "a.other"`: both are recorded
            values += [side for v in values if isinstance(v, ast.IfExp) for side in (v.body, v.orelse)]
            for value in values:
                if (
                    isinstance(value, ast.Constant)
                    and isinstance(value.value, str)
                    and ACTION.match(value.value)
                ):
                    found.add(value.value)
                elif isinstance(value, ast.JoinedStr):
                    prefix = value.values[0].value if isinstance(value.values[0], ast.Constant) else ""
                    assert prefix == "certificate.", (
                        f"{path}: an action built at run time: add it to this test"
                    )
                    found |= {f"certificate.{status}" for status in STORED_STATUSES}
    return found


def test_every_recorded_action_has_a_sentence_and_every_sentence_an_action():
    recorded = _recorded_actions()
    assert {"application.submitted", "review.assigned", "certificate.revoked"} <= recorded
    assert not recorded - set(KINDS), "recorded without a sentence in certify/audit/sentences.py"
    assert not set(KINDS) - recorded, "a sentence for an action nothing records"


def test_every_kind_is_listed_under_its_domain_and_translated():
    listed = [action for _, _, actions in kinds_by_domain() for action, _ in actions]
    assert sorted(listed) == sorted(KINDS)
    for domain, label, actions in kinds_by_domain():
        assert RU.gettext(label) != label, domain
        for action, title in actions:
            assert RU.gettext(title) != title, action


def test_the_sentences_module_is_pure():
    code = (
        "import certify.audit.sentences, sys; "
        "assert 'flask' not in sys.modules and 'sqlalchemy' not in sys.modules"
    )
    subprocess.run([sys.executable, "-c", code], check=True, cwd=PROJECT_ROOT)


def test_dates_are_written_by_the_reader_s_locale():
    issued = sentence("certificate.issued", after={"level": "gold", "expires_on": "2029-03-01"})
    assert issued.text(day=lambda day: day.strftime("%d/%m/%Y")).endswith("valid until 01/03/2029")
    assert date(2029, 3, 1).isoformat() in issued.text()
