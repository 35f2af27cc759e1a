"""The body's statistics on decided applications (issue 17, item 2), computed from plain records.

Each figure is a function of `Decided` records (certify.insight.decided reads them): what the decision
that stands granted, and the consensus it was computed from. Never a draft, never one assessor's own
score. Figures over fewer than five applications are withheld (certify.insight.figures). What each one
counts is in docs/insight.md, "Statistics".

Pure: neither Flask nor SQLAlchemy.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, tzinfo
from decimal import Decimal
from fractions import Fraction

from certify.certificates.report_pdf import percentile_rank
from certify.insight.figures import MIN_GROUP, Spread, Timing, shown
from certify.scoring.plan import plan_for
from certify.standards.definition import Area, Level, Standard

SECONDS_A_DAY = 86400


@dataclass(frozen=True)
class Decided:
    """A decided application as the statistics count it: its standing decision and its consensus."""

    application: int
    #: the applicant organisation (a candidate's own, or None: the statistics count organisations only)
    organisation: int | None
    #: the level the decision that stands granted (after an appeal, the appeal's); None: not certified
    level: str | None
    submitted_at: datetime
    #: the decision that stands, and the first one (they differ after an appeal)
    decided_at: datetime
    first_decided_at: datetime
    #: the consensus outcome, as the decision and the report compute it: total and area scores (0-100)
    total: Decimal | None
    areas: Mapping[str, Decimal | None]
    #: the consensus rubric score per indicator (0-4)
    rubric: Mapping[str, int]
    #: clarification rounds: the times the manager was asked and answered
    rounds: int = 0
    #: the priority green fields the application chose (empty where the standard asks for none)
    fields: frozenset[str] = frozenset()
    #: plain values the export prints beside the figures
    details: Mapping[str, object] = field(default_factory=dict)


def level_counts(records: Iterable[Decided], levels: Sequence[Level]) -> list[tuple[Level | None, int]]:
    """How many were decided at each level, the highest first, then how many were not certified (None)."""
    counts = Counter(r.level for r in records)
    ordered = sorted(levels, key=lambda level: -level.rank)
    return [(level, counts[level.id]) for level in ordered] + [(None, counts[None])]


def area_spreads(records: Sequence[Decided], areas: Sequence[Area]) -> list[tuple[Area, Spread]]:
    """Each area's assessed scores: minimum, quartiles, median, maximum over the applications scored in it."""
    return [
        (area, Spread.of(r.areas[area.id] for r in records if r.areas.get(area.id) is not None))
        for area in areas
    ]


# The indicators applicants miss ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Step:
    """The rubric step a level needs on an indicator: its critical minimum (with those the lower levels
    set) or its rubric minimum, the higher of the two."""

    indicator: str
    step: int
    critical: bool


@dataclass(frozen=True)
class Miss:
    step: Step
    #: applications below the level whose consensus score on the indicator is below the step
    count: int
    share: Fraction


@dataclass(frozen=True)
class LevelMisses:
    level: Level
    #: the decided applications below this level (not certified included): those the misses are out of
    applications: int
    #: the indicators missed at least once, critical ones first, then the most missed; empty when withheld
    misses: tuple[Miss, ...] = ()

    @property
    def shown(self) -> bool:
        return shown(self.applications)


def needed_steps(standard: Standard) -> dict[str, tuple[Step, ...]]:
    """Level id -> the steps it needs, in the standard's order of indicators."""
    plan = plan_for(standard)
    order = {indicator.id: n for n, indicator in enumerate(standard.indicators())}
    needed = {}
    for level in standard.levels:
        steps = {c.indicator: Step(c.indicator, c.rubric, True) for c in plan.critical[level.id]}
        for indicator, minimum in level.min_rubric.items():
            known = steps.get(indicator)
            steps[indicator] = Step(indicator, max(minimum, known.step if known else 0), known is not None)
        needed[level.id] = tuple(sorted(steps.values(), key=lambda s: order.get(s.indicator, len(order))))
    return needed


def missed(records: Sequence[Decided], standard: Standard) -> list[LevelMisses]:
    """Per level, the lowest first: what the applications decided below it lack for it."""
    rank = {level.id: level.rank for level in standard.levels}
    order = {indicator.id: n for n, indicator in enumerate(standard.indicators())}
    needed = needed_steps(standard)
    result = []
    for level in sorted(standard.levels, key=lambda lv: lv.rank):
        below = [r for r in records if rank.get(r.level, 0) < level.rank]
        if not shown(len(below)):
            result.append(LevelMisses(level, len(below)))
            continue
        misses = []
        for step in needed[level.id]:
            scores = (r.rubric.get(step.indicator) for r in below)
            count = sum(1 for score in scores if score is not None and score < step.step)
            if count:
                misses.append(Miss(step, count, Fraction(count, len(below))))
        misses.sort(key=lambda m: (not m.step.critical, -m.count, order.get(m.step.indicator, 0)))
        result.append(LevelMisses(level, len(below), tuple(misses)))
    return result


# Time to a decision, clarification rounds -----------------------------------------------------------------


def days_between(start: datetime, end: datetime) -> Fraction:
    """Days from `start` to `end`, exact to the second."""
    elapsed = end - start
    return Fraction(elapsed.days * SECONDS_A_DAY + elapsed.seconds, SECONDS_A_DAY)


@dataclass(frozen=True)
class Durations:
    """Days from submission to the first decision: over all, and per month of that decision."""

    overall: Timing
    #: (the month's first day, its timing), oldest first
    months: tuple[tuple[date, Timing], ...]


def durations(records: Iterable[Decided], zone: tzinfo) -> Durations:
    """The review's length, submission to first decision; months as the body's clock (`zone`) reads them."""
    everything, by_month = [], defaultdict(list)
    for record in records:
        days = days_between(record.submitted_at, record.first_decided_at)
        everything.append(days)
        by_month[record.first_decided_at.astimezone(zone).date().replace(day=1)].append(days)
    months = tuple((month, Timing.of(by_month[month])) for month in sorted(by_month))
    return Durations(Timing.of(everything), months)


@dataclass(frozen=True)
class Rounds:
    applications: int
    #: (rounds, applications with that many), from none to the most; empty when withheld
    distribution: tuple[tuple[int, int], ...] = ()

    @property
    def shown(self) -> bool:
        return shown(self.applications)


def clarification_rounds(records: Sequence[Decided]) -> Rounds:
    """How many applications went through no clarification round, one, two…"""
    if not shown(len(records)):
        return Rounds(len(records))
    counts = Counter(r.rounds for r in records)
    return Rounds(len(records), tuple((n, counts[n]) for n in range(max(counts) + 1)))


# Peers ------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Standing:
    area: Area
    own: Decimal | None
    #: peers with a score in this area
    peers: int
    #: the share of those peers scoring below (ties half), in percent; None under five peers
    percentile: int | None


@dataclass(frozen=True)
class PeerComparison:
    """Where one organisation's latest decided application sits among its peers', area by area."""

    own: Decided
    #: other organisations, each by its latest decided application
    peers: int
    areas: tuple[Standing, ...]

    @property
    def shown(self) -> bool:
        return self.peers >= MIN_GROUP


def latest_by_organisation(records: Iterable[Decided]) -> dict[int, Decided]:
    """Each organisation's latest decided application (by its standing decision)."""
    latest: dict[int, Decided] = {}
    for record in records:
        known = latest.get(record.organisation)
        if known is None or (record.decided_at, record.application) > (known.decided_at, known.application):
            latest[record.organisation] = record
    return latest


def peer_comparison(
    records: Iterable[Decided], organisation: int, areas: Sequence[Area]
) -> PeerComparison | None:
    """The organisation's standing among the other organisations of `records`; None if it has none."""
    latest = latest_by_organisation(records)
    own = latest.pop(organisation, None)
    if own is None:
        return None
    standings = []
    for area in areas:
        scores = [p.areas[area.id] for p in latest.values() if p.areas.get(area.id) is not None]
        mine = own.areas.get(area.id)
        rank = percentile_rank(mine, scores) if mine is not None and len(latest) >= MIN_GROUP else None
        standings.append(Standing(area, mine, len(scores), rank))
    return PeerComparison(own, len(latest), tuple(standings))
