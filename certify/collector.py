"""Python's cyclic garbage collector, held off while a document is laid out or a request is answered.

A request builds thousands of objects held in reference cycles (WeasyPrint's boxes and styles, forms,
ORM states, template contexts) and drops them when it ends. With the collector on, the young collections
that run while they are still in use promote them to the oldest generation, and the promoted objects
bring on a full collection over the worker's whole heap: measured under bench/load.py, 3 or 4 a minute
per worker, each 200 to 300 ms of CPU (the standards, the exam bank, templates and mappers are
hundreds of thousands of objects), which every request queued behind that worker waits out. Paused, the
first young collection after the request frees what it left in one pass, nothing short-lived reaches
the oldest generation, and full collections become rare. A request's own cyclic garbage is held until
it ends: no more than one request's worth.
"""

from __future__ import annotations

import contextlib
import gc


@contextlib.contextmanager
def collector_paused():
    """Hold the collector off for the block; restore the previous state (nested, it leaves it off)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


class PausedPerRequest:
    """WSGI middleware: the collector is off while the app answers, and back on once it has answered.

    The collector is one per process. Under the deployment's sync workers a process answers one request
    at a time; under a threaded server (`flask run`) overlapping requests keep it off until the one that
    found it on has answered, so it still runs between bursts.
    """

    def __init__(self, wsgi_app):
        self.wsgi_app = wsgi_app

    def __call__(self, environ, start_response):
        with collector_paused():
            return self.wsgi_app(environ, start_response)
