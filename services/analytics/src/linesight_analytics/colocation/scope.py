"""Which events an analysis reads, and an account of every one it leaves out."""

from __future__ import annotations

from datetime import datetime

import numpy as np
import polars as pl

from linesight_analytics.colocation.points import NO_CELL, EventArrays, Points
from linesight_analytics.colocation.schemas import ColocationParameters, as_utc
from linesight_analytics.contact_frequency import InvalidEvents


def _micros(value: datetime | None) -> int | None:
    if value is None:
        return None
    return int(pl.Series([as_utc(value)]).dt.epoch("us")[0])


def scope(events: EventArrays, parameters: ColocationParameters
          ) -> tuple[np.ndarray, dict[str, int]]:
    """Which events are used (a mask), and how many were left out at each step: without
    subject, outside the window, of other numbers (pairwise mode), data sessions (when
    left out), naming no cell. Each event is counted under the first step that leaves it
    out, so ``events_read`` is the sum of the steps and ``events_used``."""
    steps: list[tuple[str, np.ndarray]] = [("events_without_subject", events.subject < 0)]
    start, end = _micros(parameters.from_utc), _micros(parameters.to_utc)
    if start is not None or end is not None:
        outside = np.zeros(events.start.size, dtype=bool)
        if start is not None:
            outside |= events.start < start
        if end is not None:
            outside |= events.start >= end
        steps.append(("events_outside_window", outside))
    if parameters.subjects is not None:
        asked = [events.subjects.index(s) for s in parameters.subjects if s in events.subjects]
        steps.append(("events_other_subjects", ~np.isin(events.subject, asked)))
    if not parameters.use_data_sessions:
        steps.append(("data_sessions_left_out", events.is_data))
    steps.append(("events_naming_no_cell",
                  (events.first_key == NO_CELL) & (events.last_key == NO_CELL)))
    left = np.zeros(events.start.size, dtype=bool)
    accounting = {"events_read": int(events.start.size)}
    for name, leaves in steps:
        accounting[name] = int((leaves & ~left).sum())
        left |= leaves
    accounting["events_used"] = int((~left).sum())
    return ~left, accounting


def require_events_of(events: EventArrays, subjects: list[str]) -> None:
    """Refuse numbers the inputs hold no event of: there is nothing to compare."""
    missing = [s for s in subjects if s not in set(events.subjects)]
    if missing:
        raise InvalidEvents(f"the inputs hold no event of {', '.join(missing)}: co-location "
                            "needs the call data of every number it compares")


def require_cells(cells: pl.DataFrame) -> None:
    if cells.height == 0:
        raise InvalidEvents("co-location needs a cells list (mast positions): none was given")


def point_accounting(points: Points) -> dict[str, int]:
    """Points placed and not placed (cell not in the list, or no row valid at the time)."""
    located = int(points.located.sum())
    return {"points": len(points), "points_located": located,
            "points_not_located": len(points) - located}
