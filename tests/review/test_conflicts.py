"""Conflicts of interest as plain rules."""

from __future__ import annotations

from datetime import date

import pytest

from certify.review.conflicts import Applicant, Candidate, conflicts

TODAY = date(2026, 11, 28)
APPLICANT = Applicant(organisation_id=7, region="Санкт-Петербург")


def candidate(**fields) -> Candidate:
    values = {
        "organisation_id": None,
        "declared_organisation_ids": frozenset(),
        "declared_regions": frozenset(),
        "past_assessments": (),
    }
    values.update(fields)
    return Candidate(**values)


def test_an_unrelated_assessor_is_independent():
    assert conflicts(candidate(past_assessments=((8, date(2026, 1, 1)),)), APPLICANT, today=TODAY) == []


@pytest.mark.parametrize(
    ("fields", "fragment"),
    [
        ({"organisation_id": 7}, "works for"),
        ({"declared_organisation_ids": frozenset({7})}, "declared a tie to the applying"),
        ({"declared_regions": frozenset({"  санкт-петербург "})}, "region"),
        ({"past_assessments": ((7, date(2024, 12, 1)),)}, "assessed this organisation"),
    ],
)
def test_each_kind_of_tie_is_a_conflict(fields, fragment):
    (found,) = conflicts(candidate(**fields), APPLICANT, today=TODAY)
    assert fragment in found.message % found.params


def test_an_assessment_older_than_the_cooling_off_period_is_no_conflict():
    old = candidate(past_assessments=((7, date(2023, 11, 27)),))
    assert conflicts(old, APPLICANT, today=TODAY, cooling_off_years=3) == []
    assert conflicts(old, APPLICANT, today=TODAY, cooling_off_years=5) != []


# A person's application (an attestation candidate's, issue 16): ties to the candidate, not to a region.
from certify.review.conflicts import Examiner, PersonApplicant, person_conflicts  # noqa: E402

PERSON = PersonApplicant(candidate_id=41, organisation_id=7)


def examiner(**fields) -> Examiner:
    values = {
        "organisation_id": None,
        "declared_candidates": frozenset(),
        "trained": (),
        "examined_under_appeal": frozenset(),
    }
    return Examiner(**(values | fields))


def test_an_unrelated_examiner_is_independent_of_the_candidate():
    unrelated = examiner(organisation_id=8, declared_candidates=frozenset({40}), trained=((40, TODAY),))
    assert person_conflicts(unrelated, PERSON, today=TODAY) == []


@pytest.mark.parametrize(
    ("fields", "reason"),
    [
        ({"organisation_id": 7}, "works for the candidate's organisation"),
        ({"declared_candidates": frozenset({41})}, "declared a tie to the candidate"),
        (
            {"trained": ((41, date(2025, 6, 1)),)},
            "trained the candidate on %(date)s, less than %(years)d years ago",
        ),
        (
            {"examined_under_appeal": frozenset({41})},
            "examined the candidate in an application now under appeal",
        ),
    ],
)
def test_each_tie_to_the_candidate_excludes_the_examiner(fields, reason):
    (found,) = person_conflicts(examiner(**fields), PERSON, today=TODAY)
    assert found.message == reason


def test_training_more_than_2_years_ago_is_no_tie():
    assert person_conflicts(examiner(trained=((41, date(2024, 11, 27)),)), PERSON, today=TODAY) == []
    (found,) = person_conflicts(examiner(trained=((41, date(2024, 11, 28)),)), PERSON, today=TODAY)
    assert found.params == {"date": "2024-11-28", "years": 2}


def test_a_candidate_without_an_organisation_shares_none():
    alone = PersonApplicant(candidate_id=41, organisation_id=None)
    assert person_conflicts(examiner(organisation_id=None), alone, today=TODAY) == []
