"""Split records into a frame of strings, and reject the rows that fail a check.

Shared by the reference-data parsers (cells, ANPR, tower dumps): each builds Polars
expressions over a whole batch, says for each check which column and reason it names,
and keeps every row no check failed. A row failing several checks is one rejected row
with several reject entries (see :mod:`linesight_ingest.parsing.report`).
"""

from __future__ import annotations

from collections.abc import Iterable

import polars as pl

from linesight_ingest.parsing.reader import Record
from linesight_ingest.parsing.report import ReportBuilder

Check = tuple[str, pl.Expr, str]


def frame(records: list[Record], positions: dict[str, int | None]) -> pl.DataFrame:
    """``source_row`` and one String column per key (null where the file lacks it)."""
    data: dict[str, list] = {"source_row": [r.line for r in records]}
    for key, pos in positions.items():
        data[key] = ([r.fields[pos] for r in records] if pos is not None
                     else [None] * len(records))
    return pl.DataFrame(data, schema={"source_row": pl.Int64,
                                      **{k: pl.String for k in positions}})


def text(key: str) -> pl.Expr:
    """The column trimmed, with blank read as null."""
    s = pl.col(key).str.strip_chars()
    return pl.when(s == "").then(None).otherwise(s)


def blank(key: str) -> pl.Expr:
    return text(key).is_null()


def given_but(key: str, parsed: pl.Expr) -> pl.Expr:
    """True where ``key`` holds something and ``parsed`` came out null (unreadable)."""
    return ~blank(key) & parsed.is_null()


def keep_good(df: pl.DataFrame, checks: Iterable[Check], headers: dict[str, str],
              report: ReportBuilder) -> pl.DataFrame:
    """Reject (into ``report``) every row any check marks bad; return the others.

    ``df`` must still hold the raw column named by each check's key: that is the value
    the reject shows, exactly as written.
    """
    checks = list(checks)
    if not checks or not df.height:
        return df
    flags = df.select(*(bad.fill_null(False).alias(f"_c{i}")
                        for i, (_, bad, _) in enumerate(checks)))
    for i, (key, _, reason) in enumerate(checks):
        hits = df.filter(flags[f"_c{i}"])
        for line, value in hits.select("source_row", key).iter_rows():
            report.reject(line, headers.get(key, key), value, reason)
    any_bad = flags.select(pl.any_horizontal(pl.all())).to_series()
    return df.filter(~any_bad)
