"""Where each event's cell was, at the event's time: events joined to the cells table.

Method, stated once for every location analysis:

* An event names up to two cells: ``first_cell`` (the cell that served it when it
  began) and ``last_cell`` (the cell at its end, which some operators report). Each named
  cell gives one located point, marked ``cell_role`` ``first`` or ``last``.
* The time of a point (``t_utc``) is the event's start for its first cell and its start
  plus its duration for its last cell (the start when the duration is unknown).
* ``time_basis`` says what that time means: ``at`` (the cell served a call or message
  at that time), ``at_end`` (the cell at the end of a call) or ``at_or_before`` (data
  sessions: the operator's record time; the cell was in use at or before it).
* A cell's position is taken from the cells row valid at the point's time
  (``valid_from <= t < valid_to``, an open bound is open-ended), because masts are moved
  and cell ids re-used. When several rows are valid, the newest ``valid_from`` wins and a
  remaining tie goes to the later row (exhibit, then source line), the rule of the
  ingest service's ``CellIndex``. An LTE cell is also found by ``MCC-MNC-ECI`` (its
  ECGI without the TAC), the form many CDRs write.
* A point whose cell is in no list, or in none valid at its time, is kept with
  ``located`` false and no position: it is counted, never dropped and never guessed.
* ``radius_m`` is the cell's stated range, or ``default_radius_m`` when the list gives
  none; it is the radius of the sector wedge (or circle, when the azimuth is unknown) in
  which the handset is taken to have been. It states the uncertainty; it is not a
  guarantee that the handset was inside it.
"""

from __future__ import annotations

from datetime import UTC, datetime

import polars as pl

from linesight_analytics.contact_frequency.compute import with_other_party

#: Used when the cells row gives no range.
DEFAULT_RADIUS_M = 2000.0

_OPEN_START = datetime(1900, 1, 1, tzinfo=UTC)

COLUMNS = (
    "event_id", "exhibit_id", "source_row", "subject", "kind", "direction", "other_party",
    "start_utc", "duration_s", "cell_role", "t_utc", "time_basis", "cgi", "located",
    "lat", "lon", "azimuth", "beamwidth", "radius_m", "site_name", "cell_exhibit_id",
    "cell_source_row",
)

_CELL_FIELDS = ("lat", "lon", "azimuth", "beamwidth", "range_m", "site_name",
                "cell_exhibit_id", "cell_source_row", "valid_to")


def points(events: pl.DataFrame) -> pl.DataFrame:
    """One row per event per named cell, with its role, time and time basis (no position)."""
    named = with_other_party(events) if events.height else events.with_columns(
        other_party=pl.lit(None, pl.String))
    base = named.select(
        "event_id", "exhibit_id", "source_row", "subject", "kind", "direction", "other_party",
        "start_utc", "duration_s", "first_cell", "last_cell",
    )
    is_data = pl.col("kind") == "data"
    first = base.filter(pl.col("first_cell").is_not_null()).with_columns(
        cell_role=pl.lit("first"), cgi=pl.col("first_cell"), t_utc=pl.col("start_utc"),
        time_basis=pl.when(is_data).then(pl.lit("at_or_before")).otherwise(pl.lit("at")),
    )
    end = pl.col("start_utc") + pl.duration(seconds=pl.col("duration_s").fill_null(0))
    last = base.filter(pl.col("last_cell").is_not_null()).with_columns(
        cell_role=pl.lit("last"), cgi=pl.col("last_cell"), t_utc=end,
        time_basis=pl.when(is_data).then(pl.lit("at_or_before")).otherwise(pl.lit("at_end")),
    )
    return pl.concat([first, last]).drop("first_cell", "last_cell")


def cell_keys(cells: pl.DataFrame) -> pl.DataFrame:
    """Each cells row under every key it is found by (its CGI/ECGI and, for LTE, the
    ECGI without the TAC), with an ordering that settles ties."""
    rows = cells.select(
        key=pl.col("cgi"), radio=pl.col("radio"),
        valid_from=pl.col("valid_from").fill_null(_OPEN_START),
        valid_to=pl.col("valid_to"),
        lat=pl.col("lat"), lon=pl.col("lon"), azimuth=pl.col("azimuth"),
        beamwidth=pl.col("beamwidth"), range_m=pl.col("range_m"),
        site_name=pl.col("site_name"), cell_exhibit_id=pl.col("exhibit_id"),
        cell_source_row=pl.col("source_row"),
    )
    parts = pl.col("key").str.split("-")
    alias = rows.filter((pl.col("radio") == "LTE") & (parts.list.len() == 4)).with_columns(
        key=pl.concat_str([parts.list.get(0), parts.list.get(1), parts.list.get(3)],
                          separator="-"))
    return pl.concat([rows, alias]).drop("radio").sort(
        "key", "valid_from", "cell_exhibit_id", "cell_source_row")


def _pick_valid(pts: pl.DataFrame, keys: pl.DataFrame) -> pl.DataFrame:
    """The exact rule for the points the as-of join could not settle: among the rows of
    the point's key valid at its time, the newest start, then the later row."""
    joined = pts.select("_i", "cgi", "t_utc").join(keys, left_on="cgi", right_on="key")
    valid = joined.filter(
        (pl.col("valid_from") <= pl.col("t_utc"))
        & (pl.col("valid_to").is_null() | (pl.col("t_utc") < pl.col("valid_to"))))
    return valid.sort("_i", "valid_from", "cell_exhibit_id", "cell_source_row").group_by(
        "_i", maintain_order=True).last().select("_i", *_CELL_FIELDS)


def locate(events: pl.DataFrame, cells: pl.DataFrame, *,
           default_radius_m: float = DEFAULT_RADIUS_M) -> pl.DataFrame:
    """Every named cell of every event, with the position valid at its time (see the
    module docstring), sorted by subject, time, event id and cell role."""
    keys = cell_keys(cells)
    # The newest start at or before each point's time, per key (one row per key and start:
    # the later row of a tie), then checked against its end.
    latest = keys.group_by("key", "valid_from", maintain_order=True).last()
    asof = points(events).with_row_index("_i").sort("t_utc").join_asof(
        latest, left_on="t_utc", right_on="valid_from", by_left="cgi", by_right="key",
        strategy="backward", check_sortedness=False,
    )
    settled = pl.col("valid_from").is_not_null() & (
        pl.col("valid_to").is_null() | (pl.col("t_utc") < pl.col("valid_to")))
    asof = asof.with_columns(_settled=settled).with_columns(
        [pl.when(pl.col("_settled")).then(pl.col(c)).alias(c) for c in _CELL_FIELDS])
    # A key with several rows may still have an older row valid when its newest start has
    # already ended (overlapping periods): settle those points by the exact rule.
    versioned = keys.group_by("key").len().filter(pl.col("len") > 1).get_column("key")
    unsettled = asof.filter(
        ~pl.col("_settled") & pl.col("cgi").is_in(versioned.implode()))
    if unsettled.height:
        rescued = _pick_valid(unsettled, keys)
        asof = asof.update(rescued, on="_i", how="left")
    # Back in the events' order (nearly the final order) before the final sort: a
    # multi-key sort of time-ordered rows costs ten times as much.
    out = asof.sort("_i").with_columns(
        located=pl.col("lat").is_not_null() & pl.col("lon").is_not_null(),
        radius_m=pl.col("range_m").fill_null(default_radius_m).cast(pl.Float64),
    )
    return out.sort("subject", "t_utc", "event_id", "cell_role", nulls_last=True).select(COLUMNS)
