"""Loading an analysis's pinned input datasets from the object store, checked on the way.

Each dataset is fetched by the key ingest gives for it and must hash to the SHA-256
pinned when the analysis was requested; its Parquet must carry the canonical schema of
its table, the row count ingest recorded, and only its own exhibit's rows.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import polars as pl
import pyarrow.parquet as pq
from linesight_shared.clients.ingest import IngestClient
from linesight_shared.contracts.ingest import DatasetPublic
from linesight_shared.objectstore import ObjectStore
from linesight_shared.tables import ANPR_READS_TABLE, CELLS_TABLE, EVENTS_TABLE, TABLES

from linesight_analytics.analyses.computed import Inputs, empty


class InvalidInput(ValueError):
    """An input dataset is not what the analysis was pinned to."""


def _shape(schema) -> list[tuple[str, str]]:
    return [(f.name, str(f.type)) for f in schema]


def read_dataset(path: Path, dataset: DatasetPublic) -> pl.DataFrame:
    """One dataset's Parquet as a frame, after checking its schema, size and exhibit."""
    schema = TABLES.get(dataset.table)
    if schema is None:
        raise InvalidInput(f"dataset {dataset.id} is of unknown table {dataset.table!r}")
    table = pq.read_table(path)
    if _shape(table.schema) != _shape(schema):
        raise InvalidInput(f"dataset {dataset.id} does not have the canonical "
                           f"{dataset.table} schema")
    if table.num_rows != dataset.rows:
        raise InvalidInput(f"dataset {dataset.id} holds {table.num_rows} rows; ingest "
                           f"recorded {dataset.rows}")
    frame = pl.from_arrow(table)
    exhibits = set(frame.get_column("exhibit_id").unique().to_list())
    if exhibits - {dataset.exhibit_id}:
        raise InvalidInput(f"dataset {dataset.id} holds rows of other exhibits than "
                           f"{dataset.exhibit_reference}: {sorted(exhibits)}")
    return frame


def _concat(frames: list[pl.DataFrame], table: str) -> pl.DataFrame:
    return pl.concat(frames) if frames else empty(TABLES[table])


def load_inputs(ingest: IngestClient, store: ObjectStore, case_reference: str,
                pinned: list[dict[str, Any]],
                progress: Callable[[float, str], None] | None = None) -> Inputs:
    """Every pinned dataset, re-described by ingest and downloaded with its hash checked,
    concatenated per table in the pinned order."""
    frames: dict[str, list[pl.DataFrame]] = {EVENTS_TABLE: [], CELLS_TABLE: [],
                                             ANPR_READS_TABLE: []}
    exhibits: dict[str, str] = {}
    with tempfile.TemporaryDirectory(prefix="linesight-analysis-") as tmp:
        for n, pin in enumerate(pinned, start=1):
            dataset = ingest.get_dataset(case_reference, pin["dataset_id"])
            if dataset.sha256 != pin["sha256"]:
                raise InvalidInput(f"dataset {dataset.id} now hashes to {dataset.sha256}, not "
                                   f"the {pin['sha256']} the analysis was requested on")
            if dataset.table != pin.get("table", EVENTS_TABLE) or dataset.table not in frames:
                raise InvalidInput(f"dataset {dataset.id} is a {dataset.table} table; the "
                                   f"analysis was pinned to a {pin.get('table', EVENTS_TABLE)}")
            path = store.download(dataset.object_key, Path(tmp) / f"{dataset.id}.parquet",
                                  sha256=pin["sha256"])
            frames[dataset.table].append(read_dataset(path, dataset))
            exhibits[dataset.exhibit_id] = dataset.exhibit_reference
            if progress is not None:
                progress(0.1 + 0.5 * n / len(pinned), f"read dataset {n} of {len(pinned)}")
    return Inputs(events=_concat(frames[EVENTS_TABLE], EVENTS_TABLE),
                  cells=_concat(frames[CELLS_TABLE], CELLS_TABLE),
                  anpr_reads=_concat(frames[ANPR_READS_TABLE], ANPR_READS_TABLE),
                  exhibits=exhibits)
