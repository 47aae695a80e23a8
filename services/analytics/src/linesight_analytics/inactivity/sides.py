"""The events and cells either side of each gap, and the rows of the gaps table.

The last cell before a gap is the cell at the end of the last event before it: its
``last_cell`` at the event's end when the record gives one, else its ``first_cell`` at its
start. The first cell after is the ``first_cell`` of the first event after, at its start.
"""

from __future__ import annotations

from typing import Any

import polars as pl

from linesight_analytics.inactivity.cells import cell_versions
from linesight_analytics.inactivity.clock import MICROS_PER_HOUR, MICROS_PER_SECOND
from linesight_analytics.inactivity.rows import encode, iso_day_of, iso_utc_of
from linesight_analytics.inactivity.schemas import COLUMNS

_EVENT = ["exhibit_id", "source_row", "kind", "direction"]
_CELL = ["cgi", "site_name", "lat", "lon", "cell_exhibit_id", "cell_source_row"]


def gap_sides(listed: pl.DataFrame, events: pl.DataFrame, versions: pl.DataFrame,
              where: pl.DataFrame) -> tuple[pl.DataFrame, pl.Series]:
    """One row per gap and side (``before``/``after``): the event, its cell and time, the
    cell's version and position; and the distinct cell ids (``cgi_code`` indexes them)."""
    keep = ["_g", "subject_code", "overnight", "night_day", "exhibit_code"]
    start_us = pl.col("start_utc").dt.epoch("us")
    before = _gather(listed, "before_i", events).select(
        *keep, *_EVENT, side=pl.lit("before"),
        cell_role=pl.when(pl.col("last_cell").is_not_null()).then(pl.lit("last"))
        .otherwise(pl.lit("first")),
        cgi=pl.coalesce("last_cell", "first_cell"),
        t_us=pl.when(pl.col("last_cell").is_not_null())
        .then(start_us + pl.col("duration_s").fill_null(0) * MICROS_PER_SECOND)
        .otherwise(start_us),
    )
    after = _gather(listed, "after_i", events).select(
        *keep, *_EVENT, side=pl.lit("after"), cell_role=pl.lit("first"),
        cgi=pl.col("first_cell"), t_us=start_us)
    sides = pl.concat([before, after])
    cgi_code, cgis = encode(sides.get_column("cgi"))
    sides = sides.with_columns(cgi_code=cgi_code)
    sides = sides.with_columns(version=cell_versions(sides, cgis, versions))
    return sides.join(where, on="version", how="left").sort("_g", "side"), cgis


def _gather(listed: pl.DataFrame, index: str, events: pl.DataFrame) -> pl.DataFrame:
    picked = events.select(*_EVENT, "exhibit_code", "start_utc", "duration_s", "first_cell",
                           "last_cell")[
        listed.get_column(index)]
    return pl.concat([listed.select("_g", "subject_code", "overnight", "night_day"), picked],
                     how="horizontal")


def gap_rows(listed: pl.DataFrame, sides: pl.DataFrame, subjects: pl.Series) -> list[list[Any]]:
    """The rows of the gaps table, in the order of ``listed`` (subject, then time)."""
    before = sides.filter(pl.col("side") == "before").select(
        "_g", *(pl.col(c).alias(f"before_{c}") for c in [*_EVENT, "cell_role", *_CELL]),
        before_version="version")
    after = sides.filter(pl.col("side") == "after").select(
        "_g", *(pl.col(c).alias(f"after_{c}") for c in [*_EVENT, *_CELL]),
        after_version="version")
    table = listed.join(before, on="_g").join(after, on="_g").sort("_g")
    same = (pl.col("before_cgi") == pl.col("after_cgi")) & pl.col("before_version").eq_missing(
        pl.col("after_version"))
    table = table.with_columns(
        subject=subjects.gather(table.get_column("subject_code")),
        gap_start_utc=iso_utc_of(pl.col("gap_start_us")),
        gap_end_utc=iso_utc_of(pl.col("gap_end_us")),
        gap_hours=((pl.col("gap_end_us") - pl.col("gap_start_us")) / MICROS_PER_HOUR).round(2),
        night_date=iso_day_of(pl.col("night_day")),
        same_cell=pl.when(pl.col("before_cgi").is_null() | pl.col("after_cgi").is_null())
        .then(None).otherwise(same),
    )
    return [list(r) for r in table.select(COLUMNS).rows()]
