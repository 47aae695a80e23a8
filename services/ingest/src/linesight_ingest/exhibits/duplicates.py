"""Duplicate events within an exhibit and across the case's other exhibits.

Two event rows are the same record when they agree on subject, both parties (E.164 where
a number, else the raw string), direction, kind, UTC start and duration. Within one
exhibit a repeat is counted (not removed: the rows stay, each with its source line); across
exhibits, the number of this exhibit's rows that another exhibit of the case also holds is
given per exhibit reference — an operator serving overlapping periods twice, say.
"""

from __future__ import annotations

from pathlib import Path

import polars as pl

KEY = ["subject", "a", "b", "direction", "kind", "start_utc", "duration_s"]


def keys(path: Path) -> pl.LazyFrame:
    return pl.scan_parquet(path).select(
        "subject",
        pl.coalesce("a_party", "a_party_raw").alias("a"),
        pl.coalesce("b_party", "b_party_raw").alias("b"),
        "direction", "kind", "start_utc", "duration_s",
    )


def within(path: Path) -> int:
    """Rows that repeat an earlier row of the same exhibit."""
    counts = keys(path).group_by(KEY).len().filter(pl.col("len") > 1)
    return int(counts.select((pl.col("len") - 1).sum()).collect().item() or 0)


def across(path: Path, others: dict[str, Path]) -> dict[str, int]:
    """Per other exhibit reference: rows of this exhibit that it also holds."""
    mine = keys(path)
    out: dict[str, int] = {}
    for ref, other in sorted(others.items()):
        n = mine.join(keys(other).unique(), on=KEY, how="semi", nulls_equal=True) \
            .select(pl.len()).collect().item()
        if n:
            out[ref] = int(n)
    return out
