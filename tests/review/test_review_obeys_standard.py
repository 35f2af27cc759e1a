"""Issue 14, item 3, through the real services: a level asking for two assessors is neither started nor
decided with one; a level above the computed one is refused; the standard's step gap calls a third assessor.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from flask_babel import force_locale

from certify.accounts.models import Role
from certify.questionnaire.models import Application
from certify.questionnaire.services import standard_of
from certify.review import appeals, decisions, rubric_scores, staffing
from certify.standards.format import LIBRARY
from certify.standards.services import find_version, import_standard, publish_version
from certify.transitions import TransitionError, active_assignments
from tests import factories


def levels_of(application: Application) -> dict:
    return {level.id: level for level in standard_of(application).levels}


def decided_by_one_assessor(db):
    """In review with two, a third asked, the second removed and the third declining: one assessor left,
    who scores 4 everywhere; the lead's consensus is recorded."""
    case = factories.in_review(db)
    third = factories.make_user(db, Role.ASSESSOR)
    staffing.assign_assessors(db, case.application, [third], None, case.coordinator)
    staffing.remove_assessor(db, case.second, case.coordinator)
    (asked,) = [a for a in active_assignments(db, case.application) if a.assessor_id == third.id]
    staffing.decline_assignment(db, asked, third, "Работал у участника кластера")
    assert [a.assessor_id for a in active_assignments(db, case.application)] == [case.lead.assessor_id]
    factories.agree(db, case.application, value=4)
    return case


def test_a_review_cannot_start_with_one_assessor_when_a_level_asks_for_two(db):
    case = factories.submitted(db)
    coordinator, assessor = factories.make_user(db, Role.COORDINATOR), factories.make_user(db, Role.ASSESSOR)
    assert max(level.assessors for level in levels_of(case.application).values()) == 2
    staffing.assign_assessors(db, case.application, [assessor], assessor, coordinator)
    (assignment,) = active_assignments(db, case.application)
    staffing.confirm_independence(db, assignment, assessor)
    with pytest.raises(TransitionError) as refused:
        staffing.start_review(db, case.application, coordinator)
    assert refused.value.message == (
        "Стандарт требует от 2 до 3 экспертов; назначено: 1. "
        "Назначьте недостающих экспертов до начала оценки."
    )
    assert case.application.state == "submitted"


def test_a_level_asking_for_two_assessors_is_not_decided_with_one(db):
    case = decided_by_one_assessor(db)
    computed = decisions.computed_result(db, case.application).level
    assert computed is not None and computed.assessors == 2
    for chosen, justification in ((computed.id, ""), (computed.id, factories.DEPARTURE)):
        with pytest.raises(TransitionError) as refused:
            decisions.decide(
                db,
                case.application,
                case.coordinator,
                chosen_level=chosen,
                reasons="Решение комиссии",
                justification=justification,
            )
        assert refused.value.message == (
            f"Уровень «{computed.name.ru}» присваивается только по оценкам не менее 2 независимых "
            "экспертов, а это решение опирается на оценки 1: выберите уровень, которому достаточно "
            "этого числа экспертов, или не присваивайте уровень."
        )
    with force_locale("en"), pytest.raises(TransitionError) as refused:
        decisions.decide(
            db, case.application, case.coordinator, chosen_level=computed.id, reasons="x", justification=""
        )
    assert refused.value.message.startswith(
        f"“{computed.name.en}” is granted only on the scores of at least 2 independent assessors, "
        "and this decision rests on 1"
    )
    assert case.application.state == "consensus"
    # a level asking for one assessor stands, justified as a departure
    one = next(level for level in levels_of(case.application).values() if level.assessors == 1)
    decision = decisions.decide(
        db,
        case.application,
        case.coordinator,
        chosen_level=one.id,
        reasons="Решение комиссии",
        justification=factories.DEPARTURE,
    )
    assert (decision.chosen_level, case.application.state) == (one.id, "certified")


def test_a_coordinators_higher_than_computed_choice_is_refused_with_a_message(db, client_for):
    case = factories.agreed(db, value=2)
    computed = decisions.computed_result(db, case.application).level
    rank = computed.rank if computed else 0
    higher = next(level for level in levels_of(case.application).values() if level.rank > rank)
    db.commit()
    coordinator = client_for(case.coordinator)
    response = coordinator.post(
        f"/review/applications/{case.application.id}/decision",
        data={"level": higher.id, "reasons": "Выездная проверка", "justification": factories.DEPARTURE},
    )
    assert response.status_code == 409
    page = response.get_data(as_text=True)
    shown = computed.name.ru if computed else "уровень не достигнут"
    assert f"Уровень «{higher.name.ru}» выше того, который дают оценки экспертов ({shown})" in page
    db.expire_all()
    assert db.get(Application, case.application.id).state == "consensus"
    assert decisions.decision_of(db, case.application) is None


def test_an_appeal_decision_above_the_appeal_assessors_result_is_refused(db):
    case = factories.appealed(db)
    factories.review_appeal(db, case.application, case.coordinator, value=1)
    top = max(levels_of(case.application).values(), key=lambda level: level.rank)
    with pytest.raises(TransitionError) as refused:
        appeals.decide_appeal(
            db,
            case.application,
            case.coordinator,
            chosen_level=top.id,
            reasons="Апелляция",
            justification=factories.DEPARTURE,
        )
    assert f"Уровень «{top.name.ru}» выше того" in refused.value.message
    assert case.application.state == "appealed"


# --- the step gap, on a standard that sets it -------------------------------------------------------------


def publish_with_step_rule(db) -> None:
    """cmq 1.0 as version 1.9 with `review.third_assessor_steps: 2`, published after 1.0 (so current)."""
    factories.install_default_standard(db)
    source = (LIBRARY / "cmq-1.0.yaml").read_text(encoding="utf-8")
    source = source.replace('version: "1.0"', 'version: "1.9"', 1) + "\nreview:\n  third_assessor_steps: 2\n"
    row = import_standard(db, source, source_name="cmq-1.9.yaml")
    publish_version(db, row)
    row.published_at = find_version(db, "cmq", "1.0").published_at + timedelta(seconds=1)
    db.flush()


def scored_two_steps_apart(db):
    """Both assessors give 3 everywhere, but the second gives 1 on str_members: totals close, one gap of 2."""
    case = factories.in_review(db)
    indicators = [i.id for i in standard_of(case.application).indicators()]
    for assignment, low in ((case.lead, {}), (case.second, {"str_members": 1})):
        scores = {i: (low.get(i, 3), "") for i in indicators}
        marks = factories.every_item_accepted(db, case.application)
        rubric_scores.save_scores(db, assignment, scores=scores, feedback={}, marks=marks)
        rubric_scores.submit_scores(db, assignment, assignment.assessor)
    assert case.application.state == "scored"
    return case


def test_a_two_step_gap_calls_for_a_third_assessor_where_the_standard_says_so(db, client_for):
    publish_with_step_rule(db)
    case = scored_two_steps_apart(db)
    assert case.application.standard_version.version == "1.9"
    db.commit()
    page = client_for(case.lead.assessor).get(f"/review/applications/{case.application.id}/consensus")
    assert (
        "третий эксперт нужен и там, где оценки одного показателя расходятся на 2 ступени"
        in page.get_data(as_text=True)
    )
    consensus = {i.id: (3, "Обсудили") for i in standard_of(case.application).indicators()}
    marks = factories.every_item_accepted(db, case.application)
    with pytest.raises(TransitionError) as refused:
        rubric_scores.record_consensus(db, case.application, case.lead.assessor, consensus, marks=marks)
    assert refused.value.message == (
        "Оценки экспертов по одному из показателей расходятся на 2 ступени (порог — 2): до консенсуса "
        "координатор должен назначить третьего эксперта."
    )
    rubric_scores.add_third_assessor(db, case.application, case.coordinator)
    assert case.application.state == "in_review"


def test_on_cmq_1_0_a_two_step_gap_is_only_flagged(db):
    case = scored_two_steps_apart(db)
    assert case.application.standard_version.version == "1.0"
    with pytest.raises(TransitionError):
        rubric_scores.add_third_assessor(db, case.application, case.coordinator)
    consensus = {i.id: (3, "Обсудили") for i in standard_of(case.application).indicators()}
    marks = factories.every_item_accepted(db, case.application)
    rubric_scores.record_consensus(db, case.application, case.lead.assessor, consensus, marks=marks)
    assert case.application.state == "consensus"
