"""Draws an exam form from a bank by a blueprint: `draw_form`.

Pure: no Flask, no SQLAlchemy, and no clock or global random state, so a form is a function of its
inputs and the same seed always gives the same form (an attempt can store just the seed and the drawn
item versions, and anyone can check the draw). The rules, and why, are in docs/exams.md ("Drawing a form").
"""

from __future__ import annotations

import random
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from fractions import Fraction
from types import MappingProxyType

from certify.exams import messages
from certify.exams.bank import Bank, Blueprint, Item, ItemStatus
from certify.exams.messages import ExamInputError

#: The largest share of a retake's items that may repeat the candidate's previous attempt (ISO 17024
#: practice, attestation-reference.md P8).
OVERLAP_SHARE = Fraction(1, 5)
_NOTHING_SHOWN: Mapping[str, int] = MappingProxyType({})


@dataclass(frozen=True)
class FormSlot:
    """One item of a form: the version shown, and its options in the order shown."""

    item_id: str
    item_version: int
    area: str
    option_order: tuple[str, ...]


@dataclass(frozen=True)
class Form:
    """The items one attempt shows, area by area in blueprint order.

    `overlap` lists the items repeated from the candidate's previous attempt: as few as the bank allows,
    which is within `overlap_limit` whenever the bank has enough other items (`within_overlap_limit`).
    The blueprint travels with the form, so that the attempt is scored on the pass marks it was taken on.
    """

    bank_code: str
    bank_version: str
    blueprint: Blueprint
    seed: int | str
    slots: tuple[FormSlot, ...]
    overlap: tuple[str, ...]
    overlap_limit: int

    @property
    def item_ids(self) -> tuple[str, ...]:
        return tuple(slot.item_id for slot in self.slots)

    @property
    def within_overlap_limit(self) -> bool:
        return len(self.overlap) <= self.overlap_limit


def draw_form(
    bank: Bank,
    blueprint: Blueprint,
    *,
    seed: int | str,
    previous_items: Iterable[str] = (),
    exposure: Mapping[str, int] = _NOTHING_SHOWN,
    suspended: Collection[str] = frozenset(),
) -> Form:
    """A form of exactly the blueprint's count of active items per area, reproducible from `seed`.

    Within an area, items are taken by preference: not in `previous_items` (the ids of the candidate's
    previous attempt) first, then the least shown (`exposure`: item id -> times shown), then at random.
    Items in `suspended` (suspended from drawing by the statistics, awaiting a person's decision) are
    never drawn. Raises ExamInputError when an area has fewer drawable items than the blueprint draws.
    """
    rng = random.Random(seed)
    seen = frozenset(previous_items)
    slots: list[FormSlot] = []
    overlap: list[str] = []
    for part in blueprint.areas:
        candidates = [
            item
            for item in bank.items
            if item.area == part.area and item.status is ItemStatus.ACTIVE and item.id not in suspended
        ]
        if len(candidates) < part.items:
            raise ExamInputError(
                messages.DRAW_TOO_FEW,
                area=part.area,
                available=len(candidates),
                blueprint=blueprint.id,
                items=part.items,
            )
        # One random number per candidate, in bank order, so the draw depends on nothing but the inputs.
        ties = {item.id: rng.random() for item in candidates}
        ranked = sorted(
            candidates, key=lambda item: (item.id in seen, exposure.get(item.id, 0), ties[item.id])
        )
        chosen = ranked[: part.items]
        # Shuffled again, so that an item's place on the form does not tell how often it has been shown.
        rng.shuffle(chosen)
        slots.extend(_slot(item, rng) for item in chosen)
        overlap.extend(item.id for item in chosen if item.id in seen)
    return Form(
        bank_code=bank.code,
        bank_version=bank.version,
        blueprint=blueprint,
        seed=seed,
        slots=tuple(slots),
        overlap=tuple(overlap),
        overlap_limit=int(OVERLAP_SHARE * len(slots)),
    )


def _slot(item: Item, rng: random.Random) -> FormSlot:
    order = list(item.option_ids)
    rng.shuffle(order)
    return FormSlot(item_id=item.id, item_version=item.version, area=item.area, option_order=tuple(order))
