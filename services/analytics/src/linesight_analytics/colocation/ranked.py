"""Ranking mode: the target's side (times, days, places) and the ranked rows.

The target's *places*: its mast positions, the one with most of its located points
first, are grouped greedily: the commonest position not yet in a place starts the next
place and takes every position not yet in a place within the co-location distance of
it (ties: lower latitude, then longitude). Place 1 is the target's commonest place
(often its home). A candidate's score is the number of the target's places at which
the two were co-located.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import polars as pl

from linesight_analytics.colocation.matches import POINT_ORDER
from linesight_analytics.colocation.pairs import APART, TOGETHER, UNDETERMINED
from linesight_analytics.colocation.points import Points
from linesight_analytics.colocation.schemas import ColocationParameters
from linesight_analytics.colocation.traced import lines_by
from linesight_analytics.contact_frequency.compute import iso_utc
from linesight_analytics.geo.distance import haversine_m_np
from linesight_analytics.geo.geojson import coordinate

if TYPE_CHECKING:
    from linesight_analytics.colocation.ranking import Tally


def _places(points: pl.DataFrame, max_distance_m: float) -> pl.DataFrame:
    """Each of the target's mast positions (lat, lon) with its place number (1-based)."""
    positions = points.group_by("lat", "lon").agg(n=pl.len()).sort(
        ["n", "lat", "lon"], descending=[True, False, False])
    lat, lon = positions.get_column("lat").to_numpy(), positions.get_column("lon").to_numpy()
    place = np.zeros(lat.size, dtype=np.int64)
    number = 0
    for leader in range(lat.size):
        if place[leader]:
            continue
        number += 1
        near = np.rint(haversine_m_np(lat[leader], lon[leader], lat, lon)) <= max_distance_m
        place[near & (place == 0)] = number
    return positions.select("lat", "lon").with_columns(place=pl.Series(place))


@dataclass(frozen=True)
class Target:
    """The target's located points in time order (with their ``place``), as arrays."""

    points: pl.DataFrame
    times: np.ndarray  # int64 microseconds, ascending
    codes: np.ndarray  # cell codes
    day: np.ndarray  # index of the local day among the target's days
    hour: np.ndarray  # index of the local clock hour among the target's hours
    place: np.ndarray  # place number, 1 = commonest
    days: int

    @classmethod
    def of(cls, located: pl.DataFrame, p: ColocationParameters) -> Target:
        local = pl.col("t_utc").dt.convert_time_zone(p.timezone)
        pts = located.sort(POINT_ORDER).join(
            _places(located, p.max_distance_m), on=["lat", "lon"], how="left",
            maintain_order="left").with_columns(
            local_day=local.dt.date(), local_hour=local.dt.truncate("1h").dt.replace_time_zone(
                None))
        day = pts.get_column("local_day").rank("dense").to_numpy().astype(np.int64) - 1
        hour = pts.get_column("local_hour").rank("dense").to_numpy().astype(np.int64) - 1
        return cls(pts, pts.get_column("t_utc").dt.epoch("us").to_numpy(),
                   pts.get_column("cell_code").to_numpy().astype(np.int64), day, hour,
                   pts.get_column("place").to_numpy().astype(np.int64),
                   int(day.max()) + 1 if day.size else 0)

    @property
    def places(self) -> int:
        return int(self.place.max()) if self.place.size else 0


def place_rows(target: Target) -> list[list[Any]]:
    """One row per place of the target (see ``PLACE_COLUMNS``)."""
    pts = target.points
    # a place's position is that of its leading (commonest) mast
    leaders = pts.group_by("place", "lat", "lon").agg(n=pl.len()).sort(
        ["place", "n", "lat", "lon"], descending=[False, True, False, False]).group_by(
        "place", maintain_order=True).first()
    stats = pts.group_by("place").agg(
        masts=pl.struct("lat", "lon").n_unique(), cells=pl.col("cgi").unique().sort(),
        points=pl.len(), days=pl.col("local_day").n_unique(),
        first=pl.col("t_utc").min(), last=pl.col("t_utc").max()).join(
        leaders.select("place", "lat", "lon"), on="place").sort("place")
    lines = lines_by(pts, "place", "exhibit_id", "source_row")
    cell_lines = lines_by(pts, "place", "cell_exhibit_id", "cell_source_row")
    return [[r["place"], coordinate(r["lat"]), coordinate(r["lon"]), r["masts"],
             list(r["cells"]), r["points"], r["days"], iso_utc(r["first"]), iso_utc(r["last"]),
             lines[r["place"]], cell_lines[r["place"]]] for r in stats.iter_rows(named=True)]


def _distinct_events(subject: np.ndarray, rows: np.ndarray, n: int) -> np.ndarray:
    """Per subject code, how many distinct events (``rows``) its points come from."""
    if rows.size == 0:
        return np.zeros(n, dtype=np.int64)
    seen = np.zeros(int(rows.max()) + 1, dtype=bool)
    owner = np.zeros(seen.size, dtype=np.int64)
    seen[rows] = True
    owner[rows] = subject
    return np.bincount(owner[seen], minlength=n)


def _together(target: Target, cand: Points, tally: Tally, events: pl.DataFrame
              ) -> tuple[dict[int, dict[str, Any]], dict[int, dict[str, list[int]]]]:
    """Per candidate: the figures of its co-located pairs, and their lines."""
    ti = np.concatenate([np.zeros(0, np.int64), *tally.together_i])
    tj = np.concatenate([np.zeros(0, np.int64), *tally.together_j])
    who = cand.subject[tj]
    pairs = pl.DataFrame({
        "candidate": who, "day": target.day[ti], "hour": target.hour[ti],
        "place": target.place[ti], "t": target.points.get_column("t_utc").gather(ti),
        "event": cand.row[tj]})
    multi_place_days = pairs.group_by("candidate", "day").agg(
        places=pl.col("place").n_unique()).group_by("candidate").agg(
        multi_place_days=(pl.col("places") >= 2).sum())
    stats = pairs.group_by("candidate").agg(
        places=pl.col("place").unique().sort(), days=pl.col("day").n_unique(),
        hours=pl.col("hour").n_unique(), first=pl.col("t").min(), last=pl.col("t").max(),
        events=pl.col("event").n_unique()).join(multi_place_days, on="candidate")
    lines = events.select("exhibit_id", "source_row")[pl.Series(cand.row[tj])]
    both = pl.concat([
        pl.DataFrame({"candidate": who,
                      "exhibit": target.points.get_column("exhibit_id").gather(ti),
                      "line": target.points.get_column("source_row").gather(ti)}),
        pl.DataFrame({"candidate": who, "exhibit": lines.get_column("exhibit_id"),
                      "line": lines.get_column("source_row")}),
    ])
    return ({r["candidate"]: r for r in stats.iter_rows(named=True)},
            lines_by(both, "candidate", "exhibit", "line"))


def candidate_rows(subjects: list[str], me: int, target: Target, cand: Points, tally: Tally,
                   events: pl.DataFrame) -> list[list[Any]]:
    """One ranked row per candidate (see ``RANKING_COLUMNS``)."""
    together, lines = _together(target, cand, tally, events)
    simultaneous_events = _distinct_events(cand.subject, cand.row, len(subjects))
    days_apart = tally.apart_days.sum(axis=1)
    out = []
    for s, name in enumerate(subjects):
        if s == me:
            continue
        t = together.get(s)
        co_located = t["events"] if t else 0
        share = (round(float(co_located / simultaneous_events[s]), 4)
                 if simultaneous_events[s] else None)
        places = list(t["places"]) if t else []
        out.append([
            0, name, len(places), places, t["multi_place_days"] if t else 0,
            t["days"] if t else 0, t["hours"] if t else 0, int(tally.counts[TOGETHER][s]),
            int(simultaneous_events[s]), co_located, share, int(tally.counts[APART][s]),
            int(days_apart[s]), int(tally.counts[UNDETERMINED][s]),
            iso_utc(t["first"]) if t else None, iso_utc(t["last"]) if t else None,
            sorted(lines[s]), lines[s],
        ])
    out.sort(key=_rank_key)
    for position, row in enumerate(out, start=1):
        row[0] = position
    return out


def _rank_key(row: list[Any]) -> tuple:
    """Places together, then days together at two or more places, then days together,
    then the co-located share (none last), then together pairs, then the number."""
    share = row[10] if row[10] is not None else -1.0
    return (-row[2], -row[4], -row[5], -share, -row[7], row[1])
