"""One date-time string from an operator's return → a UTC instant, flagged where unclear.

Accepted forms (surrounding spaces ignored):

* ISO 8601 with an offset or ``Z``: ``2024-10-27T01:30:00+01:00`` — exact, no flag;
* UK local time, read in ``Europe/London``: ``dd/mm/yyyy HH:MM[:SS]`` or ISO 8601
  without an offset (``2024-10-27 01:30:00``);
* a date alone (``dd/mm/yyyy`` or ``yyyy-mm-dd``) only where the caller allows it: the
  start of that day, UK local.

UK local times follow :mod:`linesight_ingest.parsing.times`: in the repeated hour at
the end of BST the first (BST) reading is taken and flagged ``ambiguous``; in the
skipped hour at its start the GMT reading is taken and flagged ``nonexistent``. Every
local time also says which offset was applied (``bst`` or ``gmt``) so a report can
count them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from linesight_ingest.parsing.times import AMBIGUOUS, NONEXISTENT

UK = "Europe/London"
_UK = ZoneInfo(UK)
_UK_DT = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})[ T](\d{1,2}):(\d{2})(?::(\d{2}))?$")
_UK_DATE = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")
_ISO = re.compile(r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:?\d{2})?$")
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")

NOT_A_TIME = ("not a date and time (expected ISO 8601 with offset, or dd/mm/yyyy "
              "HH:MM:SS UK local)")
NOT_A_DATE = "not a date (expected dd/mm/yyyy or yyyy-mm-dd)"


@dataclass(frozen=True)
class Instant:
    utc: datetime
    #: ``None`` (exact, an offset was given), ``bst``/``gmt`` (UK local, one reading), or
    #: ``ambiguous``/``nonexistent`` (UK local in a clock-change hour)
    flag: str | None
    day_only: bool = False


def uk_local(naive: datetime) -> Instant:
    """A naive UK local time → UTC, with the flag the module docstring describes."""
    first = naive.replace(tzinfo=_UK, fold=0)
    second = naive.replace(tzinfo=_UK, fold=1)
    utc = first.astimezone(UTC)
    if first.utcoffset() != second.utcoffset():
        back = utc.astimezone(_UK).replace(tzinfo=None)
        flag = AMBIGUOUS if back == naive else NONEXISTENT
    else:
        flag = "bst" if first.utcoffset() else "gmt"
    return Instant(utc, flag)


def parse_instant(text: str, *, allow_date: bool = False) -> Instant | None:
    """``text`` → :class:`Instant`; None when it is none of the accepted forms."""
    s = text.strip()
    try:
        if m := _UK_DT.match(s):
            d, mo, y, h, mi, sec = (int(g or 0) for g in m.groups())
            return uk_local(datetime(y, mo, d, h, mi, sec))
        if _ISO.match(s):
            when = datetime.fromisoformat(s)
            if when.tzinfo is None:
                return uk_local(when)
            return Instant(when.astimezone(UTC), None)
        if allow_date and (m := _UK_DATE.match(s)):
            d, mo, y = (int(g) for g in m.groups())
            return _day(date(y, mo, d))
        if allow_date and _ISO_DATE.match(s):
            return _day(date.fromisoformat(s))
    except (ValueError, OverflowError):
        return None
    return None


def _day(day: date) -> Instant:
    start = uk_local(datetime(day.year, day.month, day.day))
    return Instant(start.utc, start.flag, day_only=True)


def end_of_day(instant: Instant) -> datetime:
    """For a date-only end of a window: the start of the next UK day (exclusive end)."""
    local = instant.utc.astimezone(_UK).replace(tzinfo=None) + timedelta(days=1)
    return uk_local(local).utc
