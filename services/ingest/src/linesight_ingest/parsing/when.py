"""Timestamps written as UK local time or as ISO 8601 with an offset → UTC.

Accepted shapes (surrounding spaces ignored):

* UK local: ``dd/mm/yyyy``, ``dd/mm/yyyy HH:MM``, ``dd/mm/yyyy HH:MM:SS``,
  ``yyyy-mm-dd``, ``yyyy-mm-dd HH:MM:SS`` (or with ``T``). Read as Europe/London wall
  time through :func:`linesight_ingest.parsing.times.localise`, so an hour British
  Summer Time makes ambiguous or impossible is flagged, never guessed silently. A bare
  date is local midnight.
* With an offset: ``yyyy-mm-ddTHH:MM:SS[.ffffff]`` followed by ``Z`` or ``±HH:MM``
  (a space for ``T`` is accepted). ``source_tz`` is then the offset as written (``Z`` →
  ``+00:00``) and no flag is needed: the instant is exact.

Anything else (including 31/02/2024 and 24:00:00) is null, for the caller to reject.
"""

from __future__ import annotations

import polars as pl

from linesight_ingest.parsing.times import localise

LONDON = "Europe/London"
_OFFSET = (r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(\.\d{1,6})?"
           r"(Z|[+-]\d{2}:\d{2})$")
_LOCAL = (
    (r"^\d{1,2}/\d{1,2}/\d{4}$", "%d/%m/%Y"),
    (r"^\d{1,2}/\d{1,2}/\d{4} \d{1,2}:\d{2}$", "%d/%m/%Y %H:%M"),
    (r"^\d{1,2}/\d{1,2}/\d{4} \d{1,2}:\d{2}:\d{2}$", "%d/%m/%Y %H:%M:%S"),
    (r"^\d{4}-\d{2}-\d{2}$", "%Y-%m-%d"),
    (r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$", "%Y-%m-%dT%H:%M:%S"),
)


def _local(s: pl.Expr) -> pl.Expr:
    s = s.str.replace(r"^(\d{4}-\d{2}-\d{2}) ", "${1}T")
    out = pl.lit(None, dtype=pl.Datetime("us"))
    for shape, fmt in reversed(_LOCAL):
        out = (pl.when(s.str.contains(shape))
               .then(s.str.strptime(pl.Datetime("us"), fmt, strict=False))
               .otherwise(out))
    return out


def parse_when(raw: pl.Series, tz: str = LONDON) -> pl.DataFrame:
    """Raw strings → ``utc`` (UTC µs), ``time_flag`` and ``source_tz`` (null when unread)."""
    df = pl.DataFrame({"s": raw.cast(pl.String).str.strip_chars()})
    s = pl.col("s")
    offset = s.str.contains(_OFFSET).fill_null(False)
    iso = s.str.replace(r"Z$", "+00:00").str.replace(r"^(\d{4}-\d{2}-\d{2}) ", "${1}T")
    df = df.with_columns(
        pl.when(offset).then(iso.str.strptime(pl.Datetime("us"), "%Y-%m-%dT%H:%M:%S%.f%z",
                                              strict=False))
        .otherwise(None).dt.convert_time_zone("UTC").alias("_abs"),
        pl.when(offset).then(None).otherwise(_local(s)).alias("_local"),
        pl.when(offset).then(iso.str.slice(-6)).otherwise(None).alias("_tz"),
    )
    local = localise(df["_local"], tz)
    return df.select(
        pl.coalesce("_abs", local["start_utc"]).alias("utc"),
        local["time_flag"].alias("time_flag"),
        pl.when(pl.col("_abs").is_not_null()).then(pl.col("_tz"))
        .when(local["start_utc"].is_not_null()).then(pl.lit(tz))
        .otherwise(None).alias("source_tz"),
    )
