"""Where a map's features go on the page: WGS 84 longitude/latitude → projected metres → mm.

The method, stated once for the report:

* **British National Grid** (EPSG:27700) when every position lies inside the grid's area
  of use (longitude −9.01° to 2.01°, latitude 49.75° to 61.01°) and no tile background is
  drawn. The transformation from WGS 84 is fixed: Ordnance Survey's 7-parameter Helmert
  transformation (EPSG:1314, "OSGB36 to WGS 84 (6)", good to about 2 m), then the
  Transverse Mercator projection of the National Grid. PROJ would use the more accurate
  OSTN15 grid file when one happens to be installed; fixing the transformation means the
  same result document draws the same map on every machine. 2 m is below what a printed
  map can show (0.1 mm at 1:20,000). Up on the page is grid north.
* **Web Mercator** (EPSG:3857) otherwise, and always under a tile background (tiles are
  cut in Web Mercator). Up on the page is true north.
* **Fit**: the bounding box of every position, widened by a margin on each side (and to
  at least ``MIN_SPAN_M`` so a single mast is not drawn at an absurd scale), then
  centred in the map frame at one scale for both axes (nothing is stretched).
* **Scale bar**: a map's scale is measured on the ground, not assumed: a horizontal line
  through the centre of the map is taken back to longitude/latitude and its length on
  the WGS 84 ellipsoid (a geodesic) gives the map's millimetres per ground metre there.
  The bar is the longest 1, 2 or 5 × 10ⁿ metres that fits in a quarter of the frame. On
  the National Grid the scale varies by under 0.1 % across Great Britain; on Web
  Mercator it varies with latitude, and the bar is true at the centre of the map.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache

from pyproj import Geod, Transformer

from linesight_reporting.rendering.maps.features import LonLat

#: The map frame on the page (landscape A4 leaves 273 mm; the legend takes the rest).
MAP_WIDTH_MM = 200.0
MAP_HEIGHT_MM = 140.0
MARGIN = 0.08
MIN_SPAN_M = 1_000.0

BNG_AREA = (-9.01, 49.75, 2.01, 61.01)   # west, south, east, north (EPSG:27700 area of use)

#: WGS 84 → OSGB36 (inverse of EPSG:1314, position-vector Helmert) → National Grid.
BNG_PIPELINE = (
    "+proj=pipeline +step +proj=unitconvert +xy_in=deg +xy_out=rad "
    "+step +proj=push +v_3 +step +proj=cart +ellps=WGS84 "
    "+step +inv +proj=helmert +x=446.448 +y=-125.157 +z=542.06 +rx=0.15 +ry=0.247 "
    "+rz=0.842 +s=-20.489 +convention=position_vector "
    "+step +inv +proj=cart +ellps=airy +step +proj=pop +v_3 "
    "+step +proj=tmerc +lat_0=49 +lon_0=-2 +k=0.9996012717 +x_0=400000 +y_0=-100000 "
    "+ellps=airy"
)
WEB_MERCATOR_PIPELINE = (
    "+proj=pipeline +step +proj=unitconvert +xy_in=deg +xy_out=rad "
    "+step +proj=webmerc +lat_0=0 +lon_0=0 +x_0=0 +y_0=0 +ellps=WGS84"
)

_GEOD = Geod(ellps="WGS84")


@cache
def _transformer(pipeline: str) -> Transformer:
    return Transformer.from_pipeline(pipeline)  # thread-safe since pyproj 3.1


@dataclass(frozen=True)
class Projection:
    code: str
    name: str
    method: str   # the sentence the caption gives
    north: str    # what the north arrow points to
    pipeline: str

    def forward(self, positions: Sequence[LonLat]) -> list[tuple[float, float]]:
        """Projected metres (x east, y north) of ``[(lon, lat), ...]``, in one call."""
        if not positions:
            return []
        xs, ys = _transformer(self.pipeline).transform([p[0] for p in positions],
                                                       [p[1] for p in positions])
        return list(zip(xs, ys, strict=True))

    def inverse(self, points: Sequence[tuple[float, float]]) -> list[LonLat]:
        if not points:
            return []
        xs, ys = _transformer(self.pipeline).transform(
            [p[0] for p in points], [p[1] for p in points], direction="INVERSE")
        return list(zip(xs, ys, strict=True))


BRITISH_NATIONAL_GRID = Projection(
    code="EPSG:27700", name="British National Grid (EPSG:27700)",
    method="British National Grid (EPSG:27700), from WGS 84 by Ordnance Survey's "
           "Helmert transformation (EPSG:1314, about 2 m)",
    north="grid north", pipeline=BNG_PIPELINE)
WEB_MERCATOR = Projection(
    code="EPSG:3857", name="Web Mercator (EPSG:3857)",
    method="Web Mercator projection (EPSG:3857) of WGS 84", north="north",
    pipeline=WEB_MERCATOR_PIPELINE)


def choose_projection(positions: Iterable[LonLat], *, tiles: bool = False) -> Projection:
    """The National Grid for positions inside its area (and no tiles), else Web Mercator."""
    if tiles:
        return WEB_MERCATOR
    west, south, east, north = BNG_AREA
    inside = all(west <= lon <= east and south <= lat <= north for lon, lat in positions)
    return BRITISH_NATIONAL_GRID if inside else WEB_MERCATOR


@dataclass(frozen=True)
class Frame:
    """The window of projected metres ``[x0, x1] × [y0, y1]`` drawn in the map frame."""

    x0: float
    y0: float
    x1: float
    y1: float
    width_mm: float
    height_mm: float
    mm_per_m: float   # page millimetres per projected metre

    def to_page(self, x: float, y: float) -> tuple[float, float]:
        """Millimetres from the frame's top-left corner (y grows downwards)."""
        return (x - self.x0) * self.mm_per_m, (self.y1 - y) * self.mm_per_m

    def centre(self) -> tuple[float, float]:
        return (self.x0 + self.x1) / 2, (self.y0 + self.y1) / 2


def fit(points: Sequence[tuple[float, float]], width_mm: float = MAP_WIDTH_MM,
        height_mm: float = MAP_HEIGHT_MM, *, margin: float = MARGIN,
        min_span_m: float = MIN_SPAN_M) -> Frame:
    """The frame showing every point with ``margin`` of the extent on each side."""
    if not points:
        raise ValueError("a map needs at least one position")
    xs, ys = [p[0] for p in points], [p[1] for p in points]
    cx, cy = (min(xs) + max(xs)) / 2, (min(ys) + max(ys)) / 2
    span_x = max(max(xs) - min(xs), min_span_m) * (1 + 2 * margin)
    span_y = max(max(ys) - min(ys), min_span_m) * (1 + 2 * margin)
    mm_per_m = min(width_mm / span_x, height_mm / span_y)
    half_w, half_h = width_mm / mm_per_m / 2, height_mm / mm_per_m / 2
    return Frame(x0=cx - half_w, y0=cy - half_h, x1=cx + half_w, y1=cy + half_h,
                 width_mm=width_mm, height_mm=height_mm, mm_per_m=mm_per_m)


def ground_mm_per_m(projection: Projection, frame: Frame) -> float:
    """Page millimetres per metre on the ground, at the centre of the map."""
    cx, cy = frame.centre()
    half = (frame.x1 - frame.x0) / 4
    (lon1, lat1), (lon2, lat2) = projection.inverse([(cx - half, cy), (cx + half, cy)])
    _, _, metres = _GEOD.inv(lon1, lat1, lon2, lat2)
    return (2 * half * frame.mm_per_m) / metres


def scale_bar_m(mm_per_ground_m: float, longest_mm: float) -> int:
    """The longest 1, 2 or 5 × 10ⁿ metres (at least 1 m) no longer than ``longest_mm``."""
    best = 1
    exponent = 0
    while True:
        for step in (1, 2, 5):
            metres = step * 10 ** exponent
            if metres * mm_per_ground_m > longest_mm:
                return best
            best = metres
        exponent += 1


def distance_label(metres: int) -> str:
    """``500 m``, ``1 km``, ``20 km``."""
    return f"{metres // 1000} km" if metres >= 1000 else f"{metres} m"


__all__ = [
    "BRITISH_NATIONAL_GRID",
    "MAP_HEIGHT_MM",
    "MAP_WIDTH_MM",
    "WEB_MERCATOR",
    "Frame",
    "Projection",
    "choose_projection",
    "distance_label",
    "fit",
    "ground_mm_per_m",
    "scale_bar_m",
]
