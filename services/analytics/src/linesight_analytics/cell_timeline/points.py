"""The subject's points placed on their cells, with the uncertainty stated in words.

:func:`placed` runs :func:`linesight_analytics.geo.locate.locate` and adds what the
timeline shows besides the position: why an unplaced point has no position, whether the
radius was stated by the cell list or is the default, and a sentence for the area the
handset is taken to have been in. Coordinates are rounded here, once, so the table, the
map and the KML show the same figures.
"""

from __future__ import annotations

from typing import Any

import polars as pl

from linesight_analytics.cell_timeline.schemas import (
    LISTED_WITHOUT_POSITION,
    NO_VERSION_VALID,
    NOT_IN_ANY_LIST,
)
from linesight_analytics.contact_frequency import InvalidEvents
from linesight_analytics.geo.geojson import ANGLE_DP, metres
from linesight_analytics.geo.locate import cell_keys, locate
from linesight_analytics.geo.sectors import COORDINATE_DP, shape_of

#: The sentence of each reason a point has no position.
NO_POSITION = {
    NOT_IN_ANY_LIST: "cell not in any cell list: no position",
    NO_VERSION_VALID: "cell not in any list valid at this time: no position",
    LISTED_WITHOUT_POSITION: "cell listed without a position: no position",
}

_SHAPE_KEYS = ("reason", "azimuth", "beamwidth", "radius_m", "radius_stated")


def iso_utc_expr(column: str) -> pl.Expr:
    """The vectorised twin of ``contact_frequency.compute.iso_utc``: ISO 8601 UTC with a
    ``Z``, microseconds only when there are some."""
    t = pl.col(column).dt.convert_time_zone("UTC")
    return (pl.when(t.dt.microsecond() == 0).then(t.dt.strftime("%Y-%m-%dT%H:%M:%SZ"))
            .otherwise(t.dt.strftime("%Y-%m-%dT%H:%M:%S%.6fZ")))


def placed(events: pl.DataFrame, cells: pl.DataFrame, default_radius_m: float
           ) -> pl.DataFrame:
    """The located points of ``events`` (``locate`` columns, rounded) plus ``reason``,
    ``radius_stated``, ``uncertainty``, ``shape`` (wedge or circle) and ``time_utc``, in
    time order."""
    # NaN marks "the list gives no range", so the default can be told from a stated range
    pts = locate(events, cells, default_radius_m=float("nan"))
    known = cell_keys(cells).get_column("key").unique().implode()
    located = pl.col("located")
    reason = (pl.when(located).then(None)
              .when(pl.col("cell_source_row").is_not_null()).then(pl.lit(LISTED_WITHOUT_POSITION))
              .when(pl.col("cgi").is_in(known)).then(pl.lit(NO_VERSION_VALID))
              .otherwise(pl.lit(NOT_IN_ANY_LIST)))

    def if_located(expr: pl.Expr) -> pl.Expr:
        return pl.when(located).then(expr).otherwise(None)

    pts = pts.with_columns(
        reason=reason,
        radius_stated=if_located(~pl.col("radius_m").is_nan()),
        radius_m=if_located(pl.col("radius_m").fill_nan(default_radius_m)),
        azimuth=if_located(pl.col("azimuth").fill_nan(None).round(ANGLE_DP)),
        beamwidth=if_located(pl.col("beamwidth").fill_nan(None).round(ANGLE_DP)),
        lat=pl.col("lat").round(COORDINATE_DP), lon=pl.col("lon").round(COORDINATE_DP),
        time_utc=iso_utc_expr("t_utc"),
    )
    _check_cells_used(pts)
    pts = pts.with_columns(radius_m=pl.col("radius_m").round(0).cast(pl.Int64))
    sentences = _sentences(pts.select(_SHAPE_KEYS).unique())
    return pts.join(sentences, on=list(_SHAPE_KEYS), how="left", nulls_equal=True).sort(
        "t_utc", "exhibit_id", "source_row", "cell_role")


def uncertainty(reason: str | None, azimuth: float | None, beamwidth: float | None,
                radius_m: int | None, radius_stated: bool | None) -> str:
    """The area the handset is taken to have been in, in words, or why there is none."""
    if reason is not None:
        return NO_POSITION[reason]
    radius = f"{metres(radius_m):,} m"
    shape, why = shape_of(azimuth, beamwidth)
    if shape == "wedge":
        text = (f"within a {_degrees(beamwidth)} sector of radius {radius} facing "
                f"{_degrees(azimuth)} from the mast")
        return text if radius_stated else text + " (default radius)"
    notes = [why] if radius_stated else [why, "default radius"]
    return f"within {radius} of the mast ({'; '.join(notes)})"


def _degrees(value: float) -> str:
    return f"{round(float(value), ANGLE_DP):g}°"


def _sentences(shapes: pl.DataFrame) -> pl.DataFrame:
    rows: list[dict[str, Any]] = [
        {**s, "uncertainty": uncertainty(**s),
         "shape": None if s["reason"] else shape_of(s["azimuth"], s["beamwidth"])[0]}
        for s in shapes.iter_rows(named=True)]
    return pl.DataFrame(rows, schema={**shapes.schema, "uncertainty": pl.String,
                                      "shape": pl.String})


def _check_cells_used(pts: pl.DataFrame) -> None:
    """Refuse a cell-list row the timeline would draw wrongly: a position off the globe
    or a range of 0 m or less."""
    bad = pts.filter(pl.col("located") & (
        (pl.col("lat").abs() > 90) | (pl.col("lon").abs() > 180)
        | (pl.col("radius_m") <= 0)))
    if bad.height:
        r = bad.row(0, named=True)
        raise InvalidEvents(
            f"cells exhibit {r['cell_exhibit_id']} line {r['cell_source_row']}: cell "
            f"{r['cgi']} has position ({r['lat']}, {r['lon']}) and range {r['radius_m']} m, "
            f"which cannot be drawn ({bad.height} point(s) use such rows)")
