"""Japan-time calendar arithmetic: months and days are those of Asia/Tokyo, whatever the server's
time zone, because billing months and follow-up days are Japanese calendar units."""

import datetime as dt
import zoneinfo
from dataclasses import dataclass

JST = zoneinfo.ZoneInfo("Asia/Tokyo")


def jst_now():
    return dt.datetime.now(tz=JST)


def jst_today():
    return jst_now().date()


def start_of_day(day):
    """The aware instant at which ``day`` begins in Japan."""
    return dt.datetime.combine(day, dt.time.min, tzinfo=JST)


def day_range(date_from, date_to):
    """Aware half-open [start, end) covering the JST dates ``date_from`` … ``date_to`` inclusive."""
    return start_of_day(date_from), start_of_day(date_to + dt.timedelta(days=1))


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
        return self.next().first_day - dt.timedelta(days=1)

    def next(self):
        return Month(self.year + self.month // 12, self.month % 12 + 1)

    def previous(self):
        return Month(self.year - (self.month == 1), (self.month - 2) % 12 + 1)

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
