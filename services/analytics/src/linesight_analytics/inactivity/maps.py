"""The map of an inactivity result: where the handset sleeps.

Each subject's top places (by nights, at most ``MAP_PLACES``) as the mast (a ``cell``
point) and the cell's sector (wedge, or circle when its facing is unknown), taken from
the cells row the place was positioned by. Places with no position are not drawn (the
places table lists them).
"""

from __future__ import annotations

from typing import Any

import polars as pl

from linesight_analytics.geo.geojson import cell_feature, feature_collection, sector_feature
from linesight_analytics.geo.locate import DEFAULT_RADIUS_M

#: Places drawn per subject.
MAP_PLACES = 10


def places_map(place_rows: list[list[Any]], columns: tuple[str, ...],
               cells: pl.DataFrame) -> dict[str, Any] | None:
    """GeoJSON of the top places, or None when no place has a position."""
    shapes = {(r["exhibit_id"], r["source_row"]): r for r in cells.select(
        "exhibit_id", "source_row", "azimuth", "beamwidth", "range_m").iter_rows(named=True)}
    features: list[dict[str, Any]] = []
    for values in place_rows:
        place = dict(zip(columns, values, strict=True))
        if place["rank"] > MAP_PLACES or place["lat"] is None or place["lon"] is None:
            continue
        shape = shapes.get((place["cell_exhibit_id"], place["cell_source_row"]), {})
        label = (f"{place['subject']} #{place['rank']}: {place['site_name'] or place['cgi']}, "
                 f"{place['nights']} night{'s' if place['nights'] != 1 else ''}")
        common = {"group": place["subject"], "subject": place["subject"],
                  "rank": place["rank"], "nights": place["nights"]}
        features.append(sector_feature(
            cgi=place["cgi"], lat=place["lat"], lon=place["lon"],
            azimuth=shape.get("azimuth"), beamwidth=shape.get("beamwidth"),
            radius_m=shape.get("range_m") or DEFAULT_RADIUS_M, label=label, **common))
        features.append(cell_feature(cgi=place["cgi"], lat=place["lat"], lon=place["lon"],
                                     site_name=place["site_name"], label=label, **common))
    return feature_collection(features) if features else None
