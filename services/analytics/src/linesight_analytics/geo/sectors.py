"""The area a cell is taken to cover: a sector wedge, or a circle when its facing is unknown.

Method, stated once for every map and report that draws a cell:

* A **wedge** is drawn when the cell list gives both an azimuth (the direction the
  antenna faces, degrees clockwise from true north) and a beamwidth between 0 and 360
  degrees: the ring starts at the mast, runs along the arc of radius ``radius_m`` from
  ``azimuth + beamwidth/2`` back to ``azimuth - beamwidth/2`` with a point at least
  every 5 degrees, and returns to the mast.
* A **circle** of radius ``radius_m`` around the mast (64 points) is drawn instead when
  the azimuth or the beamwidth is unknown, when the beamwidth is 360 degrees or more
  (an omnidirectional cell) or when it is zero or less (not a usable width).
* Each arc point is placed with the forward geodesic on the WGS 84 ellipsoid
  (``pyproj.Geod``), so every arc point is ``radius_m`` from the mast to well under a
  metre; coordinates are then rounded to 6 decimal places (about 0.1 m).
* Rings are closed (the last position repeats the first) and run anticlockwise, the
  exterior-ring order RFC 7946 (GeoJSON) asks for. Positions are ``[lon, lat]``.

The shape states an uncertainty, not a guarantee: a handset served by the cell was most
likely inside it, but radio coverage has no hard edge.
"""

from __future__ import annotations

import math
from itertools import pairwise
from typing import Literal

import numpy as np
from pyproj import Geod

#: The ellipsoid every arc point is computed on.
GEOD = Geod(ellps="WGS84")
#: The widest angle between two neighbouring arc points of a wedge, degrees.
MAX_ARC_STEP_DEG = 5.0
#: Vertices of a circle (the ring has one more: the first again, to close it).
CIRCLE_POINTS = 64
#: Decimal places of every coordinate (about 0.1 m).
COORDINATE_DP = 6

Shape = Literal["wedge", "circle"]
#: Why a circle was drawn instead of a wedge (``None`` for a wedge).
CircleReason = Literal["azimuth unknown", "beamwidth unknown", "omnidirectional",
                       "beamwidth not usable"]


def shape_of(azimuth: float | None, beamwidth: float | None
             ) -> tuple[Shape, CircleReason | None]:
    """Which shape a cell gets, and the reason when it is a circle (see the method)."""
    if azimuth is None or _nan(azimuth):
        return "circle", "azimuth unknown"
    if beamwidth is None or _nan(beamwidth):
        return "circle", "beamwidth unknown"
    if beamwidth >= 360:
        return "circle", "omnidirectional"
    if beamwidth <= 0:
        return "circle", "beamwidth not usable"
    return "wedge", None


def destinations(lat: float, lon: float, bearings_deg: np.ndarray, distance_m: float
                 ) -> tuple[np.ndarray, np.ndarray]:
    """Latitudes and longitudes ``distance_m`` from (lat, lon) along each bearing
    (degrees clockwise from true north), on the WGS 84 ellipsoid."""
    n = len(bearings_deg)
    lons, lats, _ = GEOD.fwd(np.full(n, float(lon)), np.full(n, float(lat)),
                             np.asarray(bearings_deg, dtype=float), np.full(n, float(distance_m)))
    return np.asarray(lats), np.asarray(lons)


def wedge_ring(lat: float, lon: float, azimuth: float, beamwidth: float, radius_m: float
               ) -> list[list[float]]:
    """The closed, anticlockwise ring of a sector: mast, arc, mast (``[lon, lat]``)."""
    _check(lat, lon, radius_m)
    steps = max(1, math.ceil(beamwidth / MAX_ARC_STEP_DEG))
    # from the anticlockwise edge of the beam to the clockwise edge: decreasing bearings
    # run anticlockwise on a map whose y axis points north
    bearings = azimuth + beamwidth / 2 - np.arange(steps + 1) * (beamwidth / steps)
    lats, lons = destinations(lat, lon, bearings, radius_m)
    mast = _position(lon, lat)
    return [mast, *(_position(x, y) for x, y in zip(lons, lats, strict=True)), list(mast)]


def circle_ring(lat: float, lon: float, radius_m: float, points: int = CIRCLE_POINTS
                ) -> list[list[float]]:
    """The closed, anticlockwise ring of a circle of ``points`` vertices around the mast."""
    _check(lat, lon, radius_m)
    bearings = 360.0 - np.arange(points) * (360.0 / points)
    lats, lons = destinations(lat, lon, bearings, radius_m)
    ring = [_position(x, y) for x, y in zip(lons, lats, strict=True)]
    return [*ring, list(ring[0])]


def sector_ring(lat: float, lon: float, azimuth: float | None, beamwidth: float | None,
                radius_m: float) -> list[list[float]]:
    """The ring of a cell's coverage: a wedge, or a circle when :func:`shape_of` says so."""
    shape, _ = shape_of(azimuth, beamwidth)
    if shape == "wedge":
        return wedge_ring(lat, lon, float(azimuth), float(beamwidth), radius_m)
    return circle_ring(lat, lon, radius_m)


def signed_area(ring: list[list[float]]) -> float:
    """The shoelace area of a ring in degrees squared: positive when anticlockwise."""
    return sum(x1 * y2 - x2 * y1 for (x1, y1), (x2, y2) in pairwise(ring)) / 2


def _position(lon: float, lat: float) -> list[float]:
    return [round(float(lon), COORDINATE_DP), round(float(lat), COORDINATE_DP)]


def _nan(value: float) -> bool:
    return isinstance(value, float) and math.isnan(value)


def _check(lat: float, lon: float, radius_m: float) -> None:
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        raise ValueError(f"mast position ({lat}, {lon}) is not a latitude and longitude")
    if not radius_m > 0:
        raise ValueError(f"a sector radius must be more than 0 m (got {radius_m})")
