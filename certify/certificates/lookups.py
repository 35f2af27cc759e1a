"""Counting public lookups of certificates without a database write per lookup.

The verification page and the API are the busiest public paths. Writing the count on every lookup
makes each one wait for the write lock (SQLite) or the row lock (PostgreSQL) that the others hold, and
halves the pages served. So each worker counts in memory and adds its counts to the stored ones in one
statement per certificate at most every `CERTIFY_LOOKUP_FLUSH_SECONDS` (and when it exits). The count is
a statistic: a worker killed outright loses at most those seconds of counting, and nothing else.
"""

from __future__ import annotations

import atexit
import threading
import time
from collections import Counter

import sqlalchemy as sa

from certify.certificates.models import Certificate
from certify.extensions import db


class LookupCounter:
    """Lookups counted since the last flush, per certificate id; safe for threaded workers."""

    def __init__(self, clock=time.monotonic):
        self._pending: Counter[int] = Counter()
        self._lock = threading.Lock()
        self._clock = clock
        self._flushed_at = clock()

    def count(self, certificate_id: int) -> None:
        with self._lock:
            self._pending[certificate_id] += 1

    def due(self, interval: float) -> bool:
        return self._clock() - self._flushed_at >= interval

    def take(self) -> dict[int, int]:
        """The pending counts, now cleared."""
        with self._lock:
            pending, self._pending = dict(self._pending), Counter()
            self._flushed_at = self._clock()
        return pending


COUNTER = LookupCounter()


def count_lookup(session, certificate: Certificate, flush_interval: float) -> bool:
    """Count one lookup; add the pending counts to the database when due. True if the session wrote."""
    COUNTER.count(certificate.id)
    if not COUNTER.due(flush_interval):
        return False
    flush(session)
    return True


def flush(session) -> None:
    """Add every pending count to its certificate's stored count (the caller commits).

    In the order of the certificates' ids: workers flushing at once then take the rows' locks in the same
    order, and one waits for the other instead of both deadlocking (found by bench/load.py).
    """
    for certificate_id, lookups in sorted(COUNTER.take().items()):
        session.execute(
            sa.update(Certificate)
            .where(Certificate.id == certificate_id)
            .values(lookups=Certificate.lookups + lookups)
        )


def flush_at_exit(app) -> None:
    """Write a worker's last counts when it exits (gunicorn's workers exit through sys.exit)."""
    if app.config["CERTIFY_LOOKUP_FLUSH_SECONDS"] <= 0:
        return  # every lookup is written at once: nothing is ever left to flush

    def write_pending() -> None:
        with app.app_context():
            flush(db.session)
            db.session.commit()

    atexit.register(write_pending)
