"""The statistics' filters, read from the query string, and the choices the page offers for each.

A filter is a GET parameter (`version`, `year`, `region`, `level`, `field`), so every link of the page (the
export, the peers' form) carries the same ones, and a page can be bookmarked or sent. A value the page
does not offer is left out and named, so the reader knows the figures are wider than they asked for.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import tzinfo

from flask_babel import lazy_gettext as _l

from certify.insight.decided import (
    NOT_CERTIFIED,
    Narrowing,
    decided_versions,
    priority_question,
    years_and_regions,
)
from certify.standards.attestation import StandardKind
from certify.standards.definition import Question, Standard
from certify.standards.models import StandardVersion
from certify.standards.services import definition_of

#: each filter's name, as the page's form labels it and as a warning names a value left out
LABELS = {
    "version": _l("Version of the standard"),
    "year": _l("Year of the decision"),
    "region": _l("Region"),
    "level": _l("Level"),
    "field": _l("Priority green field"),
}


@dataclass(frozen=True)
class Filters:
    """The filters in force, with what the page may choose from."""

    version: StandardVersion
    standard: Standard
    narrowing: Narrowing
    versions: list[StandardVersion]
    years: list[int]
    regions: list[str]
    #: the version's question on priority fields (None: the filter is not offered)
    priority: Question | None
    #: filters whose value was not one the page offers, and so left out
    ignored: tuple[str, ...] = field(default=())

    def args(self) -> dict[str, str | int]:
        """The filters as query parameters, for every link of the page."""
        values = {
            "kind": None if self.narrowing.kind == StandardKind.ORGANISATION else self.narrowing.kind.value,
            "version": self.version.id,
            "year": self.narrowing.year,
            "region": self.narrowing.region,
            "level": self.narrowing.level,
            "field": self.narrowing.field,
        }
        return {name: value for name, value in values.items() if value is not None}

    def recorded(self) -> dict[str, str | int]:
        """The filters as the audit entry of an export keeps them: the version by its label."""
        return self.args() | {"version": self.version.label, "kind": self.narrowing.kind.value}

    def level_choices(self, language: str) -> list[tuple[str, str]]:
        """(value, label) of the level filter: the version's levels, the highest first, then none."""
        levels = sorted(self.standard.levels, key=lambda level: -level.rank)
        named = [(level.id, level.name.get(language)) for level in levels]
        return named + [(NOT_CERTIFIED, str(_l("Not certified")))]


def read_filters(
    session, args: Mapping[str, str], viewer, zone: tzinfo, kind: StandardKind = StandardKind.ORGANISATION
) -> Filters | None:
    """The filters `args` ask for, within what there is to count of `kind` (the versions offered are
    that kind's: a scheme's for candidates); None before any decision."""
    versions = decided_versions(session, kind)
    if not versions:
        return None
    ignored = []
    version = _pick(args, "version", {str(v.id): v for v in versions}, ignored) or versions[0]
    standard = definition_of(version)
    years, regions = years_and_regions(session, version.id, viewer, zone, kind)
    priority = priority_question(standard)
    levels = [level.id for level in standard.levels] + [NOT_CERTIFIED]
    fields = [option.value for option in priority.options] if priority else []
    narrowing = Narrowing(
        version_id=version.id,
        kind=kind,
        year=_pick(args, "year", {str(year): year for year in years}, ignored),
        region=_pick(args, "region", {region: region for region in regions}, ignored),
        level=_pick(args, "level", {level: level for level in levels}, ignored),
        field=_pick(args, "field", {value: value for value in fields}, ignored),
    )
    return Filters(version, standard, narrowing, versions, years, regions, priority, tuple(ignored))


def _pick(args: Mapping[str, str], name: str, offered: Mapping[str, object], ignored: list[str]):
    """The offered value `args[name]` stands for; None for none, and a value not offered is noted."""
    value = args.get(name, "")
    if not value:
        return None
    if value not in offered:
        ignored.append(name)
        return None
    return offered[value]
