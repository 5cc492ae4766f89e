"""The Japanese calendar: the one home for Japan time, months, fiscal years and service dates.

Days, months and fiscal years are those of Japan (Asia/Tokyo, the configured ``TIME_ZONE``) whatever
the server's own zone, because billing months, follow-up days and fiscal years are Japanese
calendar units. Everything here is plain arithmetic on dates, testable without a request or the
database; ``ending_soon_q`` is the one place the "ending soon" rule is written as a query.

It is also the one home of dates as people read them (``display_date``, ``display_datetime``,
``month_label``): 2024年4月1日, or 令和6年4月1日 for a user who chose the era calendar.
"""

import contextlib
import contextvars
import datetime as dt
import re
import zoneinfo
from calendar import isleap, monthrange
from dataclasses import dataclass

from django.db.models import Q
from django.utils import dateformat
from django.utils.translation import get_language
from django.utils.translation import gettext as _

JST = zoneinfo.ZoneInfo("Asia/Tokyo")
ONE_DAY = dt.timedelta(days=1)

SERVICE_LIMIT_YEARS = 3
# A hand-over must start three months before the service ends (DESIGN 1 and 4), so a person is
# "ending soon" from 90 days before the earlier of the recorded end and the 3-year limit.
ENDING_SOON_DAYS = 90


# ---------------------------------------------------------------------------------------------
# Japan time


def now():
    """The aware current instant in Japan time."""
    return dt.datetime.now(tz=JST)


def today():
    """Today's date in Japan."""
    return now().date()


def start_of_day(day):
    """The aware instant at which ``day`` begins in Japan."""
    return dt.datetime.combine(day, dt.time.min, tzinfo=JST)


def day_range(date_from, date_to):
    """Aware half-open [start, end) covering the Japan dates ``date_from`` … ``date_to``."""
    return start_of_day(date_from), start_of_day(date_to + ONE_DAY)


# ---------------------------------------------------------------------------------------------
# Months


@dataclass(frozen=True, order=True)
class Month:
    year: int
    month: int

    @classmethod
    def of(cls, day):
        return cls(day.year, day.month)

    @classmethod
    def parse(cls, text):
        """``YYYY-MM`` → Month; ValueError otherwise."""
        year, month = text.split("-")
        if len(year) != 4 or len(month) != 2:
            raise ValueError(text)
        value = cls(int(year), int(month))
        dt.date(value.year, value.month, 1)  # validates the month
        return value

    @property
    def first_day(self):
        return dt.date(self.year, self.month, 1)

    @property
    def last_day(self):
        return dt.date(self.year, self.month, monthrange(self.year, self.month)[1])

    # Plain arithmetic: pages step through months thousands of times (a plan's lapse is counted
    # back month by month, a service's months are counted per person).
    def next(self):
        return Month(self.year + 1, 1) if self.month == 12 else Month(self.year, self.month + 1)

    def previous(self):
        return Month(self.year - 1, 12) if self.month == 1 else Month(self.year, self.month - 1)

    def bounds(self):
        """Aware [start, end) of the month in Japan time."""
        return day_range(self.first_day, self.last_day)

    def __str__(self):
        return f"{self.year:04d}-{self.month:02d}"


def months_between(date_from, date_to):
    """Every calendar month touching the dates ``date_from`` … ``date_to``."""
    month, last = Month.of(date_from), Month.of(date_to)
    months = []
    while month <= last:
        months.append(month)
        month = month.next()
    return months


def add_months(date, months):
    """The same day ``months`` calendar months later (or earlier), clamped to the month's end:
    31 January + 1 month is 29 February in a leap year (``dateutil``'s ``relativedelta``, in
    plain arithmetic: it costs a tenth)."""
    year, month = divmod(date.year * 12 + date.month - 1 + months, 12)
    month += 1
    return date.replace(year=year, month=month, day=min(date.day, monthrange(year, month)[1]))


# ---------------------------------------------------------------------------------------------
# Fiscal years (April to March)


def fiscal_year_of(date):
    """The Japanese fiscal year a date falls in: 2025-03-31 → 2024, 2025-04-01 → 2025."""
    return date.year if date.month >= 4 else date.year - 1


def fiscal_year_bounds(fiscal_year):
    """(1 April F, 31 March F+1): the first and last day of fiscal year F."""
    return dt.date(fiscal_year, 4, 1), dt.date(fiscal_year + 1, 3, 31)


# ---------------------------------------------------------------------------------------------
# The 3-year service limit and "ending soon"


def service_limit_end(service_start):
    """The last day of the 3-year limit (civil-code reckoning: the day before the same date three
    years on, or the end of that month when it has no such date)."""
    year = service_start.year + SERVICE_LIMIT_YEARS
    if service_start.month == 2 and service_start.day == 29 and not isleap(year):
        return service_start.replace(year=year, day=28)  # no 29 February three years on
    return service_start.replace(year=year) - ONE_DAY


def latest_start_with_limit_by(date):
    """The latest service start whose 3-year limit ends on or before ``date`` (the inverse of
    ``service_limit_end``, which never decreases, for use in queries)."""
    candidate = add_months(date + ONE_DAY, -12 * SERVICE_LIMIT_YEARS)
    while service_limit_end(candidate) > date:
        candidate -= ONE_DAY
    return candidate


def effective_end(service_start, service_end):
    """The day the service ends at the latest: the recorded end or the 3-year limit, whichever
    comes first."""
    limit_end = service_limit_end(service_start)
    return limit_end if service_end is None else min(service_end, limit_end)


def ending_soon_horizon(today):
    """The last end date that counts as ending soon on ``today``."""
    return today + dt.timedelta(days=ENDING_SOON_DAYS)


def ends_soon(service_start, service_end, *, today):
    """In service today, and the service ends (recorded end or 3-year limit) within 90 days.

    A service already past its end, recorded or by the limit, is not "ending soon".
    """
    if service_start > today:
        return False
    return today <= effective_end(service_start, service_end) <= ending_soon_horizon(today)


@dataclass(frozen=True)
class ServiceLimit:
    """What a page says about one service period's 3-year limit on a day.

    In service (or not started yet): the limit, and whether the service is ending soon. Once the
    service is over, the limit matters only when the service ran until it (3年満了): a service
    that ended earlier shows no 3-year label, or its end would read as the 3-year end.
    """

    limit_end: dt.date
    ended: bool
    completed: bool
    ending_soon: bool

    @property
    def shown(self):
        """Whether the page shows the limit at all."""
        return not self.ended or self.completed


def service_limit(service_start, service_end, *, today):
    """The ``ServiceLimit`` of a service period on ``today``. The service is over once its end
    (recorded end or the limit, whichever comes first) is past; it completed the 3 years when
    that end is the limit (a recorded end on or after the limit, or none)."""
    limit_end = service_limit_end(service_start)
    end = effective_end(service_start, service_end)
    ended = end < today
    return ServiceLimit(
        limit_end=limit_end,
        ended=ended,
        completed=ended and end == limit_end,
        ending_soon=ends_soon(service_start, service_end, today=today),
    )


def ending_soon_q(*, today, prefix=""):
    """``ends_soon`` as a filter on rows with ``service_start``/``service_end`` (``prefix`` reaches
    them through a relation, e.g. ``"client__"``)."""
    start, end = f"{prefix}service_start", f"{prefix}service_end"
    horizon = ending_soon_horizon(today)
    in_service = (
        Q(**{f"{start}__lte": today})
        & (Q(**{f"{end}__isnull": True}) | Q(**{f"{end}__gte": today}))
        # the limit has not passed: it ends today or later
        & Q(**{f"{start}__gt": latest_start_with_limit_by(today - ONE_DAY)})
    )
    ends_by_horizon = Q(**{f"{end}__lte": horizon}) | Q(
        **{f"{start}__lte": latest_start_with_limit_by(horizon)}
    )
    return in_service & ends_by_horizon


# ---------------------------------------------------------------------------------------------
# Japanese eras (和暦)

# (first day, name), latest first: the standard start dates of the modern eras.
ERAS = (
    (dt.date(2019, 5, 1), "令和"),
    (dt.date(1989, 1, 8), "平成"),
    (dt.date(1926, 12, 25), "昭和"),
    (dt.date(1912, 7, 30), "大正"),
    (dt.date(1868, 10, 23), "明治"),
)


def wareki(date):
    """A date in the Japanese era calendar: 2024-04-01 → 令和6年4月1日, the first year as 元年.

    An aware datetime is read in Japan time; a date before 明治 raises ValueError.
    """
    if isinstance(date, dt.datetime):
        date = date.astimezone(JST).date() if date.tzinfo else date.date()
    for first_day, name in ERAS:
        if date >= first_day:
            year = date.year - first_day.year + 1
            year_text = "元" if year == 1 else str(year)
            return f"{name}{year_text}年{date.month}月{date.day}日"
    raise ValueError(f"{date.isoformat()} is before the 明治 era")


WEEKDAYS = "月火水木金土日"


def weekday_label(date):
    """The day of the week as Japanese forms write it (曜日): 2024-04-01 → 月. A datetime is
    read in Japan time."""
    if isinstance(date, dt.datetime):
        date = _local(date).date()
    return WEEKDAYS[date.weekday()]


def month_label(year, month, *, era=None):
    """A month as offices write it: 2024年4月, or in the era calendar 令和6年4月 (the era of the
    month's first day). ``era=None``: the active date style (``activate_date_style``)."""
    if era is None:
        era = era_calendar_active()
    if not era:
        if not _japanese():
            return dateformat.format(dt.date(year, month, 1), "F Y")
        return f"{year}年{month}月"
    return wareki(dt.date(year, month, 1)).rsplit("月", 1)[0].rsplit("年", 1)[0] + f"年{month}月"


# ---------------------------------------------------------------------------------------------
# Dates as a person reads them: the one home of every date a page, a message or a printed
# document shows (machine-read dates stay ISO: form inputs, URLs, exports, the claim file, JSON).

# Whether the request being served shows dates in the era calendar: a bool, or a callable that
# answers it when a date is first shown (the user's preference, read only by pages with dates).
# ``core.date_style.DateStyleMiddleware`` sets it per request from ``UserPreference``, the way
# Django activates the language; outside a request (commands, tasks) dates are Western.
_era_calendar = contextvars.ContextVar("teichaku_era_calendar", default=False)


def activate_date_style(era):
    """Show dates in the era calendar (``era`` true, or a callable returning whether) until
    ``deactivate_date_style`` with the returned token."""
    return _era_calendar.set(era)


def deactivate_date_style(token):
    _era_calendar.reset(token)


def era_calendar_active():
    era = _era_calendar.get()
    return bool(era() if callable(era) else era)


def _japanese():
    return (get_language() or "ja").split("-")[0] == "ja"


def _local(value):
    """An aware datetime as its Japan date and time; a naive one is taken as Japan time."""
    return value.astimezone(JST) if value.tzinfo else value


def display_date(value, *, era=None, weekday=False):
    """A date as pages show it: 2024年4月1日, or in the era calendar 令和6年4月1日 (in English,
    April 1, 2024); with ``weekday``, 2024年4月1日（月）. A datetime is read in Japan time;
    ``era=None``: the active date style."""
    if isinstance(value, dt.datetime):
        value = _local(value).date()
    if era is None:
        era = era_calendar_active()
    text = None
    if era:
        with contextlib.suppress(ValueError):  # before 明治: only the Western calendar has it
            text = wareki(value)
    if text is None:
        if _japanese():
            text = f"{value.year}年{value.month}月{value.day}日"
        else:
            text = dateformat.format(value, "F j, Y")
    if weekday:
        text += f"（{weekday_label(value)}）" if _japanese() else dateformat.format(value, " (D)")
    return text


def display_datetime(value, *, era=None, weekday=False):
    """An instant as pages show it, in Japan time: 2024年4月1日 09:05 (令和6年4月1日 09:05);
    with ``weekday``, 2024年4月1日（月）09:05."""
    local = _local(value)
    separator = "" if weekday and _japanese() else " "
    return f"{display_date(local.date(), era=era, weekday=weekday)}{separator}{local:%H:%M}"


def short_date(value):
    """A day without its year, for lists within one month or a day's context: 4月1日. The same
    in either style (no year, no era)."""
    if isinstance(value, dt.datetime):
        value = _local(value).date()
    if not _japanese():
        return dateformat.format(value, "F j")
    return f"{value.month}月{value.day}日"


def short_datetime(value):
    """An instant without its year, in Japan time: 4月1日 09:05."""
    local = _local(value)
    return f"{short_date(local.date())} {local:%H:%M}"


def age_on(birth_date, day):
    """Age in whole years on ``day`` (a birthday on 29 February counts on 1 March)."""
    age = day.year - birth_date.year
    if (day.month, day.day) < (birth_date.month, birth_date.day):
        age -= 1
    return age


# The letters offices write for the eras (R6.4.1, H31.4.30).
ERA_LETTERS = {"R": "令和", "H": "平成", "S": "昭和", "T": "大正", "M": "明治"}

_WAREKI = re.compile(
    r"(?P<era>令和|平成|昭和|大正|明治|[RHSTM])\s*(?P<year>\d{1,2}|元)\s*"
    r"(?:年\s*(?P<month>\d{1,2})\s*月\s*(?P<day>\d{1,2})\s*日"
    r"|[./-](?P<month2>\d{1,2})[./-](?P<day2>\d{1,2}))",
    re.IGNORECASE,
)


def looks_like_wareki(text):
    """Whether ``text`` is written as an era date (令和6年4月1日, R6.4.1), valid or not."""
    return _WAREKI.fullmatch(text.strip()) is not None


def parse_wareki(text):
    """An era date → the date: 令和6年4月1日, 令和元年5月1日, R6.4.1, H31.4.30 (also S, T, M).

    Raises ValueError for anything else, and for a day outside its era (平成32年, 令和元年4月1日),
    with a reason in the user's language.
    """
    match = _WAREKI.fullmatch(text.strip())
    if match is None:
        raise ValueError(_("Write an era date as 令和6年4月1日 or R6.4.1."))
    era = match["era"]
    era = ERA_LETTERS.get(era.upper(), era)
    year = 1 if match["year"] == "元" else int(match["year"])
    month = int(match["month"] or match["month2"])
    day = int(match["day"] or match["day2"])
    index = next(i for i, (_first, name) in enumerate(ERAS) if name == era)
    first_day = ERAS[index][0]
    last_day = ERAS[index - 1][0] - ONE_DAY if index > 0 else None
    try:
        date = dt.date(first_day.year + year - 1, month, day) if year >= 1 else None
    except ValueError:
        date = None
    if date is None:
        raise ValueError(_("This date does not exist."))
    if date < first_day or (last_day is not None and date > last_day):
        span = {"era": era, "first": wareki(first_day)}
        if last_day is None:
            message = _("%(era)s began on %(first)s: this date is not in %(era)s.") % span
        else:
            span["last"] = wareki(last_day)
            message = (
                _("%(era)s lasted from %(first)s to %(last)s: this date is not in %(era)s.") % span
            )
        raise ValueError(message)
    return date
