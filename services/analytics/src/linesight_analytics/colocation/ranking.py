"""Ranking mode: every other number in the inputs against one target, as arrays.

The target's located points are sorted by time. Another number's point is kept only
when a target point lies within the tolerance (two binary searches), and only kept
points are placed at their masts. The event pairs are then laid out as index arrays
(``pairs.simultaneous``), a block of candidate points at a time so memory stays
bounded, and every figure is a count over them (``numpy.bincount``, or a marks matrix
of candidates by the target's days). Python loops run over candidates only.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import polars as pl

from linesight_analytics.colocation.cells import CellBook
from linesight_analytics.colocation.pairs import (
    APART,
    TOGETHER,
    UNDETERMINED,
    US_PER_S,
    Classifier,
    Rule,
    simultaneous,
    within_tolerance,
)
from linesight_analytics.colocation.points import EventArrays, details, place, points_of
from linesight_analytics.colocation.ranked import Target, candidate_rows, place_rows
from linesight_analytics.colocation.schemas import ColocationParameters
from linesight_analytics.colocation.scope import point_accounting

US_PER_MINUTE = 60_000_000
#: Candidate points paired at a time (bounds the memory of the pair arrays).
BLOCK = 1_000_000
KINDS = (TOGETHER, APART, UNDETERMINED)


@dataclass
class Tally:
    """Per candidate (subject code): pair counts by kind, the target's days with an apart
    pair, and the co-located pairs themselves (few) for the finer figures."""

    subjects: int
    days: int
    counts: dict[int, np.ndarray] = field(init=False)
    apart_days: np.ndarray = field(init=False)
    together_i: list[np.ndarray] = field(default_factory=list)
    together_j: list[np.ndarray] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.counts = {k: np.zeros(self.subjects, dtype=np.int64) for k in KINDS}
        self.apart_days = np.zeros((self.subjects, max(self.days, 1)), dtype=bool)

    def add(self, subject: np.ndarray, day: np.ndarray, i: np.ndarray, j: np.ndarray,
            kind: np.ndarray) -> None:
        by_kind = np.bincount(subject * len(KINDS) + kind, minlength=self.subjects * len(KINDS))
        for k in KINDS:
            self.counts[k] += by_kind[k::len(KINDS)]
        apart = kind == APART
        self.apart_days.ravel()[subject[apart] * self.apart_days.shape[1] + day[apart]] = True
        together = kind == TOGETHER
        self.together_i.append(i[together])
        self.together_j.append(j[together])


@dataclass(frozen=True)
class Ranking:
    rows: list[list[Any]]
    places: list[list[Any]]
    summary: dict[str, Any]


def rank(events: pl.DataFrame, arrays: EventArrays, in_scope: np.ndarray, book: CellBook,
         parameters: ColocationParameters) -> Ranking:
    """Rank every other number in the inputs as a companion of the target."""
    p = parameters
    tolerance = p.time_tolerance_minutes * US_PER_MINUTE
    rule = Rule(p.max_distance_m, p.apart_min_distance_m, p.apart_travel_speed_kmh)
    geometry = book.geometry()
    me = arrays.subjects.index(p.target)

    target_points = place(points_of(arrays, in_scope & (arrays.subject == me)), book, events)
    target = Target.of(details(target_points.take(target_points.located), book, events), p)

    others = points_of(arrays, in_scope & (arrays.subject >= 0) & (arrays.subject != me))
    near = within_tolerance(target.times, others.t, tolerance)
    placed = place(others.take(near), book, events)
    cand = placed.take(placed.located)

    tally = Tally(len(arrays.subjects), target.days)
    classifier = Classifier(target.codes, cand.code, geometry, rule)
    for first in range(0, len(cand), BLOCK):
        i, j = simultaneous(target.times, cand.t[first:first + BLOCK], tolerance)
        j += first
        seconds = (np.abs(target.times[i] - cand.t[j]) / US_PER_S
                   if p.apart_travel_speed_kmh else None)
        tally.add(cand.subject[j], target.day[i], i, j, classifier.kinds(i, j, seconds))

    rows = candidate_rows(arrays.subjects, me, target, cand, tally, events)
    summary = {
        "target": {"events_used": int((in_scope & (arrays.subject == me)).sum()),
                   **point_accounting(target_points), "local_days": target.days,
                   "places": target.places},
        "candidates": len(arrays.subjects) - 1,
        "candidate_events_used": int((in_scope & (arrays.subject >= 0)
                                      & (arrays.subject != me)).sum()),
        "candidate_points": len(others),
        "candidate_points_outside_tolerance": int((~near).sum()),
        "candidate_points_located": len(cand),
        "candidate_points_not_located": len(placed) - len(cand),
        "simultaneous_pairs": int(sum(c.sum() for c in tally.counts.values())),
        "pairs_by_kind": {"together": int(tally.counts[TOGETHER].sum()),
                          "apart": int(tally.counts[APART].sum()),
                          "undetermined": int(tally.counts[UNDETERMINED].sum())},
    }
    return Ranking(rows, place_rows(target), summary)
