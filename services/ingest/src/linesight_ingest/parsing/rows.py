"""Rows as dicts → one canonical table, batch by batch, and the flags a parse counts.

Shared by the row-at-a-time parsers (subscriber checks, IP logs, email headers): each
accepted record becomes one or more dicts keyed by the table's column names; every
``batch_rows`` records they are written as one Parquet row group with
:class:`~linesight_ingest.parsing.parquet.DatasetWriter`, so the bytes depend on the input
and the batch size only. ``exhibit_id`` is filled in here.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

import pyarrow as pa

from linesight_ingest.parsing.parquet import DatasetWriter, with_metadata
from linesight_ingest.parsing.report import ReportBuilder

#: line numbers named per flag in the report's warnings (the count is always complete)
FLAG_EXAMPLES = 20


def dataset_schema(schema: pa.Schema, *, exhibit_id: str, parser: str, version: str,
                   libraries: dict[str, str], extra: dict[str, str] | None = None) -> pa.Schema:
    """``schema`` with the input-derived key/values every dataset records."""
    return with_metadata(schema, {
        "linesight.exhibit_id": exhibit_id, "linesight.parser": parser,
        "linesight.parser_version": version,
        **{f"linesight.library.{k}": v for k, v in libraries.items()},
        **(extra or {}),
    })


class RowSink:
    """Collects rows of one table and writes them one row group per ``batch_rows`` records."""

    def __init__(self, path: Path, schema: pa.Schema, *, exhibit_id: str,
                 batch_rows: int) -> None:
        self.path, self.schema, self.exhibit_id = path, schema, exhibit_id
        self.batch_rows = max(1, batch_rows)
        self._rows: list[dict[str, Any]] = []
        self._records = 0
        self._writer = DatasetWriter(path, schema)

    def add(self, rows: list[dict[str, Any]]) -> None:
        """The table rows of one accepted record (one record may give several rows)."""
        for row in rows:
            row["exhibit_id"] = self.exhibit_id
        self._rows.extend(rows)
        self._records += 1
        if self._records >= self.batch_rows:
            self.flush()

    def flush(self) -> None:
        if self._rows:
            self._writer.write(pa.Table.from_pylist(self._rows, schema=self.schema))
        self._rows, self._records = [], 0

    @property
    def rows(self) -> int:
        return self._writer.rows + len(self._rows)

    def close(self) -> None:
        self.flush()
        self._writer.close()


def finish(sink: RowSink, report: ReportBuilder, *, what: str = "data rows") -> Path | None:
    """Close the sink; fail the parse (no table) when nothing could be read.

    A file whose every record was rejected is a file error; a file with no records at all
    succeeds with an empty table and a warning (a nil return)."""
    sink.close()
    if report.rows_read and not report.rows_accepted:
        report.file_error(f"no record could be read: all {report.rows_read} {what} were "
                          "rejected (see rejects)")
    elif not report.rows_read and not report.failed:
        report.warn(f"the file holds no {what} (a nil return?)")
    if report.failed:
        sink.path.unlink(missing_ok=True)
        return None
    return sink.path


class Flags:
    """Per-record notes that are not rejects (a record kept, but with something to know):
    counted in full, the first ``FLAG_EXAMPLES`` record numbers named, one warning each."""

    def __init__(self) -> None:
        self.counts: Counter[str] = Counter()
        self.examples: dict[str, list[int]] = defaultdict(list)

    def add(self, reason: str, line: int) -> None:
        self.counts[reason] += 1
        if len(self.examples[reason]) < FLAG_EXAMPLES:
            self.examples[reason].append(line)

    def to_report(self, report: ReportBuilder, *, unit: str = "rows") -> None:
        for reason in sorted(self.counts):
            shown = ", ".join(str(n) for n in self.examples[reason])
            more = " …" if self.counts[reason] > len(self.examples[reason]) else ""
            report.warn(f"{reason}: {self.counts[reason]} {unit} (first: {shown}{more})")
