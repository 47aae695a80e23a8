"""The maps of a co-location result (GeoJSON, the conventions of ``geo.geojson``)."""

from __future__ import annotations

from typing import Any

import polars as pl

from linesight_analytics.contact_frequency.compute import iso_utc
from linesight_analytics.geo.geojson import (
    area_feature,
    cell_feature,
    event_feature,
    feature_collection,
    metres,
)


def uncertainty(time_basis: str, radius_m: float) -> str:
    """What the point says and does not say, in one sentence."""
    when = {"at": "at this time", "at_end": "at the end of the call",
            "at_or_before": "at or before this record time (data session)"}[time_basis]
    return (f"the mast of the serving cell {when}; the handset was within about "
            f"{metres(radius_m):,} m of it (the cell's range), not necessarily at it")


def periods_map(matches: pl.DataFrame) -> dict[str, Any]:
    """Event points of the pairs in periods, each side once, and the masts they used."""
    in_period = matches.filter(pl.col("period_id").is_not_null())
    sides = [in_period.select(
        subject=pl.col(f"subject_{s}"),
        **{c: pl.col(f"{c}_{s}") for c in (
            "t_utc", "kind", "direction", "cgi", "cell_role", "time_basis", "radius_m",
            "exhibit_id", "source_row", "lat", "lon", "site_name", "cell_exhibit_id",
            "cell_source_row")}) for s in ("a", "b")]
    points = pl.concat(sides).unique(
        ["subject", "exhibit_id", "source_row", "cell_role"], keep="first", maintain_order=True
    ).sort(
        "subject", "t_utc", "exhibit_id", "source_row", "cell_role")
    masts = points.group_by("cell_exhibit_id", "cell_source_row").agg(
        pl.col("cgi").min(), pl.col("lat").first(), pl.col("lon").first(),
        pl.col("site_name").first()).sort("cgi", "cell_exhibit_id", "cell_source_row")
    features = [cell_feature(cgi=c["cgi"], lat=c["lat"], lon=c["lon"],
                             site_name=c["site_name"], label=c["site_name"] or c["cgi"],
                             cell_exhibit_id=c["cell_exhibit_id"],
                             cell_source_row=c["cell_source_row"])
                for c in masts.iter_rows(named=True)]
    for e in points.iter_rows(named=True):
        when = iso_utc(e["t_utc"])
        features.append(event_feature(
            lat=e["lat"], lon=e["lon"], subject=e["subject"], time_utc=when, kind=e["kind"],
            direction=e["direction"], cgi=e["cgi"], cell_role=e["cell_role"],
            time_basis=e["time_basis"], uncertainty=uncertainty(e["time_basis"], e["radius_m"]),
            exhibit_id=e["exhibit_id"], source_row=e["source_row"],
            label=f"{e['subject']} {when}", group=e["subject"],
            cell_exhibit_id=e["cell_exhibit_id"], cell_source_row=e["cell_source_row"]))
    return feature_collection(features)


def places_map(places: list[list[Any]], radius_m: float) -> dict[str, Any]:
    """The target's places (``place_rows``) as circles of the co-location distance
    around their commonest masts."""
    return feature_collection([
        area_feature(name=f"place {p[0]}", lat=p[1], lon=p[2], radius_m=max(radius_m, 1),
                     label=f"Target's place {p[0]}: {p[5]} located events on {p[6]} days",
                     place=p[0])
        for p in places])
