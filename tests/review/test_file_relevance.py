"""Issue 14, item 2: each assessor marks every attached file relevant or not, and a file marked not relevant
does not lift the evidence cap: not in the assessor's own total, not in the consensus, the decision, the
appeal or the report. Marks are required to submit, saved by the autosave, blind like the scores, and the
consensus starts from the files every assessor found relevant."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
import sqlalchemy as sa
from babel.numbers import format_decimal

from certify.accounts.models import Role
from certify.audit.models import AuditEntry
from certify.audit.services import history
from certify.certificates.report_data import report_context
from certify.questionnaire.services import standard_of
from certify.review import appeals, blind, comparison, decisions, findings, rubric_scores, staffing
from certify.review.errors import ReviewError
from certify.review.findings import Items, Marks
from certify.review.models import Assignment, ConsensusMark
from certify.standards.format import LIBRARY, load_standard_file
from tests import factories
from tests.factories import make_user
from tests.review.consensus_steps import check_and_record, checked_token

#: the approved strategy shows the strategy's document question, so its file counts as evidence
STRATEGY = {"stg_strategy_status": "approved"}


def with_strategy(db, state=factories.in_review, **steps) -> factories.Case:
    """An application whose strategy is approved, with its document attached, taken to `state`."""
    manager = make_user(db, Role.MANAGER)
    draft = factories.make_application(db, manager, answers=STRATEGY)
    return state(db, manager=manager, application=draft, **steps)


def strategy_file(db, application) -> str:
    (attached,) = findings.items_of(db, application).files["stg_strategy"]
    return attached.id


def rejecting(db, application, file_id: str) -> Marks:
    """Every file relevant but `file_id`; every "not applicable" confirmed."""
    accepted = factories.every_item_accepted(db, application)
    return Marks({**accepted.files, file_id: False}, accepted.not_applicable)


def submit(db, assignment: Assignment, marks: Marks, value: int = 4) -> None:
    scores = {i.id: (value, "") for i in standard_of(assignment.application).indicators()}
    rubric_scores.save_scores(db, assignment, scores=scores, feedback={}, marks=marks)
    rubric_scores.submit_scores(db, assignment, assignment.assessor)


def scores_url(assignment: Assignment) -> str:
    return f"/review/assignments/{assignment.id}/scores"


# The rule, pure ----------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def cmq():
    return load_standard_file(LIBRARY / "cmq-1.0.yaml")


def test_a_file_marked_not_relevant_leaves_the_evidence_and_an_emptied_question_is_unanswered(cmq):
    answers = {
        "stg_strategy_document": ("5", "6"),
        "stg_plan_document": ("7",),
        "str_member_types": ("5",),  # a multiple choice is never filtered, whatever its values look like
    }
    accepted = findings.accepted_answers(cmq, answers, irrelevant_files={"5", "7"}, refused_not_applicable=())
    assert accepted == {"stg_strategy_document": ("6",), "str_member_types": ("5",)}


def test_the_consensus_starts_relevant_only_where_every_assessor_marked_it_so():
    items = Items(
        {"stg_strategy": (findings.AttachedFile("1", "a.pdf"), findings.AttachedFile("2", "b.pdf"))}
    )
    both = [Marks({"1": True, "2": True}), Marks({"1": True, "2": False})]
    assert findings.prefilled(items, both).files == {"1": True, "2": False}
    one_left_it_unmarked = [Marks({"1": True, "2": True}), Marks({"1": True})]
    assert findings.prefilled(items, one_left_it_unmarked).files == {"1": True, "2": False}


# The assessor's total and the consensus ------------------------------------------------------------------


def test_a_file_marked_not_relevant_does_not_lift_the_cap(db, client_for):
    case = with_strategy(db)
    application, file_id = case.application, strategy_file(db, case.application)
    db.commit()
    lead, second = client_for(case.lead.assessor), client_for(case.second.assessor)
    for client, assignment, mark in ((lead, case.lead, "relevant"), (second, case.second, "irrelevant")):
        posted = {**factories.all_scores(application, 4), f"file-{file_id}": mark, "submit": "final"}
        assert client.post(scores_url(assignment), data=posted).status_code == 302
    db.expire_all()
    own = {a.id: comparison.assessor_outcome(db, db.get(Assignment, a.id)) for a in case.team}
    assert not own[case.lead.id].indicators["stg_strategy"].capped
    assert own[case.second.id].indicators["stg_strategy"].capped
    assert own[case.second.id].indicators["stg_strategy"].score == Decimal(25)
    spread = own[case.lead.id].total - own[case.second.id].total
    assert spread > 0

    url = f"/review/applications/{application.id}/consensus"
    page = lead.get(url).get_data(as_text=True)
    assert f"разброс итоговых оценок экспертов: {format_decimal(spread, locale='ru')}" in page
    shown = {}
    for mark in ("relevant", "irrelevant"):
        data = {**factories.all_scores(application, 4), f"file-{file_id}": mark, "step": "check"}
        checked = lead.post(url, data=data).get_data(as_text=True)
        total = re.search(r"Итоговая оценка экспертов: ([\d,]+) из 100", checked).group(1)
        shown[mark] = Decimal(total.replace(",", "."))
    assert shown == {"relevant": own[case.lead.id].total, "irrelevant": own[case.second.id].total}


def test_the_consensus_marks_are_recorded_audited_and_decide_the_outcome(db, client_for):
    case = with_strategy(db)
    application, file_id = case.application, strategy_file(db, case.application)
    for assignment in case.team:
        submit(db, assignment, factories.every_item_accepted(db, application))
    db.commit()
    lead = client_for(case.lead.assessor)
    data = {**factories.all_scores(application, 4), f"file-{file_id}": "irrelevant"}
    assert check_and_record(lead, application, data).status_code == 302
    db.expire_all()
    application = db.get(type(application), application.id)
    kept = db.scalars(sa.select(ConsensusMark).where(ConsensusMark.subject == file_id)).one()
    assert (kept.kind, kept.accepted, kept.recorded_by_id) == ("file", False, case.lead.assessor_id)
    entry = db.scalars(sa.select(AuditEntry).where(AuditEntry.action == "review.consensus_recorded")).one()
    assert entry.after["marks"]["files"][file_id] is False
    outcome = decisions.computed_result(db, application)
    assert outcome.indicators["stg_strategy"].capped
    assert "Не относится" in lead.get(f"/review/applications/{application.id}/consensus").get_data(
        as_text=True
    )


def test_the_consensus_check_is_bound_to_the_marks_checked(db, client_for):
    case = with_strategy(db, factories.scored, value=4)
    application, file_id = case.application, strategy_file(db, case.application)
    db.commit()
    lead = client_for(case.lead.assessor)
    url = f"/review/applications/{application.id}/consensus"
    data = factories.all_scores(application, 4)
    token = checked_token(lead.post(url, data={**data, "step": "check"}).get_data(as_text=True))
    other_marks = {**data, f"file-{file_id}": "irrelevant", "step": "record", "checked": token}
    again = lead.post(url, data=other_marks)
    assert again.status_code == 200 and "Вернуться к редактированию" in again.get_data(as_text=True)
    assert comparison.consensus_of(db, application) == {}


def test_the_consensus_starts_from_the_files_every_assessor_found_relevant(db, client_for):
    case = with_strategy(db)
    application, file_id = case.application, strategy_file(db, case.application)
    submit(db, case.lead, factories.every_item_accepted(db, application))
    submit(db, case.second, rejecting(db, application, file_id))
    db.commit()
    page = client_for(case.lead.assessor).get(f"/review/applications/{application.id}/consensus")
    text = page.get_data(as_text=True)
    assert re.search(rf'<input checked[^>]*id="file-{file_id}-1"', text)  # not relevant
    for other in set(findings.items_of(db, application).file_ids()) - {file_id}:
        assert re.search(rf'<input checked[^>]*id="file-{other}-0"', text)  # relevant
    # each assessor's mark beside the final one
    assert (
        '<p class="small mb-1">Не относится</p>' in text
        and '<p class="small mb-1">Относится к делу</p>' in text
    )


# Submission and the autosave -----------------------------------------------------------------------------


def test_scores_are_not_submitted_until_every_file_is_marked(db, in_review):
    application, (client, _, assignment), _ = in_review
    first, *others = findings.items_of(db, application).file_ids()
    scores_only = {k: v for k, v in factories.all_scores(application, 3).items() if k.startswith("score-")}
    response = client.post(
        scores_url(assignment), data={**scores_only, f"file-{first}": "irrelevant", "submit": "final"}
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Черновик сохранён" in page and f"без отметки — {len(others)}." in page
    assert page.count("Отметьте, относится ли этот файл к делу.") == 2 * len(others)  # summary, and beside
    assert re.search(rf'<input checked[^>]*id="file-{first}-1"', page)  # the mark given is kept
    db.expire_all()
    assignment = db.get(Assignment, assignment.id)
    assert findings.marks_of(db, assignment).files == {first: False}
    assert assignment.scores_submitted_at is None
    marked = client.post(
        scores_url(assignment), data={**factories.all_scores(application, 3), "submit": "final"}
    )
    assert marked.status_code == 302


def test_the_service_names_the_files_still_unmarked(db):
    case = factories.in_review(db)
    first, *others = findings.items_of(db, case.application).file_ids()
    scores = {i.id: (3, "") for i in standard_of(case.application).indicators()}
    rubric_scores.save_scores(db, case.lead, scores=scores, feedback={}, marks=Marks({first: True}))
    with pytest.raises(rubric_scores.ScoresMissing) as refused:
        rubric_scores.submit_scores(db, case.lead, case.lead.assessor)
    assert refused.value.missing == () and refused.value.unmarked.files == tuple(others)
    assert refused.value.status == 422


def test_a_mark_on_a_file_of_another_application_is_refused(db):
    case, stranger = factories.in_review(db), factories.in_review(db)
    foreign = findings.items_of(db, stranger.application).file_ids()[0]
    with pytest.raises(ReviewError) as refused:
        rubric_scores.save_scores(db, case.lead, scores={}, feedback={}, marks=Marks({foreign: True}))
    assert refused.value.status == 400


def test_autosave_keeps_the_marks_and_names_a_refused_one(db, in_review):
    application, (client, _, assignment), _ = in_review
    first, second, *_ = findings.items_of(db, application).file_ids()
    response = client.post(
        f"{scores_url(assignment)}/autosave", data={f"file-{first}": "irrelevant", f"file-{second}": "maybe"}
    )
    assert response.status_code == 422 and set(response.json["errors"]) == {f"file-{second}"}
    db.expire_all()
    assert findings.marks_of(db, db.get(Assignment, assignment.id)).files == {first: False}


# Blind ---------------------------------------------------------------------------------------------------


def test_marks_are_blind_until_the_assessor_submits(db, in_review):
    application, (lead_client, lead, lead_assignment), (second_client, second, second_assignment) = in_review
    first = findings.items_of(db, application).file_ids()[0]
    posted = {**factories.all_scores(application, 3), f"file-{first}": "irrelevant", "submit": "final"}
    assert lead_client.post(scores_url(lead_assignment), data=posted).status_code == 302

    before = second_client.get(scores_url(second_assignment)).get_data(as_text=True)
    assert "Другие эксперты:" not in before
    assert blind.scores_visible_to(db, second_assignment).files == {}
    (entry,) = [
        e
        for e in blind.entries_shown_to(db, second, history(db, application.id))
        if e.action == "review.scores_submitted"
    ]
    assert entry.hidden and "marks" not in entry.after

    submitted = {**factories.all_scores(application, 3), "submit": "final"}
    assert second_client.post(scores_url(second_assignment), data=submitted).status_code == 302
    after = second_client.get(scores_url(second_assignment)).get_data(as_text=True)
    assert f"{lead.full_name('ru')}: Не относится" in after
    db.expire_all()
    view = blind.scores_visible_to(db, db.get(Assignment, second_assignment.id))
    assert [(peer.assessor.id, peer.accepted) for peer in view.files[first]] == [(lead.id, False)]


# The appeal and the report -------------------------------------------------------------------------------


def test_the_appeal_assessors_marks_are_the_appeals(db):
    case = with_strategy(db, factories.appealed)
    application, file_id = case.application, strategy_file(db, case.application)
    assessor = make_user(db, Role.ASSESSOR)
    assignment = appeals.assign_appeal_assessor(db, application, case.coordinator, assessor)
    staffing.confirm_independence(db, assignment, assessor)
    submit(db, assignment, rejecting(db, application, file_id))
    outcome = comparison.assessor_outcome(db, assignment)
    assert outcome.indicators["stg_strategy"].capped
    computed = outcome.level.id if outcome.level else None
    decision = appeals.decide_appeal(
        db,
        application,
        case.coordinator,
        chosen_level=None,
        reasons="Апелляция рассмотрена",
        justification=factories.DEPARTURE if computed else "",
    )
    assert decision.assessed_total == str(outcome.total) and decision.computed_level == computed


def test_the_report_scores_the_consensus_marks(db):
    case = with_strategy(db)
    application, file_id = case.application, strategy_file(db, case.application)
    factories.score(db, application, 4)
    indicators = standard_of(application).indicators()
    rubric_scores.record_consensus(
        db,
        application,
        case.lead.assessor,
        {i.id: (4, "") for i in indicators},
        marks=rejecting(db, application, file_id),
    )
    factories.decide(db, application, case.coordinator, certify=True)
    computed = decisions.computed_result(db, application)
    report = {area.id: area for area in report_context(db, application).areas}
    assert report["stg"].score == computed.areas["stg"].score < Decimal(100)
    (strategy,) = [i for i in report["stg"].indicators if i.id == "stg_strategy"]
    assert strategy.files_not_relevant == ("stg_strategy.pdf",)
    assert all(not i.files_not_relevant for i in report["str"].indicators)
