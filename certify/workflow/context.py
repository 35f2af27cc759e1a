"""What the machine is told: who acts, and the plain facts about the application at that moment.

The review services build both from the database; the machine only reads them, which keeps it pure and
lets tests state any situation in one line. Counts describe the application before the action; fields
marked "input" carry what the actor enters with the action itself (a reason, a chosen level …).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from certify.workflow.states import Role


@dataclass(frozen=True)
class ActorContext:
    """The user taking an action, as seen from one application."""

    #: account roles (manager, assessor, coordinator, admin)
    roles: frozenset[Role] = frozenset()
    #: the applicant: a manager of the organisation that applies, or the person a person application is for
    is_applicant: bool = False
    #: the applicant of a person application (an attestation candidate): acts as the candidate, never as
    #: an organisation's manager, whatever the account's role
    is_candidate: bool = False
    #: holds an active (not declined) assignment on this application; under appeal, the appeal assignment
    is_assigned_assessor: bool = False
    #: the assigned assessor named lead by the coordinator
    is_lead: bool = False
    #: this assessor has confirmed independence for the assignment
    has_confirmed: bool = False
    #: this assessor has submitted scores (in the current review or the appeal review)
    has_submitted: bool = False
    #: holds or held an assignment on this application that was not declined (the review or its appeal),
    #: whatever the account's roles are now: such a person never decides the application
    took_part: bool = False
    #: recorded as having trained the candidate of a person's application in the last 2 years (their own
    #: declaration, certify.review.conflicts): such a person neither examines nor decides the candidate
    trained_candidate: bool = False

    def workflow_roles(self) -> frozenset[Role]:
        """The roles this actor holds on this application: account roles narrowed by relationship."""
        held = {role for role in (Role.COORDINATOR, Role.ADMIN) if role in self.roles}
        if self.is_candidate:
            held.add(Role.CANDIDATE)
        elif Role.MANAGER in self.roles and self.is_applicant:
            held.add(Role.MANAGER)
        if Role.ASSESSOR in self.roles and self.is_assigned_assessor:
            held.add(Role.ASSESSOR)
            if self.is_lead:
                held.add(Role.LEAD_ASSESSOR)
        return frozenset(held)


@dataclass(frozen=True)
class LevelRule:
    """What a decision needs to know of one level of the application's standard."""

    #: higher rank = better level
    rank: int
    #: the independent assessors whose scores a grant at this level rests on, at least
    assessors: int = 1
    #: the level's name in the user's language, for refusals ("" shows the level's id)
    name: str = ""


@dataclass(frozen=True)
class Facts:
    """The application's situation, as plain values; every field has a harmless default."""

    today: date = field(default_factory=date.today)
    #: the application is a person's (an attestation candidate's), not an organisation's
    subject_is_person: bool = False
    #: the application is a certified organisation's yearly report (issue 18), reviewed by one assessor
    subject_is_report: bool = False
    questionnaire_complete: bool = False
    #: input: the eligibility requirements a coordinator returns a person's application on, each with
    #: its reason
    returned_requirements: tuple[str, ...] = ()
    #: a person's application: an attempt of the scheme's theory exam linked to it closed passed
    theory_passed: bool = False
    #: input: every required question of a person's practical part is answered
    practical_complete: bool = False
    #: a person's application: the theory exam failed and the scheme's attempt rules allow no retake
    theory_failed_finally: bool = False
    #: active assignments (declined ones excluded); 3 once a third assessor has been added
    assessors_assigned: int = 0
    #: input: the size of the team once the assessors being assigned join it
    proposed_team_size: int = 0
    #: the fewest assessors the application's standard asks for (the most any of its levels needs)
    team_minimum: int = 1
    #: the most assessors on the team: 3, and 1 for a yearly report
    team_maximum: int = 3
    #: input: the assessor being removed from the team has already submitted scores
    removed_has_submitted: bool = False
    lead_assigned: bool = False
    assessors_confirmed: int = 0
    scores_submitted: int = 0
    #: input: the indicators an assessor asks the manager to clarify
    clarification_indicators: tuple[str, ...] = ()
    #: highest minus lowest of the assessors' totals; None while fewer than two totals exist
    totals_spread: Decimal | None = None
    #: the standard's setting: totals this far apart (or further) call for a third assessor
    spread_limit: Decimal = Decimal(30)
    #: the widest gap, in rubric steps, between the assessors' scores on any one indicator; None while
    #: fewer than two assessors' scores exist
    largest_step_gap: int | None = None
    #: the standard's setting: scores on one indicator this many steps apart call for a third assessor;
    #: None: the standard has no such rule (cmq 1.0)
    step_limit: int | None = None
    #: the levels of the application's standard by id; a level not named here is never granted
    levels: Mapping[str, LevelRule] = field(default_factory=dict)
    #: independent assessors whose submitted scores the decision rests on: the review team's (declined and
    #: removed assignments excluded) and, under appeal, the appeal assessor's
    decision_assessors: int = 0
    #: the level the scoring rules give (None: no level reached)
    computed_level: str | None = None
    #: input: the level the coordinator certifies at (None: not certified)
    chosen_level: str | None = None
    #: input: reasons for declining an assignment, for a decision, or the grounds of an appeal
    reasons: str = ""
    #: input: why a decision departs from the computed level
    justification: str = ""
    decided_on: date | None = None
    #: the days after the decision within which it may be appealed: a personal scheme's
    #: `procedure.appeal_days`, 30 for an organisation's standard
    appeal_days: int = 30
    appeal_used: bool = False
    #: how many hear an appeal: a personal scheme's `procedure.appeal_panel`, one for an organisation's
    appeal_panel: int = 1
    #: the appeal's assessors assigned (declined ones excluded), and those of them who submitted scores
    appeal_assessors_assigned: int = 0
    appeal_scores_submitted: int = 0
    #: a panel of several has recorded its own consensus
    appeal_consensus_recorded: bool = False
    #: input: the assessor proposed for the appeal took part in the review under appeal
    appeal_assessor_took_part: bool = False
