"""The check-in trend as plain coordinates for a server-drawn SVG (no script, no CDN).

One line per item: x is the day within [start, end], y the rating (4 at the top, 1 at the
bottom). Days without an answer are simply not points; a line joins the answers it has.
"""

from dataclasses import dataclass, field

WIDTH = 640
HEIGHT = 200
LEFT = 28
RIGHT = 12
TOP = 12
BOTTOM = 28
# Colour-blind-safe palette (Okabe–Ito), one per item in order.
COLOURS = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#D55E00")


@dataclass
class Line:
    key: str
    label: str
    colour: str
    points: list = field(default_factory=list)  # [(x, y, day, rating)]

    @property
    def path(self):
        return " ".join(f"{x},{y}" for x, y, _day, _rating in self.points)


@dataclass
class Chart:
    width: int
    height: int
    lines: list
    grid: list  # [(y, rating)]
    ticks: list  # [(x, day)]
    start: object
    end: object

    @property
    def empty(self):
        return not any(line.points for line in self.lines)


def x_of(day, *, start, end):
    span = max((end - start).days, 1)
    return round(LEFT + (day - start).days * (WIDTH - LEFT - RIGHT) / span, 1)


def y_of(rating):
    return round(TOP + (4 - rating) * (HEIGHT - TOP - BOTTOM) / 3, 1)


def chart(*, items, points, start, end):
    """``items``: [(key, label)]; ``points``: [(day, {key: rating})], oldest first."""
    lines = []
    for index, (key, label) in enumerate(items):
        line = Line(key=key, label=label, colour=COLOURS[index % len(COLOURS)])
        for day, ratings in points:
            rating = ratings.get(key)
            if isinstance(rating, int) and 1 <= rating <= 4 and start <= day <= end:
                line.points.append((x_of(day, start=start, end=end), y_of(rating), day, rating))
        lines.append(line)
    ticks, day = [], start
    while day <= end:
        if day.day in (1, 15):
            ticks.append((x_of(day, start=start, end=end), day))
        day = day.fromordinal(day.toordinal() + 1)
    return Chart(
        width=WIDTH,
        height=HEIGHT,
        lines=lines,
        grid=[(y_of(r), r) for r in (1, 2, 3, 4)],
        ticks=ticks,
        start=start,
        end=end,
    )
