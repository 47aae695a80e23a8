"""The map of the strongest candidate's matches: its reads, the matched points, their cells."""

from __future__ import annotations

from typing import Any

import polars as pl

from linesight_analytics.contact_frequency.compute import iso_utc
from linesight_analytics.geo.geojson import (
    anpr_read_feature,
    cell_feature,
    event_feature,
    feature_collection,
    metres,
)


def uncertainty(radius_m: float, time_basis: str) -> str:
    """In words, where the phone is taken to have been and when."""
    when = {"at": "at this time", "at_end": "at the end of the call",
            "at_or_before": "at or before this time (data session)"}.get(time_basis, "")
    return f"within about {metres(radius_m):,} m of the mast {when}".strip()


def cotravel_geojson(matches: pl.DataFrame) -> dict[str, Any]:
    """For the rank-1 candidate: one ``cell`` point per cell position, one ``event`` point
    per matched located point and one ``anpr_read`` point per matched read, each sorted
    by time (then exhibit and line), grouped by phone number or VRM."""
    top = matches.filter(pl.col("rank") == 1)
    features = []
    cells = top.select("cgi", "lat", "lon", "site_name").unique().sort(
        "cgi", "lat", "lon", "site_name", nulls_last=True)
    for c in cells.iter_rows(named=True):
        features.append(cell_feature(cgi=c["cgi"], lat=c["lat"], lon=c["lon"],
                                     site_name=c["site_name"],
                                     label=c["site_name"] or c["cgi"]))
    points = top.unique(["event_id", "cell_role"]).sort("t_utc", "event_id", "cell_role")
    for p in points.iter_rows(named=True):
        time_utc = iso_utc(p["t_utc"])
        features.append(event_feature(
            lat=p["lat"], lon=p["lon"], subject=p["subject"], time_utc=time_utc,
            kind=p["kind"], direction=p["direction"], cgi=p["cgi"], cell_role=p["cell_role"],
            time_basis=p["time_basis"], uncertainty=uncertainty(p["radius_m"], p["time_basis"]),
            exhibit_id=p["exhibit_id"], source_row=p["source_row"],
            label=f"{p['subject']} {p['kind']} {time_utc}", group=p["subject"],
            cell_exhibit_id=p["cell_exhibit_id"], cell_source_row=p["cell_source_row"]))
    reads = top.unique(["anpr_exhibit_id", "anpr_source_row"]).sort(
        "read_utc", "anpr_exhibit_id", "anpr_source_row")
    for r in reads.iter_rows(named=True):
        time_utc = iso_utc(r["read_utc"])
        features.append(anpr_read_feature(
            lat=r["read_lat"], lon=r["read_lon"], vrm=r["vrm"], camera_id=r["camera_id"],
            time_utc=time_utc, label=f"{r['vrm']} {r['camera_id']} {time_utc}",
            group=r["vrm"], exhibit_id=r["anpr_exhibit_id"], source_row=r["anpr_source_row"]))
    return feature_collection(features)
