"""Which events an analysis reads: refused when broken, narrowed to the subject asked for.

* Two events with the same exhibit and line (the same dataset pinned twice, say) would be
  counted twice: such inputs are refused, naming the exhibit and line. So are negative
  durations.
* Events with no subject, and events of other subjects than the one asked for, are left
  out and counted in the summary. A subject asked for that has no events at all is refused:
  the inputs are not that subject's.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import polars as pl

from linesight_analytics.contact_frequency import InvalidEvents
from linesight_analytics.inactivity.rows import encode

_BITS = 62


@dataclass(frozen=True)
class Scope:
    """The events in scope (input order, with ``exhibit_code`` indexing ``exhibits``, the
    sorted exhibit ids of the inputs) and how many were left out, and why."""

    events: pl.DataFrame
    exhibits: list[str]
    read: int
    without_subject: int
    other_subjects: int

    def summary(self) -> dict[str, int]:
        return {"events_read": self.read, "events_without_subject": self.without_subject,
                "events_other_subjects": self.other_subjects, "events_used": self.events.height}


def check_events(events: pl.DataFrame) -> tuple[pl.Series, pl.Series]:
    """Refuse repeated (exhibit, line) pairs and negative durations; return each event's
    exhibit code and the sorted exhibit ids."""
    codes, exhibits = encode(events.get_column("exhibit_id"))
    if events.height:
        _refuse_repeated_lines(events, codes, exhibits)
    negative = events.filter(pl.col("duration_s") < 0)
    if negative.height:
        first = negative.sort("exhibit_id", "source_row").row(0, named=True)
        raise InvalidEvents(
            f"exhibit {first['exhibit_id']} line {first['source_row']}: duration_s "
            f"{first['duration_s']} is negative ({negative.height} row(s) in all)")
    return codes, exhibits


def _refuse_repeated_lines(events: pl.DataFrame, codes: pl.Series, exhibits: pl.Series) -> None:
    rows = events.get_column("source_row")
    row_bits = max(1, int(rows.max()).bit_length())
    if rows.min() < 0 or row_bits + max(1, exhibits.len().bit_length()) > _BITS:
        repeated = events.filter(pl.struct("exhibit_id", "source_row").is_duplicated())
        if repeated.height:
            first = repeated.sort("exhibit_id", "source_row").row(0, named=True)
            _refuse(first["exhibit_id"], first["source_row"], repeated.height)
        return
    key = np.sort((codes.cast(pl.Int64).to_numpy() << row_bits) | rows.to_numpy())
    same = np.flatnonzero(key[1:] == key[:-1])
    if same.size:
        first = int(key[same[0]])
        _refuse(exhibits[first >> row_bits], first & ((1 << row_bits) - 1), same.size)


def _refuse(exhibit: str, line: int, repeats: int) -> None:
    raise InvalidEvents(
        f"exhibit {exhibit} line {line}: the same line is in the inputs more than once "
        f"({repeats} repeat(s) in all); was a dataset pinned twice?")


def in_scope(events: pl.DataFrame, subject: str | None) -> Scope:
    """The events of ``subject`` (every event with a subject when None)."""
    codes, exhibits = check_events(events)
    coded = events.with_columns(exhibit_code=codes)
    with_subject = coded if coded.get_column("subject").null_count() == 0 else coded.filter(
        pl.col("subject").is_not_null())
    scoped = with_subject if subject is None else with_subject.filter(
        pl.col("subject") == subject)
    if subject is not None and scoped.height == 0:
        others = with_subject.get_column("subject").n_unique()
        raise InvalidEvents(
            f"subject {subject}: no events of this subject in the inputs ({events.height} "
            f"event(s) read, of {others} other subject(s))")
    return Scope(scoped, exhibits.to_list(), events.height,
                 events.height - with_subject.height, with_subject.height - scoped.height)
