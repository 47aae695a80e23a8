"""Pattern of life: per subject, a 7x24 grid of activity, the top cells by day and by
night, and the events by kind.

Pure: the events (and, when given, the cells list) in, plain rows out; no database, no
clock. The method, stated in full (``METHOD`` is the short form a report prints):

1. Inputs. Events with no subject, and events of other subjects than the one asked for,
   are left out and counted in the summary; every other event is used. Repeated exhibit
   lines and negative durations are refused.
2. Local time. Each event is placed by its start time on the local wall clock of
   ``timezone`` (default Europe/London: GMT in winter, BST in summer), so a call at 23:30
   UTC in July counts at 00:30 on the next day.
3. The grid. Per subject, one row per weekday (Mon to Sun) and one column per hour
   (``h00`` for 00:00-00:59 ...), counting every event, whatever its kind and whether or
   not it names a cell. Seven rows per subject are always given, with zeros. The grid is
   not traced line by line (it would repeat every line of every exhibit): each subject's
   grid sums to its event count, which the summary states, and the kinds table gives the
   events per exhibit.
4. Day and night. Night runs from ``night_start`` (inclusive) to ``night_end``
   (exclusive) on the local clock, over midnight when it starts later than it ends; day
   is every other time. A night is dated by the local date on which it starts.
5. Top cells. Each event that names a first cell counts once, at that cell (for a data
   session, the cell in use at or before the record time), in its window. A cell's
   position is the cells row valid at the event's start (``linesight_analytics.geo.locate``'s
   rule); a cell with two positions in the period is two rows, and a cell in no list is
   kept without position. Per subject and window the cells are ranked by events, then
   distinct days (nights), then cell id; the first ``top_n`` are listed with the lines
   they count per exhibit. The share is of the subject's events in the same window that
   name a first cell.
6. Kinds. Per subject and kind: events, by direction, by day and night, and per exhibit.
7. Order. Subjects in sorted order; weekdays Monday first; cells by rank; kinds in the
   vocabulary's order (voice, sms, mms, data, missed, voicemail).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import polars as pl
from linesight_shared.tables import EVENT_KINDS

from linesight_analytics.analyses.computed import Computed, Inputs, ResultTable
from linesight_analytics.contact_frequency import InvalidEvents
from linesight_analytics.inactivity.clock import NightWindow, day_of, local_micros, second_of_day
from linesight_analytics.inactivity.rows import encode, paused_gc
from linesight_analytics.inactivity.scope import in_scope
from linesight_analytics.pattern_of_life.schemas import (
    BY_KIND_COLUMNS,
    BY_KIND_DEFINITIONS,
    BY_KIND_TABLE,
    BY_KIND_TITLE,
    COLUMNS,
    DEFINITIONS,
    METHOD,
    TOP_COLUMNS,
    TOP_DAY_TABLE,
    TOP_DAY_TITLE,
    TOP_DEFINITIONS,
    TOP_NIGHT_TABLE,
    TOP_NIGHT_TITLE,
    WEEKDAYS,
    PatternOfLifeParameters,
)
from linesight_analytics.pattern_of_life.top_cells import top_cells


def compute(inputs: Inputs, parameters: PatternOfLifeParameters) -> Computed:
    """Grid, top cells and kinds of every subject in scope (see the module docstring)."""
    with paused_gc():
        return _compute(inputs, parameters)


def _compute(inputs: Inputs, parameters: PatternOfLifeParameters) -> Computed:
    scope = in_scope(inputs.events, parameters.subject)
    window = NightWindow.parse(parameters.night_start, parameters.night_end)
    events = scope.events
    subject_code, subjects = encode(events.get_column("subject"))
    start_us = events.get_column("start_utc").dt.epoch("us")
    local = local_micros(start_us, parameters.timezone)
    timed = pl.DataFrame({
        "subject_code": subject_code, "start_us": start_us, "local": local,
        "kind": events.get_column("kind"), "direction": events.get_column("direction"),
        "first_cell": events.get_column("first_cell"),
        "exhibit_code": events.get_column("exhibit_code"),
        "source_row": events.get_column("source_row"),
    }).with_columns(night=window.contains(pl.col("local")))
    timed = timed.with_columns(
        day_key=pl.when(pl.col("night")).then(window.night_of(pl.col("local")))
        .otherwise(day_of(pl.col("local"))))
    grid, per_subject = _grid(timed, subjects)
    tops = top_cells(timed, inputs.cells, parameters.top_n, subjects, scope.exhibits)
    tables = (
        ResultTable(TOP_DAY_TABLE, TOP_DAY_TITLE, TOP_COLUMNS, TOP_DEFINITIONS, tops.day),
        ResultTable(TOP_NIGHT_TABLE, TOP_NIGHT_TITLE, TOP_COLUMNS, TOP_DEFINITIONS, tops.night),
        ResultTable(BY_KIND_TABLE, BY_KIND_TITLE, BY_KIND_COLUMNS, BY_KIND_DEFINITIONS,
                    _by_kind(timed, subjects, scope.exhibits)),
    )
    summary = {**scope.summary(), "subjects": subjects.len(), **tops.counts,
               "per_subject": per_subject}
    return Computed(columns=COLUMNS, rows=grid, summary=summary, definitions=DEFINITIONS,
                    method=METHOD, tables=tables)


def _grid(timed: pl.DataFrame, subjects: pl.Series) -> tuple[list[list[Any]], list[dict]]:
    """Seven rows per subject, and per subject its events, grid total, day and night."""
    n = subjects.len()
    code = timed.get_column("subject_code").cast(pl.Int64).to_numpy()
    slot = timed.select(  # weekday (Monday 0; 1970-01-01 was a Thursday), then hour
        ((day_of(pl.col("local")) + 3) % 7) * 24 + second_of_day(pl.col("local")) // 3600
    ).to_series().to_numpy()
    counts = np.bincount(code * 168 + slot, minlength=n * 168).reshape(n, 7, 24)
    events = np.bincount(code, minlength=n)
    night = np.bincount(code, weights=timed.get_column("night").to_numpy(), minlength=n)
    with_cell = np.bincount(code, weights=timed.get_column("first_cell").is_not_null()
                            .to_numpy(), minlength=n)
    rows, per_subject = [], []
    for index, name in enumerate(subjects.to_list()):
        for weekday, hours in enumerate(counts[index].tolist()):
            rows.append([name, WEEKDAYS[weekday], *hours, sum(hours)])
        used = int(events[index])
        per_subject.append({
            "subject": name, "events": used, "grid_total": int(counts[index].sum()),
            "day_events": used - int(night[index]), "night_events": int(night[index]),
            "events_without_first_cell": used - int(with_cell[index]),
        })
    return rows, per_subject


def _by_kind(timed: pl.DataFrame, subjects: pl.Series, exhibits: list[str]) -> list[list[Any]]:
    per_exhibit = timed.group_by("subject_code", "kind", "exhibit_code").agg(
        events=pl.len(),
        outgoing=(pl.col("direction") == "out").sum(),
        incoming=(pl.col("direction") == "in").sum(),
        forwarded=(pl.col("direction") == "forward").sum(),
        night_events=pl.col("night").sum(),
    )
    unknown = per_exhibit.filter(~pl.col("kind").is_in(EVENT_KINDS))
    if unknown.height:
        kind = unknown.get_column("kind").sort()[0]
        first = timed.filter(pl.col("kind") == kind).sort("exhibit_code", "source_row").row(
            0, named=True)
        raise InvalidEvents(
            f"exhibit {exhibits[first['exhibit_code']]} line {first['source_row']}: kind "
            f"{kind!r} is not valid here ({unknown.get_column('events').sum()} row(s))")
    order = pl.col("kind").replace_strict(EVENT_KINDS, range(len(EVENT_KINDS)))
    per_exhibit = per_exhibit.sort("subject_code", order, "exhibit_code")
    names = subjects.to_list()
    rows: list[list[Any]] = []
    for code, kind, exhibit, events, out, inc, fwd, night in per_exhibit.rows():
        if not rows or rows[-1][0] != names[code] or rows[-1][1] != kind:
            rows.append([names[code], kind, 0, 0, 0, 0, 0, 0, {}])
        row = rows[-1]
        for position, value in zip(range(2, 8), (events, out, inc, fwd, events - night, night),
                                   strict=True):
            row[position] += value
        row[8][exhibits[exhibit]] = events
    return rows
