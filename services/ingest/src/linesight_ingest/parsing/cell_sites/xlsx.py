"""An XLSX workbook's first sheet → header + batches of records, without trusting it.

The workbook is a zip: every member is first read through
:mod:`linesight_ingest.parsing.safe_archive` (counted against size and ratio limits, so a
zip bomb is refused before openpyxl opens it). openpyxl then reads it in read-only mode
with ``data_only=False``: a formula cell gives its formula text (``=cmd|' /C calc'!A0``
stays that string), nothing is ever evaluated, and openpyxl parses the XML through
defusedxml. Every cell is turned into text the way a person reads it: whole numbers
without ``.0``, dates as ISO. ``Record.line`` is the sheet's row number (row 1 is the
header); the sheet name is the rows' ``source_ref``. Other sheets are named in a
warning and not read.
"""

from __future__ import annotations

import zipfile
from collections.abc import Callable, Iterator
from datetime import date, datetime, time
from pathlib import Path
from typing import TypeVar

from linesight_ingest.parsing.reader import Record
from linesight_ingest.parsing.report import ReportBuilder
from linesight_ingest.parsing.safe_archive import ArchiveError, ArchiveLimits, iter_members

T = TypeVar("T")
LIMITS = ArchiveLimits(max_members=10_000, max_member_bytes=1024**3,
                       max_total_bytes=2 * 1024**3)


def is_xlsx(path: Path) -> bool:
    return zipfile.is_zipfile(path)


def cell_text(v: object) -> str:
    if v is None:
        return ""
    if isinstance(v, bool):
        return "TRUE" if v else "FALSE"
    if isinstance(v, float):
        return str(int(v)) if v.is_integer() and abs(v) < 1e15 else repr(v)
    if isinstance(v, datetime):
        return v.strftime("%Y-%m-%dT%H:%M:%S")
    if isinstance(v, date):
        return v.strftime("%Y-%m-%d")
    if isinstance(v, time):
        return v.strftime("%H:%M:%S")
    return str(v)


def _check_archive(path: Path) -> None:
    for member in iter_members(path, LIMITS):
        with member.open() as f:
            while f.read(1024 * 1024):
                pass


def iter_xlsx(path: Path, report: ReportBuilder, match: Callable[[list[str]], T | None], *,
              batch_rows: int) -> tuple[T | None, str | None, Iterator[list[Record]]]:
    """``match(header)``, the sheet name and batches of records (see module docstring)."""
    import openpyxl

    try:
        _check_archive(path)
        # a file object, not the path: openpyxl refuses a name without .xlsx, and the parse
        # job hands parsers the original under a neutral name
        wb = openpyxl.load_workbook(path.open("rb"), read_only=True, data_only=False,
                                    keep_links=False)
        ws = wb.worksheets[0]
        rows = ws.iter_rows(min_row=1, values_only=True)
        first = next(rows, None)
    except ArchiveError as exc:
        report.file_error(f"the workbook is refused as an unsafe archive: {exc}")
        return None, None, iter(())
    except Exception as exc:  # noqa: BLE001 - openpyxl raises many types on broken files
        report.file_error(f"the file is a zip but not a readable XLSX workbook "
                          f"({type(exc).__name__}: {str(exc)[:200]})")
        return None, None, iter(())
    header = [cell_text(v) for v in (first or ())]
    while header and not header[-1].strip():
        header.pop()
    if not header:
        wb.close()
        report.file_error(f"row 1 of sheet {ws.title!r} is blank; the header row must be "
                          "the first row", line=1)
        return None, None, iter(())
    if len(wb.worksheets) > 1:
        report.warn(f"only the first sheet ({ws.title!r}) was read; other sheets: "
                    + ", ".join(repr(s.title) for s in wb.worksheets[1:]))
    matched = match(header)
    if matched is None:
        wb.close()
        return None, None, iter(())
    width = len(header)

    def batches() -> Iterator[list[Record]]:
        batch: list[Record] = []
        line = 1
        try:
            for values in rows:
                line += 1
                cells = [cell_text(v) for v in values]
                if not any(c.strip() for c in cells):
                    report.blank_lines += 1
                    continue
                report.rows_read += 1
                extra = [c for c in cells[width:] if c.strip()]
                if extra:
                    report.reject(line, None, ",".join(cells)[:400],
                                  f"wrong number of fields: expected {width}, found "
                                  f"{width + len(cells[width:])}")
                    continue
                batch.append(Record(line, (cells + [""] * width)[:width]))
                if len(batch) >= batch_rows:
                    yield batch
                    batch = []
        except Exception as exc:  # noqa: BLE001 - a broken sheet part surfaces mid-read
            report.file_error(f"sheet {ws.title!r} cannot be read past row {line} "
                              f"({type(exc).__name__}: {str(exc)[:200]})", line=line)
        finally:
            wb.close()
        if batch:
            yield batch

    return matched, ws.title, batches()
