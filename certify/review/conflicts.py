"""Conflicts of interest: why an assessor may not assess an application. Pure: no Flask, no SQLAlchemy.

An organisation's application is checked by `conflicts`, a person's (an attestation candidate's, issue
16) by `person_conflicts`: there the examiner is tied to the candidate, not to an organisation's region.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from certify.textmarks import N_

#: an assessor who assessed an organisation within this many years is not independent of it
DEFAULT_COOLING_OFF_YEARS = 3
#: who trained a candidate within this many years neither examines nor decides their attestation (P9)
TRAINER_YEARS = 2


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
    since = years_before(today, cooling_off_years)
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


@dataclass(frozen=True)
class Examiner:
    """What is known about an examiner when choosing them for a candidate's practical part."""

    organisation_id: int | None
    #: the candidates (user ids) the examiner declared a tie to
    declared_candidates: frozenset[int]
    #: (candidate id, the last day trained) of the examiner's training records
    trained: tuple[tuple[int, date], ...]
    #: the candidates whose earlier application, now under appeal, the examiner examined
    examined_under_appeal: frozenset[int]


@dataclass(frozen=True)
class PersonApplicant:
    candidate_id: int
    #: the candidate's organisation, if any
    organisation_id: int | None


def person_conflicts(examiner: Examiner, person: PersonApplicant, *, today: date) -> list[Conflict]:
    """Every reason the examiner may not examine the candidate (empty: independent)."""
    found = []
    if person.organisation_id is not None and examiner.organisation_id == person.organisation_id:
        found.append(Conflict(N_("works for the candidate's organisation"), {}))
    if person.candidate_id in examiner.declared_candidates:
        found.append(Conflict(N_("declared a tie to the candidate"), {}))
    since = years_before(today, TRAINER_YEARS)
    trained = sorted(d for who, d in examiner.trained if who == person.candidate_id and d >= since)
    if trained:
        found.append(
            Conflict(
                N_("trained the candidate on %(date)s, less than %(years)d years ago"),
                {"date": trained[-1].isoformat(), "years": TRAINER_YEARS},
            )
        )
    if person.candidate_id in examiner.examined_under_appeal:
        found.append(Conflict(N_("examined the candidate in an application now under appeal"), {}))
    return found


def years_before(day: date, years: int) -> date:
    """The same day `years` earlier (28 February for 29 February)."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)
