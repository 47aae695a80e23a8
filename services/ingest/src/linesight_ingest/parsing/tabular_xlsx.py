"""The XLSX half of :mod:`linesight_ingest.parsing.tabular` (see its docstring)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from linesight_ingest.parsing.report import ReportBuilder
from linesight_ingest.parsing.tabular import (
    ArchiveError,
    Column,
    Record,
    cell_text,
    check_zip,
    match_columns,
)


def _rows(ws) -> Iterator[tuple[int, list[str]]]:
    for n, row in enumerate(ws.iter_rows(values_only=True), start=1):
        yield n, [cell_text(v) for v in row]


def xlsx_records(path: Path, columns: tuple[Column, ...], report: ReportBuilder, *,
                 required: tuple[str, ...], one_of: tuple[str, ...]) -> Iterator[Record]:
    import openpyxl

    # a file object, not the path: openpyxl refuses a name without .xlsx, and the job
    # hands parsers the original under a neutral name
    fh = path.open("rb")
    try:
        check_zip(path)
        wb = openpyxl.load_workbook(fh, read_only=True, data_only=False, keep_links=False)
    except ArchiveError as exc:
        fh.close()
        report.file_error(f"the workbook was refused: {exc}")
        return
    except Exception as exc:  # noqa: BLE001 - openpyxl raises many kinds on a broken file
        fh.close()
        report.file_error(f"the workbook cannot be opened: {type(exc).__name__}: {exc}")
        return
    try:
        with_data = [ws.title for ws in wb.worksheets if _data_rows(ws) > 1]
        if len(with_data) > 1:
            report.file_error(f"data on {len(with_data)} sheets ({', '.join(with_data)}); "
                              "export each sheet as its own exhibit")
            return
        if not with_data:
            report.file_error("no sheet holds a header and data rows")
            return
        ws = wb[with_data[0]]
        rows = _rows(ws)
        positions = None
        for n, cells in rows:
            if any(c.strip() for c in cells):
                positions = match_columns(cells, columns, required, one_of, report, n)
                break
        if positions is None:
            return
        for n, cells in rows:
            if not any(c.strip() for c in cells):
                report.blank_lines += 1
                continue
            report.rows_read += 1
            values = {k: (cells[i].strip() if i < len(cells) else "")
                      for k, i in positions.items()}
            yield Record(n, ws.title, values)
    except Exception as exc:  # noqa: BLE001 - a sheet's XML broken part-way
        report.file_error(f"the workbook cannot be read to the end: {type(exc).__name__}: "
                          f"{exc}")
    finally:
        wb.close()
        fh.close()


def _data_rows(ws, limit: int = 2) -> int:
    seen = 0
    for row in ws.iter_rows(values_only=True):
        if any(cell_text(v).strip() for v in row):
            seen += 1
            if seen >= limit:
                break
    return seen
