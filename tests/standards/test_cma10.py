"""The default personal scheme cma 1.0 (issue 16): what its content promises, checked on the library file."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

import pytest

from certify.exams.bank import LIBRARY as BANKS
from certify.exams.bank import load_bank_file
from certify.scoring import score
from certify.standards.attestation import RenewalRoute, StandardKind
from certify.standards.conditions import parse
from certify.standards.definition import QuestionType
from certify.standards.format import LIBRARY, diff_standards, load_standard_file, validate_standard_text
from tests.standards.test_cmq11 import texts

PATH = LIBRARY / "cma-1.0.yaml"
D = Decimal


@pytest.fixture(scope="module")
def cma():
    return load_standard_file(PATH)


def candidate(cma, years: str = "3", **changes) -> dict:
    """A candidate who meets every prerequisite and attached every file, with `years` of management."""
    answers = {q.id: ("file-1",) for q in cma.all_questions() if q.type == QuestionType.EVIDENCE}
    answers |= {q.id: "…" for q in cma.all_questions() if q.type == QuestionType.LONG_TEXT}
    answers |= {
        "elig_education_level": "master",
        "elig_education_details": "НИУ ВШЭ, государственное и муниципальное управление, 2012",
        "elig_years_managing": D(years),
        "elig_training_hours": 60,
    }
    return answers | changes


def rubric(cma, score_: int = 4, **scores) -> dict[str, int]:
    return {indicator.id: score_ for indicator in cma.indicators()} | scores


def reasons(outcome) -> list[tuple[str, str | None]]:
    return [(r.code, r.params.get("level_id", r.params.get("requirement_id"))) for r in outcome.reasons]


def test_the_library_file_validates_and_is_a_personal_scheme(cma):
    assert validate_standard_text(PATH.read_bytes(), source_name=PATH.name) == []
    assert (cma.code, cma.version, cma.kind) == ("cma", "1.0", StandardKind.PERSON)
    assert cma.validity_months == 36
    scheme = cma.attestation
    assert (scheme.document.ru, scheme.document.en) == (
        "Аттестат кластерного менеджера",
        "Cluster Manager Attestation",
    )
    assert "152-ФЗ" in scheme.consent.ru and "152-FZ" in scheme.consent.en
    assert scheme.practical.form == "case" and "«Тёплый город»" in scheme.practical.task.ru
    assert (scheme.procedure.admission_days, scheme.procedure.decision_days) == (10, 30)
    assert (scheme.exam.attempts.max, scheme.exam.attempts.within_months) == (2, 12)


def test_it_is_bilingual_and_never_calls_its_document_a_statutory_certificate(cma):
    every = texts(cma) + texts(cma.attestation)
    assert len(every) > 150
    assert all(text.ru.strip() and text.en.strip() and text.ru != text.en for text in every)
    # the description says once that the attestation does not replace one; nothing else names it
    named = [text for text in every if "свидетельств" in text.ru.lower()]
    assert named == [cma.description]
    assert "не заменяет свидетельство о квалификации" in cma.description.ru


def test_the_exam_is_a_blueprint_of_the_shipped_bank(cma):
    bank = load_bank_file(BANKS / f"{cma.attestation.exam.bank}-1.0.yaml")
    blueprint = bank.blueprint(cma.attestation.exam.blueprint)
    assert blueprint.item_count == 40 and blueprint.pass_mark == 70


def test_the_practical_part_mirrors_the_standard_and_only_examiners_score_it(cma):
    assert [area.id for area in cma.areas] == ["stg", "gov", "fin", "srv", "mon", "grn"]
    assert sum(area.weight for area in cma.areas) == 100
    for area in cma.areas:
        assert 2 <= len(area.indicators) <= 4 and sum(i.weight for i in area.indicators) == 100
        for indicator in area.indicators:
            types = [q.type for q in indicator.questions]
            assert indicator.id.startswith(area.id + "_") and indicator.rationale is not None
            assert types.count(QuestionType.LONG_TEXT) == 1, indicator.id
            assert set(types) <= {QuestionType.LONG_TEXT, QuestionType.EVIDENCE}
            # a document the rubric asks for is a file the candidate must attach
            assert indicator.evidence_required == (QuestionType.EVIDENCE in types), indicator.id
            assert len({step.ru for step in indicator.rubric}) == 5
    assert {i.id for i in cma.indicators() if i.evidence_required} == {
        "stg_diagnosis",
        "fin_plan",
        "srv_joint_project",
        "mon_system",
    }


def test_each_prerequisite_is_backed_by_evidence(cma):
    assert [r.id for r in cma.eligibility] == ["elig_education", "elig_experience", "elig_training"]
    for requirement in cma.eligibility:
        evidence = [q.id for q in requirement.questions if q.type == QuestionType.EVIDENCE]
        assert len(evidence) == 1 and evidence[0] in requirement.rule.references(), requirement.id


def test_three_years_reach_attested_not_senior(cma):
    outcome = score(cma, candidate(cma, "3"), rubric=rubric(cma)).assessed
    assert outcome.total == 100 and outcome.level.id == "attested"
    assert reasons(outcome) == [("requires_unmet", "senior"), ("level_reached", "attested")]
    assert outcome.reasons[0].message("ru") == (
        "Для уровня «Старший кластерный менеджер» требуется также не менее 5 лет руководящей работы в"
        " кластере или его специализированной организации, а ответы этого не подтверждают."
    )


def test_six_years_reach_senior_when_the_scores_allow(cma):
    assert score(cma, candidate(cma, "6"), rubric=rubric(cma, 3)).assessed.level.id == "senior"
    # the same candidate, scored 3 everywhere but the joint project at 2: the total (73.0) and the
    # critical joint project both fall short of senior
    outcome = score(cma, candidate(cma, "6"), rubric=rubric(cma, 3, srv_joint_project=2)).assessed
    assert outcome.total == D("73.0") and reasons(outcome) == [
        ("total_below_minimum", "senior"),
        ("critical_below_minimum", "senior"),
        ("level_reached", "attested"),
    ]


@pytest.mark.parametrize(
    ("change", "unmet"),
    [
        ({"elig_years_managing": D("1.5")}, "elig_experience"),
        ({"elig_education_level": "vocational"}, "elig_education"),
        ({"elig_diploma": None}, "elig_education"),
        ({"elig_training_hours": 39}, "elig_training"),
        ({"elig_experience_documents": ()}, "elig_experience"),
    ],
)
def test_a_missing_prerequisite_means_no_level_whatever_the_scores(cma, change, unmet):
    outcome = score(cma, candidate(cma, "6", **change), rubric=rubric(cma)).assessed
    assert outcome.level is None and reasons(outcome) == [("eligibility_unmet", unmet)]


def test_a_missing_document_caps_its_indicator_and_can_cost_the_level(cma):
    answers = candidate(cma, "6", fin_plan_file=())
    outcome = score(cma, answers, rubric=rubric(cma, 3)).assessed
    assert outcome.indicators["fin_plan"].capped and outcome.indicators["fin_plan"].score == 25
    # finance falls to 47.5, under senior's every-area 50
    assert outcome.areas["fin"].score == D("47.5") and outcome.level.id == "attested"


def test_weak_goals_are_not_attested_whatever_the_total(cma):
    outcome = score(cma, candidate(cma, "6"), rubric=rubric(cma, 4, stg_goals=1)).assessed
    assert outcome.total > 60 and outcome.level is None
    assert ("critical_below_minimum", "attested") in reasons(outcome)


def test_the_candidates_own_answers_score_nothing(cma):
    assert score(cma, candidate(cma, "6")).self_assessment.total is None


def test_recertification_counts_capped_hours_and_falls_back_to_the_exam(cma):
    renewal = cma.attestation.recertification
    assert renewal.cpd_hours == 72 and renewal.reminders_days == (90, 30) and renewal.exam_unless_cpd
    hours = {"training": D(40), "events": D(40)}  # conferences count at most 24
    assert renewal.counted_hours(hours) == 64
    assert renewal.renewal_route(hours) is RenewalRoute.EXAM
    assert renewal.renewal_route(hours | {"teaching": D(8)}) is RenewalRoute.CPD
    assert replace(renewal, exam_unless_cpd=False).renewal_route(hours) is None


def test_a_changed_scheme_diffs_section_by_section(cma):
    scheme = cma.attestation
    attempts = replace(scheme.exam.attempts, min_days_between=21)
    renewal = scheme.recertification
    changed = replace(
        cma,
        version="1.1",
        attestation=replace(
            scheme,
            exam=replace(scheme.exam, window_days=45, attempts=attempts),
            recertification=replace(renewal, cpd_kinds=renewal.cpd_kinds[:-1], reminders_days=(60, 30)),
        ),
    )
    assert diff_standards(cma, cma) == []
    assert diff_standards(cma, changed) == [
        "~ standard cma: version 1.0 -> 1.1",
        "~ standard cma: exam.window_days 30 -> 45",
        "~ standard cma: recertification.reminders_days [90, 30] -> [60, 30]",
        "~ standard cma: exam.attempts.min_days_between 14 -> 21",
        f"- CPD kind assessing: {renewal.cpd_kinds[-1].name.en}",
    ]
    senior = replace(cma.levels[1], requires=parse("elig_years_managing >= 7"))
    assert diff_standards(cma, replace(cma, levels=(cma.levels[0], senior))) == [
        "~ level senior: requires 'elig_years_managing >= 5' -> 'elig_years_managing >= 7'"
    ]
    organisation = replace(cma, kind=StandardKind.ORGANISATION, attestation=None)
    assert diff_standards(organisation, cma)[:2] == [
        "~ standard cma: kind organisation -> person",
        "~ standard cma: document added",
    ]
