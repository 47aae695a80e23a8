"""An XLSX workbook read the way a profile declares: which sheet, where the header row is.

Untrusted, so: every zip member is first read through
:mod:`linesight_ingest.parsing.safe_archive` (a zip bomb is refused before openpyxl opens
it); openpyxl then reads in read-only mode with ``data_only=False`` and ``keep_links=False``:
a formula cell gives its formula text (``=HYPERLINK(...)`` stays that string, counted in a
warning), nothing is ever evaluated. Cells become text: whole numbers without ``.0``; a
cell Excel stored as a date or time is written in the profile's format for that column
(counted in a warning, since the operator's text is then not what the file holds).

``Record.line`` is the sheet row number; the sheet name is the rows' ``source_ref``
(recorded in the report and the dataset's metadata: the events table has no column
for it).
"""

from __future__ import annotations

import zipfile
from collections.abc import Callable, Iterator
from datetime import date, datetime, time, timedelta
from pathlib import Path

from linesight_ingest.parsing.profiles.model import Profile
from linesight_ingest.parsing.profiles.tabular import Table, is_header_row, match_header
from linesight_ingest.parsing.reader import Record
from linesight_ingest.parsing.report import ReportBuilder
from linesight_ingest.parsing.safe_archive import ArchiveError, ArchiveLimits, iter_members

LIMITS = ArchiveLimits(max_members=10_000, max_member_bytes=1024**3,
                       max_total_bytes=2 * 1024**3)


def is_workbook(path: Path) -> bool:
    return zipfile.is_zipfile(path)


def _hms(seconds: int) -> str:
    return f"{seconds // 3600:02d}:{seconds % 3600 // 60:02d}:{seconds % 60:02d}"


def cell_text(v: object, fmt: str | None = None) -> tuple[str, bool]:
    """A cell value → (text, whether it was a typed date/time that had to be written out).

    ``fmt`` is the strftime format of the column the cell is in (if any)."""
    if v is None:
        return "", False
    if isinstance(v, str):
        return v, False
    if isinstance(v, bool):
        return ("TRUE" if v else "FALSE"), False
    if isinstance(v, int):
        return str(v), False
    if isinstance(v, float):
        return (str(int(v)) if v.is_integer() and abs(v) < 1e15 else repr(v)), False
    if isinstance(v, timedelta):
        return _hms(int(v.total_seconds())), True
    if isinstance(v, datetime):
        return v.strftime(fmt or "%Y-%m-%dT%H:%M:%S"), True
    if isinstance(v, date):
        return v.strftime(fmt or "%Y-%m-%d"), True
    if isinstance(v, time):
        return v.strftime(fmt or "%H:%M:%S"), True
    return str(v), False


def _formats(profile: Profile, positions: dict[str, int]) -> dict[int, str]:
    t = profile.times
    by_key = {"date": t.date_format, "time": t.time_format, "datetime": t.datetime_format,
              "duration": "%H:%M:%S" if profile.duration == "hh:mm:ss" else None}
    return {positions[k]: f for k, f in by_key.items() if f and k in positions}


def _check_archive(path: Path) -> None:
    for member in iter_members(path, LIMITS):
        with member.open() as f:
            while f.read(1024 * 1024):
                pass


def read_workbook(path: Path, profile: Profile, report: ReportBuilder, *, batch_rows: int,
                  progress: Callable[[float], None] | None = None,
                  max_rows: int | None = None) -> Table:
    """The matched header and batches of records from the profile's sheet."""
    import openpyxl

    if not is_workbook(path):
        report.file_error(f"the file is not an XLSX workbook (no ZIP signature); profile "
                          f"{profile.name} reads workbooks")
        return Table(None, iter(()))
    try:
        _check_archive(path)
        # a file object, not the path: openpyxl refuses a name without .xlsx, and the parse
        # job hands parsers the original under a neutral name
        wb = openpyxl.load_workbook(path.open("rb"), read_only=True, data_only=False,
                                    keep_links=False)
    except ArchiveError as exc:
        report.file_error(f"the workbook is refused as an unsafe archive: {exc}")
        return Table(None, iter(()))
    except Exception as exc:  # noqa: BLE001 - openpyxl raises many types on broken files
        report.file_error(f"the file is a zip but not a readable XLSX workbook "
                          f"({type(exc).__name__}: {str(exc)[:200]})")
        return Table(None, iter(()))
    names = wb.sheetnames
    sheet = profile.sheet or (names[0] if names else None)
    if sheet not in names:
        wb.close()
        report.file_error(f"the workbook has no sheet {sheet!r} (sheets: "
                          f"{', '.join(map(repr, names))})")
        return Table(None, iter(()))
    ws = wb[sheet]
    others = [n for n in names if n != sheet]
    if others:
        report.warn(f"only sheet {sheet!r} was read; other sheets: "
                    + ", ".join(map(repr, others)))
    try:
        total = max(ws.max_row or 1, 1)
    except Exception:  # noqa: BLE001 - a missing dimension element
        total = 1
    rows = ws.iter_rows(values_only=False)
    scan = 1 if profile.header.row == "first" else profile.header.max_scan
    preamble: list[tuple[int, list[str]]] = []
    found: tuple[int, list[str]] | None = None
    try:
        for _ in range(scan):
            cells = next(rows, None)
            if cells is None:
                break
            line = _row_number(cells, len(preamble) + 1)
            values = [cell_text(c.value)[0] for c in cells]
            while values and not values[-1].strip():
                values.pop()
            if profile.header.row == "first" or is_header_row(profile, values):
                found = (line, values)
                break
            preamble.append((line, values))
    except Exception as exc:  # noqa: BLE001 - a broken sheet part
        wb.close()
        report.file_error(f"sheet {sheet!r} cannot be read ({type(exc).__name__}: "
                          f"{str(exc)[:200]})")
        return Table(None, iter(()))
    if found is None or not found[1]:
        wb.close()
        report.file_error(f"sheet {sheet!r} has no header row: "
                          + ("row 1 is blank" if profile.header.row == "first" else
                             f"no row among the first {scan} holds "
                             + ", ".join(profile.header.containing)), line=1)
        return Table(None, iter(()))
    line, fields = found
    header = match_header(profile, fields, line)
    header.preamble = preamble
    for problem in header.errors:
        report.file_error(problem, line=line)
    for note in header.warnings:
        report.warn(note, line=line)
    if header.errors:
        wb.close()
        return Table(header, iter(()), sheet)
    width, formats = header.width, _formats(profile, header.positions)

    def batches() -> Iterator[list[Record]]:
        batch: list[Record] = []
        formulas = typed = 0
        row_no = line
        try:
            for cells in rows:
                if max_rows is not None and report.rows_read >= max_rows:
                    break
                row_no = _row_number(cells, row_no + 1)
                texts = []
                for i, c in enumerate(cells):
                    text, was_typed = cell_text(c.value, formats.get(i))
                    typed += was_typed
                    formulas += getattr(c, "data_type", None) == "f"
                    texts.append(text)
                if not any(t.strip() for t in texts):
                    report.blank_lines += 1
                    continue
                report.rows_read += 1
                if any(t.strip() for t in texts[width:]):
                    report.reject(row_no, None, ",".join(texts)[:400],
                                  f"wrong number of fields: expected {width}, found "
                                  f"{len(texts)}")
                    continue
                batch.append(Record(row_no, (texts + [""] * width)[:width]))
                if len(batch) >= batch_rows:
                    yield batch
                    batch = []
                    if progress is not None:
                        progress(min(row_no / total, 1.0))
        except Exception as exc:  # noqa: BLE001 - a broken sheet part surfaces mid-read
            report.file_error(f"sheet {sheet!r} cannot be read past row {row_no} "
                              f"({type(exc).__name__}: {str(exc)[:200]})", line=row_no)
        finally:
            wb.close()
        if formulas:
            report.warn(f"{formulas} cells of sheet {sheet!r} hold formulas; each was kept "
                        "as its formula text and never evaluated")
        if typed:
            report.warn(f"{typed} cells of sheet {sheet!r} were stored as Excel dates, times "
                        "or durations and were written out in the profile's format")
        if batch:
            yield batch

    return Table(header, batches(), sheet)


def _row_number(cells: tuple, fallback: int) -> int:
    """The sheet row of a row of cells (read-only cells know it; empty ones may not)."""
    for c in cells:
        row = getattr(c, "row", None)
        if isinstance(row, int):
            return row
    return fallback
