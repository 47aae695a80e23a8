"""Great-circle distance on the WGS 84 mean-radius sphere (haversine), in metres.

A sphere is within 0.5 % of the ellipsoid at UK latitudes, far inside the uncertainty of
a cell's coverage (hundreds of metres to kilometres), so the faster formula is used and
the method says so.
"""

from __future__ import annotations

import numpy as np
import polars as pl

#: Mean Earth radius (IUGG), metres.
EARTH_RADIUS_M = 6_371_008.8


def haversine_m(lat1: pl.Expr, lon1: pl.Expr, lat2: pl.Expr, lon2: pl.Expr) -> pl.Expr:
    """Distance in metres between two positions given in degrees (a Polars expression)."""
    p1, p2 = lat1.radians(), lat2.radians()
    dphi = p2 - p1
    dlmb = (lon2 - lon1).radians()
    a = (dphi / 2).sin() ** 2 + p1.cos() * p2.cos() * (dlmb / 2).sin() ** 2
    return 2 * EARTH_RADIUS_M * a.sqrt().clip(upper_bound=1.0).arcsin()


def haversine_m_np(lat1, lon1, lat2, lon2) -> np.ndarray:
    """The numpy twin of :func:`haversine_m` (arrays or scalars in degrees)."""
    p1, p2 = np.radians(lat1), np.radians(lat2)
    dphi = p2 - p1
    dlmb = np.radians(np.asarray(lon2) - np.asarray(lon1))
    a = np.sin(dphi / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(dlmb / 2) ** 2
    return 2 * EARTH_RADIUS_M * np.arcsin(np.minimum(1.0, np.sqrt(a)))
