"""Gaps in a subject's activity, and the events either side of each gap.

* Every event of the subject is activity, whatever its kind (a data session counts, and so
  does a missed or diverted call, which a network can record while the handset is off:
  the gaps table names the kind of the events either side so the analyst can judge).
* An event is active from its start to its end (start + duration; the start when the
  duration is unknown), so a long call or data session is not a gap.
* Taking the subject's events in time order, a gap runs from the latest end of all the
  events so far to the start of the next event; it is kept when it lasts at least the
  minimum. Before the first event and after the last there is no gap (nothing bounds
  them).
* The last event before a gap is the one whose end is the gap's start (of several, the one
  that started last, then the later exhibit and line); the first event after is the one
  whose start is the gap's end (of several, the earlier exhibit and line).

How it is computed, without a per-event loop: a gap of at least the minimum ends at a
start ``s`` exactly when every event that started before ``s`` had ended by ``s`` minus
the minimum, that is when the number of ends at or before that time equals the number of
starts before ``s``; the gap then starts at the latest of those ends. So the starts and
the ends are sorted separately (one integer per event: subject, then time) and counted
against each other with a binary search.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
import polars as pl

from linesight_analytics.contact_frequency import InvalidEvents

#: Bits of one sort key (subject code, then microseconds since the earliest event).
KEY_BITS = 62


class Activity(NamedTuple):
    """The gaps found, and per subject its events, first start and last end."""

    gaps: pl.DataFrame
    spans: pl.DataFrame


def find_gaps(activity: pl.DataFrame, n_subjects: int, min_gap_us: int) -> Activity:
    """``activity``: ``subject_code`` (UInt32, 0 .. n_subjects - 1), ``start_us``,
    ``end_us`` (microseconds since 1970, UTC) per event. Returns ``subject_code``,
    ``gap_start_us``, ``gap_end_us`` of every gap of at least ``min_gap_us``, by subject
    code then time; and per subject code its ``events``, ``first_us`` and ``last_us``."""
    schema = {"subject_code": pl.UInt32, "gap_start_us": pl.Int64, "gap_end_us": pl.Int64}
    span_schema = {"subject_code": pl.UInt32, "events": pl.Int64, "first_us": pl.Int64,
                   "last_us": pl.Int64}
    if activity.height == 0:
        return Activity(pl.DataFrame(schema=schema), pl.DataFrame(schema=span_schema))
    subject = activity.get_column("subject_code").cast(pl.Int64).to_numpy()
    start = activity.get_column("start_us").to_numpy()
    end = activity.get_column("end_us").to_numpy()
    origin = int(start.min())
    time_bits = max(1, int(end.max() - origin).bit_length())
    if time_bits >= KEY_BITS:
        raise InvalidEvents("the events span too many years to be put in time order")
    per_batch = 1 << (KEY_BITS - time_bits)
    parts, spans = [], []
    for low in range(0, n_subjects, per_batch):
        mine = slice(None) if n_subjects <= per_batch else (
            (subject >= low) & (subject < low + per_batch))
        base = (subject[mine] - low) << time_bits
        starts = np.sort(base + (start[mine] - origin))
        ends = np.sort(base + (end[mine] - origin))
        position = np.arange(1, starts.size)
        same_subject = (starts[1:] >> time_bits) == (starts[:-1] >> time_bits)
        ended = np.searchsorted(ends, starts[1:] - min_gap_us, side="right")
        at = position[same_subject & (ended == position)]
        mask = (1 << time_bits) - 1
        parts.append(pl.DataFrame({
            "subject_code": (starts[at] >> time_bits) + low,
            "gap_start_us": (ends[at - 1] & mask) + origin,
            "gap_end_us": (starts[at] & mask) + origin,
        }, schema=schema))
        firsts = np.flatnonzero(np.r_[True, ~same_subject])
        lasts = np.r_[firsts[1:], starts.size] - 1
        spans.append(pl.DataFrame({
            "subject_code": (starts[firsts] >> time_bits) + low,
            "events": lasts - firsts + 1,
            "first_us": (starts[firsts] & mask) + origin,
            "last_us": (ends[lasts] & mask) + origin,
        }, schema=span_schema))
    return Activity(pl.concat(parts), pl.concat(spans))


def bounding_events(gaps: pl.DataFrame, activity: pl.DataFrame) -> pl.DataFrame:
    """``gaps`` with ``before_i`` and ``after_i``: the ``_i`` of the last event before and
    the first event after each gap (``activity`` also has ``_i``, ``exhibit_code`` and
    ``source_row``)."""
    gaps = gaps.with_row_index("_g")
    after = activity.filter(pl.col("start_us").is_in(gaps.get_column("gap_end_us").implode()))
    after = after.join(gaps, left_on=["subject_code", "start_us"],
                       right_on=["subject_code", "gap_end_us"]).sort(
        "_g", "exhibit_code", "source_row").group_by("_g", maintain_order=True).first()
    before = activity.filter(pl.col("end_us").is_in(gaps.get_column("gap_start_us").implode()))
    before = before.join(gaps, left_on=["subject_code", "end_us"],
                         right_on=["subject_code", "gap_start_us"]).sort(
        "_g", "start_us", "exhibit_code", "source_row").group_by("_g", maintain_order=True).last()
    return (gaps.join(before.select("_g", before_i="_i"), on="_g", how="left")
            .join(after.select("_g", after_i="_i"), on="_g", how="left")
            .sort("_g").drop("_g"))
