"""The assessor's access window (issue 12, finding 4): from confirmed independence until the decision.

Also the conflict check at confirmation, which ignores the assignment being confirmed (issue 13, item 3),
and the audit entry of a declared conflict (finding 5).
"""

from __future__ import annotations

import sqlalchemy as sa

from certify.accounts.models import Role
from certify.audit.models import AuditEntry
from certify.questionnaire.services import evidence_by_target
from certify.review import appeals, staffing
from certify.review.models import Assignment
from tests import factories
from tests.factories import make_application, make_user


def reading_urls(db, assignment: Assignment) -> list[str]:
    """What an assessor reads of an application: answers, summary, evidence, workbook, the scoring page."""
    application = assignment.application
    (evidence, *_) = next(iter(evidence_by_target(db, application).values()))
    base = f"/applications/{application.id}"
    return [
        f"{base}/pages/str",
        f"{base}/summary",
        f"{base}/receipt",
        f"{base}/evidence/{evidence.id}",
        f"{base}/workbook.xlsx",
        f"/review/assignments/{assignment.id}/scores",
    ]


def statuses(client, urls) -> set[int]:
    answers = set()
    for url in urls:
        response = client.get(url)
        response.close()
        answers.add(response.status_code)
    return answers


def assigned(db, application, assessor=None) -> Assignment:
    """`assessor` (a fresh one unless named) assigned to `application`, still to confirm independence."""
    coordinator = make_user(db, Role.COORDINATOR)
    assessor = assessor or make_user(db, Role.ASSESSOR)
    (assignment,) = staffing.assign_assessors(db, application, [assessor], assessor, coordinator)
    return assignment


def test_finding_4_declined_assessor_cannot_read_answers(db, client_for, submitted):
    assignment = assigned(db, submitted)
    staffing.decline_assignment(db, assignment, assignment.assessor, "Консультировал этот кластер")
    db.commit()
    client = client_for(assignment.assessor)
    assert statuses(client, reading_urls(db, assignment)) == {404}
    post = client.post(f"/review/assignments/{assignment.id}/scores", data=factories.all_scores(submitted, 3))
    assert post.status_code == 404


def test_finding_4_pending_assessor_sees_only_what_independence_needs(db, client_for, submitted):
    assignment = assigned(db, submitted)
    db.commit()
    client = client_for(assignment.assessor)
    assert statuses(client, reading_urls(db, assignment)) == {404}
    page = client.get("/review/assignments").get_data(as_text=True)
    organisation, version = submitted.organisation, submitted.standard_version
    assert organisation.name_ru in page and organisation.region in page
    assert version.title_ru in page and version.version in page
    assert f"/review/assignments/{assignment.id}/scores" not in page
    assert "Подтверждаю свою независимость" in page

    client.post(f"/review/assignments/{assignment.id}/confirm")
    assert statuses(client, reading_urls(db, assignment)) == {200}


def test_finding_4_access_ends_at_the_decision(db, client_for):
    case = factories.in_review(db)
    db.commit()
    lead = client_for(case.lead.assessor)
    consensus = f"/review/applications/{case.application.id}/consensus"
    assert statuses(lead, reading_urls(db, case.lead)) == {200}

    factories.agree(db, case.application)
    db.commit()
    assert statuses(lead, [*reading_urls(db, case.lead), consensus]) == {200}
    assert f"/review/assignments/{case.lead.id}/scores" in lead.get("/review/assignments").get_data(
        as_text=True
    )

    factories.decide(db, case.application, case.coordinator, certify=False)
    db.commit()
    for assignment in case.team:
        client = client_for(assignment.assessor)
        assert statuses(client, [*reading_urls(db, assignment), consensus]) == {404}
        listing = client.get("/review/assignments").get_data(as_text=True)
        assert f"/review/assignments/{assignment.id}/scores" not in listing
        assert consensus not in listing
    # the certification body keeps the decision record
    coordinator = client_for(case.coordinator)
    team = f"/review/applications/{case.application.id}/team"
    assert statuses(coordinator, [*reading_urls(db, case.lead)[:5], consensus, team]) == {200}


def test_finding_4_under_appeal_only_the_appeal_assessor_reads(db, client_for):
    case = factories.appealed(db)
    fresh = make_user(db, Role.ASSESSOR)
    appeal = appeals.assign_appeal_assessor(db, case.application, case.coordinator, fresh)
    db.commit()
    appeal_client = client_for(fresh)
    assert statuses(client_for(case.lead.assessor), reading_urls(db, case.lead)) == {404}
    assert statuses(appeal_client, reading_urls(db, appeal)) == {404}  # not confirmed yet

    staffing.confirm_independence(db, appeal, fresh)
    db.commit()
    assert statuses(appeal_client, reading_urls(db, appeal)) == {200}
    assert statuses(client_for(case.lead.assessor), reading_urls(db, case.lead)) == {404}


def test_finding_4_confirmation_rechecks_conflicts(db, client_for, submitted):
    assignment = assigned(db, submitted)
    db.commit()
    client = client_for(assignment.assessor)
    client.post("/review/conflicts", data={"organisation_id": str(submitted.organisation_id), "note": ""})
    client.post(f"/review/assignments/{assignment.id}/confirm")  # refused: the reason is flashed
    page = client.get("/review/assignments").get_data(as_text=True)
    assert "Вы не можете подтвердить независимость" in page
    assert "заявил(а) о связи с организацией-заявителем" in page
    db.expire_all()
    assert db.get(Assignment, assignment.id).status == "pending"
    assert statuses(client, reading_urls(db, assignment)) == {404}


def test_issue_13_an_assessor_is_not_flagged_by_the_assignment_being_checked(db, client_for, submitted):
    assignment = assigned(db, submitted)
    db.commit()
    assert staffing.conflicts_of(db, assignment.assessor, submitted) == []
    coordinator = make_user(db, Role.COORDINATOR)
    db.commit()
    page = client_for(coordinator).get(f"/review/applications/{submitted.id}/team").get_data(as_text=True)
    assert "Не независим" not in page
    staffing.confirm_independence(db, assignment, assignment.assessor)
    assert assignment.status == "confirmed"


def test_issue_13_an_earlier_application_of_the_organisation_still_counts(db):
    case = factories.decided(db)
    again = make_application(db, case.manager)
    assert staffing.conflicts_of(db, case.lead.assessor, case.application) == []
    (conflict,) = staffing.conflicts_of(db, case.lead.assessor, again)
    assert conflict.params["years"] == 3


def test_finding_5_a_conflict_declaration_is_audited(db, client_for, submitted):
    assessor = make_user(db, Role.ASSESSOR)
    db.commit()
    client_for(assessor).post(
        "/review/conflicts",
        data={"organisation_id": str(submitted.organisation_id), "region": "", "note": "консультант"},
    )
    (entry,) = db.scalars(sa.select(AuditEntry).where(AuditEntry.action == "review.conflict_declared"))
    assert entry.actor_id == assessor.id and entry.subject_type == "conflict_declaration"
    assert entry.after == {
        "organisation_id": submitted.organisation_id,
        "region": None,
        "note": "консультант",
    }
