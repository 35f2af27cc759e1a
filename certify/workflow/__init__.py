"""The application's review workflow: a pure state machine (no Flask, no SQLAlchemy).

Views and services ask it whether an action may be taken and which state follows; they never decide that
themselves. See docs/workflow.md for the table in prose.
"""

from certify.workflow.context import ActorContext, Facts, LevelRule
from certify.workflow.machine import TRANSITIONS, Transition, TransitionRefused, allowed_actions, apply
from certify.workflow.states import ACTION_LABELS, ROLE_LABELS, STATE_LABELS, Action, Role, State

__all__ = [
    "ACTION_LABELS",
    "ROLE_LABELS",
    "STATE_LABELS",
    "TRANSITIONS",
    "Action",
    "ActorContext",
    "Facts",
    "LevelRule",
    "Role",
    "State",
    "Transition",
    "TransitionRefused",
    "allowed_actions",
    "apply",
]
