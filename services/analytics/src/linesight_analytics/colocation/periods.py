"""Pairwise mode, step two: event pairs joined into periods together, apart or conflicting.

For each pair of numbers, the together and apart event pairs, in time order, are cut
into *runs* of one kind: a run ends where a pair of the other kind comes, or where the
next pair starts more than the joining gap after the run's latest event. Runs whose
spans overlap (sharing even one instant) are then merged; a merged group holding both
kinds is a ``conflicting`` period. So the periods of a pair never overlap, and evidence
of both kinds in one window is shown as such. Undetermined pairs join no period.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import polars as pl

from linesight_analytics.colocation.traced import lines_by
from linesight_analytics.contact_frequency.compute import iso_utc

PAIR = ["subject_a", "subject_b"]


def with_periods(matches: pl.DataFrame, min_gap_us: int) -> pl.DataFrame:
    """``matches`` (sorted by ``all_matches``) with ``period_id`` (global, null for
    undetermined pairs), ``period`` (1-based within the pair) and ``period_kind``."""
    classified = matches.with_row_index("_m").filter(pl.col("pair_kind") != "undetermined")
    lo, hi = pl.col("lo").dt.epoch("us"), pl.col("hi").dt.epoch("us")
    # runs: a new one at each change of kind, or after a gap longer than the joining gap
    # (the running latest end of a segment needs no reset after a gap: times are sorted)
    runs = classified.with_columns(
        new_segment=(pl.col("pair_kind") != pl.col("pair_kind").shift(1).over(PAIR))
        .fill_null(True),
    ).with_columns(segment=pl.col("new_segment").cum_sum()).with_columns(
        latest_before=hi.cum_max().shift(1).over("segment"),
    ).with_columns(
        run=(pl.col("new_segment") | ((lo - pl.col("latest_before")) > min_gap_us)).cum_sum(),
    )
    spans = runs.group_by("run").agg(
        pl.col("subject_a").first(), pl.col("subject_b").first(),
        pl.col("pair_kind").first(), lo.min().alias("start"), hi.max().alias("end"),
    ).sort("run")
    # periods: runs whose spans overlap are merged (runs start in time order)
    spans = spans.with_columns(
        latest_before=pl.col("end").cum_max().shift(1).over(PAIR),
    ).with_columns(
        period_id=(pl.col("latest_before").is_null()
                   | (pl.col("start") > pl.col("latest_before"))).cum_sum(),
    )
    kinds = spans.group_by("period_id").agg(
        period_kind=pl.when(pl.col("pair_kind").n_unique() > 1).then(pl.lit("conflicting"))
        .otherwise(pl.col("pair_kind").first()))
    numbered = spans.select("run", "period_id", *PAIR).join(kinds, on="period_id").with_columns(
        period=(pl.col("period_id") - pl.col("period_id").min().over(PAIR) + 1))
    tagged = runs.select("_m", "run").join(numbered.drop(PAIR), on="run")
    return matches.with_row_index("_m").join(
        tagged.drop("run"), on="_m", how="left", maintain_order="left").drop("_m")


def period_rows(matches: pl.DataFrame) -> list[list[Any]]:
    """One row per period (see ``PERIOD_COLUMNS``), by pair then time."""
    in_period = matches.filter(pl.col("period_id").is_not_null())
    grouped = in_period.group_by("period_id").agg(
        pl.col("subject_a").first(), pl.col("subject_b").first(), pl.col("period").first(),
        pl.col("period_kind").first(), pl.col("lo").min().alias("start"),
        pl.col("hi").max().alias("end"),
        together=(pl.col("pair_kind") == "together").sum(),
        apart=(pl.col("pair_kind") == "apart").sum(),
        min_d=pl.col("distance_m").min(), max_d=pl.col("distance_m").max(),
        cells_a=pl.col("cgi_a").unique().sort(), cells_b=pl.col("cgi_b").unique().sort(),
    ).sort(*PAIR, "period")
    lines_a = lines_by(in_period, "period_id", "exhibit_id_a", "source_row_a")
    lines_b = lines_by(in_period, "period_id", "exhibit_id_b", "source_row_b")
    cell_lines = lines_by(
        pl.concat([
            in_period.select("period_id", exhibit="cell_exhibit_id_a", line="cell_source_row_a"),
            in_period.select("period_id", exhibit="cell_exhibit_id_b", line="cell_source_row_b"),
        ]), "period_id", "exhibit", "line")
    rows = []
    for g in grouped.iter_rows(named=True):
        key = g["period_id"]
        rows.append([
            g["subject_a"], g["subject_b"], g["period"], g["period_kind"],
            iso_utc(g["start"]), iso_utc(g["end"]), hours(g["start"], g["end"]),
            g["together"], g["apart"], g["min_d"], g["max_d"], list(g["cells_a"]),
            list(g["cells_b"]), sorted(set(lines_a[key]) | set(lines_b[key])),
            lines_a[key], lines_b[key], cell_lines[key],
        ])
    return rows


def hours(start: datetime, end: datetime) -> float:
    """The span in hours, 2 decimal places."""
    return round((end - start).total_seconds() / 3600, 2)
