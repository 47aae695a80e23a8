"""Deterministic Parquet: the same rows give the same bytes.

Fixed compression and level, fixed format and page versions, one row group per parse
batch (a fixed number of input lines), statistics on, and only input-derived key/values
in the file metadata: no wall-clock time, host or random id. ``created_by`` names the
Parquet library version, which datasets also record.
"""

from __future__ import annotations

from pathlib import Path
from typing import Self

import pyarrow as pa
import pyarrow.parquet as pq

WRITE_OPTIONS = {
    "compression": "zstd",
    "compression_level": 9,
    "use_dictionary": True,
    "write_statistics": True,
    "version": "2.6",
    "data_page_version": "1.0",
}


def with_metadata(schema: pa.Schema, extra: dict[str, str]) -> pa.Schema:
    """``schema`` with ``extra`` added to its key/value metadata, keys sorted."""
    meta = {k.decode(): v.decode() for k, v in (schema.metadata or {}).items()}
    meta.update(extra)
    return schema.with_metadata(dict(sorted(meta.items())))


class DatasetWriter:
    """Writes batches of one schema to a Parquet file, one row group per batch."""

    def __init__(self, path: Path, schema: pa.Schema) -> None:
        self.path = path
        self.schema = schema
        self.rows = 0
        self._writer = pq.ParquetWriter(str(path), schema, **WRITE_OPTIONS)

    def write(self, table: pa.Table) -> None:
        if table.num_rows:
            self._writer.write_table(table.replace_schema_metadata(self.schema.metadata),
                                     row_group_size=table.num_rows)
            self.rows += table.num_rows

    def close(self) -> None:
        self._writer.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc) -> None:
        self.close()
