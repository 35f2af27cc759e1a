"""Public answers a shared cache may keep: an ETag, 304 to a revalidation, a Cache-Control saying how long.

Conditional requests as RFC 9110 §13 defines them, done by Werkzeug (`add_etag`, `make_conditional`). Only
an anonymous visitor's answer is `public`: a signed-in user's page names them in the menu, and
certify.web.security marks it `no-store`. An answer that writes a cookie is kept by the browser alone, since
a shared cache would hand that cookie to the next visitor.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from functools import wraps

from flask import current_app, make_response, request, session
from flask_login import current_user

from certify.web.i18n import take_language_from_address


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
