"""The CPD record against the scheme's recertification rule, as plain values. Pure: no Flask, no SQLAlchemy.

A holder records continuing professional development during their attestation's validity; the scheme
counts each kind at most its `max_hours` and asks for `cpd_hours` in all (`Recertification`,
certify/standards/attestation.py, which applies the rule itself: this module only lays it out per kind
and says which entries may count).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from certify.standards.attestation import CpdKind, Recertification, RenewalRoute
from certify.textmarks import N_

#: the hours of one entry: more than none, at most a long programme's, in tenths of an hour
HOURS_RANGE = (Decimal("0.5"), Decimal(500))

BEFORE_ISSUE = N_(
    "The date is before the attestation was issued (%(issued)s): only CPD during its validity counts."
)
AFTER_EXPIRY = N_(
    "The date is after the attestation expired (%(expires)s): only CPD during its validity counts."
)
IN_THE_FUTURE = N_("The date is in the future: record CPD once it has taken place.")


@dataclass(frozen=True)
class KindTally:
    """One CPD kind: the hours recorded, the hours that count, and the kind's cap (None: no cap)."""

    kind: CpdKind
    recorded: Decimal
    counted: Decimal

    @property
    def capped(self) -> bool:
        """More hours are recorded than the kind may count."""
        return self.recorded > self.counted


@dataclass(frozen=True)
class CpdTally:
    """The record against the rule: per kind, the total that counts, the requirement and the route."""

    kinds: tuple[KindTally, ...]
    counted: Decimal
    required: int
    #: how the holder renews with this record today; None: the attestation can only lapse
    route: RenewalRoute | None

    @property
    def missing(self) -> Decimal:
        """Hours still to record for the CPD route (0 once it is met)."""
        return max(Decimal(self.required) - self.counted, Decimal(0))


def tally(rules: Recertification, hours: Mapping[str, Decimal]) -> CpdTally:
    """The hours recorded per kind (`hours`: kind id -> hours) laid out against the scheme's rule.

    Every kind of the scheme is listed, in the scheme's order, with nothing recorded where `hours` has
    none; each kind's counted hours and the total are `Recertification.counted_hours`' own.
    """
    kinds = tuple(
        KindTally(
            kind,
            Decimal(hours.get(kind.id, 0)),
            rules.counted_hours({kind.id: Decimal(hours.get(kind.id, 0))}),
        )
        for kind in rules.cpd_kinds
    )
    return CpdTally(kinds, rules.counted_hours(hours), rules.cpd_hours, rules.renewal_route(hours))


def hours_by_kind(entries: Iterable[tuple[str, Decimal]]) -> dict[str, Decimal]:
    """The sum of the hours of `entries` ((kind id, hours) pairs) per kind."""
    summed: dict[str, Decimal] = {}
    for kind_id, hours in entries:
        summed[kind_id] = summed.get(kind_id, Decimal(0)) + Decimal(hours)
    return summed


def date_refusal(done_on: date, issued_on: date, expires_on: date, today: date) -> tuple[str, dict] | None:
    """Why an entry dated `done_on` cannot count towards an attestation valid `issued_on`..`expires_on`
    (a message and its params), or None when it can. CPD counts from the issue day to the expiry day,
    both included, and only once it has taken place."""
    if done_on > today:
        return IN_THE_FUTURE, {}
    if done_on < issued_on:
        return BEFORE_ISSUE, {"issued": issued_on}
    if done_on > expires_on:
        return AFTER_EXPIRY, {"expires": expires_on}
    return None
