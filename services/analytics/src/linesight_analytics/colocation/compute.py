"""Co-location: when two or more phones were served by the same or neighbouring cells, when
they were demonstrably apart, and which phones keep company with a target.

Pure: the pinned events and cells in, plain Python rows out; no database, no clock. The
method, stated in full for the analyst and for a defence expert:

Placing events. Every event names up to two cells: its first cell (at its start) and its
last cell (at its end, start plus duration). Each named cell is a *point*, placed at the
mast of the cells-list row valid at that time (``geo.locate``: versions by
``valid_from``/``valid_to``, LTE cells also found without their TAC). A point whose cell
is not in the list, or has no row valid at its time, is counted as not located and used
no further. Data sessions are placed at their record time (the cell was in use at or
before it) unless ``use_data_sessions`` is false. A mast position says where the serving
antenna stands, not where the handset was; ``radius_m`` (the cell's stated range, or the
default) states how far from it the handset may have been.

Pairs. Two points of two different numbers are *simultaneous* when their times differ by
no more than ``time_tolerance_minutes``. Every simultaneous pair is one piece of evidence
and shows one of three things, from the distance ``d`` between the two masts (haversine
on the WGS 84 mean sphere, rounded to whole metres before any comparison):

* together: ``d <= max_distance_m`` (the same cell, or the same mast, is 0 m);
* apart: ``d > apart_min_distance_m`` and ``d`` exceeds the two cells' ranges added
  together (plus ``apart_travel_speed_kmh`` times the time between the two events, when
  a speed is given), so no one place could be served by both cells;
* undetermined: anything else (it is counted, and shows neither).

``apart_min_distance_m`` may not be below ``max_distance_m``, so no pair is both. A long
tolerance lets a pair of a moving couple look apart; the travel speed, or a shorter
tolerance, guards against that, and the conflicting periods below show it.

Pairwise mode (``subjects``). For every pair of the numbers, the together and the apart
pairs are joined, in time order, into runs of one kind; a run ends at a pair of the
other kind or at a gap of more than ``min_gap_minutes``. Runs whose spans overlap are
merged, and a merged group holding both kinds is one *conflicting* period: periods of a
pair never overlap, and contradictory evidence is shown as such for the court to weigh.
A period runs from its earliest to its latest event; hours are summed period spans and
days the distinct local days of the pairs' earlier events. Further tables give the
summary per pair and every event pair with both events' lines and both cells-list lines;
the map shows the events of the periods at their masts.

Ranking mode (``target``). Every other number in the inputs is compared with the target.
Its points are kept when a located target point lies within the tolerance (found by
binary search over the target's sorted times, so nothing is compared with everything)
and paired with each such target point; a pair's day and hour are those of the target's
event. The target's mast positions are grouped into *places*: the commonest position
not yet in a place starts the next place and takes every remaining position within
``max_distance_m`` of it, so place 1 is the target's commonest place (often its home).
Candidates are ranked, a total order, by:

1. the score: the number of the target's places at which the two were co-located;
2. days on which they were co-located at two or more of those places;
3. days together; 4. the share of the candidate's simultaneous events that are
   co-located; 5. together pairs; 6. the number itself.

Why places first: in a town, many phones share a mast area with the target at some
time on most days (a neighbour at night, a colleague by day), so days together alone
ties most of them; a companion is with the target wherever it goes. A phone that shares
the target's home cell every night but is apart by day scores 1 and ranks below a phone
that is with the target at several places on many days; its nights still show in
``days_together``. A ranking row lists the lines of its co-located pairs; its apart
and undetermined pairs are most of both numbers' records, so they are counted but not
listed: the pairwise mode on the two numbers lists every pair with both lines. The
places are a further table and the map (circles of ``max_distance_m``).

Traceability and accounting. Every row lists, per exhibit, the lines of the events it
counts (ranking rows: those of their co-located pairs, as said above; the pairwise
tables also the cells-list lines that placed each mast). The
summary counts every event read: without subject, outside the window, of other numbers
(pairwise), data sessions left out, naming no cell, used; and every point: located or
not, and (ranking) left out because no target event was within the tolerance. Times are
UTC with ``Z``; local days and hours are in ``timezone`` (Europe/London by default);
distances are whole metres and hours have 2 decimal places; every table is sorted with a
total order.

Speed. Events are read once into arrays (``points``; placing gives the answer of
``geo.locate``, which settles the cells with several versions), pairs are found by
binary search and laid out as index arrays (``pairs``), a block at a time, and distances
are worked out once per pair of cells. Nothing compares every event with every other.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import polars as pl

from linesight_analytics.analyses.computed import Computed, Inputs, ResultTable
from linesight_analytics.colocation.cells import CellBook
from linesight_analytics.colocation.columns import (
    PERIOD_COLUMNS,
    PERIOD_DEFINITIONS,
    PLACE_COLUMNS,
    PLACE_DEFINITIONS,
    PLACES_TABLE,
    RANKING_COLUMNS,
    RANKING_DEFINITIONS,
)
from linesight_analytics.colocation.maps import places_map
from linesight_analytics.colocation.pairwise import pairwise
from linesight_analytics.colocation.points import (
    EventArrays,
    details,
    event_arrays,
    place,
    points_of,
)
from linesight_analytics.colocation.ranking import rank
from linesight_analytics.colocation.schemas import (
    COMMON_METHOD,
    PAIRWISE_METHOD,
    RANKING_METHOD,
    ColocationParameters,
)
from linesight_analytics.colocation.scope import (
    point_accounting,
    require_cells,
    require_events_of,
    scope,
)


def compute(inputs: Inputs, parameters: ColocationParameters) -> Computed:
    """Co-location of the numbers asked about, or the ranked companions of a target (see
    the module docstring)."""
    events = inputs.events
    require_cells(inputs.cells)
    book = CellBook(inputs.cells, parameters.default_radius_m)
    arrays = event_arrays(events, book)
    require_events_of(arrays, parameters.subjects or [parameters.target])
    in_scope, accounting = scope(arrays, parameters)
    summary: dict[str, Any] = {"mode": parameters.mode, **accounting}
    if parameters.subjects is not None:
        return _pairwise(events, arrays, in_scope, book, parameters, summary)
    ranking = rank(events, arrays, in_scope, book, parameters)
    summary.update(ranking.summary)
    summary["notes"] = _ranking_notes(ranking.summary)
    places = ResultTable(PLACES_TABLE, "The target's places (groups of nearby masts)",
                         PLACE_COLUMNS, PLACE_DEFINITIONS, ranking.places)
    return Computed(columns=RANKING_COLUMNS, rows=ranking.rows, summary=summary,
                    definitions=RANKING_DEFINITIONS, method=COMMON_METHOD + RANKING_METHOD,
                    tables=(places,),
                    geojson=places_map(ranking.places, parameters.max_distance_m))


def _pairwise(events: pl.DataFrame, arrays: EventArrays, in_scope: np.ndarray,
              book: CellBook, p: ColocationParameters, summary: dict[str, Any]) -> Computed:
    points = place(points_of(arrays, in_scope), book, events)
    located = details(points.take(points.located), book, events)
    rows, tables, figures, geojson = pairwise(located, book.geometry(), p)
    per_subject = []
    for s in sorted(p.subjects or []):
        code = arrays.subjects.index(s)
        per_subject.append({
            "subject": s, "events_used": int((in_scope & (arrays.subject == code)).sum()),
            **point_accounting(points.take(points.subject == code))})
    summary.update(point_accounting(points))
    summary["subjects"] = per_subject
    summary.update(figures)
    notes = [f"{s['subject']} has no located event in scope: it cannot be compared"
             for s in per_subject if s["points_located"] == 0]
    if not rows:
        notes.append("no period together or apart was found")
    summary["notes"] = notes
    return Computed(columns=PERIOD_COLUMNS, rows=rows, summary=summary,
                    definitions=PERIOD_DEFINITIONS, method=COMMON_METHOD + PAIRWISE_METHOD,
                    tables=tables, geojson=geojson)


def _ranking_notes(figures: dict[str, Any]) -> list[str]:
    notes = []
    if figures["target"]["points_located"] == 0:
        notes.append("the target has no located event in scope: no candidate can be compared")
    if figures["candidates"] == 0:
        notes.append("the inputs hold no other number to compare with the target")
    elif figures["pairs_by_kind"]["together"] == 0:
        notes.append("no other number was co-located with the target")
    return notes
