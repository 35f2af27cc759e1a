"""Two requests at once in one test: a second database session, and a hook that runs "the other request"."""

from __future__ import annotations

from contextlib import contextmanager
from types import ModuleType

import sqlalchemy as sa
from sqlalchemy.orm import Session

from certify.extensions import db as _db


@contextmanager
def second_session(*, lock_wait_ms: int | None = None):
    """A session on its own connection, as another request would have; `lock_wait_ms` bounds lock waits."""
    engine = sa.create_engine(_db.engine.url)
    session = Session(engine)
    try:
        if lock_wait_ms is not None:
            if engine.dialect.name == "postgresql":
                session.execute(sa.text(f"SET lock_timeout = {int(lock_wait_ms)}"))
            else:
                session.execute(sa.text(f"PRAGMA busy_timeout = {int(lock_wait_ms)}"))
        yield session
    finally:
        session.close()
        engine.dispose()


def once_inside(monkeypatch, module: ModuleType, name: str, meanwhile) -> None:
    """The first time code calls `module.<name>`, run `meanwhile()` first (the other request)."""
    original, done = getattr(module, name), []

    def hooked(*args, **kwargs):
        if not done:
            done.append(True)
            meanwhile()
        return original(*args, **kwargs)

    monkeypatch.setattr(module, name, hooked)
