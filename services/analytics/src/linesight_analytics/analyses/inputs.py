"""Loading an analysis's pinned input datasets from the object store, checked on the way.

Each dataset is fetched by the key ingest gives for it and must hash to the SHA-256
pinned when the analysis was requested; its Parquet must carry the canonical events
schema, the row count ingest recorded, and only its own exhibit's rows.
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
from linesight_shared.tables import EVENTS_SCHEMA


class InvalidInput(ValueError):
    """An input dataset is not what the analysis was pinned to."""


def _shape(schema) -> list[tuple[str, str]]:
    return [(f.name, str(f.type)) for f in schema]


def read_events(path: Path, dataset: DatasetPublic) -> pl.DataFrame:
    """One dataset's Parquet as a frame, after checking its schema, size and exhibit."""
    table = pq.read_table(path)
    if _shape(table.schema) != _shape(EVENTS_SCHEMA):
        raise InvalidInput(f"dataset {dataset.id} does not have the canonical events schema")
    if table.num_rows != dataset.rows:
        raise InvalidInput(f"dataset {dataset.id} holds {table.num_rows} rows; ingest "
                           f"recorded {dataset.rows}")
    frame = pl.from_arrow(table)
    exhibits = set(frame.get_column("exhibit_id").unique().to_list())
    if exhibits - {dataset.exhibit_id}:
        raise InvalidInput(f"dataset {dataset.id} holds rows of other exhibits than "
                           f"{dataset.exhibit_reference}: {sorted(exhibits)}")
    return frame


def load_inputs(ingest: IngestClient, store: ObjectStore, case_reference: str,
                pinned: list[dict[str, Any]],
                progress: Callable[[float, str], None] | None = None) -> pl.DataFrame:
    """Every pinned dataset, re-described by ingest and downloaded with its hash checked."""
    frames = []
    with tempfile.TemporaryDirectory(prefix="linesight-analysis-") as tmp:
        for n, pin in enumerate(pinned, start=1):
            dataset = ingest.get_dataset(case_reference, pin["dataset_id"])
            if dataset.sha256 != pin["sha256"]:
                raise InvalidInput(f"dataset {dataset.id} now hashes to {dataset.sha256}, not "
                                   f"the {pin['sha256']} the analysis was requested on")
            path = store.download(dataset.object_key, Path(tmp) / f"{dataset.id}.parquet",
                                  sha256=pin["sha256"])
            frames.append(read_events(path, dataset))
            if progress is not None:
                progress(0.1 + 0.5 * n / len(pinned), f"read dataset {n} of {len(pinned)}")
    return pl.concat(frames)
