"""A personal scheme's own sections: where they may be, and the located problems in them."""

from __future__ import annotations

import pytest

from certify.standards.attestation import PERSON_SECTIONS, StandardKind
from certify.standards.format import load_standard, validate_standard_text
from tests.standards.test_format import MINIMAL, line_of

SCHEME = """\
code: demo-person
version: "1.0"
kind: person
title: {ru: "Схема", en: "Scheme"}
description: {ru: "Описание", en: "Description"}
validity_months: 36
document: {ru: "Аттестат", en: "Attestation"}
consent: {ru: "Согласие", en: "Consent"}
exam:
  bank: cm
  blueprint: cm_theory
  window_days: 30
  attempts: {max: 2, within_months: 12, min_days_between: 14}
practical:
  form: case
  task: {ru: "Кейс", en: "Case"}
procedure: {admission_days: 10, decision_days: 30, appeal_days: 30}
recertification:
  cpd_hours: 72
  cpd_kinds:
    - {id: training, name: {ru: "Обучение", en: "Training"}}
    - {id: events, name: {ru: "Конференции", en: "Conferences"}, max_hours: 24}
  reminders_days: [90, 30]
  exam_unless_cpd: true
eligibility:
  - id: elig_experience
    title: {ru: "Опыт", en: "Experience"}
    rule: "elig_years >= 2"
    evidence: {ru: "Трудовая книжка", en: "Employment record"}
    questions:
      - {id: elig_years, type: decimal, label: {ru: "Сколько лет?", en: "How many years?"}}
      - id: elig_level
        type: single_choice
        label: {ru: "Уровень", en: "Level"}
        options:
          - {value: higher, label: {ru: "Высшее", en: "Higher"}}
          - {value: other, label: {ru: "Другое", en: "Other"}}
levels:
  - {id: attested, name: {ru: "Аттестован", en: "Attested"}, rank: 1, min_total: 60}
  - id: senior
    name: {ru: "Старший", en: "Senior"}
    rank: 2
    min_total: 75
    requires: "elig_years >= 5"
areas:
  - id: one
    title: {ru: "Первая", en: "First"}
    weight: 100
    indicators:
      - id: one_a
        title: {ru: "А", en: "A"}
        weight: 100
        guidance: {ru: "Совет", en: "Advice"}
        rubric: [{ru: "0", en: "0"}, {ru: "1", en: "1"}, {ru: "2", en: "2"},
                 {ru: "3", en: "3"}, {ru: "4", en: "4"}]
        expected_evidence: {ru: "Документы", en: "Documents"}
        questions:
          - {id: one_answer, type: long_text, label: {ru: "Ответ", en: "Answer"}}
          - {id: one_file, type: evidence, label: {ru: "Файл", en: "File"}}
"""


def changed(old: str, new: str, text: str = SCHEME) -> str:
    assert text.count(old) == 1, old
    return text.replace(old, new)


def problems_of(text: str) -> list[tuple[str, int | None, str]]:
    return [(p.path, p.line, p.message) for p in validate_standard_text(text, source_name="scheme.yaml")]


def test_the_scheme_loads_with_its_sections():
    standard = load_standard(SCHEME, source_name="scheme.yaml")
    assert standard.kind is StandardKind.PERSON and standard.is_person
    scheme = standard.attestation
    assert scheme.document.ru == "Аттестат" and scheme.consent.en == "Consent"
    assert (scheme.exam.bank, scheme.exam.blueprint, scheme.exam.window_days) == ("cm", "cm_theory", 30)
    assert (scheme.exam.attempts.max, scheme.exam.attempts.min_days_between) == (2, 14)
    assert scheme.practical.form == "case" and scheme.practical.task.en == "Case"
    assert scheme.procedure.admission_days == 10
    assert scheme.recertification.reminders_days == (90, 30)
    assert [kind.max_hours for kind in scheme.recertification.cpd_kinds] == [None, 24]
    assert standard.levels[1].requires.source == "elig_years >= 5"


def test_an_organisation_standard_stays_an_organisation_without_the_sections():
    standard = load_standard(MINIMAL, source_name="demo.yaml")
    assert standard.kind is StandardKind.ORGANISATION and standard.attestation is None
    assert validate_standard_text(MINIMAL.replace("code: demo\n", "code: demo\nkind: organisation\n")) == []


@pytest.mark.parametrize("section", PERSON_SECTIONS)
def test_a_person_section_in_an_organisation_standard_is_refused_on_its_line(section):
    lines = SCHEME.splitlines(keepends=True)
    start = next(i for i, line in enumerate(lines) if line.startswith(f"{section}:"))
    end = next(i for i in range(start + 1, len(lines)) if not lines[i].startswith(" "))
    text = MINIMAL + "".join(lines[start:end])
    assert problems_of(text) == [
        (
            section,
            line_of(text, f"{section}:"),
            f"'{section}' belongs only to a personal attestation scheme (kind: person);"
            " this file is an organisation's standard",
        )
    ]


def test_a_scheme_without_a_section_is_told_which_on_its_kind_line():
    text = changed("procedure: {admission_days: 10, decision_days: 30, appeal_days: 30}\n", "")
    assert problems_of(text) == [
        (
            "kind",
            line_of(text, "kind: person"),
            "a personal attestation scheme (kind: person) needs the section 'procedure'",
        )
    ]


def test_at_least_one_attempt():
    text = changed("{max: 2,", "{max: 0,")
    assert problems_of(text) == [
        ("exam.attempts.max", line_of(text, "attempts:"), "must be at least 1, not 0")
    ]


def test_attempts_must_fit_their_period():
    text = changed(
        "{max: 2, within_months: 12, min_days_between: 14}",
        "{max: 3, within_months: 6, min_days_between: 100}",
    )
    assert problems_of(text) == [
        (
            "exam.attempts.min_days_between",
            line_of(text, "attempts:"),
            "3 attempts at least 100 days apart cannot all be taken within 6 months",
        )
    ]


def test_reminders_count_down_and_stay_within_the_validity():
    text = changed("reminders_days: [90, 30]", "reminders_days: [30, 90, 1200]")
    paths = [(path, message) for path, _, message in problems_of(text)]
    assert paths == [
        (
            "recertification.reminders_days[1]",
            "reminders are listed from the earliest to the latest:"
            " 90 days is not fewer than the 30 before it",
        ),
        (
            "recertification.reminders_days[2]",
            "reminders are listed from the earliest to the latest:"
            " 1200 days is not fewer than the 90 before it",
        ),
        (
            "recertification.reminders_days[2]",
            "a reminder 1200 days before expiry would come before the attestation starts: it is valid for"
            " 36 months (about 1080 days)",
        ),
    ]


def test_cpd_kinds_are_unique_and_their_hours_reachable():
    text = changed(
        '{id: training, name: {ru: "Обучение", en: "Training"}}',
        '{id: events, name: {ru: "Обучение", en: "Training"}, max_hours: 20}',
    )
    assert [(path, message) for path, _, message in problems_of(text)] == [
        (
            "recertification.cpd_kinds[1].id",
            f"duplicate CPD kind id 'events' (first used on line {line_of(text, 'max_hours: 20')})",
        ),
        (
            "recertification.cpd_hours",
            "every CPD kind has a maximum, and together they count at most 44 hours,"
            " fewer than the 72 required",
        ),
    ]


def test_a_practical_answer_cannot_score_itself():
    question = '          - {id: one_answer, type: long_text, label: {ru: "Ответ", en: "Answer"}}\n'
    pointed = (
        '          - {id: one_years, type: integer, label: {ru: "Лет", en: "Years"},'
        " bands: [{maximum: 5, points: 0}, {minimum: 5, points: 4}]}\n"
    )
    text = changed(question, question + pointed)
    assert problems_of(text) == [
        (
            "areas[0].indicators[0].questions[1]",
            line_of(text, "id: one_years"),
            "question 'one_years' earns points by itself; in a personal scheme only the examiners' rubric"
            " scores the practical part, never the candidate's own answers",
        )
    ]
    # a choice worth nothing is a fact for the examiners, not a score
    choice = (
        "          - id: one_form\n            type: single_choice\n"
        '            label: {ru: "Форма", en: "Form"}\n            options:\n'
        '              - {value: a, label: {ru: "А", en: "A"}}\n'
        '              - {value: b, label: {ru: "Б", en: "B"}}\n'
    )
    assert problems_of(changed(question, question + choice)) == []


@pytest.mark.parametrize(
    ("requires", "message"),
    [
        ("elig_months >= 60", "refers to 'elig_months', which is not a question of this standard"),
        ("elig_level == 'phd'", "compares 'elig_level' with 'phd', which is not one of its options"),
        (
            "elig_years >=",
            "invalid expression: expected a number, a string, true or false but found the end of the"
            " expression (column 14)",
        ),
    ],
)
def test_a_levels_requires_is_checked_like_any_rule(requires, message):
    text = changed('requires: "elig_years >= 5"', f'requires: "{requires}"')
    assert problems_of(text) == [("levels[1].requires", line_of(text, "requires:"), message)]


def test_a_note_needs_its_condition():
    text = changed(
        '  - {id: attested, name: {ru: "Аттестован", en: "Attested"}, rank: 1, min_total: 60}\n',
        '  - {id: attested, name: {ru: "Аттестован", en: "Attested"}, rank: 1, min_total: 60,'
        ' requires_note: {ru: "опыт", en: "experience"}}\n',
    )
    assert problems_of(text) == [
        (
            "levels[0].requires_note",
            line_of(text, "requires_note"),
            "requires_note says in words what requires checks, but this level has no requires",
        )
    ]


def test_requires_works_on_an_organisation_standard_too():
    text = MINIMAL.replace(
        "    min_total: 40\n", '    min_total: 40\n    requires: "elig_members_count >= 30"\n'
    )
    assert validate_standard_text(text) == []
    assert (
        load_standard(text, source_name="demo.yaml").levels[0].requires.source == "elig_members_count >= 30"
    )
