"""The dumps themselves: what each one names them by, and what each holds.

A dump is named by its exhibit reference (``MONZA/7``); an exhibit the inputs give no
reference for is named by its id, and two dumps that share a reference are told apart
by adding the id in brackets, so a name never stands for two dumps.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

import polars as pl

from linesight_analytics.contact_frequency.compute import iso_utc
from linesight_analytics.tower_dumps.schemas import IDENTIFIER_KINDS


def dump_labels(events: pl.DataFrame, exhibits: dict[str, str]) -> dict[str, str]:
    """Each dump's exhibit id -> the name the tables use for it (see the module docstring)."""
    ids = sorted(events.get_column("exhibit_id").unique().to_list())
    refs = {e: exhibits.get(e) or e for e in ids}
    shared = Counter(refs.values())
    return {e: ref if shared[ref] == 1 else f"{ref} ({e})" for e, ref in refs.items()}


def dumps_rows(rows: pl.DataFrame, labels: dict[str, str]) -> list[list[Any]]:
    """One row per dump, ordered by its name: cells, window, rows and handsets.

    ``rows`` are the dump events with ``identifier``/``identifier_kind`` (null when none).
    """
    if rows.height == 0:
        return []
    cells = rows.group_by("exhibit_id").agg(
        cells=pl.col("first_cell").drop_nulls().unique().sort(),
        first=pl.col("start_utc").min(), last=pl.col("start_utc").max(), events=pl.len(),
        events_without_identifier=pl.col("identifier").is_null().sum(),
        first_source_row=pl.col("source_row").min(), last_source_row=pl.col("source_row").max())
    kinds = rows.filter(pl.col("identifier").is_not_null()).group_by(
        "exhibit_id", "identifier_kind").agg(handsets=pl.col("identifier").n_unique())
    per_kind: dict[str, dict[str, int]] = {}
    for k in kinds.iter_rows(named=True):
        per_kind.setdefault(k["exhibit_id"], {})[k["identifier_kind"]] = k["handsets"]
    out: list[list[Any]] = []
    for d in sorted(cells.iter_rows(named=True),
                    key=lambda d: (labels[d["exhibit_id"]], d["exhibit_id"])):
        counts = per_kind.get(d["exhibit_id"], {})
        by_kind = {k: counts.get(k, 0) for k in IDENTIFIER_KINDS}
        out.append([
            labels[d["exhibit_id"]], d["exhibit_id"], list(d["cells"]), len(d["cells"]),
            iso_utc(d["first"]), iso_utc(d["last"]), d["events"], sum(by_kind.values()),
            by_kind, d["events_without_identifier"], d["first_source_row"],
            d["last_source_row"],
        ])
    return out
