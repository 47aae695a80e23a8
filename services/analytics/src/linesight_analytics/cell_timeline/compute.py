"""Cell-site timeline: each event of one phone placed on its cell, by cell *and* time.

Pure: the events and cells tables in, rows, a summary and GeoJSON out; no database, no
HTTP, no clock. The method, stated in full for the report (``METHOD`` says it in one
sentence a step):

* Only the events whose ``subject`` is the number asked for are used; with ``from_utc``
  and/or ``to_utc``, only those that start at or after ``from_utc`` and before
  ``to_utc``.
* Each event gives one **point** per cell it names: its first cell, at the event's start,
  and its last cell, at its start plus its duration (the start when the duration is
  unknown), when the operator reports an end cell. ``cell_role`` says which.
* ``time_basis`` says what the point's time means: ``at`` (the cell served the call or
  message then), ``at_end`` (the cell at the end of a call) or ``at_or_before`` (data
  sessions: the operator's record time; the cell was in use at or before it).
* The cell is placed from the cell-list row valid at the point's time (``valid_from <=
  time < valid_to``), the newest start winning among several valid rows, then the later
  row; an LTE cell is also found by its ECGI without the TAC (``geo.locate``).
* A point whose cell is in no list, in none valid at its time, or listed without a
  position stays in the timeline with ``located`` false and no position, and is counted
  under its reason in the summary. Nothing is guessed.
* The **uncertainty** states the area the handset is taken to have been in: a wedge of
  the listed beamwidth facing the listed azimuth, of the listed range, or a circle of
  that range when the azimuth or beamwidth is unknown (or the cell is omnidirectional);
  where the list gives no range the default radius (a parameter, 2,000 m unless set) is
  used and the sentence says so. Wedges and circles are computed on the WGS 84 ellipsoid
  (``geo.sectors``).
* Rows are in time order, then exhibit, source line and cell role (first before last):
  a total order. Coordinates have 6 decimal places, radii are whole metres.
* The ``cells`` table gives each cell used (as written, with the cell-list row that placed
  it) with its number of points and events, first and last time, and the source lines of
  its events.
* The summary accounts for every event read: events read = events without subject +
  events of other subjects + events outside the window + events naming no cell + events
  with a cell; and points = located + unlocated (by reason).
* When the inputs hold no event of the subject at all, or no cells list, the analysis is
  refused (``InvalidEvents``): the inputs are the wrong ones. No event in the window, or none
  naming a cell, is a valid answer: an empty table whose summary says why.
"""

from __future__ import annotations

from typing import Any

import polars as pl

from linesight_analytics.analyses.computed import Computed, Inputs, ResultTable
from linesight_analytics.cell_timeline.features import timeline_geojson
from linesight_analytics.cell_timeline.points import placed
from linesight_analytics.cell_timeline.schemas import (
    CELLS_COLUMNS,
    CELLS_DEFINITIONS,
    CELLS_TABLE,
    CELLS_TITLE,
    COLUMNS,
    DEFINITIONS,
    METHOD,
    UNLOCATED_REASONS,
    CellTimelineParameters,
)
from linesight_analytics.contact_frequency.compute import InvalidEvents, check_events, iso_utc

_CELL_KEY = ["cgi", "cell_exhibit_id", "cell_source_row"]


def compute(inputs: Inputs, parameters: CellTimelineParameters) -> Computed:
    """The cell-site timeline of ``parameters.subject`` (see the module docstring)."""
    events, subject = inputs.events, parameters.subject
    without_subject = events.filter(pl.col("subject").is_null()).height
    mine = events.filter(pl.col("subject") == subject)
    if mine.height == 0:
        raise InvalidEvents(
            f"no events of subject {subject} in the inputs ({events.height} event(s) read, "
            f"{without_subject} without a subject): choose the exhibits of that number")
    if inputs.cells.height == 0:
        raise InvalidEvents("the cell-site timeline needs a cells list (the positions of the "
                            "masts); none was given")
    check_events(mine)
    in_window = mine.filter(_window(parameters))
    names_cell = pl.col("first_cell").is_not_null() | pl.col("last_cell").is_not_null()
    with_cell = in_window.filter(names_cell)
    pts = placed(with_cell, inputs.cells, parameters.default_radius_m)
    geojson, vertices = timeline_geojson(subject, pts)
    summary = {
        "subject": subject,
        "from_utc": iso_utc(parameters.from_utc) if parameters.from_utc else None,
        "to_utc": iso_utc(parameters.to_utc) if parameters.to_utc else None,
        "default_radius_m": round(parameters.default_radius_m),
        "events_read": events.height,
        "events_without_subject": without_subject,
        "events_other_subjects": events.height - without_subject - mine.height,
        "subject_events": mine.height,
        "events_outside_window": mine.height - in_window.height,
        "events_without_cell": in_window.height - with_cell.height,
        "events_with_cell": with_cell.height,
        **_point_counts(pts),
        "route_vertices": vertices,
        "note": _note(in_window, with_cell, pts),
    }
    table = ResultTable(CELLS_TABLE, CELLS_TITLE, CELLS_COLUMNS, CELLS_DEFINITIONS,
                        _cells_rows(pts))
    rows = list(map(list, pts.select(COLUMNS).rows()))
    return Computed(columns=COLUMNS, rows=rows, summary=summary, definitions=DEFINITIONS,
                    method=METHOD, tables=(table,), geojson=geojson)


def _window(parameters: CellTimelineParameters) -> pl.Expr:
    keep = pl.lit(True)
    if parameters.from_utc is not None:
        keep &= pl.col("start_utc") >= parameters.from_utc
    if parameters.to_utc is not None:
        keep &= pl.col("start_utc") < parameters.to_utc
    return keep


def _counts(pts: pl.DataFrame, column: str, keys: tuple[str, ...]) -> dict[str, int]:
    counted = dict(pts.get_column(column).value_counts().iter_rows())
    return {k: counted.get(k, 0) for k in keys}


def _point_counts(pts: pl.DataFrame) -> dict[str, Any]:
    located = pts.filter(pl.col("located"))
    return {
        "points": pts.height,
        "points_by_role": _counts(pts, "cell_role", ("first", "last")),
        "points_by_time_basis": _counts(pts, "time_basis", ("at", "at_end", "at_or_before")),
        "located": located.height,
        "unlocated": pts.height - located.height,
        "unlocated_by_reason": _counts(pts, "reason", UNLOCATED_REASONS),
        "located_with_default_radius": located.filter(~pl.col("radius_stated")).height,
        "located_as_circle": located.filter(pl.col("shape") == "circle").height,
        "cells_used": located.select("cell_exhibit_id", "cell_source_row").n_unique(),
        "first_point_utc": pts.get_column("time_utc")[0] if pts.height else None,
        "last_point_utc": pts.get_column("time_utc")[-1] if pts.height else None,
    }


def _note(in_window: pl.DataFrame, with_cell: pl.DataFrame, pts: pl.DataFrame) -> str | None:
    if in_window.height == 0:
        return "no event of the subject starts within the window"
    if with_cell.height == 0:
        return "no event of the subject in the window names a cell"
    if not pts.get_column("located").any():
        return "no cell named by the subject's events is in a cell list valid at its time"
    return None


def _cells_rows(pts: pl.DataFrame) -> list[list[Any]]:
    grouped = pts.group_by(_CELL_KEY).agg(
        pl.col("located", "site_name", "lat", "lon", "azimuth", "beamwidth", "radius_m",
               "uncertainty").first(),
        points=pl.len(), events=pl.col("event_id").n_unique(),
        first_utc=pl.col("t_utc").min(), last_utc=pl.col("t_utc").max(),
    ).sort([pl.col("points"), *_CELL_KEY], descending=[True, False, False, False],
           nulls_last=True)
    lines: dict[tuple, dict[str, list[int]]] = {}
    per_exhibit = pts.group_by([*_CELL_KEY, "exhibit_id"]).agg(
        pl.col("source_row").unique().sort())
    for r in per_exhibit.iter_rows(named=True):
        key = (r["cgi"], r["cell_exhibit_id"], r["cell_source_row"])
        lines.setdefault(key, {})[r["exhibit_id"]] = list(r["source_row"])
    rows: list[list[Any]] = []
    for g in grouped.iter_rows(named=True):
        source_rows = lines[(g["cgi"], g["cell_exhibit_id"], g["cell_source_row"])]
        rows.append([
            g["cgi"], g["site_name"], g["located"], g["lat"], g["lon"], g["azimuth"],
            g["beamwidth"], g["radius_m"], g["uncertainty"], g["points"], g["events"],
            iso_utc(g["first_utc"]), iso_utc(g["last_utc"]), g["cell_exhibit_id"], g["cell_source_row"],
            sorted(source_rows), {k: source_rows[k] for k in sorted(source_rows)},
        ])
    return rows
