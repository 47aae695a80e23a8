"""Local wall-clock time of UTC instants, the night window, and how nights are dated.

Method, stated once for the inactivity and pattern-of-life analyses:

* Event times are stored in UTC. "Night", "day", the weekday and the hour of the 7x24 grid
  are read on the local wall clock of the analysis's time zone (a parameter; default
  ``Europe/London``: GMT in winter, BST = UTC+1 in summer), from the IANA time-zone
  database, so an event at 23:30 UTC in July is at 00:30 on the next day in London.
* The night window runs from ``night_start`` (inclusive) to ``night_end`` (exclusive) on
  that wall clock; when ``night_start`` is later than ``night_end`` (22:00 to 07:00) it
  runs over midnight. Day is every time outside it.
* A night is dated by the local date on which it starts: the night from 22:00 on 1 March
  to 07:00 on 2 March is the night of 1 March, and an event at 03:00 on 2 March falls in
  it.
* A gap in activity is overnight when it overlaps a night window for some time (its start
  is inside a night, or the next night starts before the gap ends); it is dated by the
  first night it overlaps. A gap that spans several nights is dated by, and counted for,
  its first night only.

Local times are computed as UTC plus the zone's offset at that instant, the offset taken
from the IANA database per quarter hour of the data's span (every modern zone changes its
offset on a quarter hour of UTC); when a change falls inside a quarter hour, every instant
is converted one by one instead. Both give the same answer; the first is faster.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import polars as pl

MICROS_PER_SECOND = 1_000_000
MICROS_PER_HOUR = 3_600 * MICROS_PER_SECOND
MICROS_PER_DAY = 86_400 * MICROS_PER_SECOND

#: ``HH:MM`` on a 24-hour clock.
CLOCK_PATTERN = r"^([01][0-9]|2[0-3]):[0-5][0-9]$"

_QUARTER_HOUR = 15 * 60 * MICROS_PER_SECOND
_MAX_QUARTERS = 2_000_000  # about 57 years of data; beyond that, convert one by one


def clock_seconds(text: str) -> int:
    """Seconds after midnight of an ``HH:MM`` string."""
    if not re.match(CLOCK_PATTERN, text):
        raise ValueError(f"{text!r} is not a time of day as HH:MM (00:00 to 23:59)")
    hours, minutes = text.split(":")
    return int(hours) * 3600 + int(minutes) * 60


def local_micros(utc_micros: pl.Series, timezone: str) -> pl.Series:
    """Local wall-clock time of each UTC instant (microseconds since 1970-01-01T00:00 UTC),
    as microseconds since 1970-01-01T00:00 on the local clock (no zone)."""
    values = utc_micros.cast(pl.Int64)
    if values.len() == 0 or values.null_count() == values.len():
        return values
    first, last = values.min(), values.max()
    start = first // _QUARTER_HOUR * _QUARTER_HOUR
    quarters = (last - start) // _QUARTER_HOUR + 1
    if quarters > _MAX_QUARTERS:
        return _convert(values, timezone)
    edges = pl.int_range(0, quarters, dtype=pl.Int64, eager=True) * _QUARTER_HOUR + start
    offset_at_start = _convert(edges, timezone) - edges
    offset_at_end = _convert(edges + (_QUARTER_HOUR - 1), timezone) - (edges + _QUARTER_HOUR - 1)
    if (offset_at_start != offset_at_end).any():
        return _convert(values, timezone)
    return values + offset_at_start.gather((values - start) // _QUARTER_HOUR)


def _convert(utc_micros: pl.Series, timezone: str) -> pl.Series:
    return (utc_micros.cast(pl.Datetime("us", "UTC")).dt.convert_time_zone(timezone)
            .dt.replace_time_zone(None).cast(pl.Int64))


def day_of(local: pl.Expr) -> pl.Expr:
    """The local date, as days since 1970-01-01."""
    return local.floordiv(MICROS_PER_DAY)


def second_of_day(local: pl.Expr) -> pl.Expr:
    """Whole seconds since local midnight (0..86399)."""
    return (local % MICROS_PER_DAY).floordiv(MICROS_PER_SECOND)


@dataclass(frozen=True)
class NightWindow:
    """The night on the local wall clock: ``start`` (inclusive) to ``end`` (exclusive),
    both as seconds after midnight; over midnight when ``start > end``."""

    start: int
    end: int

    @classmethod
    def parse(cls, night_start: str, night_end: str) -> NightWindow:
        return cls(clock_seconds(night_start), clock_seconds(night_end))

    @property
    def over_midnight(self) -> bool:
        return self.start > self.end

    def contains(self, local: pl.Expr) -> pl.Expr:
        """Whether a local time falls in the night window."""
        second = second_of_day(local)
        if self.over_midnight:
            return (second >= self.start) | (second < self.end)
        return (second >= self.start) & (second < self.end)

    def night_of(self, local: pl.Expr) -> pl.Expr:
        """The date (days since 1970-01-01) of the night a local time in the window falls
        in: the day before, for the early-morning part of a night over midnight."""
        day = day_of(local)
        if self.over_midnight:
            return pl.when(second_of_day(local) < self.end).then(day - 1).otherwise(day)
        return day

    def first_night_overlapped(self, local_start: pl.Expr, local_end: pl.Expr) -> pl.Expr:
        """The date (days since 1970-01-01) of the first night the span from
        ``local_start`` to ``local_end`` overlaps; null when it overlaps none."""
        day, second = day_of(local_start), second_of_day(local_start)
        if self.over_midnight:
            inside_from_yesterday = second < self.end
            inside = second >= self.start
            next_night = day
        else:
            inside_from_yesterday = pl.lit(False)
            inside = (second >= self.start) & (second < self.end)
            next_night = pl.when(second < self.start).then(day).otherwise(day + 1)
        next_start = next_night * MICROS_PER_DAY + self.start * MICROS_PER_SECOND
        return (
            pl.when(inside_from_yesterday).then(day - 1)
            .when(inside).then(day)
            .when(local_end > next_start).then(next_night)
            .otherwise(None)
        )
