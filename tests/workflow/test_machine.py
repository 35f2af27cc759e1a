"""Each transition with the right actor, with the wrong actors, and every action a state does not offer."""

from collections import Counter
from dataclasses import replace
from decimal import Decimal

import pytest

from certify.workflow import (
    ACTION_LABELS,
    STATE_LABELS,
    TRANSITIONS,
    Action,
    ActorContext,
    Facts,
    Role,
    State,
    allowed_actions,
    apply,
)
from certify.workflow import guards as g
from certify.workflow.machine import WRONG_ROLE, WRONG_STATE, TransitionRefused
from tests.workflow.situations import (
    ADMIN,
    ALL_ACTORS,
    APPEALABLE,
    ASSESSOR,
    CANDIDATE,
    COORDINATOR,
    DECIDED,
    EXAMINERS_READY,
    LEAD,
    MANAGER,
    MANAGER_AS_CANDIDATE,
    NOT_DECIDED,
    PERSON,
    SCORING,
    SCORING_ASSESSOR,
    SPLIT,
    refusal,
)

#: a yearly report under review by its one assessor, who has confirmed independence
REPORT = Facts(
    subject_is_report=True, team_maximum=1, assessors_assigned=1, assessors_confirmed=1, lead_assigned=True
)

S, A = State, Action

#: (state, action, actor, facts, next state): one case per row of the table
ALLOWED = [
    (S.DRAFT, A.SUBMIT, MANAGER, Facts(questionnaire_complete=True), S.SUBMITTED),
    (S.DRAFT, A.WITHDRAW, MANAGER, Facts(), S.WITHDRAWN),
    (S.SUBMITTED, A.WITHDRAW, MANAGER, Facts(), S.WITHDRAWN),
    (S.ADMITTED, A.WITHDRAW, CANDIDATE, PERSON, S.WITHDRAWN),
    (S.SUBMITTED, A.ADMIT, COORDINATOR, PERSON, S.ADMITTED),
    (
        S.SUBMITTED,
        A.RETURN_FOR_COMPLETION,
        COORDINATOR,
        replace(PERSON, returned_requirements=("elig_training",)),
        S.DRAFT,
    ),
    (
        S.ADMITTED,
        A.CLOSE_THEORY_FAILED,
        COORDINATOR,
        replace(PERSON, theory_failed_finally=True),
        S.NOT_CERTIFIED,
    ),
    (
        S.ADMITTED,
        A.SUBMIT_PRACTICAL,
        CANDIDATE,
        replace(PERSON, theory_passed=True, practical_complete=True),
        S.PRACTICAL_SUBMITTED,
    ),
    (S.PRACTICAL_SUBMITTED, A.WITHDRAW, CANDIDATE, PERSON, S.WITHDRAWN),
    (S.PRACTICAL_SUBMITTED, A.ASSIGN_ASSESSORS, COORDINATOR, EXAMINERS_READY, S.PRACTICAL_SUBMITTED),
    (S.PRACTICAL_SUBMITTED, A.REMOVE_ASSESSOR, COORDINATOR, EXAMINERS_READY, S.PRACTICAL_SUBMITTED),
    (S.PRACTICAL_SUBMITTED, A.START_REVIEW, COORDINATOR, EXAMINERS_READY, S.IN_REVIEW),
    (S.PRACTICAL_SUBMITTED, A.CONFIRM_INDEPENDENCE, ASSESSOR, PERSON, S.PRACTICAL_SUBMITTED),
    (
        S.PRACTICAL_SUBMITTED,
        A.DECLINE_ASSIGNMENT,
        ASSESSOR,
        replace(PERSON, reasons="I trained them"),
        S.PRACTICAL_SUBMITTED,
    ),
    (S.SUBMITTED, A.ASSIGN_ASSESSORS, COORDINATOR, Facts(), S.SUBMITTED),
    (S.IN_REVIEW, A.ASSIGN_ASSESSORS, COORDINATOR, SCORING, S.IN_REVIEW),
    (S.SUBMITTED, A.REMOVE_ASSESSOR, COORDINATOR, SCORING, S.SUBMITTED),
    (S.IN_REVIEW, A.REMOVE_ASSESSOR, COORDINATOR, replace(SCORING, assessors_assigned=3), S.IN_REVIEW),
    (
        S.IN_REVIEW,
        A.REMOVE_ASSESSOR,
        COORDINATOR,
        replace(SCORING, assessors_assigned=3, scores_submitted=2),
        S.SCORED,
    ),
    (S.SUBMITTED, A.CONFIRM_INDEPENDENCE, ASSESSOR, Facts(), S.SUBMITTED),
    (S.IN_REVIEW, A.CONFIRM_INDEPENDENCE, ASSESSOR, Facts(), S.IN_REVIEW),
    (S.APPEALED, A.CONFIRM_INDEPENDENCE, ASSESSOR, Facts(), S.APPEALED),
    (S.SUBMITTED, A.DECLINE_ASSIGNMENT, ASSESSOR, Facts(reasons="I advised them"), S.SUBMITTED),
    (S.IN_REVIEW, A.DECLINE_ASSIGNMENT, ASSESSOR, Facts(reasons="I advised them"), S.IN_REVIEW),
    (S.APPEALED, A.DECLINE_ASSIGNMENT, ASSESSOR, Facts(reasons="I advised them"), S.APPEALED),
    (S.SUBMITTED, A.START_REVIEW, COORDINATOR, SCORING, S.IN_REVIEW),
    (
        S.IN_REVIEW,
        A.REQUEST_CLARIFICATION,
        SCORING_ASSESSOR,
        Facts(clarification_indicators=("I2",)),
        S.CLARIFICATION_REQUESTED,
    ),
    (
        S.CLARIFICATION_REQUESTED,
        A.REQUEST_CLARIFICATION,
        SCORING_ASSESSOR,
        Facts(clarification_indicators=("I2", "I7")),
        S.CLARIFICATION_REQUESTED,
    ),
    (S.CLARIFICATION_REQUESTED, A.ANSWER_CLARIFICATION, MANAGER, Facts(), S.IN_REVIEW),
    (S.IN_REVIEW, A.ACCEPT_REPORT, SCORING_ASSESSOR, REPORT, S.ACCEPTED),
    (S.IN_REVIEW, A.SAVE_SCORES, SCORING_ASSESSOR, SCORING, S.IN_REVIEW),
    (S.CLARIFICATION_REQUESTED, A.SAVE_SCORES, SCORING_ASSESSOR, SCORING, S.CLARIFICATION_REQUESTED),
    (S.APPEALED, A.SAVE_SCORES, SCORING_ASSESSOR, Facts(), S.APPEALED),
    (S.IN_REVIEW, A.SUBMIT_SCORES, SCORING_ASSESSOR, SCORING, S.IN_REVIEW),
    (S.IN_REVIEW, A.SUBMIT_SCORES, SCORING_ASSESSOR, replace(SCORING, scores_submitted=1), S.SCORED),
    (S.SCORED, A.ADD_THIRD_ASSESSOR, COORDINATOR, SPLIT, S.IN_REVIEW),
    (S.SCORED, A.RECORD_CONSENSUS, LEAD, replace(SPLIT, totals_spread=Decimal("29.9")), S.CONSENSUS),
    (S.CONSENSUS, A.DECIDE, COORDINATOR, DECIDED, S.CERTIFIED),
    (S.CONSENSUS, A.DECIDE, COORDINATOR, NOT_DECIDED, S.NOT_CERTIFIED),
    (S.CERTIFIED, A.APPEAL, MANAGER, APPEALABLE, S.APPEALED),
    (S.NOT_CERTIFIED, A.APPEAL, MANAGER, APPEALABLE, S.APPEALED),
    (S.APPEALED, A.ASSIGN_APPEAL_ASSESSOR, COORDINATOR, Facts(), S.APPEALED),
    (S.APPEALED, A.SUBMIT_SCORES, SCORING_ASSESSOR, Facts(), S.APPEALED),
    (S.APPEALED, A.RECORD_CONSENSUS, LEAD, Facts(appeal_panel=2, appeal_scores_submitted=2), S.APPEALED),
    (S.APPEALED, A.DECIDE_APPEAL, COORDINATOR, replace(DECIDED, appeal_scores_submitted=1), S.CERTIFIED),
    (
        S.APPEALED,
        A.DECIDE_APPEAL,
        COORDINATOR,
        replace(NOT_DECIDED, appeal_scores_submitted=1),
        S.NOT_CERTIFIED,
    ),
]


def case_id(case) -> str:
    state, action, _, _, target = case
    return f"{state}-{action}-{target}"


def test_the_cases_cover_every_row_of_the_table():
    covered = Counter((state, action, target) for state, action, _, _, target in ALLOWED)
    assert covered == Counter((row.source, row.action, row.target) for row in TRANSITIONS)


def test_rows_sharing_a_state_and_an_action_are_told_apart_by_a_condition():
    groups = Counter((row.source, row.action) for row in TRANSITIONS)
    shared = [row for row in TRANSITIONS if groups[row.source, row.action] > 1]
    assert shared and all(row.when is not None for row in shared)


@pytest.mark.parametrize("case", ALLOWED, ids=case_id)
def test_the_right_actor_takes_the_transition(case):
    state, action, actor, facts, target = case
    assert apply(state, action, actor, facts) == target
    assert action in allowed_actions(state, actor, facts)


@pytest.mark.parametrize("case", ALLOWED, ids=case_id)
def test_actors_without_the_role_are_refused_with_the_roles_that_may(case):
    state, action, _, facts, target = case
    (row,) = [r for r in TRANSITIONS if (r.source, r.action, r.target) == (state, action, target)]
    for name, actor in ALL_ACTORS.items():
        if actor.workflow_roles() & row.roles:
            continue
        refused = refusal(state, action, actor, facts)
        assert (refused.message, refused.params["action"]) == (WRONG_ROLE, ACTION_LABELS[action]), name


def test_a_wrong_role_refusal_names_who_may_act():
    refused = refusal(S.DRAFT, A.SUBMIT, COORDINATOR, Facts(questionnaire_complete=True))
    assert refused.params == {
        "action": "Submit the application",
        "roles": ("The candidate for attestation", "Manager of the applying organisation"),
    }
    assert str(refused) == (
        "“Submit the application” on this application is reserved for: The candidate for attestation, "
        "Manager of the applying organisation."
    )


def test_only_the_lead_records_consensus():
    facts = replace(SPLIT, totals_spread=Decimal(5))
    assert refusal(S.SCORED, A.RECORD_CONSENSUS, SCORING_ASSESSOR, facts).message == WRONG_ROLE
    not_an_assessor_account = ActorContext(
        roles=frozenset({Role.COORDINATOR}), is_assigned_assessor=True, is_lead=True
    )
    assert refusal(S.SCORED, A.RECORD_CONSENSUS, not_an_assessor_account, facts).message == WRONG_ROLE


ABSENT = [
    (state, action)
    for state in State
    for action in Action
    if not any((row.source, row.action) == (state, action) for row in TRANSITIONS)
]
EVERYONE = ActorContext(
    roles=frozenset(Role), is_applicant=True, is_assigned_assessor=True, is_lead=True, has_confirmed=True
)


@pytest.mark.parametrize(("state", "action"), ABSENT)
def test_an_action_the_state_does_not_offer_is_refused_whoever_asks(state, action):
    refused = refusal(state, action, EVERYONE, replace(DECIDED, questionnaire_complete=True))
    assert refused.message == WRONG_STATE
    assert refused.params == {"action": ACTION_LABELS[action], "state": STATE_LABELS[state]}


def test_states_and_actions_given_as_stored_strings_are_accepted():
    assert apply("draft", "submit", MANAGER, Facts(questionnaire_complete=True)) == S.SUBMITTED


def test_a_manager_cannot_withdraw_once_the_review_has_started():
    assert refusal(S.IN_REVIEW, A.WITHDRAW, MANAGER, Facts()).message == WRONG_STATE


def test_a_manager_is_offered_submit_before_the_draft_is_complete_but_submitting_it_is_refused():
    assert allowed_actions(S.DRAFT, MANAGER, Facts()) == [A.SUBMIT, A.WITHDRAW]
    assert refusal(S.DRAFT, A.SUBMIT, MANAGER, Facts()).message == g.QUESTIONNAIRE_COMPLETE.refusal


# --- a person's application (issue 16, increment 2) ------------------------------------------------------

#: a manager of the candidate's organisation: not the applicant of the candidate's application
MANAGER_NOT_APPLICANT = ActorContext(roles=frozenset({Role.MANAGER}))
#: a team that would let an organisation's review start
SCORING_TEAM = {"assessors_assigned": 2, "assessors_confirmed": 2, "lead_assigned": True}


def test_a_candidate_submits_and_withdraws_as_the_candidate_even_from_a_manager_account():
    for candidate in (CANDIDATE, MANAGER_AS_CANDIDATE):
        assert candidate.workflow_roles() == {Role.CANDIDATE}
        assert allowed_actions(S.DRAFT, candidate, PERSON) == [A.SUBMIT, A.WITHDRAW]
        assert (
            apply(S.DRAFT, A.SUBMIT, candidate, replace(PERSON, questionnaire_complete=True)) == S.SUBMITTED
        )
        assert apply(S.SUBMITTED, A.WITHDRAW, candidate, PERSON) == S.WITHDRAWN


def test_a_manager_of_the_candidates_organisation_takes_no_step_on_it():
    """The candidate's own managers are not the applicant: the application is the person's."""
    assert refusal(S.DRAFT, A.SUBMIT, MANAGER_NOT_APPLICANT, PERSON).message == WRONG_ROLE


def test_the_coordinator_admits_or_returns_a_persons_application_and_nothing_else():
    assert allowed_actions(S.SUBMITTED, COORDINATOR, PERSON) == [A.ADMIT, A.RETURN_FOR_COMPLETION]
    for action in (A.ASSIGN_ASSESSORS, A.REMOVE_ASSESSOR, A.START_REVIEW):
        refused = refusal(S.SUBMITTED, action, COORDINATOR, replace(PERSON, **SCORING_TEAM))
        assert refused.message == g.SUBJECT_IS_ORGANISATION.refusal
        assert "theory exam" in str(refused)


def test_an_organisations_application_is_neither_admitted_nor_returned():
    returned = Facts(returned_requirements=("org_registered",))
    assert A.ADMIT not in allowed_actions(S.SUBMITTED, COORDINATOR, returned)
    for action in (A.ADMIT, A.RETURN_FOR_COMPLETION):
        assert refusal(S.SUBMITTED, action, COORDINATOR, returned).message == g.SUBJECT_IS_PERSON.refusal


def test_returning_needs_a_reason_for_a_requirement_but_the_button_is_offered_before():
    assert A.RETURN_FOR_COMPLETION in allowed_actions(S.SUBMITTED, COORDINATOR, PERSON)
    refused = refusal(S.SUBMITTED, A.RETURN_FOR_COMPLETION, COORDINATOR, PERSON)
    assert refused.message == g.REASON_PER_REQUIREMENT.refusal


def test_an_administrator_neither_admits_nor_returns():
    assert allowed_actions(S.SUBMITTED, ADMIN, PERSON) == []
    assert refusal(S.SUBMITTED, A.ADMIT, ADMIN, PERSON).message == WRONG_ROLE


def test_an_admitted_candidate_may_withdraw_and_nobody_else_acts_yet():
    assert allowed_actions(S.ADMITTED, CANDIDATE, PERSON) == [A.WITHDRAW]
    assert allowed_actions(S.ADMITTED, COORDINATOR, PERSON) == []


def test_the_practical_part_is_submitted_once_the_theory_is_passed_and_then_gets_its_examiners():
    complete = replace(PERSON, practical_complete=True)
    assert refusal(S.ADMITTED, A.SUBMIT_PRACTICAL, CANDIDATE, complete).message == g.THEORY_PASSED.refusal
    passed = replace(PERSON, theory_passed=True)
    assert refusal(S.ADMITTED, A.SUBMIT_PRACTICAL, CANDIDATE, passed).message == g.PRACTICAL_COMPLETE.refusal
    # the button is offered once the theory is passed; the summary lists what is still missing
    assert allowed_actions(S.ADMITTED, CANDIDATE, passed) == [A.WITHDRAW, A.SUBMIT_PRACTICAL]
    assert refusal(S.ADMITTED, A.SUBMIT_PRACTICAL, MANAGER, complete).message == WRONG_ROLE
    # nobody examines a practical part before it is submitted
    assert refusal(S.ADMITTED, A.ASSIGN_ASSESSORS, COORDINATOR, passed).message == WRONG_STATE
    assert A.ASSIGN_ASSESSORS in allowed_actions(S.PRACTICAL_SUBMITTED, COORDINATOR, PERSON)


def test_a_candidate_answers_the_examiners_questions():
    assert allowed_actions(S.CLARIFICATION_REQUESTED, CANDIDATE, PERSON) == [A.ANSWER_CLARIFICATION]


def test_a_candidate_who_may_still_pass_is_not_closed_as_failed():
    refused = refusal(S.ADMITTED, A.CLOSE_THEORY_FAILED, COORDINATOR, PERSON)
    assert refused.message == g.THEORY_FAILED_FINALLY.refusal
    failed = replace(PERSON, theory_failed_finally=True)
    assert allowed_actions(S.ADMITTED, COORDINATOR, failed) == [A.CLOSE_THEORY_FAILED]


def test_the_candidates_trainer_and_examiners_do_not_decide():
    person = replace(DECIDED, subject_is_person=True)
    trainer = replace(COORDINATOR, trained_candidate=True)
    assert refusal(S.CONSENSUS, A.DECIDE, trainer, person).message == g.DECIDER_DID_NOT_TRAIN.refusal
    examiner = replace(COORDINATOR, took_part=True)
    refused = refusal(S.CONSENSUS, A.DECIDE, examiner, person)
    assert refused.message == g.DECIDER_TOOK_NO_PART.reworded[1]
    assert "examined this candidate" in refused.text()
    # an organisation's decision keeps its own wording
    assert refusal(S.CONSENSUS, A.DECIDE, examiner, DECIDED).message == g.DECIDER_TOOK_NO_PART.refusal


def test_the_candidate_appeals_a_decision_on_their_attestation():
    assert (
        apply(S.NOT_CERTIFIED, A.APPEAL, CANDIDATE, replace(APPEALABLE, subject_is_person=True)) == S.APPEALED
    )


def test_a_scheme_s_own_appeal_period_decides_when_an_appeal_is_too_late():
    shorter = replace(APPEALABLE, subject_is_person=True, appeal_days=20)  # decided 30 days ago
    refused = refusal(S.NOT_CERTIFIED, A.APPEAL, CANDIDATE, shorter)
    assert refused.message == g.WITHIN_APPEAL_PERIOD.refusal and refused.params["days"] == 20
    assert "20" in refused.text()
    assert apply(S.NOT_CERTIFIED, A.APPEAL, CANDIDATE, replace(shorter, appeal_days=30)) == S.APPEALED


def test_a_yearly_report_is_accepted_never_scored_nor_withdrawn():
    offered = allowed_actions(S.IN_REVIEW, SCORING_ASSESSOR, REPORT)
    assert offered == [A.REQUEST_CLARIFICATION, A.ACCEPT_REPORT]
    for action in (A.SAVE_SCORES, A.SUBMIT_SCORES):
        with pytest.raises(TransitionRefused) as refused:
            apply(S.IN_REVIEW, action, SCORING_ASSESSOR, REPORT)
        assert refused.value.message == g.NOT_A_YEARLY_REPORT.refusal
    for state in (S.DRAFT, S.SUBMITTED):
        with pytest.raises(TransitionRefused):
            apply(state, A.WITHDRAW, MANAGER, REPORT)


def test_an_application_for_certification_is_never_accepted_as_a_report():
    with pytest.raises(TransitionRefused) as refused:
        apply(S.IN_REVIEW, A.ACCEPT_REPORT, SCORING_ASSESSOR, SCORING)
    assert refused.value.message == g.SUBJECT_IS_REPORT.refusal


def test_a_yearly_report_has_one_assessor():
    with pytest.raises(TransitionRefused) as refused:
        apply(S.SUBMITTED, A.ASSIGN_ASSESSORS, COORDINATOR, replace(REPORT, proposed_team_size=2))
    assert (
        refused.value.text()
        == "No more assessors can be assigned: the team of this application is complete at 1."
    )
    assert apply(S.SUBMITTED, A.ASSIGN_ASSESSORS, COORDINATOR, replace(REPORT, proposed_team_size=1))
