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
