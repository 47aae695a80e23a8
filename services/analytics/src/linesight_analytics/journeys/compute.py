"""Journeys between areas: when a phone left one place and was next seen in another.

Pure: the pinned events and cells in, plain Python rows out; no database, no clock. The
method, stated once for the report:

* **Points.** Every event of the subject that names a cell gives one point per named
  cell (first and last cell), placed at the mast of the cells row valid at the point's
  time (``geo.locate``). A point whose cell is in no list valid at that time has no
  position: it is counted in the summary and cannot be placed in an area or on a route.
* **Areas.** Given by the analyst (a centre and a radius each), or derived from the
  subject's busiest places when none are given (``journeys.areas``: a ~10 km grid, the
  busiest squares more than 30 km apart, named after their busiest cell's site). A
  point is in an area when its mast is within the radius of the centre; a mast within
  two areas belongs to the one with the nearer centre.
* **Stays.** In time order (time, then event id, then first before last cell), the
  consecutive points in one area form a stay; points outside every area in between do
  not end it. A stay whose first and last points are less than ``min_stay_minutes``
  apart is set aside as passing through (its points become route points, marked with
  their area) and the stays either side of it, when in the same area, join up.
* **Journeys.** A journey runs from the last point of a stay (departure) to the first
  point of the next stay (arrival), which is by construction in another area. The points
  between are its route. The duration is arrival minus departure: an upper bound on the
  travelling time, because the subject may have left after its last record in the first
  area and arrived before its first record in the second. Data-session points are at or
  before their record time (their ``time_basis`` says so on every route point).
* **Groups.** Journeys with the same from and to areas form a group: count, typical
  local departure time (the median time of day on a 24-hour clock cut at its longest
  empty stretch), departures per time-of-day band, median/min/max duration and the
  local dates, in the analysis time zone (default Europe/London).
* **Traceability.** Every journey lists, per exhibit, the lines of the events file of
  its departure, route and arrival points and the lines of the cells list that placed
  them; every route point carries its own event and cells row. The summary accounts for
  every events row: other subjects, events without a cell, unlocated and located points,
  points in and outside the areas, stays set aside, points on journeys.
"""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo

import polars as pl

from linesight_analytics.analyses.computed import Computed, Inputs, ResultTable
from linesight_analytics.contact_frequency.compute import InvalidEvents, check_events
from linesight_analytics.geo.locate import locate
from linesight_analytics.journeys.areas import ChosenArea, assign_areas, derive_areas
from linesight_analytics.journeys.geojson import journeys_geojson
from linesight_analytics.journeys.schemas import (
    COLUMNS,
    DEFINITIONS,
    GROUP_COLUMNS,
    GROUP_DEFINITIONS,
    GROUPS_TABLE,
    GROUPS_TITLE,
    METHOD,
    JourneysParameters,
)
from linesight_analytics.journeys.tables import group_rows, journey_rows
from linesight_analytics.journeys.trips import find_stays, journey_points, journeys_between


def compute(inputs: Inputs, parameters: JourneysParameters) -> Computed:
    """The subject's journeys between areas (see the module docstring)."""
    events, subject = inputs.events, parameters.subject
    mine = events.filter(pl.col("subject") == subject)
    if mine.height == 0:
        raise InvalidEvents(f"no events of subject {subject} in the inputs "
                            f"({events.height} events read)")
    if inputs.cells.height == 0:
        raise InvalidEvents("journeys need a cells list (the positions of the masts); "
                            "no cells were given")
    check_events(mine)
    with_cell = mine.filter(pl.col("first_cell").is_not_null() | pl.col("last_cell").is_not_null())
    points = locate(with_cell, inputs.cells)
    located = points.filter(pl.col("located")).sort(
        "t_utc", "event_id", "cell_role").with_row_index("seq")
    summary: dict[str, Any] = {
        "subject": subject, "timezone": parameters.timezone,
        "events_read": events.height, "events_other_subjects": events.height - mine.height,
        "events_of_subject": mine.height, "events_without_cell": mine.height - with_cell.height,
        "points": points.height, "points_unlocated": points.height - located.height,
        "points_located": located.height,
        "area_selection": None, "area_derivation": None, "areas": [],
        "points_in_areas": 0, "points_outside_areas": 0, "runs_in_areas": 0,
        "runs_set_aside_as_passing_through": 0, "points_in_runs_set_aside": 0, "stays": 0,
        "points_on_journeys": 0, "points_not_on_journeys": located.height,
    }
    if located.height == 0:
        return _empty(summary, [], "no journeys: none of the subject's points could be "
                                   "placed (no cell in the cells list at its time)")
    areas = _areas(parameters, located, summary)
    if len(areas) < 2:
        return _empty(summary, areas, "no journeys: fewer than two areas more than "
                      f"{parameters.auto_min_separation_km:g} km apart were found")
    tagged = assign_areas(located, areas)
    found = find_stays(tagged, parameters.min_stay_minutes)
    journeys = journeys_between(found.stays)
    on_journeys = journey_points(tagged, journeys)
    in_areas = tagged.filter(pl.col("area").is_not_null())
    summary.update({
        "points_in_areas": in_areas.height,
        "points_outside_areas": tagged.height - in_areas.height,
        "runs_in_areas": found.runs, "runs_set_aside_as_passing_through": found.runs_set_aside,
        "points_in_runs_set_aside": found.points_set_aside, "stays": found.stays.height,
        "points_on_journeys": on_journeys.select("seq").n_unique(),
    })
    summary["points_not_on_journeys"] = located.height - summary["points_on_journeys"]
    counts = in_areas.group_by("area").len()
    per_area = dict(zip(counts.get_column("area").to_list(), counts.get_column("len").to_list(),
                        strict=True))
    summary["areas"] = [{**a.document(), "points_inside": per_area.get(i, 0)}
                        for i, a in enumerate(areas)]
    if journeys.height == 0:
        return _empty(summary, areas, "no journeys: the subject's stays are all in one area")
    zone = ZoneInfo(parameters.timezone)
    names = [a.name for a in areas]
    rows = journey_rows(subject, journeys, on_journeys, names, zone)
    groups = group_rows(rows, zone)
    summary.update({"journeys": len(rows), "groups": len(groups), "result": "journeys found"})
    return Computed(
        columns=COLUMNS, rows=rows, summary=summary, definitions=DEFINITIONS, method=METHOD,
        tables=(_groups_table(groups),),
        geojson=journeys_geojson(areas, rows, on_journeys),
    )


def _areas(parameters: JourneysParameters, located: pl.DataFrame,
           summary: dict[str, Any]) -> list[ChosenArea]:
    if parameters.areas is not None:
        summary["area_selection"] = "given"
        summary["area_derivation"] = None
        return [ChosenArea(name=a.name, lat=a.lat, lon=a.lon, radius_km=a.radius_km,
                           origin="given") for a in parameters.areas]
    areas, derivation = derive_areas(
        located, count=parameters.auto_areas, grid_km=parameters.auto_grid_km,
        min_separation_km=parameters.auto_min_separation_km, radius_km=parameters.auto_radius_km)
    summary["area_selection"] = "derived"
    summary["area_derivation"] = derivation
    return areas


def _groups_table(rows: list[list[Any]]) -> ResultTable:
    return ResultTable(name=GROUPS_TABLE, title=GROUPS_TITLE, columns=GROUP_COLUMNS,
                       definitions=GROUP_DEFINITIONS, rows=rows)


def _empty(summary: dict[str, Any], areas: list[ChosenArea], reason: str) -> Computed:
    if not summary["areas"]:
        summary["areas"] = [{**a.document(), "points_inside": None} for a in areas]
    summary.update({"journeys": 0, "groups": 0, "result": reason})
    return Computed(columns=COLUMNS, rows=[], summary=summary, definitions=DEFINITIONS,
                    method=METHOD, tables=(_groups_table([]),),
                    geojson=journeys_geojson(areas, [], _NO_POINTS))


_NO_POINTS = pl.DataFrame(schema={"journey_id": pl.UInt32, "seq": pl.UInt32, "lat": pl.Float64,
                                  "lon": pl.Float64, "cgi": pl.String, "site_name": pl.String})
