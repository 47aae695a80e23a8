"""The areas journeys run between: given by the analyst, or derived from the busiest places.

* A located point is **in** an area when the haversine distance from its mast to the
  area's centre is at most the area's radius. When a mast is within two areas, the area
  whose centre is nearer wins; an exact tie goes to the area listed (or derived) first.
* **Derived areas** (when the analyst gives none): the subject's located points are
  placed on a square grid of side ``grid_km`` (longitude scaled by the cosine of the
  median latitude of the points, so the squares are square on the ground near the
  subject's places). Squares are taken busiest first (most points; then by grid position,
  a fixed order); a square whose centre (the mean position of its points) is within
  ``min_separation_km`` of an area already taken is skipped; this stops when ``count``
  areas are found or the squares run out. Each area is a circle of ``radius_km`` around
  its square's centre, named after the site of the busiest cell in the square (the cell
  id when the list gives no site name; a name already taken gets the cell id added).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import polars as pl

from linesight_analytics.geo.distance import haversine_m, haversine_m_np

#: Kilometres per degree of latitude (mean), and of longitude at the equator.
KM_PER_DEGREE_LAT = 110.574
KM_PER_DEGREE_LON = 111.320


@dataclass(frozen=True)
class ChosenArea:
    """One area of the analysis, with where it came from."""

    name: str
    lat: float
    lon: float
    radius_km: float
    origin: str                      # "given" or "derived"
    busiest_cgi: str | None = None   # derived areas: the cell the name comes from
    square_points: int | None = None  # derived areas: points in its grid square

    def document(self) -> dict[str, Any]:
        return {"name": self.name, "lat": round(self.lat, 6), "lon": round(self.lon, 6),
                "radius_km": self.radius_km, "origin": self.origin,
                "busiest_cgi": self.busiest_cgi, "square_points": self.square_points}


def assign_areas(points: pl.DataFrame, areas: list[ChosenArea]) -> pl.DataFrame:
    """``points`` with ``area`` (index into ``areas``, null outside every area)."""
    frame = points.with_columns(area=pl.lit(None, dtype=pl.Int32), _best=pl.lit(math.inf))
    for index, area in enumerate(areas):
        distance = haversine_m(pl.col("lat"), pl.col("lon"), pl.lit(area.lat), pl.lit(area.lon))
        # strictly nearer: an exact tie keeps the area listed first
        closer = (distance <= area.radius_km * 1000) & (distance < pl.col("_best"))
        frame = frame.with_columns(
            area=pl.when(closer).then(pl.lit(index, dtype=pl.Int32)).otherwise(pl.col("area")),
            _best=pl.when(closer).then(distance).otherwise(pl.col("_best")),
        )
    return frame.drop("_best")


def derive_areas(points: pl.DataFrame, *, count: int, grid_km: float, min_separation_km: float,
                 radius_km: float) -> tuple[list[ChosenArea], dict[str, Any]]:
    """Up to ``count`` areas from the busiest grid squares (see the module docstring), and
    what was done, for the summary."""
    lat_ref = float(points.get_column("lat").median())
    km_lon = KM_PER_DEGREE_LON * math.cos(math.radians(lat_ref))
    gridded = points.with_columns(
        gx=(pl.col("lon") * km_lon / grid_km).floor().cast(pl.Int64),
        gy=(pl.col("lat") * KM_PER_DEGREE_LAT / grid_km).floor().cast(pl.Int64),
    )
    squares = gridded.group_by("gx", "gy").agg(
        points=pl.len(), lat=pl.col("lat").mean(), lon=pl.col("lon").mean(),
    ).sort(["points", "gx", "gy"], descending=[True, False, False])
    busiest = gridded.group_by("gx", "gy", "cgi", "site_name").agg(n=pl.len()).sort(
        ["gx", "gy", "n", "cgi", "site_name"], descending=[False, False, True, False, False],
        nulls_last=True,
    ).group_by("gx", "gy", maintain_order=True).first()
    squares = squares.join(busiest, on=["gx", "gy"], how="left").sort(
        ["points", "gx", "gy"], descending=[True, False, False])
    chosen: list[ChosenArea] = []
    names: set[str] = set()
    for square in squares.iter_rows(named=True):
        if len(chosen) == count:
            break
        lat, lon = round(square["lat"], 6), round(square["lon"], 6)
        if any(float(haversine_m_np(lat, lon, a.lat, a.lon)) <= min_separation_km * 1000
               for a in chosen):
            continue
        name = _unique_name(square["site_name"] or square["cgi"], square["cgi"], names)
        names.add(name)
        chosen.append(ChosenArea(name=name, lat=lat, lon=lon, radius_km=radius_km,
                                 origin="derived", busiest_cgi=square["cgi"],
                                 square_points=square["points"]))
    derivation = {"grid_km": grid_km, "min_separation_km": min_separation_km,
                  "radius_km": radius_km, "areas_asked": count,
                  "reference_latitude": round(lat_ref, 6), "squares": squares.height,
                  "areas_found": len(chosen)}
    return chosen, derivation


def _unique_name(name: str, cgi: str, taken: set[str]) -> str:
    if name not in taken:
        return name
    candidate = f"{name} ({cgi})"
    suffix = 2
    while candidate in taken:
        candidate = f"{name} ({cgi}) {suffix}"
        suffix += 1
    return candidate
