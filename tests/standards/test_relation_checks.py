"""The format refuses ratios, phases and cross-checks that cannot mean anything, each message located."""

from __future__ import annotations

import pytest

from certify.standards.format import validate_standard_text
from tests.scoring.relations_standard import TEXT


def problems_after(old: str, new: str) -> list[tuple[str, str]]:
    assert TEXT.count(old) == 1, old
    found = validate_standard_text(TEXT.replace(old, new), source_name="relations.yaml")
    return [(problem.path, problem.message) for problem in found]


def test_the_example_is_valid():
    assert validate_standard_text(TEXT, source_name="relations.yaml") == []


@pytest.mark.parametrize(
    ("old", "new", "path", "message"),
    [
        (
            "            denominator: members\n",
            "",
            "areas[0].indicators[0].questions[3]",
            "a ratio question needs both a numerator and a denominator",
        ),
        (
            "denominator: members",
            "denominator: share_business",
            "areas[0].indicators[0].questions[3].denominator",
            "refers to 'share_business', which comes later in the questionnaire;"
            " a question may depend only on earlier ones",
        ),
        (
            "numerator: team_fte",
            "numerator: elig_founded_on",
            "areas[0].indicators[0].questions[3].numerator",
            "'elig_founded_on' is a date question; a ratio is computed from number (or ratio) questions only",
        ),
        (
            'visible_if: "members > 0"',
            'visible_if: "fte_per_10 > 0"',
            "areas[0].indicators[0].questions[6].visible_if",
            "refers to 'fte_per_10', a ratio; conditions may refer only to questions someone answers",
        ),
        (
            "            per: 10\n",
            "            per: 10\n            minimum: 0\n",
            "areas[0].indicators[0].questions[3].minimum",
            "'minimum' does not apply to a ratio question",
        ),
        (
            "            per: 10\n",
            "            per: 10\n            not_applicable: true\n",
            "areas[0].indicators[0].questions[3].not_applicable",
            "'not_applicable' does not apply to a ratio question",
        ),
        (
            "              emerging:\n",
            "              infant:\n",
            "areas[0].indicators[0].questions[2].phase_bands.infant",
            "names 'infant', which is not a phase of this standard",
        ),
        (
            "                - {minimum: 4, points: 4}\n",
            "                - {minimum: 4, points: 3}\n",
            "areas[0].indicators[0].questions[2].phase_bands.emerging",
            "the bands of phase 'emerging' reach 3 points, not 4 as 'bands' do;"
            " a phase changes what an answer is worth, never the indicator's weight",
        ),
        (
            "  founded: elig_founded_on",
            "  founded: elig_staff_fte",
            "phases.founded",
            "founded names 'elig_staff_fte', which is not a date question of this standard",
        ),
        (
            "under_years: 7}",
            "under_years: 2}",
            "phases.list",
            "every phase but the last needs under_years, each above the one before; the last has none",
        ),
        (
            "questions: [elig_staff_fte, team_fte]",
            "questions: [elig_staff_fte, elig_founded_on]",
            "cross_checks[0].questions[1]",
            "'elig_founded_on' is not a number (or ratio) question of this standard",
        ),
        (
            "    limit: 100\n",
            "",
            "cross_checks[1]",
            "a sum_at_most check needs a limit",
        ),
        (
            "questions: [elig_staff_fte, team_fte]",
            "questions: [team_fte]",
            "cross_checks[0].questions",
            "an equal check compares at least two questions",
        ),
        (
            "    kind: equal\n",
            "    kind: equal\n    limit: 3\n",
            "cross_checks[0].limit",
            "limit applies only to a sum_at_most check",
        ),
    ],
)
def test_a_relation_that_cannot_mean_anything_is_refused(old, new, path, message):
    assert problems_after(old, new) == [(path, message)]


def test_a_hidden_founding_date_is_refused():
    found = problems_after(
        "required: false}",
        'required: false, visible_if: "elig_staff_fte > 0"}',
    )
    assert found[-1] == (
        "phases.founded",
        "the founding date 'elig_founded_on' has a visible_if; every cluster must be able to state it",
    )


def test_phase_bands_need_phases():
    start = TEXT.index("phases:\n")
    end = TEXT.index("cross_checks:")
    text = TEXT[:start] + TEXT[end:]
    found = validate_standard_text(text, source_name="relations.yaml")
    assert [(p.path, p.message) for p in found] == [
        (
            "areas[0].indicators[0].questions[2].phase_bands",
            "phase_bands names phases, but this standard defines none",
        )
    ]
