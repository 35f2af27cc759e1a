"""The conditions a transition requires, each with the text the docs show and the refusal it raises.

Refusals are English `%`-templates marked with `N_`; their params are plain values (numbers, dates,
level ids), so the web layer shows one with `gettext(refusal.message) % refusal.params`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from certify.textmarks import N_
from certify.workflow.context import ActorContext, Facts

MAX_ASSESSORS = 3
#: totals this far apart (or further) call for a third opinion before consensus, unless the standard
#: sets its own spread (`review.third_assessor_spread`); the indicator step gap is off unless set
SPREAD_LIMIT = Decimal(30)
APPEAL_DAYS = 30

Check = Callable[[ActorContext, Facts], bool]


def _no_params(actor: ActorContext, facts: Facts) -> dict:
    return {}


@dataclass(frozen=True)
class Guard:
    """A requirement: `holds` must be true, or the action is refused with `refusal`.

    `on_input` marks a check of what the actor enters with the action (reasons, indicators, a chosen
    assessor); `allowed_actions` skips those, because a button is shown before its form is filled in.
    """

    requirement: str
    holds: Check
    refusal: str
    params: Callable[[ActorContext, Facts], dict] = _no_params
    on_input: bool = False
    #: (when, refusal): the refusal to raise instead where `when` holds, e.g. a rule the standard switches on
    reworded: tuple[Check, str] | None = None

    def refusal_for(self, actor: ActorContext, facts: Facts) -> str:
        """The refusal that fits the situation: `refusal`, or the reworded one where it applies."""
        if self.reworded is not None and self.reworded[0](actor, facts):
            return self.reworded[1]
        return self.refusal


@dataclass(frozen=True)
class Branch:
    """Chooses between rows that share a state and an action, e.g. a decision with or without a level."""

    condition: str
    holds: Check


def _given(text: str) -> bool:
    return bool(text.strip())


def _spread_too_wide(facts: Facts) -> bool:
    return facts.totals_spread is not None and facts.totals_spread >= facts.spread_limit


def _steps_too_far(facts: Facts) -> bool:
    """One indicator's scores are as far apart as the standard's step gap, where the standard sets one."""
    return (
        facts.step_limit is not None
        and facts.largest_step_gap is not None
        and facts.largest_step_gap >= facts.step_limit
    )


def _third_limits(actor: ActorContext, facts: Facts) -> dict:
    steps = {} if facts.step_limit is None else {"steps": facts.step_limit}
    return {"limit": facts.spread_limit} | steps


#: shown for "no level" wherever a refusal names the computed or chosen level
NO_LEVEL = N_("no level")


def _level_name(facts: Facts, level_id: str | None) -> str:
    """The level as a refusal names it: its name in the user's language, else its id; None is no level."""
    if level_id is None:
        return NO_LEVEL
    rule = facts.levels.get(level_id)
    return rule.name if rule is not None and rule.name else level_id


def _not_above_computed(facts: Facts) -> bool:
    """No level, or one ranked at most as high as the computed one; a level the standard lacks never holds."""
    if facts.chosen_level is None:
        return True
    chosen = facts.levels.get(facts.chosen_level)
    computed = facts.levels.get(facts.computed_level) if facts.computed_level is not None else None
    return chosen is not None and computed is not None and chosen.rank <= computed.rank


def _enough_assessors(facts: Facts) -> bool:
    if facts.chosen_level is None:
        return True
    rule = facts.levels.get(facts.chosen_level)
    return rule is not None and rule.assessors <= facts.decision_assessors


def _assessors_params(actor: ActorContext, facts: Facts) -> dict:
    rule = facts.levels.get(facts.chosen_level or "")
    return {
        "level": _level_name(facts, facts.chosen_level),
        "least": rule.assessors if rule is not None else MAX_ASSESSORS,
        "count": facts.decision_assessors,
    }


def appeal_deadline(decided_on: date, days: int = APPEAL_DAYS) -> date:
    """The last day an appeal against a decision taken on `decided_on` may be lodged, `days` after it."""
    return decided_on + timedelta(days=days)


def _appeal_deadline(facts: Facts):
    return appeal_deadline(facts.decided_on, facts.appeal_days) if facts.decided_on else None


# Checked when the manager submits: until then the summary offers the button and lists what is missing.
QUESTIONNAIRE_COMPLETE = Guard(
    "questionnaire complete",
    lambda actor, facts: facts.questionnaire_complete,
    N_("The questionnaire is not complete: answer every required question before submitting."),
    on_input=True,
)
# A person's application is checked for admission before anything else happens to it; an organisation's
# goes to its assessors. Each side's actions from `submitted` are refused to the other with the reason.
SUBJECT_IS_PERSON = Guard(
    "the applicant is a person",
    lambda actor, facts: facts.subject_is_person,
    N_(
        "Only a candidate's application for attestation is admitted to an exam or returned for "
        "completion; an organisation's application goes to its assessors."
    ),
)
SUBJECT_IS_REPORT = Guard(
    "the application is a yearly report",
    lambda actor, facts: facts.subject_is_report,
    N_("Only a certified organisation's yearly report is accepted this way; an application is scored."),
)
NOT_A_YEARLY_REPORT = Guard(
    "the application is not a yearly report",
    lambda actor, facts: not facts.subject_is_report,
    N_(
        "A yearly report is neither scored nor withdrawn: its assessor accepts it or asks the manager to "
        "clarify it, and a draft is corrected until it is submitted."
    ),
)
SUBJECT_IS_ORGANISATION = Guard(
    "the applicant is an organisation",
    lambda actor, facts: not facts.subject_is_person,
    N_(
        "This is a candidate's application for attestation: a coordinator first checks the prerequisites "
        "and admits the candidate to the theory exam or returns the application. Examiners are assigned "
        "to the practical part only after the theory exam is passed."
    ),
)
# The practical stage opens only after the theory is passed (Decree 1204); a candidate who failed it and
# may retake it later is not closed as failed.
THEORY_PASSED = Guard(
    "the theory exam passed",
    lambda actor, facts: facts.theory_passed,
    N_("The theory exam is not passed yet: the practical part opens only once it is passed."),
)
PRACTICAL_COMPLETE = Guard(
    "practical part complete",
    lambda actor, facts: facts.practical_complete,
    N_("The practical part is not complete: answer every required question before submitting it."),
    on_input=True,
)
THEORY_FAILED_FINALLY = Guard(
    "the theory exam failed with no retake left",
    lambda actor, facts: facts.theory_failed_finally,
    N_(
        "The candidate may still pass the theory exam (an attempt is open, or a retake is allowed by the "
        "scheme's rules): the application is not closed."
    ),
)
REASON_PER_REQUIREMENT = Guard(
    "a reason for at least one requirement",
    lambda actor, facts: bool(facts.returned_requirements),
    N_("Give the reason for at least one requirement the candidate has to complete."),
    on_input=True,
)
TEAM_WITHIN_LIMIT = Guard(
    "at most the team's maximum with those chosen (3; 1 for a yearly report)",
    lambda actor, facts: facts.proposed_team_size <= facts.team_maximum,
    N_("No more assessors can be assigned: the team of this application is complete at %(most)s."),
    lambda actor, facts: {"most": facts.team_maximum},
    on_input=True,
)
TEAM_SIZE = Guard(
    "the standard's minimum to the team's maximum assigned",
    lambda actor, facts: max(1, facts.team_minimum) <= facts.assessors_assigned <= facts.team_maximum,
    N_(
        "The standard asks for %(least)s to %(most)s assessors on a review; %(count)s are assigned. "
        "Assign the missing assessors before the review starts."
    ),
    lambda actor, facts: {
        "least": max(1, facts.team_minimum),
        "most": facts.team_maximum,
        "count": facts.assessors_assigned,
    },
)
# Removing an assessor: what they have submitted is part of the review, and a review under way keeps the
# team the standard asks for (the replacement is assigned first, then the assessor removed).
REMOVED_NOT_SUBMITTED = Guard(
    "the assessor removed has not submitted scores",
    lambda actor, facts: not facts.removed_has_submitted,
    N_("An assessor who has submitted scores stays on the team: the scores are part of the review."),
    on_input=True,
)
MINIMUM_KEPT = Guard(
    "the standard's minimum stays on the team",
    lambda actor, facts: facts.assessors_assigned - 1 >= max(1, facts.team_minimum),
    N_(
        "The review would keep %(left)s assessors, and the standard asks for at least %(least)s: "
        "assign the replacement first, then remove the assessor."
    ),
    lambda actor, facts: {"left": facts.assessors_assigned - 1, "least": max(1, facts.team_minimum)},
)
LEAD_NAMED = Guard(
    "a lead assessor named",
    lambda actor, facts: facts.lead_assigned,
    N_("Name one of the assessors as the lead before the review starts."),
)
ALL_CONFIRMED = Guard(
    "every assessor confirmed independence",
    lambda actor, facts: facts.assessors_confirmed >= facts.assessors_assigned,
    N_("%(waiting)s of the %(count)s assessors have not yet confirmed their independence."),
    lambda actor, facts: {
        "waiting": facts.assessors_assigned - facts.assessors_confirmed,
        "count": facts.assessors_assigned,
    },
)
NOT_YET_CONFIRMED = Guard(
    "not yet confirmed",
    lambda actor, facts: not actor.has_confirmed,
    N_("You have already confirmed your independence; ask the coordinator to change the assignment."),
)
REASONS_GIVEN = Guard(
    "reasons given",
    lambda actor, facts: _given(facts.reasons),
    N_("Give your reasons."),
    on_input=True,
)
CONFIRMED = Guard(
    "own independence confirmed",
    lambda actor, facts: actor.has_confirmed,
    N_("Confirm your independence before you work on this application."),
)
NOT_YET_SUBMITTED = Guard(
    "own scores not yet submitted",
    lambda actor, facts: not actor.has_submitted,
    N_("You have already submitted your scores."),
)
INDICATORS_NAMED = Guard(
    "indicators named",
    lambda actor, facts: bool(facts.clarification_indicators),
    N_("Name the indicators on which you need clarification."),
    on_input=True,
)
SPREAD_CALLS_FOR_THIRD = Guard(
    "totals differ by the standard's spread or more, or one indicator's scores by its step gap",
    lambda actor, facts: _spread_too_wide(facts) or _steps_too_far(facts),
    N_("A third assessor is added only when the assessors' totals differ by %(limit)s points or more."),
    _third_limits,
    reworded=(
        lambda actor, facts: facts.step_limit is not None,
        N_(
            "A third assessor is added only when the assessors' totals differ by %(limit)s points or more, "
            "or their scores on one indicator by %(steps)s steps or more."
        ),
    ),
)
ROOM_FOR_THIRD = Guard(
    "fewer than 3 assessors",
    lambda actor, facts: facts.assessors_assigned < MAX_ASSESSORS,
    N_("The review already has %(most)s assessors."),
    lambda actor, facts: {"most": MAX_ASSESSORS},
)
SPREAD_SETTLED = Guard(
    "totals differ by less than the standard's spread, or 3 assessors",
    lambda actor, facts: not _spread_too_wide(facts) or facts.assessors_assigned >= MAX_ASSESSORS,
    N_(
        "The assessors' totals differ by %(spread)s points (%(limit)s or more): "
        "the coordinator must add a third assessor before consensus."
    ),
    lambda actor, facts: {"spread": facts.totals_spread, "limit": facts.spread_limit},
)
STEPS_SETTLED = Guard(
    "no indicator's scores differ by the standard's step gap, or 3 assessors",
    lambda actor, facts: not _steps_too_far(facts) or facts.assessors_assigned >= MAX_ASSESSORS,
    N_(
        "The assessors' scores on one indicator differ by %(gap)s steps (%(steps)s or more): "
        "the coordinator must add a third assessor before consensus."
    ),
    lambda actor, facts: {"gap": facts.largest_step_gap, "steps": facts.step_limit},
)
# The decision follows the assessed scores downwards only: a level above them would certify what the
# assessors did not find, and a level rests on as many independent assessors as the standard asks for.
NOT_ABOVE_COMPUTED = Guard(
    "the chosen level is not above the computed one",
    lambda actor, facts: _not_above_computed(facts),
    N_(
        "“%(chosen)s” is above the level the assessed scores give (%(computed)s): a decision may choose "
        "a lower level, with a justification, but never a higher one."
    ),
    lambda actor, facts: {
        "chosen": _level_name(facts, facts.chosen_level),
        "computed": _level_name(facts, facts.computed_level),
    },
    on_input=True,
)
ENOUGH_ASSESSORS = Guard(
    "as many assessors' scores as the chosen level asks for",
    lambda actor, facts: _enough_assessors(facts),
    N_(
        "“%(level)s” is granted only on the scores of at least %(least)s independent assessors, and this "
        "decision rests on %(count)s: choose a level that asks for no more, or no level."
    ),
    _assessors_params,
    on_input=True,
)
JUSTIFIED = Guard(
    "a justification if the level differs from the computed one",
    lambda actor, facts: facts.chosen_level == facts.computed_level or _given(facts.justification),
    N_("The decision differs from the computed result (%(computed)s): give a justification."),
    lambda actor, facts: {
        "computed": _level_name(facts, facts.computed_level) if facts.computed_level else "-"
    },
    on_input=True,
)
DECIDER_TOOK_NO_PART = Guard(
    "the decider did not assess this application",
    lambda actor, facts: not actor.took_part,
    N_("You assessed this application, so another coordinator must decide it."),
    reworded=(
        lambda actor, facts: facts.subject_is_person,
        N_("You examined this candidate, so another member of the commission must decide the attestation."),
    ),
)
# ISO/IEC 17024: a decision-maker has neither examined nor trained the candidate.
DECIDER_DID_NOT_TRAIN = Guard(
    "the decider did not train the candidate",
    lambda actor, facts: not actor.trained_candidate,
    N_(
        "You are recorded as having trained this candidate in the last 2 years, so another coordinator "
        "must decide the attestation."
    ),
)
NOT_APPEALED_BEFORE = Guard(
    "no earlier appeal",
    lambda actor, facts: not facts.appeal_used,
    N_("This application was already appealed once; the decision on the appeal is final."),
)
DECISION_DATED = Guard(
    "a dated decision",
    lambda actor, facts: facts.decided_on is not None,
    N_("The decision has no date, so its appeal period cannot be counted."),
)
WITHIN_APPEAL_PERIOD = Guard(
    "within the appeal period of the decision",
    lambda actor, facts: facts.decided_on is None or facts.today <= _appeal_deadline(facts),
    N_("The appeal period ended on %(deadline)s: an appeal must be lodged within %(days)s days."),
    lambda actor, facts: {"deadline": _appeal_deadline(facts), "days": facts.appeal_days},
)
APPEAL_PANEL_OPEN = Guard(
    "fewer appeal assessors than the panel hearing it",
    lambda actor, facts: facts.appeal_assessors_assigned < facts.appeal_panel,
    N_("An assessor is already assigned to this appeal."),
    lambda actor, facts: {"panel": facts.appeal_panel},
    reworded=(
        lambda actor, facts: facts.appeal_panel > 1,
        N_("The appeal panel already has its %(panel)s members."),
    ),
)
TOOK_NO_PART = Guard(
    "the assessor took no part before",
    lambda actor, facts: not facts.appeal_assessor_took_part,
    N_("This assessor took part in the review under appeal; choose one who did not."),
    on_input=True,
)
APPEAL_REVIEW_IN = Guard(
    "every member of the appeal panel submitted",
    lambda actor, facts: facts.appeal_scores_submitted >= facts.appeal_panel,
    N_("The appeal assessor has not submitted the review yet."),
    lambda actor, facts: {
        "missing": facts.appeal_panel - facts.appeal_scores_submitted,
        "panel": facts.appeal_panel,
    },
    reworded=(
        lambda actor, facts: facts.appeal_panel > 1,
        N_("%(missing)s of the appeal panel's %(panel)s members have not submitted their scores yet."),
    ),
)
# A panel of several settles its scores as a review team does, in a consensus of its own; one assessor's
# scores are the appeal review as they stand.
APPEAL_PANEL_OF_SEVERAL = Guard(
    "the appeal is heard by a panel of several",
    lambda actor, facts: facts.appeal_panel > 1,
    N_("An appeal heard by one assessor needs no consensus: the decision rests on their scores."),
)
NO_APPEAL_CONSENSUS_YET = Guard(
    "the appeal panel's consensus not yet recorded",
    lambda actor, facts: not facts.appeal_consensus_recorded,
    N_("The appeal panel's consensus is already recorded."),
)
APPEAL_CONSENSUS_IN = Guard(
    "a panel of several recorded its consensus",
    lambda actor, facts: facts.appeal_panel == 1 or facts.appeal_consensus_recorded,
    N_("The appeal panel has not recorded its consensus yet."),
)

LEVEL_CHOSEN = Branch("if a level is chosen", lambda actor, facts: facts.chosen_level is not None)
NO_LEVEL_CHOSEN = Branch("if no level is chosen", lambda actor, facts: facts.chosen_level is None)
OTHERS_STILL_SCORING = Branch(
    "if others have yet to submit",
    lambda actor, facts: facts.scores_submitted + 1 < facts.assessors_assigned,
)
LAST_TO_SCORE = Branch(
    "if the last to submit",
    lambda actor, facts: facts.scores_submitted + 1 >= facts.assessors_assigned,
)
# The assessor removed has not submitted: those left have, or some are still scoring.
OTHERS_STILL_TO_SUBMIT = Branch(
    "if some of those left have yet to submit",
    lambda actor, facts: facts.scores_submitted < facts.assessors_assigned - 1,
)
OTHERS_ALL_SUBMITTED = Branch(
    "if all those left have submitted",
    lambda actor, facts: facts.scores_submitted >= facts.assessors_assigned - 1,
)
