"""The overview behind the summary page: what each user sees of an application, and the actions offered."""

from __future__ import annotations

from certify.accounts.models import Role
from certify.questionnaire.overview import overview_of
from certify.questionnaire.services import standard_of
from certify.review.clarification import request_clarification
from tests import factories


def test_a_draft_offers_its_manager_submission_and_lists_what_is_missing(db):
    manager = factories.make_user(db, Role.MANAGER)
    application = factories.make_application(db, manager)
    overview = overview_of(db, manager, application)
    assert "submit" in overview.actions and "withdraw" in overview.actions
    assert overview.missing and overview.can_import_workbook
    assert sum(p.required for p in overview.progress) >= len(overview.missing)
    assert overview.assessment.areas and overview.clarifications == []
    assert (overview.decision, overview.appeal, overview.certificate) == (None, None, None)


def test_a_coordinator_sees_a_draft_but_is_offered_nothing_on_it(db):
    application = factories.make_application(db, factories.make_user(db, Role.MANAGER))
    coordinator = factories.make_user(db, Role.COORDINATOR)
    overview = overview_of(db, coordinator, application)
    assert overview.actions == frozenset() and not overview.can_import_workbook
    assert overview.can_download_report


def test_a_submitted_application_is_no_longer_editable(db):
    case = factories.submitted(db)
    overview = overview_of(db, case.manager, case.application)
    assert overview.actions == {"withdraw"} and overview.missing == []
    assert not overview.can_import_workbook


def test_a_clarification_request_is_offered_to_the_manager_only(db):
    case = factories.in_review(db)
    indicator = standard_of(case.application).indicators()[0].id
    request_clarification(db, case.lead, case.lead.assessor, [indicator], "Приложите реестр участников.")
    manager_view = overview_of(db, case.manager, case.application)
    assert manager_view.actions == {"answer_clarification"}
    assert [r.question for r in manager_view.clarifications] == ["Приложите реестр участников."]
    assessor_view = overview_of(db, case.second.assessor, case.application)
    assert "answer_clarification" not in assessor_view.actions and assessor_view.clarifications
    # the report and certificate are the holder's and the body's, not the assessors'
    assert not assessor_view.can_download_report


def test_a_decision_can_be_appealed_once(db):
    case = factories.decided(db)
    overview = overview_of(db, case.manager, case.application)
    assert overview.actions == {"appeal"} and overview.decision is not None
    assert set(overview.level_names) == {level.id for level in overview.standard.levels}
    factories.appeal(db, case.application, case.manager)
    again = overview_of(db, case.manager, case.application)
    assert "appeal" not in again.actions and again.appeal is not None


def test_the_certificate_is_shown_to_its_holder_and_the_body_not_to_the_assessors(db):
    case = factories.certified(db)
    assert overview_of(db, case.manager, case.application).certificate == case.certificate
    assert overview_of(db, case.coordinator, case.application).certificate == case.certificate
    assert overview_of(db, case.lead.assessor, case.application).certificate is None
