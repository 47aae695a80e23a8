"""A CSV or TSV file read the way a profile declares: encoding, delimiter, header row.

The same rules as :mod:`linesight_ingest.parsing.reader` (whose messages these keep, word
for word, for a UTF-8 comma layout whose header is line 1): one record per physical line,
every line keeps its 1-based physical number, a line that cannot be decoded, holds a NUL
byte, has broken quoting or the wrong number of fields is rejected with its line number,
the lines around it are read as usual. The encoding is the profile's declaration, never
guessed: a file whose byte order mark contradicts it fails as a whole.

With ``header.row: containing`` the header is the first line (within ``max_scan``)
holding the named columns; the lines above it are the *preamble* (kept for a target
number given in a header block), not data.
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from linesight_ingest.parsing.profiles.model import Encoding, Profile, norm_header
from linesight_ingest.parsing.reader import _BOMS, HAS_NUL, NOT_UTF8, UTF8_BOM, Record
from linesight_ingest.parsing.report import ReportBuilder

NOT_CP1252 = "line is not valid Windows-1252 (cp1252)"
ENCODING_LABEL = {Encoding.utf8: "UTF-8", Encoding.utf8_sig: "UTF-8 (with a byte order mark)",
                  Encoding.cp1252: "Windows-1252 (cp1252)"}


@dataclass
class HeaderMatch:
    """Where each profile column sits in the header row, and what was wrong with it."""

    line: int
    positions: dict[str, int] = field(default_factory=dict)
    width: int = 0
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    #: rows above the header (line, cells): the header block
    preamble: list[tuple[int, list[str]]] = field(default_factory=list)


@dataclass
class Table:
    """A matched header (None when the file cannot be read as this profile), its batches,
    and for workbooks the sheet the rows came from."""

    header: HeaderMatch | None
    batches: Iterator[list[Record]]
    sheet: str | None = None

    @property
    def usable(self) -> bool:
        return self.header is not None and not self.header.errors


def match_header(profile: Profile, fields: list[str], line: int) -> HeaderMatch:
    """Header cells → profile columns (trimmed, case- and spacing-insensitive).

    Missing required columns and duplicated columns are errors; unknown columns are named
    in a warning and kept out of the output.
    """
    known = {norm_header(n): (key, spec) for key, spec in profile.columns.items()
             for n in spec.names()}
    m = HeaderMatch(line=line, width=len(fields))
    seen: dict[str, int] = {}
    unknown: list[str] = []
    for i, cell in enumerate(fields):
        hit = known.get(norm_header(cell))
        if hit is None:
            unknown.append(cell.strip() or f"(blank, column {i + 1})")
            continue
        key, spec = hit
        if key in seen:
            m.errors.append(f"column {spec.name!r} appears twice (columns {seen[key] + 1} "
                            f"and {i + 1})")
            continue
        seen[key] = i
    m.positions = seen
    missing = [s.name for k, s in profile.columns.items() if s.required and k not in seen]
    if missing:
        m.errors.append("missing required columns: " + ", ".join(missing)
                        + f" (the header has: {', '.join(f.strip() for f in fields)})")
    if unknown:
        m.warnings.append("columns not in the layout were ignored: " + ", ".join(unknown))
    return m


def is_header_row(profile: Profile, cells: list[str]) -> bool:
    """Does this row hold every column the profile's header locator names?"""
    have = {norm_header(c) for c in cells}
    return all(norm_header(n) in have for n in profile.header.containing)


class LineError(Exception):
    def __init__(self, value: str, reason: str) -> None:
        super().__init__(reason)
        self.value = value
        self.reason = reason


def decode(raw: bytes, offset: int, encoding: Encoding) -> str:
    """One physical line → text without its line ending; LineError names the bad byte."""
    nul = raw.find(b"\x00")
    if nul >= 0:
        raise LineError(f"NUL byte at byte offset {offset + nul}", HAS_NUL)
    codec = "cp1252" if encoding is Encoding.cp1252 else "utf-8"
    try:
        text = raw.decode(codec)
    except UnicodeDecodeError as exc:
        raise LineError(f"byte 0x{raw[exc.start]:02X} at byte offset {offset + exc.start}",
                        NOT_CP1252 if codec == "cp1252" else NOT_UTF8) from exc
    return text.removesuffix("\n").removesuffix("\r")


def split(text: str, delimiter: str) -> list[str]:
    try:
        return next(csv.reader((text,), strict=True, delimiter=delimiter))
    except csv.Error as exc:
        raise LineError(text, f"malformed CSV quoting: {exc}") from exc


def _start(f, report: ReportBuilder, size: int, profile: Profile) -> int | None:
    """Check the byte order mark against the declared encoding; the offset to read from."""
    if size == 0:
        report.file_error("the file is empty (0 bytes)")
        return None
    head = f.read(4)
    label = ENCODING_LABEL[profile.encoding]
    for bom, name in _BOMS:
        if head.startswith(bom):
            report.file_error(f"the file is encoded as {name} (byte order mark "
                              f"{bom.hex(' ').upper()} at byte offset 0); "
                              f"{profile.name} files must be {label.split(' (')[0]}", line=1)
            return None
    has_bom = head.startswith(UTF8_BOM)
    if has_bom and profile.encoding is Encoding.cp1252:
        report.file_error("the file starts with a UTF-8 byte order mark but the profile "
                          f"{profile.name} declares {label}", line=1)
        return None
    if not has_bom and profile.encoding is Encoding.utf8_sig:
        report.file_error(f"the profile {profile.name} declares {label} and the file has no "
                          "byte order mark", line=1)
        return None
    if has_bom and profile.encoding is Encoding.utf8:
        report.warn("a UTF-8 byte order mark at byte offset 0 was skipped", line=1)
    return len(UTF8_BOM) if has_bom else 0


def _header_line(f, report: ReportBuilder, profile: Profile, start: int
                 ) -> tuple[list[str], int, list[tuple[int, list[str]]]] | None:
    """The header's fields and line number, and the preamble rows above it."""
    sep, first = profile.separator, profile.header.row == "first"
    preamble: list[tuple[int, list[str]]] = []
    offset = start
    for line_no in range(1, (1 if first else profile.header.max_scan) + 1):
        raw = f.readline()
        if not raw and not first:
            break
        try:
            text = decode(raw, offset, profile.encoding)
            if first and "\r" in text:
                raise LineError("", "line holds a carriage return inside it (CR-only line "
                                    "endings?)")
            fields = split(text, sep)
        except LineError as exc:
            if not first:
                preamble.append((line_no, []))
                offset += len(raw)
                continue
            hint = (" (the file looks like UTF-16 or binary without a byte order mark)"
                    if exc.reason == HAS_NUL else "")
            detail = f"; {exc.value}" if exc.value else ""
            report.file_error(f"the header line cannot be read: {exc.reason}{hint}{detail}",
                              line=1)
            return None
        offset += len(raw)
        if first:
            if not text.strip():
                report.file_error("line 1 is blank; the header row must be the first line",
                                  line=1)
                return None
            return fields, 1, preamble
        if is_header_row(profile, fields):
            return fields, line_no, preamble
        preamble.append((line_no, fields))
    report.file_error(f"no line among the first {profile.header.max_scan} holds the "
                          f"header columns {', '.join(profile.header.containing)}")
    return None


def read_text(path: Path, profile: Profile, report: ReportBuilder, *, batch_rows: int,
              progress: Callable[[float], None] | None = None,
              max_rows: int | None = None) -> Table:
    """The matched header and batches of well-formed records (``max_rows``: stop early,
    for detection and preview)."""
    size = path.stat().st_size
    f = path.open("rb")
    start = _start(f, report, size, profile)
    found = None
    if start is not None:
        f.seek(start)
        found = _header_line(f, report, profile, start)
    if found is None:
        f.close()
        return Table(None, iter(()))
    fields, line, preamble = found
    header = match_header(profile, fields, line)
    header.preamble = preamble
    for problem in header.errors:
        report.file_error(problem, line=line)
    for note in header.warnings:
        report.warn(note, line=line)
    if header.errors:
        f.close()
        return Table(header, iter(()))

    def batches() -> Iterator[list[Record]]:
        with f:
            line_no, offset = line, f.tell()
            batch: list[Record] = []
            for raw in f:
                if max_rows is not None and report.rows_read >= max_rows:
                    break
                line_no += 1
                begin, offset = offset, offset + len(raw)
                if not raw.strip(b" \t\r\n"):
                    report.blank_lines += 1
                    continue
                report.rows_read += 1
                try:
                    text = decode(raw, begin, profile.encoding)
                    cells = split(text, profile.separator)
                except LineError as exc:
                    report.reject(line_no, None, exc.value, exc.reason)
                    continue
                if len(cells) != header.width:
                    report.reject(line_no, None, text,
                                  f"wrong number of fields: expected {header.width}, "
                                  f"found {len(cells)}")
                    continue
                batch.append(Record(line_no, cells))
                if len(batch) >= batch_rows:
                    yield batch
                    batch = []
                    if progress is not None:
                        progress(offset / size)
            if batch:
                yield batch

    return Table(header, batches())
