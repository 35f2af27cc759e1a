"""Candidates for attestation by stage, how long each has waited, and which are past the scheme's deadlines.

A person's application goes its own way (docs/attestation.md): the admission check, the theory exam in a
window, the practical part before examiners, the commission's decision, an appeal's decision. Its
deadlines are the scheme's (`procedure.admission_days`, `exam.window_days`, `procedure.decision_days`),
read for each application from its own version by the attestation's functions (`admission_due`,
`theory_of`, `decision_due`, `appeal_decision_due`), so
the dashboard says what the coordinator's queue and the candidate's page say. As in
certify.insight.pipeline, every count is the length of a list built here, which its page shows.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum

import sqlalchemy as sa

from certify.attestation.admission import admission_due, attestation_of
from certify.attestation.stages import appeal_decision_due, decision_due
from certify.attestation.theory import theory_of
from certify.questionnaire.models import Application
from certify.review.queue import entered_state_at
from certify.standards.attestation import Attestation
from certify.textmarks import N_
from certify.workflow import State


class Stage(StrEnum):
    #: submitted, waiting for the coordinator's admission check
    APPLYING = "applying"
    #: admitted, the theory exam not passed yet
    THEORY = "theory"
    #: the theory passed (or waived for a renewal by CPD): the examiners are assigned, or score the
    #: practical part
    PRACTICAL = "practical"
    #: the examiners' consensus recorded: the commission decides
    DECISION = "decision"
    APPEALED = "appealed"
    ATTESTED = "attested"
    NOT_ATTESTED = "not_attested"


class PersonDeadline(StrEnum):
    #: the admission check, `procedure.admission_days` after the (latest) submission
    ADMISSION = "admission"
    #: the theory exam passed within the window of `exam.window_days` from admission
    THEORY = "theory"
    #: the commission's decision, `procedure.decision_days` after the consensus
    DECISION = "decision"
    #: the decision on an appeal, `procedure.decision_days` after it was lodged
    APPEAL = "appeal"


STAGE_LABELS = {
    Stage.APPLYING: N_("Submitted, awaiting the admission check"),
    Stage.THEORY: N_("Admitted, awaiting the theory exam"),
    Stage.PRACTICAL: N_("Theory passed, practical part under review"),
    Stage.DECISION: N_("Awaiting the commission's decision"),
    Stage.APPEALED: N_("Appeal under review"),
    Stage.ATTESTED: N_("Decided: attested"),
    Stage.NOT_ATTESTED: N_("Decided: not attested"),
}
#: the stages in which the candidate waits for the body (or, in the theory, the body for the candidate)
WAITING = (Stage.APPLYING, Stage.THEORY, Stage.PRACTICAL, Stage.DECISION, Stage.APPEALED)
#: what a deadline means, with the scheme's days (`gettext(label) % {"days": "10"}`)
DEADLINE_LABELS = {
    PersonDeadline.ADMISSION: N_("Admission not checked within %(days)s days of the submission"),
    PersonDeadline.THEORY: N_("Theory exam not passed within the %(days)s-day window"),
    PersonDeadline.DECISION: N_("No decision within %(days)s days of the consensus"),
    PersonDeadline.APPEAL: N_("No decision on the appeal within %(days)s days of lodging it"),
}
#: the deadline that runs in a stage
DEADLINE_OF = {
    Stage.APPLYING: PersonDeadline.ADMISSION,
    Stage.THEORY: PersonDeadline.THEORY,
    Stage.DECISION: PersonDeadline.DECISION,
    Stage.APPEALED: PersonDeadline.APPEAL,
}
#: the state of each stage but the theory's, which an admitted candidate leaves on passing
STAGE_OF_STATE = {
    State.SUBMITTED: Stage.APPLYING,
    State.PRACTICAL_SUBMITTED: Stage.PRACTICAL,
    State.IN_REVIEW: Stage.PRACTICAL,
    State.CLARIFICATION_REQUESTED: Stage.PRACTICAL,
    State.SCORED: Stage.PRACTICAL,
    State.CONSENSUS: Stage.DECISION,
    State.APPEALED: Stage.APPEALED,
    State.CERTIFIED: Stage.ATTESTED,
    State.NOT_CERTIFIED: Stage.NOT_ATTESTED,
}
COUNTED_STATES = frozenset(STAGE_OF_STATE) | {State.ADMITTED}


@dataclass(frozen=True)
class Candidate:
    """A candidate's application at its stage, since it reached its state, and the stage's last day."""

    application: Application
    stage: Stage
    since: datetime
    #: the last day of the stage's deadline; None where none runs (or the theory is not yet admitted)
    due: date | None = None

    @property
    def deadline(self) -> PersonDeadline | None:
        return DEADLINE_OF.get(self.stage)

    def overdue(self, today: date) -> bool:
        return self.due is not None and today > self.due


def candidates(session) -> list[Candidate]:
    """Every candidate's application past its draft and not withdrawn, the one longest in its state first."""
    applications = list(
        session.scalars(
            sa.select(Application).where(
                Application.candidate_id.is_not(None), Application.state.in_(sorted(COUNTED_STATES))
            )
        )
    )
    entered = entered_state_at(session, applications)
    rows = [_candidate(session, application, entered[application.id]) for application in applications]
    return sorted(rows, key=lambda row: (row.since, row.application.id))


def _candidate(session, application: Application, since: datetime) -> Candidate:
    state = State(application.state)
    if state == State.ADMITTED:
        theory = theory_of(session, application)
        # a renewal admitted on its CPD record takes no exam: it is at the practical part at once
        if theory.passed or theory.waived:
            return Candidate(application, Stage.PRACTICAL, since)
        return Candidate(application, Stage.THEORY, since, theory.last_day)
    stage = STAGE_OF_STATE[state]
    due = {
        Stage.APPLYING: admission_due(application),
        Stage.DECISION: decision_due(session, application),
        Stage.APPEALED: appeal_decision_due(session, application),
    }
    return Candidate(application, stage, since, due.get(stage))


def at_stage(rows: Iterable[Candidate], stage: Stage | None) -> list[Candidate]:
    """Those at `stage` (None: all of them), in the same order."""
    return [row for row in rows if stage is None or row.stage == stage]


def past(rows: Iterable[Candidate], deadline: PersonDeadline | None, today: date) -> list[Candidate]:
    """Those past `deadline` (None: past any), the longest overdue first."""
    late = [row for row in rows if row.overdue(today) and (deadline is None or row.deadline == deadline)]
    return sorted(late, key=lambda row: (row.due, row.application.id))


def days_of(deadline: PersonDeadline, scheme: Attestation) -> int:
    """The days the scheme allows for `deadline`."""
    if deadline == PersonDeadline.ADMISSION:
        return scheme.procedure.admission_days
    if deadline == PersonDeadline.THEORY:
        return scheme.exam.window_days
    return scheme.procedure.decision_days


def days_allowed(
    deadline: PersonDeadline, rows: Sequence[Candidate], schemes: Iterable[Attestation]
) -> list[int]:
    """The days `deadline` allows on the schemes of `rows` and on `schemes` (those taking applications):
    usually one number, several where versions differ."""
    every = [attestation_of(row.application) for row in rows] + list(schemes)
    return sorted({days_of(deadline, scheme) for scheme in every})
