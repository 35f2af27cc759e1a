"""What an attempt stores comes back exactly: the form drawn, the result, and each item version's content."""

from __future__ import annotations

import json

from certify.exams.bank import item_content, item_from_data
from certify.exams.forms import draw_form
from certify.exams.records import form_data, form_from_data, result_data, result_from_data
from certify.exams.scoring import score_attempt
from tests.exams.builders import tiny_bank


def _through_json(data):
    return json.loads(json.dumps(data))


def test_a_drawn_form_comes_back_from_its_json_unchanged():
    bank = tiny_bank()
    form = draw_form(bank, bank.blueprint("short"), seed=2**52 - 1, previous_items=["basics_members"])
    assert form_from_data(_through_json(form_data(form))) == form


def test_a_result_comes_back_from_its_json_unchanged_with_exact_percents():
    bank = tiny_bank()
    form = draw_form(bank, bank.blueprint("short"), seed=7)
    first, second = form.item_ids[:2]
    items = {item.id: item for item in bank.items}
    result = score_attempt(bank, form, {first: tuple(items[first].key), second: tuple(items[second].key)})
    again = result_from_data(_through_json(result_data(result)))
    assert again == result and str(again.percent) == "40.0"


def test_every_item_survives_being_stored_as_content():
    for item in tiny_bank().items:
        stored = _through_json(item_content(item))
        fields = {"id": item.id, "version": item.version, "area": item.area, "status": item.status.value}
        assert item_from_data(fields | stored) == item
