"""OS National Grid references → WGS84 latitude and longitude.

A reference is two letters (the 100 km square; no ``I``) and an even number of digits,
2 to 10, half easting, half northing: ``ST7416064440`` or ``ST 74160 64440`` (spaces
ignored). Fewer digits name a larger square; the south-west corner of that square is
used, as the OS convention reads a reference, so a 6-figure reference is only good to
100 m and the report says so nowhere else than this docstring and the format docs.

Easting/northing go from EPSG:27700 (OSGB36 / British National Grid) to EPSG:4326 with
``pyproj`` and ``always_xy=True``. Without the OSTN15 grid file installed (``proj-data``,
``uk_os_OSTN15_NTv2_OSGBtoETRS.tif``) PROJ uses a Helmert fit, whose error is up to a
few metres: far below a mast's coverage, but an analyst quoting positions should know.
"""

from __future__ import annotations

import re
from functools import lru_cache

from pyproj import Transformer

_REF = re.compile(r"^([A-HJ-Z])([A-HJ-Z])(\d*)$")


@lru_cache(maxsize=1)
def _transformer() -> Transformer:
    return Transformer.from_crs("EPSG:27700", "EPSG:4326", always_xy=True)


def to_easting_northing(ref: str) -> tuple[float, float] | None:
    """Easting and northing in metres, or None when ``ref`` is not a grid reference."""
    m = _REF.match(re.sub(r"\s+", "", ref).upper())
    if not m:
        return None
    digits = m.group(3)
    if len(digits) % 2 or not 2 <= len(digits) <= 10:
        return None
    l1, l2 = (ord(c) - ord("A") for c in m.group(1, 2))
    l1 -= l1 > 7
    l2 -= l2 > 7
    e100 = ((l1 - 2) % 5) * 5 + (l2 % 5)
    n100 = (19 - (l1 // 5) * 5) - (l2 // 5)
    if not (0 <= e100 < 7 and 0 <= n100 < 13):
        return None  # outside the National Grid's 700 km x 1300 km
    half = len(digits) // 2
    scale = 10 ** (5 - half)
    return (e100 * 100_000 + int(digits[:half]) * scale,
            n100 * 100_000 + int(digits[half:]) * scale)


def to_lat_lon(refs: list[str | None]) -> list[tuple[float, float] | None]:
    """For each reference, (lat, lon) in WGS84, or None when it is not a grid reference."""
    out: list[tuple[float, float] | None] = []
    for ref in refs:
        en = to_easting_northing(ref) if ref else None
        if en is None:
            out.append(None)
            continue
        lon, lat = _transformer().transform(*en)
        out.append((round(lat, 7), round(lon, 7)))
    return out
