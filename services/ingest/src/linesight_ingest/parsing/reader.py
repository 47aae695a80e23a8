"""Bytes → header + records, one physical line at a time, with encoding checks.

The layout is UTF-8 (a byte order mark is allowed and skipped), one record per physical
line: quoted fields may hold commas and doubled quotes but not line breaks, so a stray
quote can only spoil its own line. Every line keeps its 1-based physical number (the
header is line 1). A line that is not UTF-8, holds a NUL byte, has broken quoting or the
wrong number of fields is rejected with its line number and byte offset; the lines
around it are read as usual. A file whose header cannot be read (empty, UTF-16/32,
binary, missing columns) fails as a whole.
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from linesight_ingest.parsing.layout import HeaderMatch, match_header
from linesight_ingest.parsing.report import ReportBuilder

_BOMS = (
    (b"\xff\xfe\x00\x00", "UTF-32 (little-endian)"),
    (b"\x00\x00\xfe\xff", "UTF-32 (big-endian)"),
    (b"\xff\xfe", "UTF-16 (little-endian)"),
    (b"\xfe\xff", "UTF-16 (big-endian)"),
)
UTF8_BOM = b"\xef\xbb\xbf"
NOT_UTF8 = "line is not valid UTF-8 (it may be Latin-1 or Windows-1252)"
HAS_NUL = "line contains a NUL byte"


@dataclass(frozen=True)
class Record:
    """One data line split into fields, with its physical line number."""

    line: int
    fields: list[str]


class _LineError(Exception):
    def __init__(self, value: str, reason: str) -> None:
        super().__init__(reason)
        self.value = value
        self.reason = reason


def _decode(raw: bytes, offset: int) -> str:
    """One physical line → text without its line ending; _LineError names the bad byte."""
    nul = raw.find(b"\x00")
    if nul >= 0:
        raise _LineError(f"NUL byte at byte offset {offset + nul}", HAS_NUL)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise _LineError(f"byte 0x{raw[exc.start]:02X} at byte offset {offset + exc.start}",
                         NOT_UTF8) from exc
    return text.removesuffix("\n").removesuffix("\r")


def _split(text: str) -> list[str]:
    try:
        return next(csv.reader((text,), strict=True))
    except csv.Error as exc:
        raise _LineError(text, f"malformed CSV quoting: {exc}") from exc


def read_header(f, report: ReportBuilder, size: int) -> HeaderMatch | None:
    """Read and match line 1; on any problem record a file error and return None."""
    if size == 0:
        report.file_error("the file is empty (0 bytes)")
        return None
    head = f.read(4)
    for bom, name in _BOMS:
        if head.startswith(bom):
            report.file_error(f"the file is encoded as {name} (byte order mark "
                              f"{bom.hex(' ').upper()} at byte offset 0); "
                              "uk-operator-cdr-v1 files must be UTF-8", line=1)
            return None
    start = len(UTF8_BOM) if head.startswith(UTF8_BOM) else 0
    if start:
        report.warn("a UTF-8 byte order mark at byte offset 0 was skipped", line=1)
    f.seek(start)
    raw = f.readline()
    try:
        text = _decode(raw, start)
        if "\r" in text:
            raise _LineError("", "line holds a carriage return inside it (CR-only line "
                                 "endings?)")
        fields = _split(text)
    except _LineError as exc:
        hint = (" (the file looks like UTF-16 or binary without a byte order mark)"
                if exc.reason == HAS_NUL else "")
        detail = f"; {exc.value}" if exc.value else ""
        report.file_error(f"the header line cannot be read: {exc.reason}{hint}{detail}",
                          line=1)
        return None
    if not text.strip():
        report.file_error("line 1 is blank; the header row must be the first line", line=1)
        return None
    header = match_header(fields)
    for problem in header.errors:
        report.file_error(problem, line=1)
    for note in header.warnings:
        report.warn(note, line=1)
    return None if header.errors else header


def iter_records(path: Path, report: ReportBuilder, *, batch_rows: int = 100_000,
                 progress: Callable[[float], None] | None = None
                 ) -> tuple[HeaderMatch | None, Iterator[list[Record]]]:
    """The matched header and an iterator of batches of well-formed records.

    Rows that cannot be split into the header's number of fields are rejected into
    ``report`` here; everything else is left to the normaliser.
    """
    size = path.stat().st_size
    f = path.open("rb")
    header = read_header(f, report, size)
    if header is None:
        f.close()
        return None, iter(())
    width = header.width

    def batches() -> Iterator[list[Record]]:
        with f:
            line_no, offset = 1, f.tell()
            batch: list[Record] = []
            for raw in f:
                line_no += 1
                start, offset = offset, offset + len(raw)
                if not raw.strip(b" \t\r\n"):
                    report.blank_lines += 1
                    continue
                report.rows_read += 1
                try:
                    text = _decode(raw, start)
                    fields = _split(text)
                except _LineError as exc:
                    report.reject(line_no, None, exc.value, exc.reason)
                    continue
                if len(fields) != width:
                    report.reject(line_no, None, text,
                                  f"wrong number of fields: expected {width}, "
                                  f"found {len(fields)}")
                    continue
                batch.append(Record(line_no, fields))
                if len(batch) >= batch_rows:
                    yield batch
                    batch = []
                    if progress is not None:
                        progress(offset / size)
            if batch:
                yield batch

    return header, batches()
