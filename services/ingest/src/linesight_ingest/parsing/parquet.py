"""Deterministic Parquet: the same rows give the same bytes.

Fixed compression and level, fixed format and page versions, one row group per parse
batch (a fixed number of input lines), statistics on, and only input-derived key/values
in the file metadata: no wall-clock time, host or random id. ``created_by`` names the
Parquet library version, which datasets also record.
"""

from __future__ import annotations

from concurrent.futures import Future, ThreadPoolExecutor
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
    """Writes batches of one schema to a Parquet file, one row group per batch.

    Encoding and compressing a row group (zstd level 9) is done on a second thread, so the
    caller can prepare the next batch meanwhile; row groups are written one at a time in
    the order given, so the bytes are the same as writing them inline. At most one batch
    waits beside the one being written (memory stays bounded). A write error is raised
    from the next ``write`` or from ``close``.
    """

    def __init__(self, path: Path, schema: pa.Schema) -> None:
        self.path = path
        self.schema = schema
        self.rows = 0
        self._writer = pq.ParquetWriter(str(path), schema, **WRITE_OPTIONS)
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="parquet")
        self._pending: Future | None = None

    def write(self, table: pa.Table) -> None:
        if table.num_rows:
            self._wait()
            self._pending = self._pool.submit(
                self._writer.write_table, table.replace_schema_metadata(self.schema.metadata),
                row_group_size=table.num_rows)
            self.rows += table.num_rows

    def _wait(self) -> None:
        pending, self._pending = self._pending, None
        if pending is not None:
            pending.result()

    def close(self) -> None:
        try:
            self._wait()
        finally:
            self._pool.shutdown(wait=True)
            self._writer.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc) -> None:
        self.close()
