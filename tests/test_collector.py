"""The cyclic garbage collector is held off while a request is answered and runs once it has answered."""

from __future__ import annotations

import gc

import pytest

from certify.collector import collector_paused


@pytest.fixture
def observed_app(app):
    seen: list[bool] = []

    @app.get("/collector")
    def collector():
        seen.append(gc.isenabled())
        return "ok"

    @app.get("/collector-fails")
    def collector_fails():
        seen.append(gc.isenabled())
        raise RuntimeError("the view failed")

    app.seen = seen
    return app


def test_a_request_is_answered_with_the_collector_off_and_it_is_on_again_after(observed_app):
    assert gc.isenabled()
    response = observed_app.test_client().get("/collector")
    assert response.status_code == 200 and response.text == "ok"
    assert observed_app.seen == [False]
    assert gc.isenabled()


def test_the_collector_is_on_again_after_a_request_that_failed(observed_app):
    assert observed_app.test_client().get("/collector-fails").status_code == 500
    assert observed_app.seen == [False]
    assert gc.isenabled()


def test_what_a_request_held_in_cycles_is_freed_by_the_first_young_collection_after_it(observed_app):
    """Held until the answer, as a page's forms and ORM states are: with the collector on, the young
    collections meanwhile would promote them to the older generations, where only a full one frees them."""

    class Node:
        pass

    @observed_app.get("/cycles")
    def cycles():
        held = []
        for _ in range(20_000):  # many young collections' worth, and some older ones'
            node = Node()
            node.self = node
            held.append(node)
        return str(len(held))

    gc.collect()
    assert observed_app.test_client().get("/cycles").text == "20000"
    gc.collect(0)
    assert not [obj for obj in gc.get_objects() if type(obj) is Node]


def test_paused_blocks_nest_and_leave_a_collector_switched_off_by_the_caller_off():
    gc.disable()
    try:
        with collector_paused():
            with collector_paused():
                assert not gc.isenabled()
            assert not gc.isenabled()
        assert not gc.isenabled()
    finally:
        gc.enable()
