"""The survey's status machine (``surveys.status``): plain rules, no database."""

import pytest

from surveys.models import Survey
from surveys.status import State, TransitionRefused, after

DRAFT, OPEN, CLOSED = Survey.Status.DRAFT, Survey.Status.OPEN, Survey.Status.CLOSED


def test_a_draft_or_closed_survey_opens_and_keeps_its_publication():
    assert after(status=DRAFT, report_published=False, action="open") == State(OPEN, False)
    assert after(status=CLOSED, report_published=True, action="open") == State(OPEN, True)


def test_only_an_open_survey_closes():
    assert after(status=OPEN, report_published=False, action="close") == State(CLOSED, False)
    for status in (DRAFT, CLOSED):
        with pytest.raises(TransitionRefused):
            after(status=status, report_published=False, action="close")


def test_the_report_is_published_and_withdrawn_only_once_answers_were_taken():
    assert after(status=CLOSED, report_published=False, action="publish") == State(CLOSED, True)
    assert after(status=OPEN, report_published=True, action="unpublish") == State(OPEN, False)
    for action in ("publish", "unpublish"):
        with pytest.raises(TransitionRefused):
            after(status=DRAFT, report_published=False, action=action)


def test_an_open_survey_cannot_open_again_and_unknown_actions_are_refused():
    for action in ("open", "archive", "", None):
        with pytest.raises(TransitionRefused):
            after(status=OPEN, report_published=False, action=action)
