"""The cells list as ``geo.locate`` reads it, numbered for array work.

Every cells row is found under its CGI/ECGI and, for an LTE cell, also under its ECGI
without the TAC (``geo.locate.cell_keys``); each such keyed row gets a ``cell_code``.
A cell id written in the records (a *key*) gets a key number; a key with exactly one
row maps straight to that row's code, a key with several rows (versions of a cell, or
lists that repeat it) is left to ``geo.locate`` to settle per point.
"""

from __future__ import annotations

import numpy as np
import polars as pl

from linesight_analytics.colocation.pairs import Geometry
from linesight_analytics.geo.locate import cell_keys

#: ``valid_to`` of a row with no end.
NO_END = np.iinfo(np.int64).max


def _floats(frame: pl.DataFrame, column: str) -> np.ndarray:
    return frame.get_column(column).cast(pl.Float64).fill_null(np.nan).to_numpy()


class CellBook:
    """The keyed cells rows (``keys``), their positions, ranges and validity as arrays
    indexed by ``cell_code``, and the key names as a Polars Enum for fast lookup."""

    def __init__(self, cells: pl.DataFrame, default_radius_m: float) -> None:
        self.cells = cells
        self.default_radius_m = float(default_radius_m)
        keys = cell_keys(cells).with_row_index("cell_code").with_columns(
            radius_m=pl.col("range_m").fill_null(self.default_radius_m).cast(pl.Float64),
            cell_code=pl.col("cell_code").cast(pl.Int64))
        self.keys = keys
        per_key = keys.group_by("key").agg(
            rows=pl.len(), code=pl.col("cell_code").min()).sort("key")
        self.key_names: list[str] = per_key.get_column("key").to_list()
        self.enum = pl.Enum(self.key_names)
        rows = per_key.get_column("rows").to_numpy()
        self.multi = rows > 1
        self.single_code = np.where(self.multi, -1, per_key.get_column("code").to_numpy())
        self.lat, self.lon = _floats(keys, "lat"), _floats(keys, "lon")
        self.radius_m = _floats(keys, "radius_m")
        self.valid_from = keys.get_column("valid_from").dt.epoch("us").to_numpy()
        self.valid_to = keys.get_column("valid_to").dt.epoch("us").fill_null(NO_END).to_numpy()
        self.has_position = ~(np.isnan(self.lat) | np.isnan(self.lon))
        # per key, with one more entry for UNKNOWN_CELL (-1): the single row's code (or -1)
        self.key_code = np.append(self.single_code, -1)
        self.key_multi = np.append(self.multi, False)

    def always_valid(self, since: int) -> np.ndarray:
        """Per key (and UNKNOWN_CELL): its single row is valid at every time from ``since``
        on and has a position, so points of that time need no check one by one."""
        code = np.maximum(self.key_code, 0)
        return ((self.key_code >= 0) & (self.valid_from[code] <= since)
                & (self.valid_to[code] == NO_END) & self.has_position[code])

    def geometry(self) -> Geometry:
        return Geometry(self.lat, self.lon, self.radius_m)

    def code_table(self) -> pl.DataFrame:
        """The fields ``geo.locate`` reports of a row, with the row's (lowest) code."""
        return self.keys.group_by(
            "cell_exhibit_id", "cell_source_row", "lat", "lon", "radius_m").agg(
            pl.col("cell_code").min())

    def fields(self, codes: np.ndarray) -> pl.DataFrame:
        """Position, range, cells-list line and site of each code (-1: all null)."""
        index = pl.Series(np.where(codes >= 0, codes, 0), dtype=pl.Int64)
        missing = pl.Series(codes < 0)
        return self.keys.select(
            [pl.col(c).gather(index) for c in ("lat", "lon", "radius_m", "cell_exhibit_id",
                                              "cell_source_row", "site_name")]
        ).with_columns(pl.when(missing).then(None).otherwise(pl.all()).name.keep())
