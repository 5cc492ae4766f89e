"""The survey's status machine: which coordinator action is possible in which state, and what it
changes. Plain rules, no database: ``surveys.services.survey_status_change`` applies them."""

from typing import NamedTuple

from surveys.models import Survey

# action: the states it may start from
TRANSITIONS = {
    "open": (Survey.Status.DRAFT, Survey.Status.CLOSED),
    "close": (Survey.Status.OPEN,),
    "publish": (Survey.Status.OPEN, Survey.Status.CLOSED),
    "unpublish": (Survey.Status.OPEN, Survey.Status.CLOSED),
}


class TransitionRefused(Exception):
    """The action is unknown or not possible in the survey's current state."""


class State(NamedTuple):
    status: str
    report_published: bool


def after(*, status, report_published, action):
    """The ``State`` the survey is in after ``action``; raises ``TransitionRefused``."""
    if action not in TRANSITIONS or status not in TRANSITIONS[action]:
        raise TransitionRefused(action)
    if action == "open":
        return State(Survey.Status.OPEN, report_published)
    if action == "close":
        return State(Survey.Status.CLOSED, report_published)
    return State(status, action == "publish")
