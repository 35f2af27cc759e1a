"""Turns the plain values of a checked standard file into the frozen dataclasses of `definition`."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from certify.standards.attestation import (
    AttemptRules,
    Attestation,
    CpdKind,
    ExamPart,
    PracticalForm,
    PracticalPart,
    Procedure,
    Recertification,
    StandardKind,
)
from certify.standards.conditions import parse
from certify.standards.definition import (
    Area,
    Band,
    Critical,
    CrossCheck,
    CrossCheckKind,
    Indicator,
    Level,
    Option,
    Phase,
    Phases,
    Question,
    QuestionType,
    Requirement,
    ReviewRules,
    Standard,
    Text,
)
from certify.standards.monitoring import build_monitoring


def build_standard(data: dict[str, Any]) -> Standard:
    """The `Standard` described by `data`, which has passed the schema and the checks."""
    return Standard(
        code=data["code"],
        version=data["version"],
        title=_text(data["title"]),
        description=_text(data["description"]),
        validity_months=data["validity_months"],
        eligibility=tuple(_requirement(item) for item in data["eligibility"]),
        levels=tuple(_level(item) for item in data["levels"]),
        areas=tuple(_area(item) for item in data["areas"]),
        review=_review(data.get("review", {})),
        phases=_phases(data.get("phases")),
        cross_checks=tuple(_cross_check(item) for item in data.get("cross_checks", ())),
        kind=StandardKind(data.get("kind", StandardKind.ORGANISATION)),
        attestation=_attestation(data) if data.get("kind") == StandardKind.PERSON else None,
        monitoring=build_monitoring(data.get("monitoring")),
    )


def _attestation(data: dict[str, Any]) -> Attestation:
    """The sections of a personal scheme; the checks guarantee a person scheme has every one of them."""
    exam, practical, procedure = data["exam"], data["practical"], data["procedure"]
    renewal = data["recertification"]
    return Attestation(
        document=_text(data["document"]),
        consent=_text(data["consent"]),
        exam=ExamPart(
            bank=exam["bank"],
            blueprint=exam["blueprint"],
            window_days=exam["window_days"],
            attempts=AttemptRules(**exam["attempts"]),
        ),
        practical=PracticalPart(form=PracticalForm(practical["form"]), task=_text(practical["task"])),
        procedure=Procedure(**procedure),
        recertification=Recertification(
            cpd_hours=renewal["cpd_hours"],
            cpd_kinds=tuple(
                CpdKind(id=item["id"], name=_text(item["name"]), max_hours=item.get("max_hours"))
                for item in renewal["cpd_kinds"]
            ),
            reminders_days=tuple(renewal["reminders_days"]),
            exam_unless_cpd=renewal["exam_unless_cpd"],
        ),
    )


def _phases(data: dict[str, Any] | None) -> Phases | None:
    if data is None:
        return None
    phases = tuple(
        Phase(id=item["id"], name=_text(item["name"]), under_years=item.get("under_years"))
        for item in data["list"]
    )
    return Phases(founded=data["founded"], phases=phases)


def _cross_check(data: dict[str, Any]) -> CrossCheck:
    return CrossCheck(
        id=data["id"],
        kind=CrossCheckKind(data["kind"]),
        questions=tuple(data["questions"]),
        message=_text(data["message"]),
        limit=_number(data.get("limit")),
    )


def _review(data: dict[str, Any]) -> ReviewRules:
    """The review settings; an absent one keeps the default (cmq 1.0 sets none)."""
    return ReviewRules(
        third_assessor_spread=Decimal(data.get("third_assessor_spread", 30)),
        third_assessor_steps=data.get("third_assessor_steps"),
    )


def _text(value: dict[str, str] | None) -> Text | None:
    return None if value is None else Text(ru=value["ru"].strip(), en=value["en"].strip())


def _number(value: Any) -> Decimal | None:
    return None if value is None else Decimal(value)


def _requirement(data: dict[str, Any]) -> Requirement:
    return Requirement(
        id=data["id"],
        title=_text(data["title"]),
        rule=parse(data["rule"]),
        evidence=_text(data["evidence"]),
        questions=tuple(_question(item) for item in data.get("questions", ())),
    )


def _level(data: dict[str, Any]) -> Level:
    return Level(
        id=data["id"],
        name=_text(data["name"]),
        rank=data["rank"],
        min_total=Decimal(data["min_total"]),
        min_area=Decimal(data.get("min_area", 0)),
        min_rubric=dict(data.get("min_rubric", {})),
        assessors=data.get("assessors", 1),
        critical=tuple(_critical(item) for item in data.get("critical", ())),
        min_area_exempt=tuple(data.get("min_area_exempt", ())),
        requires=None if "requires" not in data else parse(data["requires"]),
        requires_note=_text(data.get("requires_note")),
    )


def _critical(data: dict[str, Any]) -> Critical:
    return Critical(indicator=data["indicator"], rubric=data["rubric"], answers=_number(data.get("answers")))


def _area(data: dict[str, Any]) -> Area:
    return Area(
        id=data["id"],
        title=_text(data["title"]),
        weight=Decimal(data["weight"]),
        description=_text(data.get("description")),
        indicators=tuple(_indicator(item) for item in data["indicators"]),
    )


def _indicator(data: dict[str, Any]) -> Indicator:
    return Indicator(
        id=data["id"],
        title=_text(data["title"]),
        weight=Decimal(data["weight"]),
        guidance=_text(data["guidance"]),
        rubric=tuple(_text(item) for item in data["rubric"]),
        expected_evidence=_text(data["expected_evidence"]),
        questions=tuple(_question(item) for item in data.get("questions", ())),
        evidence_required=data.get("evidence_required", False),
        cap_without_evidence=Decimal(data.get("cap_without_evidence", 25)),
        rationale=_text(data.get("rationale")),
    )


def _question(data: dict[str, Any]) -> Question:
    visible_if = data.get("visible_if")
    return Question(
        id=data["id"],
        type=QuestionType(data["type"]),
        label=_text(data["label"]),
        help=_text(data.get("help")),
        required=data.get("required", True),
        visible_if=None if visible_if is None else parse(visible_if),
        options=tuple(
            Option(
                value=item["value"],
                label=_text(item["label"]),
                points=Decimal(item.get("points", 0)),
            )
            for item in data.get("options", ())
        ),
        cap=_number(data.get("cap")),
        max_choices=data.get("max_choices"),
        points_yes=Decimal(data.get("points_yes", 0)),
        points_no=Decimal(data.get("points_no", 0)),
        unit=_text(data.get("unit")),
        minimum=_number(data.get("minimum")),
        maximum=_number(data.get("maximum")),
        bands=_bands(data.get("bands", ())),
        phase_bands={phase: _bands(items) for phase, items in data.get("phase_bands", {}).items()},
        not_applicable=data.get("not_applicable", False),
        numerator=data.get("numerator"),
        denominator=data.get("denominator"),
        per=Decimal(data.get("per", 1)),
        scheme=data.get("scheme"),
    )


def _bands(items: list[dict[str, Any]]) -> tuple[Band, ...]:
    return tuple(
        Band(
            points=Decimal(item["points"]),
            minimum=_number(item.get("minimum")),
            maximum=_number(item.get("maximum")),
        )
        for item in items
    )
