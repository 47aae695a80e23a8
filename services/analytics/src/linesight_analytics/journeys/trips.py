"""Stays in areas and the journeys between them (Polars, over the subject's located points).

The points come in time order with a sequence number ``seq`` and an ``area`` (null
outside every area). A *run* is a maximal sequence of in-area points of one area (points
outside every area between them do not break it). Runs shorter than the minimum stay
(first to last point) are set aside as passing through; the remaining runs of the same
area that are now next to each other join into one *stay*. A journey joins the last
point of a stay to the first point of the next stay; the points strictly between them are
its route.
"""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl


@dataclass(frozen=True)
class Stays:
    stays: pl.DataFrame          # area, first_seq, last_seq, first_t, last_t, points
    runs: int                    # runs of in-area points before any was set aside
    runs_set_aside: int          # runs shorter than the minimum stay
    points_set_aside: int        # the points of those runs


def find_stays(tagged: pl.DataFrame, min_stay_minutes: float) -> Stays:
    """Runs of one area, short ones set aside, neighbours of the same area joined."""
    inside = tagged.filter(pl.col("area").is_not_null()).sort("seq")
    runs = _merge_neighbours(inside.select(
        "area", first_seq="seq", last_seq="seq", first_t="t_utc", last_t="t_utc",
        points=pl.lit(1, dtype=pl.UInt32)))
    span_us = (pl.col("last_t") - pl.col("first_t")).dt.total_microseconds()
    long_enough = span_us >= round(min_stay_minutes * 60 * 1_000_000)
    kept = runs.filter(long_enough)
    set_aside = runs.filter(~long_enough)
    return Stays(stays=_merge_neighbours(kept), runs=runs.height,
                 runs_set_aside=set_aside.height,
                 points_set_aside=int(set_aside.get_column("points").sum() or 0))


def _merge_neighbours(parts: pl.DataFrame) -> pl.DataFrame:
    """Join consecutive parts (in ``first_seq`` order) of the same area into one."""
    changes = (pl.col("area") != pl.col("area").shift(1)).fill_null(True)
    return parts.sort("first_seq").with_columns(_k=changes.cum_sum()).group_by(
        "_k", maintain_order=True).agg(
        pl.col("area").first(), pl.col("first_seq").min(), pl.col("last_seq").max(),
        pl.col("first_t").min(), pl.col("last_t").max(), pl.col("points").sum(),
    ).drop("_k")


def journeys_between(stays: pl.DataFrame) -> pl.DataFrame:
    """One row per pair of consecutive stays: journey_id (from 1), from/to area, and the
    sequence numbers and times of the departure and arrival points."""
    return stays.sort("first_seq").select(
        from_area=pl.col("area"), dep_seq=pl.col("last_seq"), departure=pl.col("last_t"),
        to_area=pl.col("area").shift(-1), arr_seq=pl.col("first_seq").shift(-1),
        arrival=pl.col("first_t").shift(-1),
    ).filter(pl.col("to_area").is_not_null()).with_row_index("journey_id", offset=1)


def journey_points(tagged: pl.DataFrame, journeys: pl.DataFrame) -> pl.DataFrame:
    """Every point of every journey with its ``part`` (departure, route, arrival), in
    journey and time order. A point can be the arrival of one journey and the departure
    of the next (a stay of one point)."""
    spans = journeys.select("journey_id", "dep_seq", "arr_seq").sort("dep_seq")
    route = tagged.sort("seq").join_asof(
        spans, left_on="seq", right_on="dep_seq", strategy="backward",
    ).filter((pl.col("seq") > pl.col("dep_seq")) & (pl.col("seq") < pl.col("arr_seq")))
    route = route.drop("dep_seq", "arr_seq").with_columns(part=pl.lit("route"))
    ends = [
        tagged.join(journeys.select("journey_id", seq=pl.col(column)), on="seq").with_columns(
            part=pl.lit(part))
        for column, part in (("dep_seq", "departure"), ("arr_seq", "arrival"))
    ]
    return pl.concat([ends[0], route, ends[1]], how="diagonal_relaxed").sort(
        "journey_id", "seq")
