"""Inactivity ("where the handset sleeps"): the gaps in each subject's activity, the cells
either side of them, the places ranked by nights, and the home cell by three methods.

Pure: the events (and, when given, the cells list) in, plain rows out; no database, no
clock. The method, stated in full (``METHOD`` is the short form a report prints):

1. Inputs. Events with no subject, and events of other subjects than the one asked for,
   are left out and counted. Every other event is activity, whatever its kind: a data
   session counts, and so does a missed or diverted call, which a network can record
   while the handset is off (the kinds of the events either side of each gap are shown,
   so the analyst can judge). Repeated exhibit lines and negative durations are refused.
2. Gaps. An event is active from its start to its end (start + duration; the start when
   the duration is unknown). Taking a subject's events in time order, a gap runs from the
   latest end of all its events so far to the start of the next event, and is kept when it
   lasts at least ``min_gap_hours``. The time before the first event and after the last is
   not a gap: nothing bounds it.
3. Night. Night is read on the local wall clock of ``timezone`` (default Europe/London:
   GMT in winter, BST in summer), from ``night_start`` (inclusive) to ``night_end``
   (exclusive), over midnight when it starts later than it ends. A night is dated by the
   local date on which it starts. A gap is overnight when it overlaps a night window; it is
   dated by the first night it overlaps, and counts for that night only. With
   ``overnight_only`` (the default) only overnight gaps are listed; otherwise every gap is
   listed and marked.
4. The cells either side. The last cell before a gap is the cell at the end of the last
   event before it (its ``last_cell`` when the record gives one, at the event's end; else
   its ``first_cell``, at its start); the first cell after is the ``first_cell`` of the
   first event after, at its start. When several events end at the gap's start, the one
   that started last is taken (then the later exhibit and line); when several start at
   its end, the earlier exhibit and line. A cell's position is the cells row valid at
   that time (``linesight_analytics.geo.locate``'s rule); a cell in no cells list keeps
   no position and is never guessed.
5. Places. A place is a cell id with the cells row that gave its position. It counts a
   night when it is the last cell before or the first cell after an overnight gap dated
   that night; places are ranked by distinct nights, then gaps bounded, then cell id. This
   counts both sides because the handset was at one at the start of the night and at the
   other at its end, and neither alone is the whole night: when they differ, both are
   candidates and the ranking shows which recurs.
6. Home, three ways, side by side so the analyst sees where methods agree:
   ``overnight_gaps`` is the top place of 5; ``night_events`` (scikit-mobility's
   ``home_location``, default 22:00-07:00) is the cell with most events starting in the
   night window; ``distinct_nights`` is the cell seen on most distinct nights. The night
   methods count every event once at its first cell, data sessions included; events that
   name no first cell are counted in the summary. Unlike scikit-mobility, which counts
   positions (merging the sectors of a mast) and falls back to all events when there are
   none at night, a place here is a cell, and no night events means no winner.
7. Traceability and order. Each gap row names the exhibit and line of both events and of
   the cells rows used; places and home rows list the lines they count per exhibit. Rows
   are sorted by subject then time (gaps), rank (places), method order (home); the
   summary accounts for every event read.
"""

from __future__ import annotations

from typing import Any, NamedTuple

import polars as pl

from linesight_analytics.analyses.computed import Computed, Inputs, ResultTable
from linesight_analytics.contact_frequency.compute import iso_utc
from linesight_analytics.inactivity.cells import (
    cell_versions,
    located,
    positions,
    version_table,
)
from linesight_analytics.inactivity.clock import (
    MICROS_PER_HOUR,
    MICROS_PER_SECOND,
    NightWindow,
    local_micros,
)
from linesight_analytics.inactivity.gaps import bounding_events, find_gaps
from linesight_analytics.inactivity.home import (
    home_rows,
    night_places,
    place_rows,
    place_table,
)
from linesight_analytics.inactivity.maps import places_map
from linesight_analytics.inactivity.rows import encode, paused_gc, utc_of
from linesight_analytics.inactivity.schemas import (
    COLUMNS,
    DEFINITIONS,
    HOME_COLUMNS,
    HOME_DEFINITIONS,
    HOME_TABLE,
    HOME_TITLE,
    METHOD,
    PLACE_COLUMNS,
    PLACE_DEFINITIONS,
    PLACES_TABLE,
    PLACES_TITLE,
    InactivityParameters,
)
from linesight_analytics.inactivity.scope import in_scope
from linesight_analytics.inactivity.sides import gap_rows, gap_sides


def compute(inputs: Inputs, parameters: InactivityParameters) -> Computed:
    """Gaps, places and home methods of every subject in scope (see the module docstring)."""
    with paused_gc():
        return _compute(inputs, parameters)


def _compute(inputs: Inputs, parameters: InactivityParameters) -> Computed:
    scope = in_scope(inputs.events, parameters.subject)
    window = NightWindow.parse(parameters.night_start, parameters.night_end)
    events = scope.events.with_row_index("_i")
    subject_code, subjects = encode(events.get_column("subject"))
    start_us = events.get_column("start_utc").dt.epoch("us")
    activity = pl.DataFrame({
        "_i": events.get_column("_i"), "subject_code": subject_code, "start_us": start_us,
        "end_us": start_us + events.get_column("duration_s").fill_null(0) * MICROS_PER_SECOND,
        "exhibit_code": events.get_column("exhibit_code"),
        "source_row": events.get_column("source_row"),
    })
    ordered = find_gaps(activity.select("subject_code", "start_us", "end_us"), subjects.len(),
                        max(1, round(parameters.min_gap_hours * MICROS_PER_HOUR)))
    found = _dated(ordered.gaps, window, parameters.timezone)
    listed = found.filter(pl.col("overnight")) if parameters.overnight_only else found
    listed = bounding_events(listed, activity).with_row_index("_g")
    versions = version_table(inputs.cells)
    where = positions(versions)
    sides, side_cgis = gap_sides(listed, events, versions, where)
    named = sides.filter(pl.col("cgi_code").is_not_null())
    night = _night_points(events, activity, window, parameters.timezone, versions, where)
    by_gaps = place_table(named, side_cgis, where)
    homes = home_rows(by_gaps, night_places(night.points, night.cgis),
                      named.filter(pl.col("overnight")), night.points, where, subjects,
                      scope.exhibits)
    places = place_rows(by_gaps, named, subjects, scope.exhibits)
    tables = (
        ResultTable(PLACES_TABLE, PLACES_TITLE, PLACE_COLUMNS, PLACE_DEFINITIONS, places),
        ResultTable(HOME_TABLE, HOME_TITLE, HOME_COLUMNS, HOME_DEFINITIONS, homes),
    )
    summary = {
        **scope.summary(),
        "subjects": subjects.len(),
        **_gap_counts(found, listed, sides, parameters),
        **night.counts,
        "per_subject": _per_subject(ordered.spans, listed, night.points, subjects),
    }
    return Computed(columns=COLUMNS, rows=gap_rows(listed, sides, subjects), summary=summary,
                    definitions=DEFINITIONS, method=METHOD, tables=tables,
                    geojson=places_map(places, PLACE_COLUMNS, inputs.cells))


def _dated(gaps: pl.DataFrame, window: NightWindow, timezone: str) -> pl.DataFrame:
    """The gaps with ``night_day`` (first night overlapped, days since 1970) and
    ``overnight``."""
    local = pl.DataFrame({"s": local_micros(gaps.get_column("gap_start_us"), timezone),
                          "e": local_micros(gaps.get_column("gap_end_us"), timezone)})
    night_day = local.select(
        window.first_night_overlapped(pl.col("s"), pl.col("e"))).to_series()
    return gaps.with_columns(night_day=night_day.cast(pl.Int64)).with_columns(
        overnight=pl.col("night_day").is_not_null())


class _Night(NamedTuple):
    """The events in the night window that name a first cell (``cgi_code`` indexing
    ``cgis``, ``version``), and what the summary says about them."""

    points: pl.DataFrame
    cgis: pl.Series
    counts: dict[str, int]


def _night_points(events: pl.DataFrame, activity: pl.DataFrame, window: NightWindow,
                  timezone: str, versions: pl.DataFrame, where: pl.DataFrame) -> _Night:
    local = local_micros(activity.get_column("start_us"), timezone)
    at_night = activity.with_columns(local=local, first_cell=events.get_column("first_cell"))
    at_night = at_night.filter(window.contains(pl.col("local"))).with_columns(
        night_day=window.night_of(pl.col("local")))
    points = at_night.filter(pl.col("first_cell").is_not_null())
    cgi_code, cgis = encode(points.get_column("first_cell"))
    points = points.select("_i", "subject_code", "night_day", "exhibit_code", "source_row",
                           cgi_code=cgi_code, t_us=pl.col("start_us"))
    points = points.with_columns(version=cell_versions(points, cgis, versions))
    counts = {
        "night_window_events": at_night.height,
        "night_events_without_first_cell": at_night.height - points.height,
        "night_events_counted": points.height,
        "night_events_not_located": points.height - points.filter(
            pl.col("version").is_in(located(where).implode())).height,
    }
    return _Night(points, cgis, counts)


def _gap_counts(found: pl.DataFrame, listed: pl.DataFrame, sides: pl.DataFrame,
                parameters: InactivityParameters) -> dict[str, Any]:
    overnight = found.filter(pl.col("overnight")).height
    return {
        "gaps_found": found.height,
        "gaps_overnight": overnight,
        "gaps_listed": listed.height,
        "gaps_left_out_not_overnight": found.height - overnight if parameters.overnight_only
        else 0,
        "gap_sides_without_cell": sides.filter(pl.col("cgi_code").is_null()).height,
        "gap_sides_not_located": sides.filter(pl.col("cgi_code").is_not_null()
                                              & pl.col("lat").is_null()).height,
        "note": None if listed.height else
        f"no {'overnight ' if parameters.overnight_only else ''}gaps of at least "
        f"{parameters.min_gap_hours:g} h found",
    }


def _per_subject(spans: pl.DataFrame, listed: pl.DataFrame, night: pl.DataFrame,
                 subjects: pl.Series) -> list[dict[str, Any]]:
    gaps = listed.group_by("subject_code").agg(
        gaps_listed=pl.len(), overnight_gaps=pl.col("overnight").sum())
    nights = night.group_by("subject_code").agg(night_events_counted=pl.len())
    table = spans.join(gaps, on="subject_code", how="left").join(
        nights, on="subject_code", how="left").fill_null(0).sort("subject_code")
    names = subjects.to_list()
    return [
        {"subject": names[code], "events": events,
         "first_event_utc": iso_utc(utc_of(first)), "last_activity_utc": iso_utc(utc_of(last)),
         "gaps_listed": gaps_listed, "overnight_gaps": overnight,
         "night_events_counted": counted}
        for code, events, first, last, gaps_listed, overnight, counted in table.select(
            "subject_code", "events", "first_us", "last_us", "gaps_listed", "overnight_gaps",
            "night_events_counted").rows()
    ]
