"""The public aggregate figures of `GET /api/v1/statistics`: no organisation can be picked out of them.

Two tables: certificates in force by standard version and level, and applications decided per year (the
first decision on each; an appeal's decision does not count again). A count from 1 to 4 is written "<5":
with few organisations in a cell, a reader who knows one of them could learn about the others. No
totals are given, so a hidden count cannot be recovered by subtraction; a cell with nothing in it is
not listed.
"""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa

from certify.certificates import register
from certify.certificates.models import Certificate
from certify.review.models import Decision

#: counts below this are not shown as numbers
THRESHOLD = 5
HIDDEN = f"<{THRESHOLD}"


def shown(count: int) -> int | str:
    return count if count >= THRESHOLD else HIDDEN


def statistics(session, today: date | None = None) -> dict:
    today = today or date.today()
    return {
        "as_of": today.isoformat(),
        "threshold": THRESHOLD,
        "certificates_in_force": _certificates_in_force(session, today),
        "decided_applications": _decided_per_year(session),
    }


def _certificates_in_force(session, today: date) -> list[dict]:
    columns = (
        Certificate.standard_code,
        Certificate.standard_version,
        Certificate.level_id,
        sa.func.min(Certificate.level_name_ru),
        sa.func.min(Certificate.level_name_en),
        sa.func.count(),
    )
    grouped = columns[:3]
    statement = register.in_force(today).with_only_columns(*columns).group_by(*grouped).order_by(*grouped)
    return [
        {
            "standard": {"code": code, "version": version},
            "level": {"id": level, "ru": name_ru, "en": name_en},
            "count": shown(count),
        }
        for code, version, level, name_ru, name_en, count in session.execute(statement)
    ]


def _decided_per_year(session) -> list[dict]:
    year = sa.extract("year", Decision.decided_at)
    statement = (
        sa.select(year, sa.func.count()).where(Decision.on_appeal.is_(False)).group_by(year).order_by(year)
    )
    return [{"year": int(year), "count": shown(count)} for year, count in session.execute(statement)]
