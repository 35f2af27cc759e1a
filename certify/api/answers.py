"""Successful answers of the API: JSON with a strong ETag of its bytes, Cache-Control, and 304 when unchanged.

The ETag is the SHA-256 of the representation itself, so it changes exactly when a byte of the answer
does (a certificate revoked, a page of the registry grown). A client sending it back in If-None-Match
gets 304 with no body.
"""

from __future__ import annotations

import hashlib
import json
from enum import StrEnum

from flask import Response, current_app, request


class Caching(StrEnum):
    """How long an answer may be kept, by who may see it."""

    #: the same for everyone, and may change at any time (a certificate's status): keep, but ask again
    PUBLIC = "public, no-cache"
    #: what one token's owner may read: never in a shared cache
    PRIVATE = "private, no-cache"


def json_answer(payload, caching: Caching, *, links: dict[str, str] | None = None, headers=None) -> Response:
    """`payload` as JSON, with its ETag; 304 when the request's If-None-Match names it."""
    body = json.dumps(payload, ensure_ascii=False).encode()
    return representation(body, "application/json", caching, links=links, headers=headers)


def representation(body: bytes, mimetype: str, caching: Caching, *, links=None, headers=None) -> Response:
    response = current_app.response_class(body, mimetype=mimetype)
    response.set_etag(hashlib.sha256(body).hexdigest())
    response.headers["Cache-Control"] = str(caching)
    if caching is Caching.PRIVATE:
        response.vary.add("Authorization")
    if links:
        response.headers["Link"] = ", ".join(f'<{url}>; rel="{rel}"' for rel, url in links.items())
    response.headers.extend(headers or {})
    return response.make_conditional(request)
