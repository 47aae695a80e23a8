"""Simultaneous event pairs, and what each pair shows: together, apart or undetermined.

Pairs are found without comparing every event with every other: one side's times are
sorted, and for each event of the other side two binary searches give the run of sorted
events within the tolerance (``|dt| <= tolerance``); the pairs are those runs, laid out
with ``numpy.repeat``. Distances are worked out once per pair of *cells* (a small matrix)
and looked up for every event pair, so ten million events cost a few array passes.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import polars as pl

from linesight_analytics.geo.distance import haversine_m_np

#: Codes of what a pair shows (int8 in the arrays).
UNDETERMINED, TOGETHER, APART = 0, 1, 2
KIND_NAMES = {TOGETHER: "together", APART: "apart", UNDETERMINED: "undetermined"}
#: A cell-by-cell matrix is used while it has no more cells than this (else per pair).
MATRIX_LIMIT = 8_000_000
US_PER_S = 1_000_000


def simultaneous(sorted_times: np.ndarray, times: np.ndarray, tolerance_us: int
                 ) -> tuple[np.ndarray, np.ndarray]:
    """Every ``(i, j)`` with ``|sorted_times[i] - times[j]| <= tolerance_us``, ordered by
    ``j`` then ``i``; ``sorted_times`` must be ascending (int64 microseconds)."""
    lo = np.searchsorted(sorted_times, times - tolerance_us, side="left")
    hi = np.searchsorted(sorted_times, times + tolerance_us, side="right")
    counts = hi - lo
    j = np.repeat(np.arange(times.size, dtype=np.int64), counts)
    # the k-th pair of j is sorted index lo[j] + (k - index of j's first pair)
    i = np.arange(j.size, dtype=np.int64) - np.repeat(np.cumsum(counts) - counts - lo, counts)
    return i, j


def within_tolerance(sorted_times: np.ndarray, times: np.ndarray, tolerance_us: int
                     ) -> np.ndarray:
    """Whether each of ``times`` has one of ``sorted_times`` within the tolerance: the
    windows ``[t - tolerance, t + tolerance]`` are merged into disjoint spans, then one
    binary search per time says whether it falls inside one."""
    if sorted_times.size == 0:
        return np.zeros(times.size, dtype=bool)
    starts, ends = sorted_times - tolerance_us, sorted_times + tolerance_us + 1
    new_span = np.concatenate([[True], starts[1:] > np.maximum.accumulate(ends)[:-1]])
    span_ends = np.maximum.reduceat(ends, np.flatnonzero(new_span))
    bounds = np.column_stack([starts[new_span], span_ends]).ravel()
    return np.searchsorted(bounds, times, side="right") % 2 == 1


@dataclass(frozen=True)
class Rule:
    """The distances that make a pair together or apart (see the method)."""

    max_distance_m: float
    apart_min_distance_m: float
    apart_travel_speed_kmh: float = 0.0


@dataclass(frozen=True)
class Geometry:
    """Mast position and range of every cell code (``CellBook.geometry``)."""

    lat: np.ndarray
    lon: np.ndarray
    radius_m: np.ndarray

    @classmethod
    def of(cls, frame: pl.DataFrame) -> Geometry:
        def column(name: str) -> np.ndarray:
            return frame.get_column(name).cast(pl.Float64).fill_null(np.nan).to_numpy()
        return cls(column("lat"), column("lon"), column("radius_m"))


def _compact(codes: np.ndarray, size: int) -> tuple[np.ndarray, np.ndarray]:
    """The distinct codes (ascending) and each code's index among them, in O(n)."""
    present = np.zeros(size, dtype=bool)
    present[codes] = True
    return np.flatnonzero(present), (np.cumsum(present) - 1)[codes]


class Classifier:
    """What each pair of points shows, decided once per pair of *cells* when the cells
    are few enough for a matrix (else per pair of points).

    ``codes_a``/``codes_b`` are the cell codes of every point of each side; pairs are
    then given as indices into them."""

    def __init__(self, codes_a: np.ndarray, codes_b: np.ndarray, geometry: Geometry,
                 rule: Rule) -> None:
        self.codes_a, self.codes_b = codes_a, codes_b
        self.geometry, self.rule = geometry, rule
        size = geometry.lat.size
        cells_a, self.ia = _compact(codes_a, size)
        cells_b, self.ib = _compact(codes_b, size)
        self.width = cells_b.size
        self.distance = self.beyond = None
        if 0 < cells_a.size * cells_b.size <= MATRIX_LIMIT:
            g = geometry
            distance = np.rint(haversine_m_np(
                g.lat[cells_a][:, None], g.lon[cells_a][:, None],
                g.lat[cells_b][None, :], g.lon[cells_b][None, :]))
            self.distance = distance.ravel()
            self.beyond = (distance - g.radius_m[cells_a][:, None]
                           - g.radius_m[cells_b][None, :]).ravel()
            self.kinds_of_cells = self._kind(self.distance, self.beyond)

    def _kind(self, distance: np.ndarray, beyond_ranges: np.ndarray) -> np.ndarray:
        kind = np.full(distance.size, UNDETERMINED, dtype=np.int8)
        kind[(distance > self.rule.apart_min_distance_m) & (beyond_ranges > 0)] = APART
        kind[distance <= self.rule.max_distance_m] = TOGETHER
        return kind

    def _distances(self, i: np.ndarray, j: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        if self.distance is not None:
            cell_pair = self.ia[i] * self.width + self.ib[j]
            return self.distance[cell_pair], self.beyond[cell_pair]
        g, a, b = self.geometry, self.codes_a[i], self.codes_b[j]
        distance = np.rint(haversine_m_np(g.lat[a], g.lon[a], g.lat[b], g.lon[b]))
        return distance, distance - g.radius_m[a] - g.radius_m[b]

    def kinds(self, i: np.ndarray, j: np.ndarray, seconds_apart: np.ndarray | None = None
              ) -> np.ndarray:
        """What pairs ``(i, j)`` show (int8 codes); ``seconds_apart`` is read only when
        the rule allows for travel."""
        travel = self.rule.apart_travel_speed_kmh and seconds_apart is not None
        if self.distance is not None and not travel:
            return self.kinds_of_cells[self.ia[i] * self.width + self.ib[j]]
        distance, beyond = self._distances(i, j)
        if travel:
            beyond = beyond - seconds_apart * (self.rule.apart_travel_speed_kmh / 3.6)
        return self._kind(distance, beyond)

    def distances(self, i: np.ndarray, j: np.ndarray) -> np.ndarray:
        """Mast-to-mast distance of pairs ``(i, j)``, whole metres."""
        return self._distances(i, j)[0].astype(np.int64)
