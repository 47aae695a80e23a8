"""Small helpers shared by the location analyses: value codes, dates, ranks."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta

import polars as pl

_EPOCH_UTC = datetime(1970, 1, 1, tzinfo=UTC)


@contextmanager
def paused_gc() -> Iterator[None]:
    """Pause Python's cyclic garbage collector while building large result lists: every
    object made is kept in the result, so the collector's passes over them are wasted work
    (seconds on a million-row result). Reference counting still frees everything else. The
    switch is process-wide; the state found on entry is restored on exit."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def encode(values: pl.Series) -> tuple[pl.Series, pl.Series]:
    """Each value's code (UInt32, its rank among the distinct values in sorted order;
    null stays null) and the distinct values themselves, sorted."""
    distinct = values.drop_nulls().unique().sort()
    codes = values.cast(pl.Enum(distinct)).to_physical().cast(pl.UInt32)
    return codes, distinct


def iso_utc_of(micros: pl.Expr) -> pl.Expr:
    """Microseconds since 1970 (UTC) as ISO 8601 text with a ``Z``, microseconds only
    when not zero: the vectorised twin of ``contact_frequency.compute.iso_utc``."""
    at = micros.cast(pl.Datetime("us", "UTC"))
    return (pl.when(at.dt.microsecond() != 0)
            .then(at.dt.strftime("%Y-%m-%dT%H:%M:%S%.6fZ"))
            .otherwise(at.dt.strftime("%Y-%m-%dT%H:%M:%SZ")))


def iso_day_of(days: pl.Expr) -> pl.Expr:
    """Days since 1970-01-01 as ISO dates (``2024-03-01``); null stays null."""
    return days.cast(pl.Int32).cast(pl.Date).cast(pl.String)


def utc_of(micros: int) -> datetime:
    """Microseconds since 1970 (UTC) as an aware datetime."""
    return _EPOCH_UTC + timedelta(microseconds=micros)


def ranked(frame: pl.DataFrame, by: list[str], descending: list[bool]) -> pl.DataFrame:
    """``frame`` sorted by subject then ``by``, with ``rank`` 1, 2, ... within each subject."""
    ordered = frame.sort(["subject_code", *by], descending=[False, *descending],
                         nulls_last=True)
    return ordered.with_columns(rank=pl.int_range(1, pl.len() + 1).over("subject_code"))
