"""UK local date and time strings → UTC, flagging what British Summer Time makes unclear.

* **ambiguous**: on the last Sunday of October the hour 01:00-01:59 happens twice (first
  BST, then GMT). The *first* occurrence (BST, UTC+1) is taken and the row is flagged
  ``ambiguous``; an analyst can see both readings from ``start_local_raw``.
* **nonexistent**: on the last Sunday of March the clock jumps from 01:00 to 02:00, so
  01:00-01:59 never happens. The time is read with the offset in force before the jump
  (GMT), which is the same instant as moving the clock forward across the gap, and the
  row is flagged ``nonexistent``.

Nothing here is silent: every row whose local time was not a single instant carries a
flag, and the report counts them.
"""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import polars as pl

AMBIGUOUS = "ambiguous"
NONEXISTENT = "nonexistent"

DATE_SHAPE = r"^\d{1,2}/\d{1,2}/\d{4}$"
TIME_SHAPE = r"^\d{1,2}:\d{2}:\d{2}$"


def parse_dates(raw: pl.Expr) -> pl.Expr:
    """``dd/mm/yyyy`` → Date; anything else (including 31/02) → null."""
    return (pl.when(raw.str.contains(DATE_SHAPE))
            .then(raw.str.strptime(pl.Date, "%d/%m/%Y", strict=False))
            .otherwise(None))


def parse_times(raw: pl.Expr) -> pl.Expr:
    """``HH:MM:SS`` (24-hour) → Time; anything else (including 24:00:00) → null."""
    return (pl.when(raw.str.contains(TIME_SHAPE))
            .then(raw.str.strptime(pl.Time, "%H:%M:%S", strict=False))
            .otherwise(None))


def _before_gap_utc(naive: datetime, tz: str) -> datetime:
    """A nonexistent local time read with the offset before the gap (fold=0)."""
    return naive.replace(tzinfo=ZoneInfo(tz), fold=0).astimezone(UTC)


def localise(local: pl.Series, tz: str) -> pl.DataFrame:
    """Naive local datetimes → ``start_utc`` (UTC, µs) and ``time_flag``.

    Null inputs give null outputs. Only the (rare) nonexistent times are resolved one by
    one in Python, once per distinct value.
    """
    df = pl.DataFrame({"local": local.cast(pl.Datetime("us"))})
    first = pl.col("local").dt.replace_time_zone(tz, ambiguous="earliest", non_existent="null")
    last = pl.col("local").dt.replace_time_zone(tz, ambiguous="latest", non_existent="null")
    df = df.with_columns(
        first.dt.convert_time_zone("UTC").alias("_first"),
        last.dt.convert_time_zone("UTC").alias("_last"),
    )
    gap = df.filter(pl.col("local").is_not_null() & pl.col("_first").is_null())["local"]
    shifted = {v: _before_gap_utc(v, tz) for v in gap.unique().to_list()}
    flag = (pl.when(pl.col("local").is_not_null() & pl.col("_first").is_null())
            .then(pl.lit(NONEXISTENT))
            .when(pl.col("_first") != pl.col("_last")).then(pl.lit(AMBIGUOUS))
            .otherwise(None))
    utc_type = pl.Datetime("us", "UTC")
    fixed = (df["local"].replace_strict(shifted, default=None, return_dtype=utc_type)
             if shifted else pl.Series([None] * df.height, dtype=utc_type))
    return df.with_columns(fixed.alias("_gap")).select(
        pl.coalesce("_first", "_gap").alias("start_utc"),
        flag.alias("time_flag"),
    )
