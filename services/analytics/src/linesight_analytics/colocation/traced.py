"""Traceability: the source lines behind a row, per exhibit, in a fixed order."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

import polars as pl


def lines_by(frame: pl.DataFrame, key: str, exhibit: str, line: str
             ) -> defaultdict[Any, dict[str, list[int]]]:
    """For each value of ``key``: ``{exhibit_id: [lines ascending, no repeats]}``, exhibits
    in ascending order (an absent key gives ``{}``)."""
    grouped = frame.filter(pl.col(exhibit).is_not_null()).group_by(key, exhibit).agg(
        pl.col(line).unique().sort()).sort(key, exhibit)
    out: defaultdict[Any, dict[str, list[int]]] = defaultdict(dict)
    for k, e, rows in grouped.iter_rows():
        out[k][e] = rows
    return out
