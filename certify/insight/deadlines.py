"""The deadlines the dashboard checks the pipeline against, in one place, with their defaults.

Neither the standard nor the workflow sets these: they are the certification body's own service levels.
Each one is a number of days, changed by the setting `CERTIFY_DEADLINE_<NAME>_DAYS` (for instance
`CERTIFY_DEADLINE_SCORING_DAYS=28` in the environment). When each clock starts is said in
docs/insight.md and done in certify/insight/pipeline.py.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum

from certify.textmarks import N_


class Deadline(StrEnum):
    #: an assessor has not confirmed independence (or declined) since being assigned
    INDEPENDENCE = "independence"
    #: an assessor of the review team has not submitted scores since the review started
    SCORING = "scoring"
    #: no decision since the lead recorded the consensus
    DECISION = "decision"
    #: the manager has not answered the assessors' questions
    CLARIFICATION = "clarification"


DEFAULT_DAYS: Mapping[Deadline, int] = {
    Deadline.INDEPENDENCE: 5,
    Deadline.SCORING: 21,
    Deadline.DECISION: 14,
    Deadline.CLARIFICATION: 14,
}

#: what a deadline means, with its days (`gettext(label) % {"days": n}`)
LABELS: Mapping[Deadline, str] = {
    Deadline.INDEPENDENCE: N_("Independence not confirmed within %(days)d days of the assignment"),
    Deadline.SCORING: N_("Scores not submitted within %(days)d days of the review's start"),
    Deadline.DECISION: N_("No decision within %(days)d days of the consensus"),
    Deadline.CLARIFICATION: N_("Clarification unanswered within %(days)d days"),
}


def setting_name(deadline: Deadline) -> str:
    return f"CERTIFY_DEADLINE_{deadline.name}_DAYS"


def days_allowed(config: Mapping) -> dict[Deadline, int]:
    """The days each deadline allows: the configured setting where there is one, else the default."""
    return {d: int(config.get(setting_name(d), DEFAULT_DAYS[d])) for d in Deadline}
