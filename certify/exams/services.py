"""Item banks and exams in the database: import a bank, look up what attempts need, open and close exams.

Plain functions that receive the session, flush and never commit (the view or the CLI commits once).
Attempts are in `certify.exams.attempts`; the rules and reasons are in docs/exams.md.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date, datetime
from decimal import Decimal

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from certify.audit import services as audit
from certify.errors import DomainError
from certify.exams.bank import Bank, Blueprint, Item, ItemStatus, item_content, item_from_data, load_bank
from certify.exams.models import Exam, ExamBankVersion, ExamItemVersion, PassMarkMethod
from certify.exams.supply import blueprint_supply
from certify.parsed import ParsedBySource
from certify.timeutil import as_utc, utcnow

#: Statuses the body gives an item version that keep it off new forms, whatever its bank file says.
HELD_BACK = (ItemStatus.SUSPENDED.value, ItemStatus.RETIRED.value)


class ExamRefused(DomainError):
    """An operation on a bank or an exam that is not allowed; `message` is shown to the user."""


@dataclass(frozen=True)
class BankImport:
    row: ExamBankVersion
    #: False when the same file had been imported before (nothing changed)
    created: bool
    #: item versions new to the database, and drafts brought up to date from the file
    new_items: int = 0
    updated_drafts: int = 0


def import_bank(session, source: str | bytes, *, source_name: str, user=None) -> BankImport:
    """Validate `source` and store it with its item versions; raises BankInvalid or ExamRefused.

    Importing the same file again changes nothing. A changed file under a stored code and version is
    refused: attempts were drawn from it. An item version already stored must be identical unless it is
    still a draft: an edited active item needs a new version number.
    """
    bank = load_bank(source, source_name=source_name)
    text = source.decode("utf-8") if isinstance(source, bytes) else source
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    row = find_bank_version(session, bank.code, bank.version)
    if row is not None:
        if row.source_sha256 == digest:
            return BankImport(row, created=False)
        raise ExamRefused(
            _l(
                "Version %(version)s of bank %(code)s is imported and cannot change. "
                "Give the changed file a new version number.",
                version=bank.version,
                code=bank.code,
            )
        )
    stored = _stored_versions(session, ((item.id, item.version) for item in bank.items))
    for item in bank.items:
        _refuse_rewriting(stored.get((item.id, item.version)), item)
    row = ExamBankVersion(
        code=bank.code,
        version=bank.version,
        title_ru=bank.title.ru,
        title_en=bank.title.en,
        source=text,
        source_sha256=digest,
        imported_by_id=getattr(user, "id", None),
    )
    session.add(row)
    session.flush()
    new_items = updated = 0
    for item in bank.items:
        existing = stored.get((item.id, item.version))
        if existing is None:
            session.add(_item_version(item, row))
            new_items += 1
        elif existing.status == ItemStatus.DRAFT.value and _differs(existing, item):
            existing.area, existing.content = item.area, item_content(item)
            existing.status = item.status.value
            updated += 1
    session.flush()
    audit.record(
        session,
        actor=user,
        action="exam_bank.imported",
        subject_type="exam_bank",
        subject_id=row.label,
        after={"sha256": digest, "new_items": new_items, "updated_drafts": updated},
    )
    return BankImport(row, created=True, new_items=new_items, updated_drafts=updated)


def _refuse_rewriting(existing: ExamItemVersion | None, item: Item) -> None:
    if existing is None or existing.status == ItemStatus.DRAFT.value:
        return
    if _differs(existing, item, status=False):
        raise ExamRefused(
            _l(
                "Item %(item)s version %(version)s is in use and cannot change. "
                "Give the changed item version %(next)s.",
                item=item.id,
                version=item.version,
                next=item.version + 1,
            )
        )


def _differs(row: ExamItemVersion, item: Item, *, status: bool = True) -> bool:
    return (
        row.area != item.area
        or row.content != item_content(item)
        or (status and row.status != item.status.value)
    )


def _item_version(item: Item, bank_row: ExamBankVersion) -> ExamItemVersion:
    return ExamItemVersion(
        item_id=item.id,
        version=item.version,
        area=item.area,
        status=item.status.value,
        content=item_content(item),
        bank_version_id=bank_row.id,
    )


def find_bank_version(session, code: str, version: str) -> ExamBankVersion | None:
    return session.scalar(
        sa.select(ExamBankVersion).where(ExamBankVersion.code == code, ExamBankVersion.version == version)
    )


_parsed_banks = ParsedBySource[Bank]()


def bank_of(row: ExamBankVersion) -> Bank:
    """The parsed bank of a stored version, shared; its source (deferred on the model) is read from the
    database only when this process first parses it (`certify.parsed`: the default bank takes most of a
    second to parse)."""
    return _parsed_banks.get(row.source_sha256, lambda: load_bank(row.source, source_name=row.file_name))


def blueprint_of(exam: Exam) -> Blueprint:
    """The exam's blueprint with the pass mark the exam chose for it."""
    return replace(bank_of(exam.bank_version).blueprint(exam.blueprint_id), pass_mark=exam.pass_mark)


def _stored_versions(session, pairs: Iterable[tuple[str, int]]) -> dict[tuple[str, int], ExamItemVersion]:
    wanted = set(pairs)
    if not wanted:
        return {}
    rows = session.scalars(
        sa.select(ExamItemVersion).where(ExamItemVersion.item_id.in_({item for item, _ in wanted}))
    )
    return {(row.item_id, row.version): row for row in rows if (row.item_id, row.version) in wanted}


def stored_items(session, pairs: Iterable[tuple[str, int]]) -> dict[tuple[str, int], Item]:
    """The stored item versions named by (item id, version), as Items with the body's current status."""
    return {
        key: item_from_data(
            {"id": row.item_id, "version": row.version, "area": row.area, "status": row.status} | row.content
        )
        for key, row in _stored_versions(session, pairs).items()
    }


def held_back(session, bank: Bank) -> frozenset[str]:
    """Ids of the bank's items whose version the body has suspended or retired: not to be drawn."""
    versions = {item.id: item.version for item in bank.items}
    # Every held-back version, matched here: they are few, and a list of the bank's ids in the query
    # would send a parameter per item on every start of an attempt.
    rows = session.execute(
        sa.select(ExamItemVersion.item_id, ExamItemVersion.version).where(
            ExamItemVersion.status.in_(HELD_BACK)
        )
    )
    return frozenset(item_id for item_id, version in rows if versions.get(item_id) == version)


def open_exam(
    session,
    bank_row: ExamBankVersion,
    blueprint_id: str,
    *,
    opens_at: datetime | None = None,
    closes_at: datetime | None = None,
    pass_mark: Decimal | None = None,
    method: PassMarkMethod = PassMarkMethod.FIXED,
    set_on: date | None = None,
    user=None,
) -> Exam:
    """Offer a blueprint of a bank version to candidates in a window, with its pass mark and method.

    Without `pass_mark` the blueprint's own (method "fixed"); an Angoff mark must be given. Refused: an
    unknown blueprint, a window that ends before it opens, a pass mark outside 0..100, or a bank that
    cannot fill the blueprint's forms with items the body has not held back.
    """
    bank = bank_of(bank_row)
    try:
        blueprint = bank.blueprint(blueprint_id)
    except KeyError:
        raise ExamRefused(
            _l("Bank %(bank)s has no blueprint %(blueprint)s.", bank=bank_row.label, blueprint=blueprint_id)
        ) from None
    opens_at = opens_at or utcnow()
    if closes_at is not None and closes_at <= opens_at:
        raise ExamRefused(_l("The exam window must close after it opens."))
    if method is PassMarkMethod.ANGOFF and pass_mark is None:
        raise ExamRefused(_l("An Angoff pass mark must be given with the method."))
    pass_mark = blueprint.pass_mark if pass_mark is None else Decimal(pass_mark)
    if not 0 <= pass_mark <= 100:
        raise ExamRefused(_l("A pass mark is a percent from 0 to 100."))
    for supply in blueprint_supply(bank, blueprint, held_back(session, bank)):
        if not supply.feasible:
            raise ExamRefused(
                _l(
                    "Area %(area)s has %(drawable)s items that may be drawn; the blueprint draws %(draws)s.",
                    area=supply.area,
                    drawable=supply.drawable,
                    draws=supply.draws,
                )
            )
    exam = Exam(
        bank_version_id=bank_row.id,
        blueprint_id=blueprint.id,
        title_ru=blueprint.title.ru,
        title_en=blueprint.title.en,
        time_limit_minutes=blueprint.time_limit_minutes,
        opens_at=opens_at,
        closes_at=closes_at,
        pass_mark=pass_mark,
        pass_mark_method=method.value,
        pass_mark_set_on=set_on or opens_at.date(),
        created_by_id=getattr(user, "id", None),
    )
    session.add(exam)
    session.flush()
    audit_exam(session, user, "exam.opened", exam)
    return exam


def window_is_open(exam: Exam, now: datetime) -> bool:
    return as_utc(exam.opens_at) <= now and (exam.closes_at is None or now < as_utc(exam.closes_at))


def window_has_closed(exam: Exam, now: datetime) -> bool:
    """After the window, every attempt is over, so the rationales of the items can be shown."""
    return exam.closes_at is not None and as_utc(exam.closes_at) <= now


def audit_exam(session, user, action: str, exam: Exam) -> None:
    audit.record(
        session,
        actor=user,
        action=action,
        subject_type="exam",
        subject_id=exam.id,
        after={
            "bank": exam.bank_version.label,
            "blueprint": exam.blueprint_id,
            "opens_at": as_utc(exam.opens_at).isoformat(),
            "closes_at": as_utc(exam.closes_at).isoformat() if exam.closes_at else None,
            "pass_mark": str(exam.pass_mark),
            "method": exam.pass_mark_method,
        },
    )
