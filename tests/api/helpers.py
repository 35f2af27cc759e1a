"""Helpers of the API tests: personal tokens, reading problems, certificates in bulk."""

from __future__ import annotations

from certify.accounts import api_tokens
from certify.certificates import subjects
from certify.certificates.models import Certificate


def make_token(session, user, *scopes: str, lifetime_days: int | None = 30, name: str = "script") -> str:
    """A token of `user` with `scopes` (read:registry if none), made through the service; its secret."""
    made = api_tokens.create_token(session, user, name, list(scopes or ["read:registry"]), lifetime_days)
    return made.secret


def bearer(secret: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {secret}"}


def is_problem(response, status: int, kind: str | None = None) -> dict:
    """The response is a problem+json of `status` (and `kind`'s type); its body."""
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.mimetype == "application/problem+json"
    body = response.get_json()
    assert {"type", "title", "status", "detail", "instance"} <= set(body)
    assert body["status"] == status and body["instance"] == response.request.path
    if kind is not None:
        assert body["type"].endswith(f"/api/v1/docs#problem-{kind}"), body["type"]
    assert response.headers["Cache-Control"] == "no-store"
    return body


def copies_of(session, certificate: Certificate, count: int, **changes) -> list[Certificate]:
    """`count` more certificates in force like `certificate`, as later revisions of its decision.

    Issuing each through a full review would take seconds; what the registry lists is the row alone.
    """
    fields = {
        column.key: getattr(certificate, column.key)
        for column in Certificate.__table__.columns
        if column.key not in ("id", "number", "revision", "pdf_name", "lookups", "search_text")
    }
    last = max(c.revision for c in session.query(Certificate).filter_by(decision_id=certificate.decision_id))
    made = []
    for offset in range(1, count + 1):
        copy = Certificate(
            **(fields | changes),
            number=f"CMQ-2026-9{last + offset:05d}",
            revision=last + offset,
            pdf_name=f"copy-{certificate.id}-{last + offset}.pdf",
        )
        copy.search_text = subjects.search_text(copy)
        session.add(copy)
        made.append(copy)
    session.flush()
    return made
