"""Cursor pagination of the API's lists: `?limit=` (1-100, default 20) and an opaque, signed `?cursor=`.

A list is read in a stable order, its id's, and a page is "the next `limit` rows after this id" (keyset
pagination): a row added or removed while a client walks the list shifts nothing, so no row is skipped
or repeated, and a page costs the same however far in it is. The cursor is the last id of the page
before, signed together with the list it belongs to and that list's filters, so it cannot be forged or
carried over to another search. The `next` link in the body and the `Link: <…>; rel="next"` header carry
the following page's URL; on the last page there is none.

The registry's `?page=` numbers of the first API version still work, deprecated (a `Deprecation` header,
RFC 9745): an offset read, which may skip or repeat rows that change while a client walks it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import UTC, datetime

import sqlalchemy as sa
from flask import current_app, request
from flask_babel import lazy_gettext as _l
from itsdangerous import BadSignature, URLSafeSerializer

from certify.api.problems import Problem
from certify.web.urls import external_url

DEFAULT_LIMIT = 20
MAX_LIMIT = 100
#: the longest cursor we ever write is well under this; anything longer is refused unread
MAX_CURSOR_LENGTH = 200
MAX_PAGE = 1_000_000
#: the day `?page=` was deprecated (RFC 9745 wants a date: `@` and seconds since the epoch)
PAGE_DEPRECATED_ON = datetime(2026, 12, 5, tzinfo=UTC)


@dataclass(frozen=True)
class PageRequest:
    """What the client asked for: `limit` rows after id `after` (None: from the start), or legacy `page`."""

    listing: str
    filters: dict = field(default_factory=dict)
    limit: int = DEFAULT_LIMIT
    after: int | None = None
    page: int | None = None


@dataclass(frozen=True)
class Page:
    items: list
    total: int
    request: PageRequest
    #: the last id of this page when more rows follow, else None
    last_id: int | None

    def body(self, endpoint: str, items: list, **values) -> dict:
        """The page's JSON: the items, `total`, `limit`, `next` and, on a first or numbered page, `page`
        and `pages` as the first API version had them."""
        body = {
            "items": items,
            "total": self.total,
            "limit": self.request.limit,
            "next": self.next_url(endpoint, **values),
        }
        if self.request.after is None:
            body["page"] = self.request.page or 1
            body["pages"] = math.ceil(self.total / self.request.limit)
        return body

    def next_url(self, endpoint: str, **values) -> str | None:
        if self.last_id is None:
            return None
        values = {key: value for key, value in values.items() if value}
        cursor = _serializer().dumps([self.request.listing, self.last_id, self.request.filters])
        return external_url(endpoint, limit=self.request.limit, cursor=cursor, **values)

    def headers(self, endpoint: str, **values) -> tuple[dict[str, str], dict[str, str]]:
        """(links, other headers): `next`, and on a numbered page the deprecation and its documentation."""
        links, headers = {}, {}
        if url := self.next_url(endpoint, **values):
            links["next"] = url
        if self.request.page is not None:
            headers["Deprecation"] = f"@{int(PAGE_DEPRECATED_ON.timestamp())}"
            links["deprecation"] = external_url("api.docs") + "#pagination"
        return links, headers


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt="certify-api-cursor")


def page_request(listing: str, filters: dict | None = None) -> PageRequest:
    """Read `limit`, `cursor` and `page` from the query; a bad value is a 400 problem naming it."""
    filters = filters or {}
    limit = _whole_number("limit", 1, MAX_LIMIT, DEFAULT_LIMIT)
    page = _whole_number("page", 1, MAX_PAGE, None)
    cursor = request.args.get("cursor")
    if cursor is None:
        return PageRequest(listing, filters, limit, page=page)
    if page is not None:
        raise Problem("invalid-parameter", _l("Give either cursor or page, not both."), parameter="cursor")
    return PageRequest(listing, filters, limit, after=_read_cursor(cursor, listing, filters))


def _whole_number(name: str, lowest: int, highest: int, default: int | None) -> int | None:
    text = request.args.get(name)
    if text is None:
        return default
    if not (text.isascii() and text.isdigit() and len(text) <= 7 and lowest <= int(text) <= highest):
        raise Problem(
            "invalid-parameter",
            _l(
                "%(name)s must be a whole number from %(lowest)s to %(highest)s.",
                name=name,
                lowest=lowest,
                highest=highest,
            ),
            parameter=name,
        )
    return int(text)


def _read_cursor(cursor: str, listing: str, filters: dict) -> int:
    refused = Problem(
        "invalid-cursor",
        _l("This cursor was not given by this list with these filters: start again without it."),
        parameter="cursor",
    )
    if len(cursor) > MAX_CURSOR_LENGTH:
        raise refused
    try:
        read = _serializer().loads(cursor)
    except BadSignature as error:
        raise refused from error
    if not (isinstance(read, list) and len(read) == 3 and read[0] == listing and read[2] == filters):
        raise refused
    if not isinstance(read[1], int) or isinstance(read[1], bool):
        raise refused
    return read[1]


def page_of(session, statement: sa.Select, key: sa.ColumnElement, asked: PageRequest) -> Page:
    """One page of `statement`'s rows in `key` order (an id), as `asked`."""
    total = session.scalar(sa.select(sa.func.count()).select_from(statement.order_by(None).subquery()))
    ordered = statement.order_by(key)
    if asked.after is not None:
        ordered = ordered.where(key > asked.after)
    elif asked.page is not None:
        ordered = ordered.offset((asked.page - 1) * asked.limit)
    rows = list(session.scalars(ordered.limit(asked.limit + 1)))
    more = len(rows) > asked.limit
    rows = rows[: asked.limit]
    return Page(rows, total, asked, _key_of(rows[-1], key) if more and rows else None)


def _key_of(row, key: sa.ColumnElement) -> int:
    return getattr(row, key.key)
