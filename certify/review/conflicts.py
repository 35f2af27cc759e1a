"""Conflicts of interest: why an assessor may not assess an application. Pure: no Flask, no SQLAlchemy."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from certify.textmarks import N_

#: an assessor who assessed an organisation within this many years is not independent of it
DEFAULT_COOLING_OFF_YEARS = 3


@dataclass(frozen=True)
class Candidate:
    """What is known about an assessor when choosing them for an application."""

    organisation_id: int | None
    declared_organisation_ids: frozenset[int]
    declared_regions: frozenset[str]
    #: (organisation id, date assigned) of the assessor's earlier, not declined assignments
    past_assessments: tuple[tuple[int, date], ...]


@dataclass(frozen=True)
class Applicant:
    organisation_id: int
    region: str


@dataclass(frozen=True)
class Conflict:
    message: str
    params: dict


def _normalised(region: str) -> str:
    return " ".join(region.casefold().split())


def conflicts(
    candidate: Candidate,
    applicant: Applicant,
    *,
    today: date,
    cooling_off_years: int = DEFAULT_COOLING_OFF_YEARS,
) -> list[Conflict]:
    """Every reason the candidate is not independent of the applicant (empty: independent)."""
    found = []
    if candidate.organisation_id == applicant.organisation_id:
        found.append(Conflict(N_("works for the applying organisation"), {}))
    if applicant.organisation_id in candidate.declared_organisation_ids:
        found.append(Conflict(N_("declared a tie to the applying organisation"), {}))
    if _normalised(applicant.region) in {_normalised(r) for r in candidate.declared_regions}:
        found.append(Conflict(N_("declared a tie to the region %(region)s"), {"region": applicant.region}))
    since = _years_before(today, cooling_off_years)
    recent = sorted(
        d for org, d in candidate.past_assessments if org == applicant.organisation_id and d >= since
    )
    if recent:
        found.append(
            Conflict(
                N_("assessed this organisation on %(date)s, less than %(years)d years ago"),
                {"date": recent[-1].isoformat(), "years": cooling_off_years},
            )
        )
    return found


def _years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)
