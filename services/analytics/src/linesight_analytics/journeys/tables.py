"""The rows of the journeys table and of the groups table (output-sized Python)."""

from __future__ import annotations

import statistics
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import polars as pl

from linesight_analytics.contact_frequency.compute import iso_utc
from linesight_analytics.journeys.schemas import DEPARTURE_BANDS

MINUTES_PER_DAY = 24 * 60


def journey_rows(subject: str, journeys: pl.DataFrame, points: pl.DataFrame,
                 names: list[str], zone: ZoneInfo) -> list[list[Any]]:
    """One row per journey (columns as ``schemas.COLUMNS``)."""
    members: dict[int, list[dict[str, Any]]] = {}
    for p in points.iter_rows(named=True):
        members.setdefault(p["journey_id"], []).append(p)
    rows = []
    for j in journeys.sort("journey_id").iter_rows(named=True):
        own = members[j["journey_id"]]
        route = [_route_item(p, names) for p in own if p["part"] == "route"]
        departure, arrival = own[0], own[-1]
        source_rows = _lines(own, "exhibit_id", "source_row")
        from_area, to_area = names[j["from_area"]], names[j["to_area"]]
        rows.append([
            j["journey_id"], subject, from_area, to_area, group_name(from_area, to_area),
            iso_utc(j["departure"]), j["departure"].astimezone(zone).isoformat(),
            iso_utc(j["arrival"]), minutes(j["departure"], j["arrival"]),
            departure["cgi"], arrival["cgi"], len(route), route,
            sorted(source_rows), source_rows, _lines(own, "cell_exhibit_id", "cell_source_row"),
        ])
    return rows


def group_name(from_area: str, to_area: str) -> str:
    return f"{from_area}->{to_area}"


def minutes(start: datetime, end: datetime) -> float:
    return round((end - start).total_seconds() / 60, 1)


def _route_item(p: dict[str, Any], names: list[str]) -> dict[str, Any]:
    return {
        "time_utc": iso_utc(p["t_utc"]), "cgi": p["cgi"], "site_name": p["site_name"],
        "lat": round(p["lat"], 6), "lon": round(p["lon"], 6),
        "area": None if p["area"] is None else names[p["area"]],
        "kind": p["kind"], "cell_role": p["cell_role"], "time_basis": p["time_basis"],
        "exhibit_id": p["exhibit_id"], "source_row": p["source_row"],
        "cell_exhibit_id": p["cell_exhibit_id"], "cell_source_row": p["cell_source_row"],
    }


def _lines(points: list[dict[str, Any]], exhibit: str, row: str) -> dict[str, list[int]]:
    found: dict[str, set[int]] = {}
    for p in points:
        found.setdefault(p[exhibit], set()).add(p[row])
    return {key: sorted(found[key]) for key in sorted(found)}


def group_rows(journey_table: list[list[Any]], zone: ZoneInfo) -> list[list[Any]]:
    """One row per (from, to) pair (columns as ``schemas.GROUP_COLUMNS``), the most
    frequent first, then by from and to area names."""
    groups: dict[tuple[str, str], list[list[Any]]] = {}
    for row in journey_table:
        groups.setdefault((row[2], row[3]), []).append(row)
    out = []
    for (from_area, to_area), rows in groups.items():
        departures = [datetime.fromisoformat(r[6]) for r in rows]
        local_minutes = [d.hour * 60 + d.minute for d in departures]
        durations = [r[8] for r in rows]
        bands = [sum(1 for m in local_minutes if start * 60 <= m < end * 60)
                 for _, start, end in DEPARTURE_BANDS]
        dates = sorted({d.date().isoformat() for d in departures})
        lines: dict[str, set[int]] = {}
        for r in rows:
            for exhibit, numbers in r[14].items():
                lines.setdefault(exhibit, set()).update(numbers)
        out.append([
            group_name(from_area, to_area), from_area, to_area, len(rows), [r[0] for r in rows],
            clock(typical_minute_of_day(local_minutes)), *bands,
            round(statistics.median(durations), 1), min(durations), max(durations),
            dates, len(dates), rows[0][5], rows[-1][5],
            sorted(lines), {key: sorted(lines[key]) for key in sorted(lines)},
        ])
    return sorted(out, key=lambda g: (-g[3], g[1], g[2]))


def typical_minute_of_day(values: list[int]) -> int:
    """The median minute of the day on a 24-hour clock cut at its longest empty stretch
    (the first such stretch when two are equally long), so 23:50 and 00:10 give 00:00;
    the middle of two middle values is rounded down to the minute."""
    ordered = sorted(values)
    n = len(ordered)
    gaps = [ordered[i + 1] - ordered[i] for i in range(n - 1)]
    gaps.append(ordered[0] + MINUTES_PER_DAY - ordered[-1])
    longest = max(range(n), key=lambda i: (gaps[i], -i))
    start = (longest + 1) % n
    unrolled = [ordered[(start + k) % n] + (MINUTES_PER_DAY if start + k >= n else 0)
                for k in range(n)]
    middle = n // 2
    median = unrolled[middle] if n % 2 else (unrolled[middle - 1] + unrolled[middle]) // 2
    return median % MINUTES_PER_DAY


def clock(minute_of_day: int) -> str:
    return f"{minute_of_day // 60:02d}:{minute_of_day % 60:02d}"
