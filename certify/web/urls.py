"""Absolute links for e-mails, PDFs and QR codes, which must work outside the current request."""

from urllib.parse import urljoin

from flask import current_app, url_for


def external_url(endpoint: str, **values) -> str:
    """An absolute URL on PUBLIC_URL (the address users reach), not on whatever host served the request."""
    return urljoin(
        current_app.config["PUBLIC_URL"].rstrip("/") + "/", url_for(endpoint, **values).lstrip("/")
    )
