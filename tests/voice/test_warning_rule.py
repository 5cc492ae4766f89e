"""The early-warning rule (voice/warning.py), with figures worked out by hand."""

import datetime as dt

from voice.warning import signs

D = dt.date(2026, 11, 1)


def _series(*means, every=7):
    return [(D + dt.timedelta(days=every * i), m) for i, m in enumerate(means)]


def _reasons(check_ins, *, rhythm=7, today=None, started_on=D):
    today = today or check_ins[-1][0]
    return [
        (s.reason, s.detail)
        for s in signs(check_ins=check_ins, rhythm_days=rhythm, started_on=started_on, today=today)
    ]


def test_a_drop_of_more_than_one_below_the_last_four_is_a_warning():
    # level (3 + 3.5 + 3 + 3.5) / 4 = 3.25; 3.25 - 2.0 = 1.25 >= 1
    assert _reasons(_series(3.0, 3.5, 3.0, 3.5, 2.0)) == [("drop", "3.25 → 2.00")]


def test_a_drop_of_exactly_one_counts_and_three_quarters_does_not():
    assert _reasons(_series(3, 3, 3, 2)) == [("drop", "3.00 → 2.00")]
    assert _reasons(_series(3, 3, 3, 2.25)) == []


def test_the_level_is_the_persons_own_last_four_not_their_whole_history():
    # The two early 1s are outside the last four before the latest: level 4, latest 3.
    assert _reasons(_series(1, 1, 4, 4, 4, 4, 3)) == [("drop", "4.00 → 3.00")]


def test_no_drop_is_judged_on_fewer_than_three_earlier_answers():
    assert _reasons(_series(4, 4, 1.5)) == []


def test_three_low_check_ins_in_a_row_are_a_warning():
    assert _reasons(_series(2.0, 1.5, 2.0)) == [("low_run", "2.00 / 1.50 / 2.00")]


def test_a_low_run_broken_by_one_better_answer_is_not():
    assert _reasons(_series(2.0, 2.25, 1.0)) == []


def test_a_drop_and_a_low_run_together():
    # level (2 + 2 + 2) / 3 = 2.00 … latest 1.0: drop 1.0; and the last three are all <= 2.
    assert _reasons(_series(2, 2, 2, 1)) == [
        ("drop", "2.00 → 1.00"),
        ("low_run", "2.00 / 2.00 / 1.00"),
    ]


def test_silence_is_more_than_two_rhythms_since_the_last_answer():
    last = _series(3, 3)  # the last answer on 11-08; weekly
    assert _reasons(last, today=dt.date(2026, 11, 22)) == []  # 14 days: not more than 14
    assert _reasons(last, today=dt.date(2026, 11, 23)) == [("silence", "15")]


def test_silence_before_any_answer_counts_from_the_start():
    # Daily from 11-01, nothing answered by 11-04: 3 days > 2.
    assert _reasons([], rhythm=1, today=dt.date(2026, 11, 4)) == [("silence", "3")]
    assert _reasons([], rhythm=1, today=dt.date(2026, 11, 3)) == []
