"""Absolute links for e-mails, PDFs and QR codes, which must work outside the current request."""

from urllib.parse import urljoin

from flask import current_app, has_request_context, url_for


def external_url(endpoint: str, **values) -> str:
    """An absolute URL on PUBLIC_URL (the address users reach), not on whatever host served the request.

    Works from the CLI too (cron jobs send e-mails with links), where there is no request to build on.
    """
    if has_request_context():
        path = url_for(endpoint, **values)
    else:
        with current_app.test_request_context():
            path = url_for(endpoint, **values)
    return urljoin(current_app.config["PUBLIC_URL"].rstrip("/") + "/", path.lstrip("/"))
