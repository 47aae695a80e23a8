"""What every analysis computation takes (``Inputs``) and gives back (``Computed``).

A computation is pure: the pinned input tables in, plain Python rows out; no database,
no HTTP, no clock. ``analyses.kinds`` turns a ``Computed`` into the result document.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import polars as pl
from linesight_shared.tables import ANPR_READS_SCHEMA, CELLS_SCHEMA, EVENTS_SCHEMA


def empty(schema) -> pl.DataFrame:
    """A frame with no rows and the columns and types of a canonical table."""
    return pl.from_arrow(schema.empty_table())


@dataclass(frozen=True)
class Inputs:
    """The pinned datasets of one analysis, concatenated per canonical table.

    A table the analysis was given no dataset of is an empty frame with its schema.
    ``exhibits`` maps every input's exhibit id to its reference (``MONZA/7``).
    """

    events: pl.DataFrame = field(default_factory=lambda: empty(EVENTS_SCHEMA))
    cells: pl.DataFrame = field(default_factory=lambda: empty(CELLS_SCHEMA))
    anpr_reads: pl.DataFrame = field(default_factory=lambda: empty(ANPR_READS_SCHEMA))
    exhibits: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class ResultTable:
    """A further table of a result, after the main one (``tables`` in the document)."""

    name: str
    title: str
    columns: tuple[str, ...]
    definitions: dict[str, str]
    rows: list[list[Any]]

    def document(self) -> dict[str, Any]:
        return {"name": self.name, "title": self.title, "columns": list(self.columns),
                "definitions": self.definitions, "rows": self.rows}


@dataclass(frozen=True)
class Computed:
    """A computation's output: the main table, its summary, and optional further tables
    and GeoJSON (a FeatureCollection) for spatial analyses."""

    columns: tuple[str, ...]
    rows: list[list[Any]]
    summary: dict[str, Any]
    definitions: dict[str, str]
    method: tuple[str, ...]
    tables: tuple[ResultTable, ...] = ()
    geojson: dict[str, Any] | None = None
