"""Bytes → header + records, with exact per-line rules and encoding checks.

The layout is UTF-8 (a byte order mark is allowed and skipped), one record per physical
line: quoted fields may hold commas and doubled quotes but not line breaks, so a stray
quote can only spoil its own line. Every line keeps its 1-based physical number (the
header is line 1). A line that is not UTF-8, holds a NUL byte, has broken quoting or the
wrong number of fields is rejected with its line number and byte offset; the lines
around it are read as usual. A file whose header cannot be read (empty, UTF-16/32,
binary, missing columns) fails as a whole.

The rules are written once, for one line (:func:`read_line`, Python's ``csv.reader``).
The file is read in blocks of ``BLOCK_BYTES`` and each block is split and checked as a
whole (:mod:`linesight_ingest.parsing.blocks`, on a second thread one block ahead): the
plain lines (the great majority) are split with Polars, and only lines with a quote, a
NUL, a stray carriage return or bad bytes go through :func:`read_line`. ``per_line=True``
reads every line through :func:`read_line`, the reference the block reader is tested
against (same records, same rejects).
"""

from __future__ import annotations

import csv
from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from linesight_ingest.parsing.blocks import SplitBlock, empty_frame, field_names, split_block
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
#: bytes read at a time; a block is split and checked as a whole (see ``blocks``)
BLOCK_BYTES = 8 * 1024 * 1024


def header_fields(raw: bytes, offset: int, report: ReportBuilder, *,
                  problem: str | None = None) -> list[str] | None:
    """The fields of a header line (raw bytes at byte ``offset``), or None with a file
    error on line 1 saying why it cannot be read; ``problem`` refuses it outright."""
    try:
        if problem:
            raise _LineError("", problem)
        text = _decode(raw, offset)
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
    return fields


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
    fields = header_fields(f.readline(), start, report)
    if fields is None:
        return None
    header = match_header(fields)
    for problem in header.errors:
        report.file_error(problem, line=1)
    for note in header.warnings:
        report.warn(note, line=1)
    return None if header.errors else header


class Records:
    """A batch of well-formed records, column by column (one ``pl.DataFrame``:
    ``source_row`` then ``f0`` … ``f{width-1}``, in line order). Iterating gives
    :class:`Record` objects for callers that want rows."""

    def __init__(self, frame: pl.DataFrame) -> None:
        self.frame = frame

    def __len__(self) -> int:
        return self.frame.height

    def __iter__(self) -> Iterator[Record]:
        for line, *fields in self.frame.iter_rows():
            yield Record(line, list(fields))

    @classmethod
    def from_records(cls, records: list[Record], width: int) -> Records:
        columns = list(zip(*(r.fields for r in records), strict=True)) or [()] * width
        data = {"source_row": [r.line for r in records],
                **{n: list(c) for n, c in zip(field_names(width), columns, strict=True)}}
        return cls(pl.DataFrame(data, schema=empty_frame(width).schema))


def read_line(raw: bytes, line_no: int, start: int, width: int,
              report: ReportBuilder) -> list[str] | None:
    """The per-line rules for one non-blank line: its fields, or None when it was
    rejected into ``report`` (not UTF-8, a NUL byte, broken quoting, wrong width)."""
    try:
        text = _decode(raw, start)
        fields = _split(text)
    except _LineError as exc:
        report.reject(line_no, None, exc.value, exc.reason)
        return None
    if len(fields) != width:
        report.reject(line_no, None, text, _wrong_width(width, len(fields)))
        return None
    return fields


def _wrong_width(width: int, found: int) -> str:
    return f"wrong number of fields: expected {width}, found {found}"


def _line_batches(f, report: ReportBuilder, width: int, batch_rows: int,
                  progress: Callable[[float], None] | None, size: int
                  ) -> Iterator[Records]:
    """The reference reader: every line through ``csv.reader`` on its own."""
    line_no, offset = 1, f.tell()
    batch: list[Record] = []
    for raw in f:
        line_no += 1
        start, offset = offset, offset + len(raw)
        if not raw.strip(b" \t\r\n"):
            report.blank_lines += 1
            continue
        report.rows_read += 1
        fields = read_line(raw, line_no, start, width, report)
        if fields is None:
            continue
        batch.append(Record(line_no, fields))
        if len(batch) >= batch_rows:
            yield Records.from_records(batch, width)
            batch = []
            if progress is not None:
                progress(offset / size)
    if batch:
        yield Records.from_records(batch, width)


def _blocks(f, block_bytes: int) -> Iterator[tuple[bytes, int]]:
    """Runs of whole lines (the last one may lack its line break) and their offsets.
    A line longer than a block is gathered in pieces and joined once."""
    offset, parts = f.tell(), []
    while chunk := f.read(block_bytes):
        cut = chunk.rfind(b"\n") + 1
        if not cut:
            parts.append(chunk)
            continue
        block = b"".join([*parts, chunk[:cut]]) if parts else chunk[:cut]
        yield block, offset
        offset += len(block)
        parts = [chunk[cut:]] if cut < len(chunk) else []
    if parts:
        yield b"".join(parts), offset


def _split_ahead(f, width: int, block_bytes: int) -> Iterator[tuple[SplitBlock, int]]:
    """Each block split (and where it ends), the next one split on a second thread
    while the caller works on this one: at most two blocks are held."""
    ahead: deque[tuple[Future[SplitBlock], int]] = deque()
    line_no = 2
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="csv-split") as pool:
        for block, offset in _blocks(f, block_bytes):
            ahead.append((pool.submit(split_block, block, first_line=line_no,
                                      first_offset=offset, width=width),
                          offset + len(block)))
            line_no += block.count(b"\n") + (not block.endswith(b"\n"))
            if len(ahead) > 1:
                future, end = ahead.popleft()
                yield future.result(), end
        while ahead:
            future, end = ahead.popleft()
            yield future.result(), end


def _block_batches(f, report: ReportBuilder, width: int, batch_rows: int,
                   progress: Callable[[float], None] | None, size: int,
                   block_bytes: int) -> Iterator[Records]:
    """The same records and rejects as :func:`_line_batches`, a block at a time."""
    pending: list[pl.DataFrame] = []
    count = 0
    for part, end in _split_ahead(f, width, block_bytes):
        report.blank_lines += part.blank_lines
        report.rows_read += part.rows
        for line, text, found in part.wrong_width:
            report.reject(line, None, text, _wrong_width(width, found))
        slow = [Record(line, fields) for line, start, raw in part.slow
                if (fields := read_line(raw, line, start, width, report)) is not None]
        good = part.good
        if slow:
            good = pl.concat([good, Records.from_records(slow, width).frame]).sort("source_row")
        pending.append(good)
        count += good.height
        while count >= batch_rows:
            whole = pl.concat(pending) if len(pending) > 1 else pending[0]
            yield Records(whole.slice(0, batch_rows))
            pending, count = [whole.slice(batch_rows)], count - batch_rows
            if progress is not None:
                progress(end / size)
    if count:
        yield Records(pl.concat(pending) if len(pending) > 1 else pending[0])


def iter_records(path: Path, report: ReportBuilder, *, batch_rows: int = 100_000,
                 progress: Callable[[float], None] | None = None,
                 block_bytes: int = BLOCK_BYTES, per_line: bool = False
                 ) -> tuple[HeaderMatch | None, Iterator[Records]]:
    """The matched header and an iterator of batches of well-formed records.

    Rows that cannot be split into the header's number of fields are rejected into
    ``report`` here; everything else is left to the normaliser. Batches hold exactly
    ``batch_rows`` records (the last one fewer). ``per_line=True`` reads with the
    reference per-line path (same output, slower); ``block_bytes`` sets the read size.
    """
    size = path.stat().st_size
    f = path.open("rb")
    header = read_header(f, report, size)
    if header is None:
        f.close()
        return None, iter(())
    width = header.width

    def batches() -> Iterator[Records]:
        with f:
            if per_line:
                yield from _line_batches(f, report, width, batch_rows, progress, size)
            else:
                yield from _block_batches(f, report, width, batch_rows, progress, size,
                                          block_bytes)

    return header, batches()
