"""Pairwise mode, step one: every simultaneous pair of located events of two numbers, with
what it shows, as one frame (one row per event pair)."""

from __future__ import annotations

from itertools import combinations

import numpy as np
import polars as pl

from linesight_analytics.colocation.pairs import (
    KIND_NAMES,
    US_PER_S,
    Classifier,
    Geometry,
    Rule,
    simultaneous,
)

#: Point columns carried into a match, suffixed ``_a`` / ``_b``.
SIDE_COLUMNS = (
    "t_utc", "cgi", "cell_role", "time_basis", "radius_m", "exhibit_id", "source_row",
    "cell_exhibit_id", "cell_source_row", "cell_code", "lat", "lon", "site_name", "kind",
    "direction",
)
#: A total order of points (the ``row`` breaks ties between identical-looking rows).
POINT_ORDER = ("t_utc", "exhibit_id", "source_row", "cell_role", "row")


def _side(points: pl.DataFrame, index: np.ndarray, suffix: str) -> pl.DataFrame:
    picked = points[pl.Series(index)] if index.size else points.clear()
    return picked.select([pl.col(c).alias(f"{c}{suffix}") for c in SIDE_COLUMNS])


def pair_matches(a: str, b: str, points_a: pl.DataFrame, points_b: pl.DataFrame,
                 tolerance_us: int, geometry: Geometry, rule: Rule) -> pl.DataFrame:
    """The simultaneous pairs of ``a``'s and ``b``'s located points (each sorted by
    :data:`POINT_ORDER`)."""
    times_a = points_a.get_column("t_utc").dt.epoch("us").to_numpy()
    times_b = points_b.get_column("t_utc").dt.epoch("us").to_numpy()
    i, j = simultaneous(times_a, times_b, tolerance_us)
    seconds = np.abs(times_a[i] - times_b[j]) / US_PER_S
    codes_a = points_a.get_column("cell_code").to_numpy().astype(np.int64)
    codes_b = points_b.get_column("cell_code").to_numpy().astype(np.int64)
    classifier = Classifier(codes_a, codes_b, geometry, rule)
    kind, distance = classifier.kinds(i, j, seconds), classifier.distances(i, j)
    frame = pl.concat([_side(points_a, i, "_a"), _side(points_b, j, "_b")], how="horizontal")
    return frame.with_columns(
        subject_a=pl.lit(a), subject_b=pl.lit(b),
        pair_kind=pl.Series(kind, dtype=pl.Int8).replace_strict(KIND_NAMES,
                                                                  return_dtype=pl.String),
        distance_m=pl.Series(distance, dtype=pl.Int64),
        seconds_apart=pl.Series(np.rint(seconds).astype(np.int64), dtype=pl.Int64),
    )


def all_matches(subjects: list[str], located: pl.DataFrame, tolerance_us: int,
                geometry: Geometry, rule: Rule, timezone: str) -> pl.DataFrame:
    """Every pair of ``subjects`` (each pair once, the lower number first), with the span
    (``lo``/``hi``) and local day of each event pair, in a total order."""
    by_subject = {s: located.filter(pl.col("subject") == s).sort(POINT_ORDER)
                  for s in subjects}
    frames = [pair_matches(a, b, by_subject[a], by_subject[b], tolerance_us, geometry, rule)
              for a, b in combinations(sorted(subjects), 2)]
    matches = pl.concat(frames, how="vertical_relaxed")
    lo = pl.min_horizontal("t_utc_a", "t_utc_b")
    return matches.with_columns(
        lo=lo, hi=pl.max_horizontal("t_utc_a", "t_utc_b"),
        local_day=lo.dt.convert_time_zone(timezone).dt.date(),
    ).sort("subject_a", "subject_b", "lo", "hi", "t_utc_a", "exhibit_id_a", "source_row_a",
           "cell_role_a", "t_utc_b", "exhibit_id_b", "source_row_b", "cell_role_b")
