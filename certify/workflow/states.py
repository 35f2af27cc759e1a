"""The states of an application, the actions that move it between them, and who takes them.

Values are stored in `applications.state` (a 30-character column) and appear in URLs, so they never change
once released; "draft" and "submitted" were stored before this package existed. The labels are English,
marked with `N_` so the web layer can translate them with `gettext(label)`.
"""

from __future__ import annotations

from enum import StrEnum

from certify.textmarks import N_


class State(StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    IN_REVIEW = "in_review"
    CLARIFICATION_REQUESTED = "clarification_requested"
    SCORED = "scored"
    CONSENSUS = "consensus"
    CERTIFIED = "certified"
    NOT_CERTIFIED = "not_certified"
    APPEALED = "appealed"
    WITHDRAWN = "withdrawn"
    #: a person's application whose prerequisites the coordinator accepted: the candidate takes the
    #: theory exam next (issue 16)
    ADMITTED = "admitted"
    #: an admitted candidate who passed the theory exam has submitted the practical part: examiners are
    #: assigned to it next (issue 16)
    PRACTICAL_SUBMITTED = "practical_submitted"
    #: a certified organisation's yearly report accepted by its assessor (issue 18); its figures count
    ACCEPTED = "report_accepted"


class Action(StrEnum):
    SUBMIT = "submit"
    WITHDRAW = "withdraw"
    # A person's application (an attestation candidate's) is checked before any exam: the coordinator
    # admits the candidate, or returns the application to its draft with a reason per requirement.
    ADMIT = "admit"
    RETURN_FOR_COMPLETION = "return_for_completion"
    # A candidate who failed the theory exam with no retake left is not attested: recorded by a
    # coordinator, with the reason, so that the application ends through the workflow like any other.
    CLOSE_THEORY_FAILED = "close_theory_failed"
    # The practical part opens once the theory exam is passed (Decree 1204: theory, then practice); the
    # candidate fills it like a questionnaire and submits it, which freezes it for the examiners.
    SUBMIT_PRACTICAL = "submit_practical"
    ASSIGN_ASSESSORS = "assign_assessors"
    # Unticking an assessor on the team form: the assignment ends (its row and history stay).
    REMOVE_ASSESSOR = "remove_assessor"
    CONFIRM_INDEPENDENCE = "confirm_independence"
    DECLINE_ASSIGNMENT = "decline_assignment"
    # Explicit, not automatic on the last confirmation: it ends the manager's right to withdraw and the
    # coordinator checks the team (1-3 assessors, a lead, all independent) at one audited moment.
    START_REVIEW = "start_review"
    REQUEST_CLARIFICATION = "request_clarification"
    ANSWER_CLARIFICATION = "answer_clarification"
    # Keeping a draft of scores is a step of its own: it is allowed while clarification is pending,
    # when submitting is not.
    SAVE_SCORES = "save_scores"
    SUBMIT_SCORES = "submit_scores"
    ADD_THIRD_ASSESSOR = "add_third_assessor"
    RECORD_CONSENSUS = "record_consensus"
    DECIDE = "decide"
    APPEAL = "appeal"
    ASSIGN_APPEAL_ASSESSOR = "assign_appeal_assessor"
    DECIDE_APPEAL = "decide_appeal"
    # A yearly report is reviewed by one assessor, who accepts it or asks for clarification; its figures
    # are checked against the thresholds when it is accepted (certify.monitoring.review).
    ACCEPT_REPORT = "accept_report"


class Role(StrEnum):
    """A role on one application, derived by `ActorContext.workflow_roles` from account roles and facts.

    `LEAD_ASSESSOR` is never an account role: it is an assigned assessor whom the coordinator named lead.
    `CANDIDATE` is the person a person application is for, whatever their account's role (a candidate's
    or a manager's): on such an application nobody acts as the organisation's manager.
    """

    MANAGER = "manager"
    CANDIDATE = "candidate"
    ASSESSOR = "assessor"
    LEAD_ASSESSOR = "lead_assessor"
    COORDINATOR = "coordinator"
    ADMIN = "admin"


#: answers may still change (the manager prepares the application)
EDITABLE = frozenset({State.DRAFT})
#: an organisation prepares one application at a time: a new one is refused while one is in these states
IN_PREPARATION = frozenset({State.DRAFT})
#: the review is under way: the application is in the review queue and counts towards assessors' workload
UNDER_REVIEW = frozenset(
    {
        State.SUBMITTED,
        State.PRACTICAL_SUBMITTED,
        State.IN_REVIEW,
        State.CLARIFICATION_REQUESTED,
        State.SCORED,
        State.APPEALED,
    }
)
#: assessors may save and submit rubric scores
SCORING = frozenset({State.IN_REVIEW, State.CLARIFICATION_REQUESTED, State.APPEALED})
#: every assessor has submitted, so the scores may be seen side by side (and the consensus and decision)
SCORES_COMPARED = frozenset({State.SCORED, State.CONSENSUS, State.CERTIFIED, State.NOT_CERTIFIED})
#: a decision (first or on appeal) stands
DECIDED = frozenset({State.CERTIFIED, State.NOT_CERTIFIED})
#: the review team, once independent, reads the application (answers, evidence, the scoring page) until
#: the decision; a third assessor's scoring and the consensus included
REVIEW_TEAM_READS = frozenset(
    {
        State.SUBMITTED,
        State.PRACTICAL_SUBMITTED,
        State.IN_REVIEW,
        State.CLARIFICATION_REQUESTED,
        State.SCORED,
        State.CONSENSUS,
    }
)
#: the appeal's assessor, once independent, reads it while the appeal is reviewed, until its decision
APPEAL_REVIEW_READS = frozenset({State.APPEALED})


STATE_LABELS: dict[str, str] = {
    State.DRAFT: N_("Draft"),
    State.SUBMITTED: N_("Submitted"),
    State.IN_REVIEW: N_("In review"),
    State.CLARIFICATION_REQUESTED: N_("Clarification requested"),
    State.SCORED: N_("Scored"),
    State.CONSENSUS: N_("Consensus recorded"),
    State.CERTIFIED: N_("Certified"),
    State.NOT_CERTIFIED: N_("Not certified"),
    State.APPEALED: N_("Under appeal"),
    State.WITHDRAWN: N_("Withdrawn"),
    State.ADMITTED: N_("Admitted to the exam"),
    State.PRACTICAL_SUBMITTED: N_("Practical part submitted"),
    State.ACCEPTED: N_("Report accepted"),
}

ACTION_LABELS: dict[str, str] = {
    Action.SUBMIT: N_("Submit the application"),
    Action.WITHDRAW: N_("Withdraw the application"),
    Action.ADMIT: N_("Admit to the exam"),
    Action.RETURN_FOR_COMPLETION: N_("Return for completion"),
    Action.CLOSE_THEORY_FAILED: N_("Close as not attested: theory exam not passed"),
    Action.SUBMIT_PRACTICAL: N_("Submit the practical part"),
    Action.ASSIGN_ASSESSORS: N_("Assign assessors"),
    Action.REMOVE_ASSESSOR: N_("Remove an assessor"),
    Action.CONFIRM_INDEPENDENCE: N_("Confirm independence"),
    Action.DECLINE_ASSIGNMENT: N_("Decline the assignment"),
    Action.START_REVIEW: N_("Start the review"),
    Action.REQUEST_CLARIFICATION: N_("Request clarification"),
    Action.ANSWER_CLARIFICATION: N_("Answer the clarification request"),
    Action.SAVE_SCORES: N_("Save the draft scores"),
    Action.SUBMIT_SCORES: N_("Submit scores"),
    Action.ADD_THIRD_ASSESSOR: N_("Add a third assessor"),
    Action.RECORD_CONSENSUS: N_("Record the consensus"),
    Action.DECIDE: N_("Decide"),
    Action.APPEAL: N_("Appeal the decision"),
    Action.ASSIGN_APPEAL_ASSESSOR: N_("Assign the appeal assessor"),
    Action.DECIDE_APPEAL: N_("Decide the appeal"),
    Action.ACCEPT_REPORT: N_("Accept the report"),
}

ROLE_LABELS: dict[str, str] = {
    Role.MANAGER: N_("Manager of the applying organisation"),
    Role.CANDIDATE: N_("The candidate for attestation"),
    Role.ASSESSOR: N_("Assigned assessor"),
    Role.LEAD_ASSESSOR: N_("Lead assessor"),
    Role.COORDINATOR: N_("Coordinator"),
    Role.ADMIN: N_("Administrator"),
}
