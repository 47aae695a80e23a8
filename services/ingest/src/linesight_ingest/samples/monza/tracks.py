"""Where a handset or a car is at every moment: piecewise-linear tracks.

A track is a list of knots (time, latitude, longitude) with strictly increasing times; in
between, the position moves in a straight line at constant speed (so a stay is two knots
at the same place, a drive is one knot per road waypoint). A :class:`TrackBuilder`
writes a track in time order from three moves:

* ``visit(place, until)``: go there in a straight line (or by the road) at a given speed
  and stay until a time;
* ``drive(points, speeds)``: follow a polyline at the given speeds;
* ``follow(track, a, b)``: go to where another track is at ``a`` and then move exactly as
  it does until ``b`` (a phone in the same car as the deal line, a runner walking with it).

Times are seconds since the Unix epoch (UTC). :func:`local` turns a day of the period
and a UK local hour into that (hours past 24 run into the next day).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import numpy as np

from linesight_ingest.samples.monza.world import distance_m

UK = ZoneInfo("Europe/London")
START = date(2024, 9, 16)  # Monday; the period is 61 days, to Friday 15 November 2024
DAYS = 61


def local(day: int, hour: float) -> float:
    """UK local wall-clock time ``hour`` (may exceed 24) on day ``day`` → epoch seconds."""
    wall = datetime(START.year, START.month, START.day) + timedelta(days=day, hours=hour)
    return wall.replace(tzinfo=UK).timestamp()


def day_of(t: float) -> int:
    """The day of the period (0-based) that UK local time ``t`` falls on."""
    return (datetime.fromtimestamp(t, UTC).astimezone(UK).date() - START).days


def local_date(t: float) -> date:
    return datetime.fromtimestamp(t, UTC).astimezone(UK).date()


def iso_utc(t: float) -> str:
    return datetime.fromtimestamp(round(t), UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass(frozen=True)
class Track:
    t: np.ndarray
    lat: np.ndarray
    lon: np.ndarray

    def at(self, ts) -> tuple[np.ndarray, np.ndarray]:
        ts = np.asarray(ts, dtype=float)
        return np.interp(ts, self.t, self.lat), np.interp(ts, self.t, self.lon)

    def pos(self, t: float) -> tuple[float, float]:
        lat, lon = self.at(np.array([t]))
        return float(lat[0]), float(lon[0])


class TrackBuilder:
    """Writes a track in time order (see the module docstring)."""

    def __init__(self, t0: float, pos: tuple[float, float]) -> None:
        self.t, self.lat, self.lon = [t0], [pos[0]], [pos[1]]

    @property
    def now(self) -> float:
        return self.t[-1]

    @property
    def pos(self) -> tuple[float, float]:
        return (self.lat[-1], self.lon[-1])

    def _knot(self, t: float, lat: float, lon: float) -> None:
        if (lat, lon) == self.pos and t <= self.now:
            return
        self.t.append(max(t, self.now + 1.0))
        self.lat.append(lat)
        self.lon.append(lon)

    def stay_until(self, t: float) -> None:
        if t > self.now:
            self._knot(t, *self.pos)

    def drive(self, points: Sequence[tuple[float, float]], kmh: Sequence[float],
              factor: float = 1.0) -> float:
        """Follow ``points`` (each reached at its ``kmh``), starting now; the arrival time."""
        for (lat, lon), v in zip(points, kmh, strict=True):
            d = float(distance_m(self.lat[-1], self.lon[-1], lat, lon))
            if d < 1.0:
                continue
            self._knot(self.now + d / (v * factor / 3.6), lat, lon)
        return self.now

    def travel_time(self, pos: tuple[float, float], kmh: float) -> float:
        return float(distance_m(self.lat[-1], self.lon[-1], pos[0], pos[1])) / (kmh / 3.6)

    def visit(self, pos: tuple[float, float], until: float, kmh: float,
              path: tuple[list, list] | None = None) -> float:
        """Go to ``pos`` now (straight, or by ``path``) and stay until ``until``; the
        arrival time."""
        points, speeds = path if path is not None else ([pos], [kmh])
        arrived = self.drive(points, speeds)
        self.stay_until(until)
        return arrived

    def follow(self, track: Track, a: float, b: float, kmh: float) -> None:
        """Be with ``track`` from ``a`` (or as soon after as the journey there allows)
        until ``b``."""
        target = track.pos(a)
        self.stay_until(a - self.travel_time(target, kmh))
        self.drive([target], [kmh])
        start = self.now
        if start >= b:
            return
        i, j = np.searchsorted(track.t, [start, b], side="right")
        for k in range(int(i), int(j)):
            self._knot(float(track.t[k]), float(track.lat[k]), float(track.lon[k]))
        self._knot(b, *track.pos(b))

    def build(self) -> Track:
        return Track(np.array(self.t), np.array(self.lat), np.array(self.lon))


@dataclass(frozen=True)
class Stay:
    """Be at ``place`` from ``start`` to ``end`` (a piece of a person's own plan)."""

    pos: tuple[float, float]
    start: float
    end: float


def merge(own: list[Stay], follows: list[tuple[float, float]]) -> list[tuple]:
    """A person's plan: their own stays, except during ``follows`` (intervals when they
    are with the deal line). Returns pieces in time order: ``("stay", pos, end)`` and
    ``("follow", a, b)``."""
    spans = sorted(follows)
    merged: list[list[float]] = []
    for a, b in spans:
        if merged and a <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], b)
        else:
            merged.append([a, b])
    pieces: list[tuple[float, tuple]] = [(a, ("follow", a, b)) for a, b in merged]
    for s in own:
        cuts = [s.start]
        for a, b in merged:
            if b <= s.start or a >= s.end:
                continue
            cuts += [a, b]
        cuts.append(s.end)
        for a, b in zip(cuts[0::2], cuts[1::2], strict=True):
            if b - a > 60:
                pieces.append((a, ("stay", s.pos, b)))
    pieces.sort(key=lambda p: (p[0], p[1][0]))
    return [p for _, p in pieces]


def build(start: float, home: tuple[float, float], pieces: list[tuple], leader: Track | None,
          kmh: float, path_for=None) -> Track:
    """Run a merged plan through a builder. ``path_for(a, b)`` gives the way between two
    stays (e.g. by the road); default straight at ``kmh``."""
    b = TrackBuilder(start, home)
    for piece in pieces:
        if piece[0] == "stay":
            _, pos, end = piece
            path = path_for(b.pos, pos) if path_for and pos != b.pos else None
            b.visit(pos, end, kmh, path)
        else:
            _, a, z = piece
            assert leader is not None
            b.follow(leader, a, z, kmh)
    return b.build()
