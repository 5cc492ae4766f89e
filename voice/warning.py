"""The early-warning rule of the self check-in (docs/line.md, "Early warning").

Plain data in, plain data out: ``check_ins`` are (day, mean rating) pairs, oldest first, the mean
of one check-in's ratings (1 = bad … 4 = good). Three signs, each judged against the person's
own answers, never against other people:

- **drop**: the latest mean is at least ``DROP`` (1.0) below the person's recent level, the mean
  of the ``BASELINE`` (up to 4) check-ins before it; at least ``BASELINE_MIN`` (3) are needed.
- **low run**: the last ``LOW_RUN`` (3) check-ins each have a mean of ``LOW`` (2.0) or less.
- **silence**: no check-in for more than two rhythms (one whole expected check-in missed): the
  days since the last check-in, or since the check-in started when there is none, exceed
  ``2 × rhythm_days``.
"""

import datetime as dt
from dataclasses import dataclass

DROP = 1.0
BASELINE = 4
BASELINE_MIN = 3
LOW = 2.0
LOW_RUN = 3

DROP_REASON = "drop"
LOW_RUN_REASON = "low_run"
SILENCE_REASON = "silence"


@dataclass(frozen=True)
class Sign:
    reason: str
    detail: str  # figures only (language-neutral), e.g. "3.50 → 2.00"


def signs(*, check_ins, rhythm_days, started_on, today):
    """The signs that hold on ``today``, in the order drop, low run, silence."""
    found = []
    means = [mean for _day, mean in check_ins]
    if len(means) > BASELINE_MIN:
        recent = means[-1 - BASELINE : -1]
        if len(recent) >= BASELINE_MIN:
            level = sum(recent) / len(recent)
            if level - means[-1] >= DROP:
                found.append(Sign(DROP_REASON, f"{level:.2f} → {means[-1]:.2f}"))
    if len(means) >= LOW_RUN and all(mean <= LOW for mean in means[-LOW_RUN:]):
        found.append(Sign(LOW_RUN_REASON, " / ".join(f"{m:.2f}" for m in means[-LOW_RUN:])))
    last = check_ins[-1][0] if check_ins else started_on
    if isinstance(last, dt.datetime):
        last = last.date()
    silent_days = (today - last).days
    if silent_days > 2 * rhythm_days:
        found.append(Sign(SILENCE_REASON, f"{silent_days}"))
    return found
