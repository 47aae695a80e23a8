"""The cells a subject's events use most, by day and by night.

Each event that names a first cell counts once, at that cell, in the window (day or night)
in which it started on the local clock. A place is the cell id as written with the cells
row valid at the event's start (see ``linesight_analytics.inactivity.cells``). Places are
ranked per subject and window by events, then distinct days (nights, for the night
window), then cell id, then cells row; the first ``top_n`` are listed.
"""

from __future__ import annotations

from typing import Any, NamedTuple

import polars as pl

from linesight_analytics.inactivity.cells import (
    cell_versions,
    located,
    positions,
    version_table,
)
from linesight_analytics.inactivity.lines import lines_of
from linesight_analytics.inactivity.rows import encode, iso_utc_of, ranked
from linesight_analytics.pattern_of_life.schemas import TOP_COLUMNS

_PLACE = ["subject_code", "night", "cgi_code", "version"]


class TopCells(NamedTuple):
    """The rows of the day and night tables, and what the summary says about them."""

    day: list[list[Any]]
    night: list[list[Any]]
    counts: dict[str, int]


def top_cells(timed: pl.DataFrame, cells: pl.DataFrame, top_n: int, subjects: pl.Series,
              exhibits: list[str]) -> TopCells:
    """``timed``: per event ``subject_code``, ``start_us``, ``night`` (bool), ``day_key``
    (local date or night, days since 1970), ``first_cell``, ``exhibit_code`` (indexing
    ``exhibits``), ``source_row``."""
    points = timed.filter(pl.col("first_cell").is_not_null())
    cgi_code, cgis = encode(points.get_column("first_cell"))
    points = points.select("subject_code", "night", "day_key", "start_us", "exhibit_code",
                           "source_row", cgi_code=cgi_code, t_us=pl.col("start_us"))
    versions = version_table(cells)
    points = points.with_columns(version=cell_versions(points, cgis, versions))
    places = points.group_by(_PLACE).agg(
        events=pl.len().cast(pl.Int64),
        distinct_days=pl.col("day_key").n_unique().cast(pl.Int64),
        first=pl.col("start_us").min(), last=pl.col("start_us").max(),
    )
    in_window = places.group_by("subject_code", "night").agg(
        window_events=pl.col("events").sum())
    places = places.join(in_window, on=["subject_code", "night"])
    where = positions(versions)
    day, night = (
        _rows(ranked(places.filter(pl.col("night") == at_night),
                     ["events", "distinct_days", "cgi_code", "version"],
                     [True, True, False, False]).filter(pl.col("rank") <= top_n),
              points.filter(pl.col("night") == at_night), cgis, where, subjects, exhibits)
        for at_night in (False, True))
    counts = {
        "events_without_first_cell": timed.height - points.height,
        "events_first_cell_not_located": points.height - points.filter(
            pl.col("version").is_in(located(where).implode())).height,
        "day_events_with_first_cell": points.filter(~pl.col("night")).height,
        "night_events_with_first_cell": points.filter(pl.col("night")).height,
    }
    return TopCells(day, night, counts)


def _rows(top: pl.DataFrame, points: pl.DataFrame, cgis: pl.Series, where: pl.DataFrame,
          subjects: pl.Series, exhibits: list[str]) -> list[list[Any]]:
    table = top.join(where, on="version", how="left", maintain_order="left")
    table = table.with_columns(
        subject=subjects.gather(table.get_column("subject_code")),
        cgi=cgis.gather(table.get_column("cgi_code")),
        share=(pl.col("events") / pl.col("window_events")).round(4),
        first_seen_utc=iso_utc_of(pl.col("first")),
        last_seen_utc=iso_utc_of(pl.col("last")),
    )
    lines = lines_of(table, points, _PLACE, exhibits)
    return [[*row, sorted(per_exhibit), per_exhibit]
            for row, per_exhibit in zip(table.select(TOP_COLUMNS[:-2]).rows(), lines,
                                        strict=True)]
