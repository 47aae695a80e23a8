"""A CSP's tabular return (CSV, or an XLSX workbook) → records of text keyed by column.

Used by the subscriber-check and IP-log parsers. Columns are found by header name,
compared without case, spaces or punctuation against each field's aliases; unknown
columns are named in a warning, a missing required column or a column matched twice is a
file error.

**CSV** is UTF-8 (a byte order mark is skipped; UTF-16/32 are refused), read a physical
line at a time and never loaded whole. A quoted field may hold line breaks (addresses),
up to :data:`MAX_RECORD_LINES` physical lines; a quote left open longer spoils only its
own first line, which is rejected, and reading starts again on the line after it. A
record's number is its first physical line (the header is line 1). Lines that are not
UTF-8 or hold NUL bytes are rejected with the byte's offset; extra fields that are all
empty (trailing commas) are ignored, any other wrong field count is a reject.

**XLSX** is read with openpyxl in read-only mode, values as text (a formula is read as
its text, never evaluated; numbers without a fractional part are written without
``.0``; dates as ISO 8601 without an offset, i.e. UK local). The workbook's zip is checked
by :mod:`safe_archive` first. One sheet may hold data: its first non-empty row is the
header, ``source_ref`` is the sheet's name, record numbers are sheet row numbers. A
workbook with data on more than one sheet is refused (export each as an exhibit).
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, time
from pathlib import Path

from linesight_ingest.parsing.reader import _BOMS, UTF8_BOM, _decode, _LineError, _split
from linesight_ingest.parsing.report import ReportBuilder
from linesight_ingest.parsing.safe_archive import ArchiveError, iter_members

MAX_RECORD_LINES = 8


@dataclass(frozen=True)
class Column:
    key: str
    header: str  # the name used in rejects
    aliases: tuple[str, ...] = ()

    def names(self) -> set[str]:
        return {norm(a) for a in (self.header, self.key, *self.aliases)}


@dataclass(frozen=True)
class Record:
    line: int
    ref: str | None
    values: dict[str, str]  # key → stripped text ("" when blank or absent)


def norm(header: str) -> str:
    return re.sub(r"[^a-z0-9]", "", header.lower())


def match_columns(cells: list[str], columns: tuple[Column, ...], required: tuple[str, ...],
                  one_of: tuple[str, ...], report: ReportBuilder, line: int
                  ) -> dict[str, int] | None:
    by_name = {name: c for c in columns for name in c.names()}
    positions: dict[str, int] = {}
    unknown = []
    for i, cell in enumerate(cells):
        col = by_name.get(norm(cell))
        if col is None:
            if cell.strip():
                unknown.append(cell.strip())
            continue
        if col.key in positions:
            report.file_error(f"column {col.header!r} appears twice in the header", line=line)
            return None
        positions[col.key] = i
    missing = [c.header for c in columns if c.key in required and c.key not in positions]
    if missing:
        report.file_error(f"the header has no {', '.join(missing)} column", line=line)
    if one_of and not any(k in positions for k in one_of):
        names = ", ".join(c.header for c in columns if c.key in one_of)
        report.file_error(f"the header has none of the columns {names}", line=line)
    if unknown:
        report.warn(f"columns not read: {', '.join(unknown)}", line=line)
    return None if report.failed else positions


def is_xlsx(path: Path) -> bool:
    try:
        with zipfile.ZipFile(path) as zf:
            return "xl/workbook.xml" in zf.namelist()
    except (zipfile.BadZipFile, OSError):
        return False


def read_records(path: Path, columns: tuple[Column, ...], report: ReportBuilder, *,
                 required: tuple[str, ...] = (), one_of: tuple[str, ...] = (),
                 progress: Callable[[float], None] | None = None) -> Iterator[Record]:
    """Records in file order; header problems become file errors (and no records)."""
    if path.stat().st_size == 0:
        report.file_error("the file is empty (0 bytes)")
        return iter(())
    if is_xlsx(path):
        from linesight_ingest.parsing.tabular_xlsx import xlsx_records

        return xlsx_records(path, columns, report, required=required, one_of=one_of)
    return _csv_records(path, columns, report, required, one_of, progress)


def _csv_records(path, columns, report, required, one_of, progress) -> Iterator[Record]:
    size = path.stat().st_size
    with path.open("rb") as f:
        head = f.read(4)
        for bom, name in _BOMS:
            if head.startswith(bom):
                report.file_error(f"the file is encoded as {name}; returns must be UTF-8",
                                  line=1)
                return
        f.seek(len(UTF8_BOM) if head.startswith(UTF8_BOM) else 0)
        lines = _physical_lines(f)
        positions = None
        for line_no, text, problem in lines:
            if problem:
                report.file_error(f"the header line cannot be read: {problem}", line=line_no)
                return
            if not text.strip():
                continue
            try:
                cells = _split(text)
            except _LineError as exc:
                report.file_error(f"the header line cannot be read: {exc.reason}",
                                  line=line_no)
                return
            positions = match_columns(cells, columns, required, one_of, report, line_no)
            width = len(cells)
            break
        if positions is None:
            if not report.failed:
                report.file_error("the file holds no header line")
            return
        yield from _assemble(lines, positions, width, report, size, progress, f)


def _physical_lines(f) -> Iterator[tuple[int, str, str | None]]:
    offset = f.tell()
    for n, raw in enumerate(f, start=1):
        try:
            yield n, _decode(raw, offset), None
        except _LineError as exc:
            yield n, "", f"{exc.reason} ({exc.value})"
        offset += len(raw)


def _assemble(lines, positions, width, report, size, progress, f) -> Iterator[Record]:
    pending: list[tuple[int, str, str | None]] = []
    source = iter(lines)
    count = 0
    while True:
        if not pending:
            nxt = next(source, None)
            if nxt is None:
                return
            pending.append(nxt)
        first, text, problem = pending[0]
        if not problem and not text.strip():
            report.blank_lines += 1
            pending.pop(0)
            continue
        report.rows_read += 1
        if problem:
            report.reject(first, None, None, problem)
            pending.pop(0)
            continue
        take = 1  # gather continuation lines while the quotes are unbalanced
        while "\n".join(p[1] for p in pending[:take]).count('"') % 2 and take < MAX_RECORD_LINES:
            if len(pending) <= take:
                nxt = next(source, None)
                if nxt is None:
                    break
                pending.append(nxt)
            if pending[take][2]:
                break
            take += 1
        joined = "\n".join(p[1] for p in pending[:take])
        if joined.count('"') % 2:
            report.reject(first, None, text, "a quote is left open (malformed CSV quoting)")
            pending.pop(0)  # read again from the line after
            continue
        pending = pending[take:]
        try:
            cells = _split(joined) if "\n" not in joined else _split_multiline(joined)
        except _LineError as exc:
            report.reject(first, None, joined, exc.reason)
            continue
        if len(cells) > width and not any(c.strip() for c in cells[width:]):
            cells = cells[:width]
        if len(cells) != width:
            report.reject(first, None, joined, f"wrong number of fields: expected {width}, "
                                                f"found {len(cells)}")
            continue
        count += 1
        if progress is not None and count % 10_000 == 0:
            progress(min(f.tell() / size, 1.0))
        yield Record(first, None, {k: cells[i].strip() for k, i in positions.items()})


def _split_multiline(text: str) -> list[str]:
    import csv
    import io

    try:
        rows = list(csv.reader(io.StringIO(text, newline=""), strict=True))
    except csv.Error as exc:
        raise _LineError(text, f"malformed CSV quoting: {exc}") from exc
    if len(rows) != 1:
        raise _LineError(text, "malformed CSV quoting: a record over several lines")
    return rows[0]


def cell_text(value: object) -> str:
    """An XLSX cell value as text, as the module docstring says."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e17:
        return str(int(value))
    if isinstance(value, datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, date | time):
        return value.isoformat()
    return str(value)


def check_zip(path: Path) -> None:
    """The workbook's zip passes the archive safety rules (ArchiveError otherwise)."""
    for _ in iter_members(path):
        pass


__all__ = ["ArchiveError", "Column", "Record", "cell_text", "check_zip", "read_records"]
