"""The timeline as GeoJSON: cells and their sectors, one point per located event, a route.

* One ``cell`` point and one ``sector`` polygon per cell-list row used (a cell version:
  the same cell id re-used or moved gets one pair per row), ordered by cell id and then
  the row that placed it. ``written_as`` lists the ids as the records wrote them.
* One ``event`` point per located point, at its mast, in time order (the main table's
  order), grouped under the subject.
* One ``route`` LineString through the masts of the located points in time order; a
  point at the same mast as the one before adds no vertex. No route is drawn when fewer
  than two vertices remain.
"""

from __future__ import annotations

from typing import Any

import polars as pl

from linesight_analytics.geo.geojson import (
    cell_feature,
    event_feature,
    feature_collection,
    position,
    route_feature,
    sector_feature,
)

_LABEL_SUFFIX = {"at": "", "at_end": " (end cell)", "at_or_before": " (at or before)"}


def timeline_geojson(subject: str, pts: pl.DataFrame) -> tuple[dict[str, Any], int]:
    """The FeatureCollection of the placed points ``pts`` (in time order), and the number
    of route vertices."""
    located = pts.filter(pl.col("located"))
    features = [*_cells(located), *_events(subject, located)]
    vertices = _route_vertices(located)
    if len(vertices) >= 2:
        times = located.get_column("time_utc")
        features.append(route_feature(
            positions=vertices, subject=subject, group=subject,
            label=f"{subject}: {times[0]} to {times[-1]}",
            from_utc=times[0], to_utc=times[-1], points=located.height,
            vertices=len(vertices)))
    return feature_collection(features), len(vertices)


def _cells(located: pl.DataFrame) -> list[dict[str, Any]]:
    versions = located.group_by("cell_exhibit_id", "cell_source_row").agg(
        pl.col("cgi").min(), pl.col("cgi").unique().sort().alias("written_as"),
        pl.col("site_name", "lat", "lon", "azimuth", "beamwidth", "radius_m",
               "uncertainty").first(),
        points=pl.len(),
    ).sort("cgi", "cell_exhibit_id", "cell_source_row")
    features: list[dict[str, Any]] = []
    for v in versions.iter_rows(named=True):
        trace = {"cell_exhibit_id": v["cell_exhibit_id"],
                 "cell_source_row": v["cell_source_row"], "written_as": v["written_as"]}
        name = f"{v['cgi']} ({v['site_name']})" if v["site_name"] else v["cgi"]
        features.append(cell_feature(
            cgi=v["cgi"], lat=v["lat"], lon=v["lon"], site_name=v["site_name"], label=name,
            points=v["points"], **trace))
        features.append(sector_feature(
            cgi=v["cgi"], lat=v["lat"], lon=v["lon"], azimuth=v["azimuth"],
            beamwidth=v["beamwidth"], radius_m=v["radius_m"],
            label=f"{v['cgi']}: {v['uncertainty']}", uncertainty=v["uncertainty"], **trace))
    return features


_EVENT_COLUMNS = ("lat", "lon", "time_utc", "kind", "direction", "cgi", "cell_role",
                  "time_basis", "uncertainty", "exhibit_id", "source_row", "other_party",
                  "cell_exhibit_id", "cell_source_row")


def _events(subject: str, located: pl.DataFrame) -> list[dict[str, Any]]:
    columns = [located.get_column(c).to_list() for c in _EVENT_COLUMNS]
    return [
        event_feature(
            lat=lat, lon=lon, subject=subject, time_utc=t, kind=kind, direction=direction,
            cgi=cgi, cell_role=role, time_basis=basis, uncertainty=sentence,
            exhibit_id=exhibit, source_row=row,
            label=f"{t} {kind} {direction}{_LABEL_SUFFIX[basis]}",
            group=subject, other_party=other, cell_exhibit_id=cell_exhibit,
            cell_source_row=cell_row)
        for (lat, lon, t, kind, direction, cgi, role, basis, sentence, exhibit, row, other,
             cell_exhibit, cell_row) in zip(*columns, strict=True)
    ]


def _route_vertices(located: pl.DataFrame) -> list[list[float]]:
    moved = (pl.col("lat") != pl.col("lat").shift(1)) | (pl.col("lon") != pl.col("lon").shift(1))
    turns = located.select("lat", "lon").filter(moved.fill_null(True))
    return [position(lat, lon) for lat, lon in turns.rows()]
