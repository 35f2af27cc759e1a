"""Drawing exam forms: every form satisfies its blueprint, retakes repeat little, exposure is balanced."""

from __future__ import annotations

from collections import Counter

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from certify.exams.bank import ItemStatus
from certify.exams.forms import draw_form
from certify.exams.messages import ExamInputError
from tests.exams.builders import bank, blueprint, item, tiny_bank

NOT_DRAWN = [ItemStatus.DRAFT, ItemStatus.SUSPENDED, ItemStatus.RETIRED]


@st.composite
def drawings(draw):
    """A random bank and blueprint, and a candidate's history: previous items, exposure, suspensions."""
    items, counts = [], {}
    for area in [f"area{n}" for n in range(draw(st.integers(1, 3)))]:
        active = draw(st.integers(1, 8))
        statuses = [ItemStatus.ACTIVE] * active + draw(st.lists(st.sampled_from(NOT_DRAWN), max_size=3))
        options = draw(st.sampled_from(["abc", "abcd", "abcdef"]))
        items += [item(f"{area}_{n}", area, status=s, options=options) for n, s in enumerate(statuses)]
        counts[area] = draw(st.integers(1, active))
    items = draw(st.permutations(items))
    ids = st.sampled_from([i.id for i in items])
    return {
        "bank": bank(items),
        "blueprint": blueprint(counts),
        "seed": draw(st.integers(0, 2**32)),
        "previous_items": draw(st.frozensets(ids)),
        "exposure": draw(st.dictionaries(ids, st.integers(0, 4))),
        "suspended": draw(st.frozensets(ids, max_size=2)),
    }


def drawable(case, area):
    return [
        i
        for i in case["bank"].items
        if i.area == area and i.status is ItemStatus.ACTIVE and i.id not in case["suspended"]
    ]


@settings(max_examples=300, deadline=None)
@given(drawings())
def test_every_drawn_form_satisfies_its_blueprint(case):
    parts = case["blueprint"].areas
    if any(len(drawable(case, part.area)) < part.items for part in parts):
        with pytest.raises(ExamInputError, match="items that may be drawn"):
            draw_form(**case)
        return
    form = draw_form(**case)
    by_id = {i.id: i for i in case["bank"].items}
    drawn = [by_id[slot.item_id] for slot in form.slots]
    # exactly the blueprint's count per area, area by area, no item twice, only active and not suspended
    assert [i.area for i in drawn] == [part.area for part in parts for _ in range(part.items)]
    assert len(set(form.item_ids)) == len(drawn)
    assert all(i.status is ItemStatus.ACTIVE and i.id not in case["suspended"] for i in drawn)
    assert all(slot.item_version == by_id[slot.item_id].version for slot in form.slots)
    assert all(sorted(slot.option_order) == sorted(by_id[slot.item_id].option_ids) for slot in form.slots)
    # overlap: the repeated items, as few as the bank allows, so within 20 % whenever it can be
    previous = case["previous_items"]
    assert form.overlap == tuple(i.id for i in drawn if i.id in previous)
    fewest = sum(
        max(0, part.items - len([i for i in drawable(case, part.area) if i.id not in previous]))
        for part in parts
    )
    assert len(form.overlap) == fewest
    assert form.overlap_limit == len(drawn) // 5
    assert form.within_overlap_limit == (fewest <= form.overlap_limit)
    # among items equally new to the candidate, none drawn is shown more often than one left out
    exposure = case["exposure"]
    for part in parts:
        for fresh in (True, False):
            pool = [i.id for i in drawable(case, part.area) if (i.id not in previous) == fresh]
            chosen = [i for i in pool if i in form.item_ids]
            left = [i for i in pool if i not in form.item_ids]
            if chosen and left:
                assert max(exposure.get(i, 0) for i in chosen) <= min(exposure.get(i, 0) for i in left)
    # reproducible from the seed
    assert draw_form(**case) == form


def test_the_same_seed_draws_the_same_form_and_other_seeds_vary_items_and_option_order():
    tiny = tiny_bank()
    short = tiny.blueprint("short")
    assert draw_form(tiny, short, seed="attempt-17") == draw_form(tiny, short, seed="attempt-17")
    forms = [draw_form(tiny, short, seed=seed) for seed in range(40)]
    assert len({form.item_ids for form in forms}) > 10
    orders = {slot.option_order for form in forms for slot in form.slots if slot.item_id == "basics_members"}
    assert len(orders) == 6  # every order of its three options turns up


def test_items_not_active_or_suspended_from_drawing_are_never_drawn():
    tiny = tiny_bank()
    drawn = Counter(
        item_id
        for seed in range(60)
        for item_id in draw_form(
            tiny, tiny.blueprint("short"), seed=seed, suspended={"basics_members"}
        ).item_ids
    )
    assert set(drawn) == {
        "basics_manager",
        "basics_strategy",
        "basics_services",
        "basics_funding",
        "practice_kpi",
        "practice_project",
        "practice_survey",
    }


def test_a_retake_repeats_no_item_when_the_bank_has_enough_others():
    items = [item(f"a_{n}", "a") for n in range(10)] + [item(f"b_{n}", "b") for n in range(6)]
    built = bank(items)
    recipe = blueprint({"a": 5, "b": 3})
    first = draw_form(built, recipe, seed=1)
    retake = draw_form(built, recipe, seed=2, previous_items=first.item_ids)
    assert retake.overlap == ()
    assert not set(first.item_ids) & set(retake.item_ids)


def test_a_retake_from_a_small_bank_repeats_as_few_items_as_it_can_and_says_so():
    tiny = tiny_bank()
    short = tiny.blueprint("short")
    first = draw_form(tiny, short, seed=1)
    retake = draw_form(tiny, short, seed=2, previous_items=first.item_ids)
    # basics: 5 active, 3 were shown, 3 drawn -> 1 repeat; practice: 3 active, 2 shown, 2 drawn -> 1 repeat
    assert len(retake.overlap) == 2
    assert set(retake.overlap) <= set(first.item_ids)
    assert retake.overlap_limit == 1  # 20 % of 5 items
    assert not retake.within_overlap_limit


def test_the_least_shown_items_are_drawn_first():
    tiny = tiny_bank()
    exposure = {"basics_members": 9, "basics_manager": 7, "basics_strategy": 1, "practice_kpi": 3}
    for seed in range(20):
        form = draw_form(tiny, tiny.blueprint("short"), seed=seed, exposure=exposure)
        assert {"basics_strategy", "basics_services", "basics_funding"} <= set(form.item_ids)
        assert {"practice_project", "practice_survey"} <= set(form.item_ids)


def test_an_area_without_enough_drawable_items_is_refused_by_name():
    tiny = tiny_bank()
    with pytest.raises(ExamInputError) as refused:
        draw_form(tiny, tiny.blueprint("short"), seed=1, suspended={"practice_kpi", "practice_survey"})
    assert str(refused.value) == "area 'practice' has 1 items that may be drawn; blueprint 'short' draws 2"
    assert refused.value.params == {"area": "practice", "available": 1, "blueprint": "short", "items": 2}
