"""Any CSV layout → its header + batches of records, one physical line at a time.

The same reading rules as :mod:`linesight_ingest.parsing.reader` (whose line decoding
and splitting this reuses), for formats other than ``uk-operator-cdr-v1``: UTF-8 (a byte
order mark is skipped), one record per physical line, the header is line 1. The caller
decides what the header means through ``match``. On top of the CDR reader's checks, a
line longer than ``max_line_bytes`` is rejected without ever being held whole in memory
(a "huge field" cannot exhaust the worker), and the line after it is read as usual.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import BinaryIO, TypeVar

from linesight_ingest.parsing.reader import (
    _BOMS,
    UTF8_BOM,
    Record,
    _decode,
    _LineError,
    _split,
)
from linesight_ingest.parsing.reader import (
    header_fields as decode_header_line,
)
from linesight_ingest.parsing.report import ReportBuilder

T = TypeVar("T")

MAX_LINE_BYTES = 64 * 1024
_CHUNK = 64 * 1024


def _read_line(f: BinaryIO, limit: int) -> tuple[bytes, int]:
    """The next physical line (at most ``limit + 1`` bytes kept) and its full length;
    the rest of an over-long line is consumed in chunks and dropped."""
    raw = f.readline(limit + 1)
    size = len(raw)
    if size > limit and not raw.endswith(b"\n"):
        while True:
            more = f.readline(_CHUNK)
            size += len(more)
            if not more or more.endswith(b"\n"):
                break
    return raw, size


def header_fields(f: BinaryIO, report: ReportBuilder, size: int, *, fmt: str,
                  max_line_bytes: int) -> list[str] | None:
    """Line 1 split into fields; on any problem a file error and None."""
    if size == 0:
        report.file_error("the file is empty (0 bytes)")
        return None
    head = f.read(4)
    for bom, name in _BOMS:
        if head.startswith(bom):
            report.file_error(f"the file is encoded as {name} (byte order mark "
                              f"{bom.hex(' ').upper()} at byte offset 0); {fmt} files "
                              "must be UTF-8", line=1)
            return None
    start = len(UTF8_BOM) if head.startswith(UTF8_BOM) else 0
    if start:
        report.warn("a UTF-8 byte order mark at byte offset 0 was skipped", line=1)
    f.seek(start)
    raw, length = _read_line(f, max_line_bytes)
    too_long = (f"the header line is {length} bytes long (limit {max_line_bytes})"
                if length > max_line_bytes else None)
    return decode_header_line(raw, start, report, problem=too_long)


def iter_csv(path: Path, report: ReportBuilder, match: Callable[[list[str]], T | None], *,
             fmt: str, batch_rows: int = 100_000, max_line_bytes: int = MAX_LINE_BYTES,
             progress: Callable[[float], None] | None = None
             ) -> tuple[T | None, Iterator[list[Record]]]:
    """``match(header fields)`` and batches of records with the header's number of fields.

    ``match`` returns None after recording file errors when the header is not one it
    reads. Every non-blank data line counts in ``report.rows_read``; lines that cannot
    be decoded or split, or have the wrong width, are rejected here.
    """
    size = path.stat().st_size
    f = path.open("rb")
    fields = header_fields(f, report, size, fmt=fmt, max_line_bytes=max_line_bytes)
    matched = match(fields) if fields is not None else None
    if matched is None:
        f.close()
        return None, iter(())
    width = len(fields)

    def batches() -> Iterator[list[Record]]:
        with f:
            line_no, offset = 1, f.tell()
            batch: list[Record] = []
            while True:
                raw, length = _read_line(f, max_line_bytes)
                if not length:
                    break
                line_no += 1
                start, offset = offset, offset + length
                if length <= max_line_bytes and not raw.strip(b" \t\r\n"):
                    report.blank_lines += 1
                    continue
                report.rows_read += 1
                try:
                    if length > max_line_bytes:
                        raise _LineError(raw[:200].decode("utf-8", "replace"),
                                         f"line is {length} bytes long (limit "
                                         f"{max_line_bytes})")
                    text = _decode(raw, start)
                    fields_ = _split(text)
                except _LineError as exc:
                    report.reject(line_no, None, exc.value, exc.reason)
                    continue
                if len(fields_) != width:
                    report.reject(line_no, None, text,
                                  f"wrong number of fields: expected {width}, "
                                  f"found {len(fields_)}")
                    continue
                batch.append(Record(line_no, fields_))
                if len(batch) >= batch_rows:
                    yield batch
                    batch = []
                    if progress is not None and size:
                        progress(offset / size)
            if batch:
                yield batch

    return matched, batches()
