"""Rows of canonical tables, built one record at a time, written in deterministic batches.

Record-by-record parsers (XML, text reports) build plain dict rows; the expensive,
batch-friendly steps run once per batch when the buffer is flushed:

* party strings → E.164 and kind through :func:`numbers.normalise_parties` and one shared
  :class:`numbers.NumberBook` (each distinct string is looked up once);
* UK-local naive datetimes → UTC with :func:`times.localise` (BST ambiguous/nonexistent
  flagged), also once per batch.

A row marks these with private keys: ``("_party", column)`` → raw string,
``"_local"`` → naive datetime, ``"_flags"`` → flags decided when read (joined with ``;``
into ``time_flag`` together with any BST flag). Tables are written with
:class:`DatasetWriter`, one row group per batch, only input-derived metadata.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import polars as pl
import pyarrow as pa
from linesight_shared.tables import TABLES

from linesight_ingest.parsing import numbers, times
from linesight_ingest.parsing.parquet import DatasetWriter, with_metadata
from linesight_ingest.parsing.report import ReportBuilder

LOCAL_TZ = "Europe/London"

#: per table: the raw-party key → (E.164 column, kind column or None, raw column or None)
PARTY_COLUMNS: dict[str, dict[str, tuple[str, str | None, str | None]]] = {
    "events": {"a": ("a_party", "a_party_kind", "a_party_raw"),
               "b": ("b_party", "b_party_kind", "b_party_raw"),
               "subject": ("subject", None, None)},
    "messages": {"from": ("from_party", None, "from_raw")},
    "contacts": {"number": ("number", "number_kind", "number_raw")},
    "handsets": {"msisdn": ("msisdn", None, None)},
}
#: per table: the UTC column a ``_local`` naive time fills
TIME_COLUMN = {"events": "start_utc", "messages": "sent_utc"}


class RowSink:
    """Buffers rows per table and writes each table's Parquet file as batches fill."""

    def __init__(self, out_dir: Path, *, exhibit_id: str, report: ReportBuilder,
                 metadata: dict[str, str], batch_rows: int,
                 always: tuple[str, ...] = ()) -> None:
        self.out_dir, self.exhibit_id, self.report = out_dir, exhibit_id, report
        self.metadata, self.batch_rows = metadata, max(1, batch_rows)
        self.book = numbers.NumberBook()
        self.buffers: dict[str, list[dict]] = {name: [] for name in always}
        self.writers: dict[str, DatasetWriter] = {}

    def add(self, table: str, row: dict) -> None:
        buf = self.buffers.setdefault(table, [])
        row.setdefault("exhibit_id", self.exhibit_id)
        buf.append(row)
        if len(buf) >= self.batch_rows:
            self.flush(table)

    def flush(self, table: str) -> None:
        rows = self.buffers.get(table, [])
        schema = TABLES[table]
        if table not in self.writers:
            meta = with_metadata(schema, self.metadata)
            self.writers[table] = DatasetWriter(self.out_dir / f"{table}.parquet", meta)
        if not rows:
            return
        self._resolve_parties(table, rows)
        self._resolve_times(table, rows)
        arrow = pa.Table.from_pylist([{f.name: r.get(f.name) for f in schema} for r in rows],
                                     schema=schema)
        self.writers[table].write(arrow)
        self._count(table, rows)
        rows.clear()

    def close(self) -> dict[str, Path]:
        """Flush everything; the written tables by name (sorted)."""
        for table in sorted(self.buffers):
            self.flush(table)
        out = {}
        for table in sorted(self.writers):
            self.writers[table].close()
            out[table] = self.writers[table].path
        return out

    def discard(self) -> None:
        """Close and delete every file written (a parse that failed outright)."""
        for writer in self.writers.values():
            writer.close()
            writer.path.unlink(missing_ok=True)
        self.writers.clear()

    def _resolve_parties(self, table: str, rows: list[dict]) -> None:
        for key, (number_col, kind_col, raw_col) in PARTY_COLUMNS.get(table, {}).items():
            raw = [r.get(("_party", key)) for r in rows]
            resolved = numbers.normalise_parties(pl.Series(raw, dtype=pl.String), self.book)
            for r, value, number, kind in zip(rows, raw, resolved["number"],
                                              resolved["kind"], strict=True):
                r[number_col] = number
                if kind_col:
                    r[kind_col] = r.get(("_kind", key)) or kind
                if raw_col:
                    r[raw_col] = value if value and value.strip() else None
                if table == "handsets" and number is None:
                    r[number_col] = value or None  # raw kept when not a valid number
        if table == "events":
            for r in rows:
                r["withheld"] = "withheld" in (r.get("a_party_kind"), r.get("b_party_kind"))
        if table == "messages":
            for r in rows:
                r["to_parties"] = [self.e164_or_raw(v) for v in r.get("_to", [])]

    def e164_or_raw(self, value: str) -> str:
        got = numbers.normalise_parties(pl.Series([value], dtype=pl.String), self.book)
        return got["number"][0] or value

    def _resolve_times(self, table: str, rows: list[dict]) -> None:
        column = TIME_COLUMN.get(table)
        if column is None:
            return
        local = [r.get("_local") for r in rows]
        if any(v is not None for v in local):
            done = times.localise(pl.Series(local, dtype=pl.Datetime("us")), LOCAL_TZ)
            for r, when, flag in zip(rows, done["start_utc"], done["time_flag"], strict=True):
                if r.get("_local") is not None:
                    r[column] = when
                    if flag:
                        r.setdefault("_flags", []).append(flag)
        for r in rows:
            flags = r.get("_flags") or []
            r["time_flag"] = ";".join(flags) if flags else None

    def _count(self, table: str, rows: list[dict]) -> None:
        """Fold accepted events into the report's statistics. Rows are not *records*:
        the parser counts ``rows_accepted`` per record, so derived rows (cells) and
        records that give several rows never break ``read == accepted + rejected``."""
        if table != "events":
            return
        starts = [r["start_utc"] for r in rows]
        tally: Callable[[str], dict] = lambda col: _tally(r.get(col) for r in rows)
        kinds = _tally([r.get("a_party_kind") for r in rows] + [r.get("b_party_kind")
                                                                for r in rows])
        self.report.see_events(first=min(starts), last=max(starts),
                               subjects=tally("subject"), time_flags=tally("time_flag"),
                               party_kinds=kinds, accepted=0)

def _tally(values) -> dict[str, int]:
    out: dict[str, int] = {}
    for v in values:
        if v is not None:
            out[v] = out.get(v, 0) + 1
    return out

