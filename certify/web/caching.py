"""Public answers a shared cache may keep: an ETag, 304 to a revalidation, a Cache-Control saying how long.

Conditional requests as RFC 9110 §13 defines them, done by Werkzeug (`add_etag`, `make_conditional`). Only
an anonymous visitor's answer is `public`: a signed-in user's page names them in the menu, and
certify.web.security marks it `no-store`. An answer that writes a cookie is kept by the browser alone, since
a shared cache would hand that cookie to the next visitor.

Without a proxy in front, each worker keeps the public pages it rendered (`rendered_for_anyone`): a page a
certificate's QR code opens is rendered once per address, language and content, then only looked up.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import timedelta
from functools import lru_cache, wraps

from flask import current_app, make_response, render_template, request, session
from flask_login import current_user

from certify.web.i18n import current_language, take_language_from_address

#: the rendered public pages a worker keeps, the least recently asked for dropped first (~4 KB each)
PAGES_KEPT = 2048


def cached_publicly(freshness: timedelta) -> Callable:
    """Let caches keep the view's 200 answers for `freshness`, then revalidate them by ETag.

    The ETag is the body's hash unless the view set one (a weak one, for a body that differs only in when
    it was signed). The page takes its language from its address (`?lang=en`): it depends on its URL alone.
    """

    def decorate(view: Callable) -> Callable:
        @wraps(view)
        def cached_view(*args, **kwargs):
            response = make_response(view(*args, **kwargs))
            if response.status_code != 200:  # a redirect or a page not found: not this resource's content
                return response
            response.add_etag()  # keeps a tag the view set
            _allow_caching(response, freshness)
            return response.make_conditional(request)

        take_language_from_address(cached_view)
        return cached_view

    return decorate


def _allow_caching(response, freshness: timedelta) -> None:
    # the login and a language remembered on the browser both come in cookies
    response.vary.add("Cookie")
    if current_user.is_authenticated:
        return  # certify.web.security: no-store
    if _writes_cookie(response):
        response.cache_control.private = True
        response.cache_control.no_cache = True
        return
    response.cache_control.public = True
    response.cache_control.max_age = int(freshness.total_seconds())


def _writes_cookie(response) -> bool:
    """Whether the answer sets a cookie: one of its own, or the session's (e.g. a flash message read)."""
    interface = current_app.session_interface
    session_saved = session.modified or (bool(session) and interface.should_set_cookie(current_app, session))
    return session_saved or "Set-Cookie" in response.headers


def rendered_for_anyone(template: str, **values) -> str:
    """`template` rendered with `values`, for a visitor who is not signed in and brings no session.

    The page is then kept by the app and given again to every request of the same address and language
    with equal `values`: they must be everything the page shows beyond the anonymous layout, and plain
    JSON-ready data, compared by value. A signed-in user's page (their menu) and one with a session (a
    flash message, a remembered language) are rendered afresh every time.
    """
    if current_user.is_authenticated or session:
        return render_template(template, **values)
    key = (request.full_path, current_language(), template, json.dumps(values, sort_keys=True))
    return _kept_pages(current_app)(key)


def _kept_pages(app) -> Callable[[tuple], str]:
    """The app's store of rendered public pages (one per app: another app has other settings)."""
    kept = app.extensions.get("rendered_public_pages")
    if kept is None:
        # rendered on a miss within the request that asked for it: the key holds all it depends on
        kept = app.extensions["rendered_public_pages"] = lru_cache(maxsize=PAGES_KEPT)(_render_key)
    return kept


def _render_key(key: tuple) -> str:
    _, _, template, values = key
    return render_template(template, **json.loads(values))
