"""The WSGI application for the benchmark's gunicorn, with the clock travelled to the data set's
"today" (``BENCH_TODAY``, an ISO date; 10:00 in Japan, ticking), as ``bench/run.py`` times the
functions and the test-client pages."""

import datetime as dt
import os

import time_machine

from core.calendar import JST

_travel = time_machine.travel(
    dt.datetime.combine(dt.date.fromisoformat(os.environ["BENCH_TODAY"]), dt.time(10), tzinfo=JST),
    tick=True,
)
_travel.start()

from config.wsgi import application  # noqa: E402

__all__ = ["application"]
