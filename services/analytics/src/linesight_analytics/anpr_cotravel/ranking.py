"""The ranking of candidates: the days on which the candidate mostly fitted the target.

The frame comes with one row per record of a candidate that is within the time
tolerance of a record of the target: ``candidate`` (the VRM or the phone number being
ranked), ``record`` (the id of the candidate's record: its read, or its phone's located
point), ``record_t`` (its time) and ``fits`` (whether it matches at least one record of
the target in place).

* A record of the candidate is *in time* when it is within the tolerance of any record
  of the target, and *fits* when it matches at least one of them in place.
  ``share_consistent`` = records that fit / records in time.
* ``distinct_days``: local dates with a record that fits. ``days_contradicted``: local
  dates with a record in time that fits none: that day the candidate was seen, at the
  target's time, where the target could not have been.
* ``score`` (days together): local dates on which more of the candidate's records in
  time fit than do not. A vehicle that carries the phone fits nearly whenever both are
  recorded, so its days count even when a stray cell (a mast far from the handset, as
  happens) contradicts it now and then; a busy vehicle that is near the phone's places
  by chance, or passes the same cameras at other times, is as often seen where the phone
  was not, and those days do not count. Records made while the other side was not
  recorded count neither way.
* Candidates with fewer than ``min_days`` dates in ``distinct_days`` are left out. The
  order is score, share_consistent, distinct_days, distinct_hours, records_matched (each
  highest first), then the candidate's VRM or number: a total order.
"""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl


@dataclass(frozen=True)
class Ranking:
    ranked: pl.DataFrame      # one row per ranked candidate, with ``rank``
    candidates_matched: int   # candidates with at least one match
    below_min_days: int       # of those, left out for too few dates


def rank_candidates(records: pl.DataFrame, *, timezone: str, min_days: int) -> Ranking:
    """Per-candidate counts, score and rank (see the module docstring)."""
    dated = records.with_columns(
        day=pl.col("record_t").dt.convert_time_zone(timezone).dt.date(),
        hour=pl.col("record_t").dt.truncate("1h"))
    per_day = dated.group_by("candidate", "day").agg(
        fit=pl.col("fits").sum(), apart=(~pl.col("fits")).sum())
    days = per_day.group_by("candidate").agg(
        records_in_time=(pl.col("fit") + pl.col("apart")).sum(),
        days_contradicted=(pl.col("apart") > 0).sum(),
        score=(pl.col("fit") > pl.col("apart")).sum(),
    )
    fitting = dated.filter(pl.col("fits"))
    per = fitting.group_by("candidate").agg(
        distinct_days=pl.col("day").n_unique(),
        distinct_hours=pl.col("hour").n_unique(),
        records_matched=pl.len(),
        first_match=pl.col("record_t").min(),
        last_match=pl.col("record_t").max(),
        dates=pl.col("day").unique().sort(),
    ).join(days, on="candidate", how="left").with_columns(
        share_consistent=(pl.col("records_matched") / pl.col("records_in_time")).round(3))
    kept = per.filter(pl.col("distinct_days") >= min_days).sort(
        ["score", "share_consistent", "distinct_days", "distinct_hours", "records_matched",
         "candidate"],
        descending=[True, True, True, True, True, False],
    ).with_row_index("rank", offset=1)
    return Ranking(ranked=kept, candidates_matched=per.height,
                   below_min_days=per.height - kept.height)


def match_counts(matches: pl.DataFrame) -> pl.DataFrame:
    """Per listed candidate (``rank``), what its matches involve: reads, events, pairs,
    cameras and cells."""
    return matches.group_by("rank").agg(
        matched_reads=pl.col("r_i").n_unique(),
        matched_events=pl.col("event_id").n_unique(),
        match_pairs=pl.len(),
        distinct_cameras=pl.col("camera_id").n_unique(),
        distinct_cells=pl.col("cgi").n_unique(),
    )
