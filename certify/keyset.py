"""Pages of a long list found from a row (keyset pagination) rather than by an offset, for the staff's and
the public's lists (the register, the registry, the audit trail, the review queue).

A list is ordered along a tuple of columns ending with the row's id, which makes every position unique;
the tuple is the list's time line, its largest positions the newest. A page is the rows just older than
the row `before`, just newer than the row `after`, or the list's first; it reads the index on those
columns from the cursor, so a page deep in the list costs what the first does, and a row added or
removed meanwhile shifts nothing. An offset page instead reads and throws away every row ahead of it.

The sort columns must not be NULL in the rows listed: a NULL position compares as neither older nor
newer, and its row would be on no page found from a cursor.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import InstrumentedAttribute, aliased


@dataclass(frozen=True)
class Keyset:
    """The order a list is paged along: its sort columns, the last one the listed model's id, and whether
    the list shows its newest rows (largest positions) first or its oldest."""

    columns: tuple[InstrumentedAttribute, ...]
    newest_first: bool = True

    @property
    def position(self) -> sa.ColumnElement:
        """A row's position, to compare with a cursor's."""
        return self.columns[0] if len(self.columns) == 1 else sa.tuple_(*self.columns)

    def position_of(self, row_id: int) -> sa.ColumnElement:
        """Where the row `row_id` stands, read from the unfiltered table: the row needs to exist (but not
        to match the list's filters). Ordered by id alone, the id is its own position."""
        *sort_key, _id = self.columns
        if not sort_key:
            return sa.literal(row_id)
        cursor = aliased(_id.class_)
        looked_up = (
            sa.select(getattr(cursor, column.key)).where(getattr(cursor, _id.key) == row_id).scalar_subquery()
            for column in sort_key
        )
        return sa.tuple_(*looked_up, sa.literal(row_id))

    def ordering(self, *, newest_first: bool) -> list[sa.ColumnElement]:
        return [column.desc() if newest_first else column.asc() for column in self.columns]

    def id_of(self, row: Any) -> int:
        return getattr(row, self.columns[-1].key)


@dataclass(frozen=True)
class KeysetPage:
    """One page of a list paged by key, in the list's order."""

    items: list
    #: the id to pass as `after` for the page of newer rows (None: there are none)
    newer: int | None
    #: the id to pass as `before` for the page of older rows (None: there are none)
    older: int | None


def page_of(
    session,
    statement: sa.Select,
    keyset: Keyset,
    *,
    per_page: int,
    before: int | None = None,
    after: int | None = None,
) -> KeysetPage:
    """The page of `statement`'s rows just older than the row `before`, just newer than the row `after`,
    or the first in the list's order; `statement` selects one model, its own order is replaced.

    Two queries at most, both along the index on the keyset's columns: the page, read from the cursor
    away from it with one row more than shown to tell whether that side goes on, and whether any row
    stands on the cursor's other side. When nothing stands beyond the cursor any more (the list changed
    since its link was made), the page is the list's end on that side instead, the cursor's own row
    included if it is still listed: a page found from its cursor leads on to every row of the list.
    """
    unordered = statement.order_by(None)
    cursor = after if after is not None else before
    # towards newer rows from `after`; towards older from `before`; from the list's start without either
    toward_newer = after is not None if cursor is not None else not keyset.newest_first
    ahead, behind = unordered, None
    if cursor is not None:
        position, at = keyset.position, keyset.position_of(cursor)
        ahead = unordered.where(position > at if toward_newer else position < at)
        behind = unordered.where(position <= at if toward_newer else position >= at)

    def first_rows(rows, toward_newer: bool) -> list:
        ordered = rows.order_by(*keyset.ordering(newest_first=not toward_newer))
        return session.scalars(ordered.limit(per_page + 1)).all()

    rows = first_rows(ahead, toward_newer)
    if rows or behind is None:
        came_from = behind is not None and session.scalar(sa.select(behind.exists()))
    else:
        # read from the cursor back: the rows at the list's end, and none beyond them
        toward_newer = not toward_newer
        rows, came_from = first_rows(behind, toward_newer), False
    shown = rows[:per_page]
    goes_on = len(rows) > per_page
    oldest_first = shown if toward_newer else shown[::-1]
    newer_exist, older_exist = (goes_on, came_from) if toward_newer else (came_from, goes_on)
    return KeysetPage(
        items=oldest_first[::-1] if keyset.newest_first else oldest_first,
        newer=keyset.id_of(oldest_first[-1]) if newer_exist else None,
        older=keyset.id_of(oldest_first[0]) if older_exist else None,
    )


def cursors_in(args) -> dict[str, int]:
    """The `before` and `after` ids a page's query string names (`page_of`'s keywords); anything else
    (a page number of an old link, a word) is left out, which means the list's first page."""
    return {name: int(args[name]) for name in ("before", "after") if args.get(name, "").isdigit()}
