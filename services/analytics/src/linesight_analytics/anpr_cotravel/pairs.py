"""ANPR reads and phone points close in time, and whether each such pair fits in place.

* **Close in time.** Times are cut into buckets as wide as the tolerance; a pair within
  the tolerance is always in the same or a neighbouring bucket, so each record of the
  smaller side is joined to its own bucket and both neighbours of the other side, and
  the pairs then kept are those with ``|read time - point time| <= tolerance``. No
  all-pairs product is ever built.
* **Fits in place.** The phone is taken to have been within the *allowance* of its
  cell's mast (the cell's radius + ``slack_m``, or ``max_distance_m`` when given); a
  vehicle carrying it can have moved at most ``max_speed x |dt|`` between the two
  records. The pair fits when ``distance(camera, mast) - allowance <= max_speed x |dt|``
  (with ``dt = 0`` this is simply "the camera is within the allowance").
"""

from __future__ import annotations

import polars as pl

from linesight_analytics.geo.distance import haversine_m

US_PER_S = 1_000_000


def tolerance_us(minutes: float) -> int:
    return round(minutes * 60 * US_PER_S)


def _bucket(column: str, width_us: int) -> pl.Expr:
    return pl.col(column).dt.epoch("us") // width_us


def time_pairs(points: pl.DataFrame, reads: pl.DataFrame, width_us: int) -> pl.DataFrame:
    """``p_i``, ``r_i``, ``dt_us`` (read minus point) of every point (``p_i``, ``t_utc``)
    and read (``r_i``, ``read_utc``) within ``width_us`` of each other."""
    p = points.select("p_i", p_us=pl.col("t_utc").dt.epoch("us"), b=_bucket("t_utc", width_us))
    r = reads.select("r_i", r_us=pl.col("read_utc").dt.epoch("us"),
                     b=_bucket("read_utc", width_us))
    neighbours = pl.concat_list(pl.col("b") - 1, pl.col("b"), pl.col("b") + 1)
    if p.height <= r.height:
        p = p.with_columns(b=neighbours).explode("b")
    else:
        r = r.with_columns(b=neighbours).explode("b")
    dt = pl.col("r_us") - pl.col("p_us")
    return p.join(r, on="b").filter(dt.abs() <= width_us).select(
        "p_i", "r_i", dt_us=dt)


def fit(pairs: pl.DataFrame, points: pl.DataFrame, reads: pl.DataFrame, *, slack_m: float,
        max_distance_m: float | None, max_speed_kmh: float) -> pl.DataFrame:
    """``pairs`` with ``distance_m``, ``allowance_m``, ``implied_speed_kmh`` (unrounded)
    and ``consistent``. ``p_i`` and ``r_i`` are the row numbers of ``points`` and
    ``reads``, so positions are gathered, not joined."""
    p_i, r_i = pairs.get_column("p_i"), pairs.get_column("r_i")
    radius = points.get_column("radius_m").gather(p_i)
    allowance = (pl.lit(float(max_distance_m)) if max_distance_m is not None
                 else pl.col("_radius") + slack_m)
    seconds = pl.col("dt_us").abs() / US_PER_S
    excess = (pl.col("distance_m") - pl.col("allowance_m")).clip(lower_bound=0.0)
    return pairs.with_columns(
        _lat=points.get_column("lat").gather(p_i), _lon=points.get_column("lon").gather(p_i),
        _read_lat=reads.get_column("read_lat").gather(r_i),
        _read_lon=reads.get_column("read_lon").gather(r_i), _radius=radius,
    ).with_columns(
        distance_m=haversine_m(pl.col("_read_lat"), pl.col("_read_lon"), pl.col("_lat"),
                               pl.col("_lon")),
        allowance_m=allowance,
    ).with_columns(
        consistent=excess <= seconds * (max_speed_kmh / 3.6),
        implied_speed_kmh=pl.when(excess > 0).then(excess / seconds * 3.6).otherwise(0.0),
    ).drop("_lat", "_lon", "_read_lat", "_read_lon", "_radius")


def events_near_reads(events: pl.DataFrame, reads: pl.DataFrame, width_us: int) -> pl.DataFrame:
    """The events with a named cell whose first-cell time (start) or last-cell time (end)
    is in the same or a neighbouring time bucket as a read: every event that can have a
    point within the tolerance of a read (and a few more, settled later)."""
    b = _bucket("read_utc", width_us)
    near = reads.select(b=pl.concat_list(b - 1, b, b + 1)).explode("b").unique().get_column("b")
    end = pl.col("start_utc") + pl.duration(seconds=pl.col("duration_s").fill_null(0))
    end_bucket = end.dt.epoch("us") // width_us
    keep = ((pl.col("first_cell").is_not_null() & _bucket("start_utc", width_us).is_in(
        near.implode())) | (pl.col("last_cell").is_not_null() & end_bucket.is_in(near.implode())))
    return events.filter(keep)
