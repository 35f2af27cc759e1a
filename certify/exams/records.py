"""A drawn form and a scored result as plain JSON data, and back: what an attempt stores.

Pure: no Flask, no SQLAlchemy. The form keeps its blueprint (with the pass mark the exam chose), so that
an attempt is scored on the marks it was taken on, and its seed, so that anyone can draw it again and
compare. Decimals travel as strings, so that a percent such as 66.7 stays exact.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from certify.exams.bank import Blueprint, BlueprintArea
from certify.exams.forms import Form, FormSlot
from certify.exams.scoring import AreaResult, AttemptResult
from certify.standards.definition import Text


def form_data(form: Form) -> dict[str, Any]:
    return {
        "bank": form.bank_code,
        "bank_version": form.bank_version,
        "blueprint": _blueprint_data(form.blueprint),
        "seed": form.seed,
        "slots": [
            {
                "item": slot.item_id,
                "version": slot.item_version,
                "area": slot.area,
                "options": list(slot.option_order),
            }
            for slot in form.slots
        ],
        "overlap": list(form.overlap),
        "overlap_limit": form.overlap_limit,
    }


def form_from_data(data: dict[str, Any]) -> Form:
    return Form(
        bank_code=data["bank"],
        bank_version=data["bank_version"],
        blueprint=_blueprint(data["blueprint"]),
        seed=data["seed"],
        slots=tuple(
            FormSlot(
                item_id=slot["item"],
                item_version=slot["version"],
                area=slot["area"],
                option_order=tuple(slot["options"]),
            )
            for slot in data["slots"]
        ),
        overlap=tuple(data["overlap"]),
        overlap_limit=data["overlap_limit"],
    )


def result_data(result: AttemptResult) -> dict[str, Any]:
    return {
        "correct": result.correct,
        "total": result.total,
        "percent": str(result.percent),
        "pass_mark": str(result.pass_mark),
        "meets_pass_mark": result.meets_pass_mark,
        "passed": result.passed,
        "areas": [
            {
                "area": area.area,
                "correct": area.correct,
                "total": area.total,
                "percent": str(area.percent),
                "pass_mark": str(area.pass_mark),
                "passed": area.passed,
            }
            for area in result.areas.values()
        ],
        "items": dict(result.items),
    }


def result_from_data(data: dict[str, Any]) -> AttemptResult:
    areas = [
        AreaResult(
            area=area["area"],
            correct=area["correct"],
            total=area["total"],
            percent=Decimal(area["percent"]),
            pass_mark=Decimal(area["pass_mark"]),
            passed=area["passed"],
        )
        for area in data["areas"]
    ]
    return AttemptResult(
        correct=data["correct"],
        total=data["total"],
        percent=Decimal(data["percent"]),
        pass_mark=Decimal(data["pass_mark"]),
        meets_pass_mark=data["meets_pass_mark"],
        passed=data["passed"],
        areas={area.area: area for area in areas},
        items=dict(data["items"]),
    )


def _blueprint_data(blueprint: Blueprint) -> dict[str, Any]:
    return {
        "id": blueprint.id,
        "title": {"ru": blueprint.title.ru, "en": blueprint.title.en},
        "time_limit_minutes": blueprint.time_limit_minutes,
        "pass_mark": str(blueprint.pass_mark),
        "areas": [
            {"area": part.area, "items": part.items, "pass_mark": str(part.pass_mark)}
            for part in blueprint.areas
        ],
    }


def _blueprint(data: dict[str, Any]) -> Blueprint:
    return Blueprint(
        id=data["id"],
        title=Text(ru=data["title"]["ru"], en=data["title"]["en"]),
        time_limit_minutes=data["time_limit_minutes"],
        pass_mark=Decimal(data["pass_mark"]),
        areas=tuple(
            BlueprintArea(area=part["area"], items=part["items"], pass_mark=Decimal(part["pass_mark"]))
            for part in data["areas"]
        ),
    )
