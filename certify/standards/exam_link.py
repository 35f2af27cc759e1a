"""Whether the theory exam a personal scheme names exists: an item bank with that blueprint.

The pure format cannot see the exam library, so this is checked when a scheme is imported: a scheme whose
candidates could never be examined is refused then, not discovered when the first one is admitted. A bank
counts when a version of it is shipped in `certify/exams/library` or stored in the database, and loads
(read through `certify.exams.bank`'s loader; nothing here writes to the exams).
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from certify.exams import bank as banks
from certify.exams.models import ExamBankVersion
from certify.exams.services import bank_of
from certify.parsed import ParsedBySource
from certify.standards.attestation import ExamPart


def exam_problem(session, exam: ExamPart):
    """None when some version of the bank has the blueprint; else the reason, ready to show."""
    found = _library_blueprints(exam.bank) + _stored_blueprints(session, exam.bank)
    if not found:
        return _l(
            "The scheme's exam names the item bank '%(bank)s', which neither the exam library nor the "
            "database holds. Import the bank first, or correct exam.bank.",
            bank=exam.bank,
        )
    if not any(exam.blueprint in blueprints for blueprints in found):
        known = sorted({blueprint for blueprints in found for blueprint in blueprints})
        return _l(
            "The item bank '%(bank)s' has no blueprint '%(blueprint)s' (it has: %(known)s). "
            "Correct exam.blueprint.",
            bank=exam.bank,
            blueprint=exam.blueprint,
            known=", ".join(known),
        )
    return None


def _library_blueprints(code: str) -> list[frozenset[str]]:
    """The blueprint ids of each version of bank `code` shipped in the exam library (that loads)."""
    found = []
    for path in sorted(Path(banks.LIBRARY).glob(f"{code}-*.yaml")):
        parsed = _blueprints_in(path.read_bytes(), path.name)
        # `cm-*.yaml` also matches a bank `cm-extra`: the file's own code decides
        if parsed is not None and parsed[0] == code:
            found.append(parsed[1])
    return found


#: a bank file's code and blueprint ids (None: it does not load), by its SHA-256: parsing the default
#: bank takes about half a second, and schemes are installed again and again (tests, the demo)
_parsed = ParsedBySource[tuple[str, frozenset[str]] | None]()


def _blueprints_in(raw: bytes, source_name: str) -> tuple[str, frozenset[str]] | None:
    def parse() -> tuple[str, frozenset[str]] | None:
        try:
            bank = banks.load_bank(raw, source_name=source_name)
        except banks.BankInvalid:
            return None
        return bank.code, frozenset(blueprint.id for blueprint in bank.blueprints)

    return _parsed.get(hashlib.sha256(raw).hexdigest(), parse)


def _stored_blueprints(session, code: str) -> list[frozenset[str]]:
    rows = session.scalars(sa.select(ExamBankVersion).where(ExamBankVersion.code == code)).all()
    return [frozenset(blueprint.id for blueprint in bank_of(row).blueprints) for row in rows]
