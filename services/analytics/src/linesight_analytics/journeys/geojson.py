"""The map of the journeys: the areas, one route per journey, the cells on the routes."""

from __future__ import annotations

from typing import Any

import polars as pl

from linesight_analytics.geo.geojson import (
    area_feature,
    cell_feature,
    feature_collection,
    position,
    route_feature,
)
from linesight_analytics.journeys.areas import ChosenArea


def journeys_geojson(areas: list[ChosenArea], rows: list[list[Any]],
                     points: pl.DataFrame) -> dict[str, Any]:
    """``area`` circles (in area order), one ``route`` LineString per journey (departure
    mast, route masts, arrival mast; group = from->to) and one ``cell`` point per cell
    position on any journey (by cgi, then position)."""
    features = [area_feature(name=a.name, lat=a.lat, lon=a.lon, radius_m=a.radius_km * 1000,
                             label=a.name) for a in areas]
    masts: dict[int, list[list[float]]] = {}
    for p in points.sort("journey_id", "seq").iter_rows(named=True):
        here = position(p["lat"], p["lon"])
        line = masts.setdefault(p["journey_id"], [])
        if not line or line[-1] != here:
            line.append(here)
    for row in rows:
        journey_id, subject, from_area, to_area, group = row[:5]
        line = masts[journey_id]
        features.append(route_feature(
            positions=line if len(line) > 1 else [line[0], line[0]], subject=subject,
            label=f"Journey {journey_id}: {from_area} -> {to_area}, {row[5]}",
            from_utc=row[5], to_utc=row[7], group=group, journey_id=journey_id))
    cells = points.select("cgi", "lat", "lon", "site_name").unique().sort(
        "cgi", "lat", "lon", "site_name", nulls_last=True)
    for c in cells.iter_rows(named=True):
        features.append(cell_feature(cgi=c["cgi"], lat=c["lat"], lon=c["lon"],
                                     site_name=c["site_name"],
                                     label=c["site_name"] or c["cgi"]))
    return feature_collection(features)
