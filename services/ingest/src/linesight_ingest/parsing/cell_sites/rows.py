"""What the three variants share: numbers, positions, the exact ``cells`` schema.

Every variant's normaliser turns a batch of raw strings into the columns below (then
:func:`to_cells_table` orders and types them as ``CELLS_SCHEMA``), rejecting what it
cannot read with the column as the file names it.
"""

from __future__ import annotations

import polars as pl
import pyarrow as pa
from linesight_shared.tables import CELLS_SCHEMA

from linesight_ingest.parsing.cell_sites import grid
from linesight_ingest.parsing.rowcheck import Check, given_but, text

BLANK = "required value is blank"
BAD_LAT = "latitude is not a number from -90 to 90"
BAD_LON = "longitude is not a number from -180 to 180"
NULL_ISLAND = "position 0,0 is a placeholder, not a cell position"
BAD_NGR = ("not an OS National Grid reference (two letters and 2-10 digits, e.g. "
           "ST7416064440)")
NO_POSITION = "no position: latitude and longitude, or a grid reference, are required"
_DECIMAL = r"^[+-]?(\d{1,15}(\.\d{0,15})?|\.\d{1,15})$"

OUT_COLUMNS = ("cgi", "radio", "mcc", "mnc", "lac", "cell_id", "enodeb_id", "sector", "lat",
               "lon", "azimuth", "beamwidth", "range_m", "site_name", "postcode", "grid_ref",
               "valid_from", "valid_to")


def decimal(key: str) -> pl.Expr:
    """A plain decimal number → Float64 (no exponents, NaN or infinity); else null."""
    s = text(key)
    return pl.when(s.str.contains(_DECIMAL)).then(s.cast(pl.Float64, strict=False))


def in_range(key: str, lo: float, hi: float) -> pl.Expr:
    v = decimal(key)
    return pl.when((v >= lo) & (v <= hi)).then(v)


def grid_positions(df: pl.DataFrame, key: str) -> pl.DataFrame:
    """``_ngr_lat``/``_ngr_lon`` from the grid references in ``key`` (distinct values
    converted once)."""
    refs = df.select(text(key).alias("r"))["r"]
    uniq = refs.drop_nulls().unique().sort().to_list()
    known = {r: p for r, p in zip(uniq, grid.to_lat_lon(uniq), strict=True) if p}
    lat = {r: p[0] for r, p in known.items()}
    lon = {r: p[1] for r, p in known.items()}
    pick = (lambda m: refs.replace_strict(m, default=None, return_dtype=pl.Float64)
            if m else pl.Series([None] * len(refs), dtype=pl.Float64))
    return df.with_columns(pick(lat).alias("_ngr_lat"), pick(lon).alias("_ngr_lon"),
                           refs.alias("_ngr"))


def position_checks(has_latlon: bool, has_ngr: bool, lat="lat", lon="lon",
                    ngr="ngr") -> list[Check]:
    checks: list[Check] = []
    if has_latlon:
        checks += [(lat, given_but(lat, in_range(lat, -90, 90)), BAD_LAT),
                   (lon, given_but(lon, in_range(lon, -180, 180)), BAD_LON),
                   (lat, (decimal(lat) == 0) & (decimal(lon) == 0), NULL_ISLAND)]
    if has_ngr:
        checks.append((ngr, given_but(ngr, pl.col("_ngr_lat")), BAD_NGR))
    have = pl.lit(False)
    if has_latlon:
        have = have | (~text(lat).is_null() & ~text(lon).is_null())
    if has_ngr:
        have = have | ~text(ngr).is_null()
    checks.append((lat if has_latlon else ngr, ~have, NO_POSITION))
    return checks


def chosen_position(has_latlon: bool, has_ngr: bool, lat="lat", lon="lon") -> list[pl.Expr]:
    """Latitude/longitude as written win; the grid reference fills in when they are blank."""
    la = decimal(lat) if has_latlon else pl.lit(None, dtype=pl.Float64)
    lo = decimal(lon) if has_latlon else pl.lit(None, dtype=pl.Float64)
    both = la.is_not_null() & lo.is_not_null()
    if has_ngr:
        la = pl.when(both).then(la).otherwise(pl.col("_ngr_lat"))
        lo = pl.when(both).then(lo).otherwise(pl.col("_ngr_lon"))
    return [la.alias("lat"), lo.alias("lon"),
            (pl.col("_ngr") if has_ngr else pl.lit(None, dtype=pl.String)).alias("grid_ref")]


def to_cells_table(out: pl.DataFrame, *, exhibit_id: str, source_ref: str | None,
                   source: str) -> pa.Table:
    """Exactly ``CELLS_SCHEMA``: names, order, types and nullability."""
    missing = [c for c in OUT_COLUMNS if c not in out.columns]
    out = out.with_columns(pl.lit(None).alias(c) for c in missing).select(
        pl.lit(exhibit_id).alias("exhibit_id"), "source_row",
        pl.lit(source_ref, dtype=pl.String).alias("source_ref"), *OUT_COLUMNS,
        pl.lit(source).alias("source"),
    ).sort("source_row")
    arrow = out.to_arrow()
    columns = [arrow.column(f.name).cast(f.type) for f in CELLS_SCHEMA]
    return pa.Table.from_arrays(columns, schema=CELLS_SCHEMA)
