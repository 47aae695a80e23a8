"""A result document as an XLSX workbook: the same tables as the JSON result and the PDF.

* One sheet per table: the main table first (named after the analysis kind), then each
  further table in the document's order (named after it), then a ``method`` sheet: the
  kind, format and code version, the parameters, the inputs (exhibit, dataset, SHA-256,
  rows), the method sentences, every column's definition and the summary.
* Values keep their type: numbers as numbers, booleans as booleans, null as an empty
  cell, lists and objects (``source_rows``) as their canonical JSON text. Every
  text value is stored as a text cell, never as a formula, so nothing in the workbook
  runs (no apostrophe is needed, unlike the CSV).
* Excel holds at most 32,767 characters in a cell: a longer text (a huge
  ``source_rows``) is cut there and ends with a note saying so and where the full value
  is (the JSON result and the CSV). Characters XML cannot carry are replaced by U+FFFD.
* Byte-identical across runs: the document properties carry a fixed date
  (:data:`FIXED_TIME`, not the time of writing), and the zip members keep openpyxl's
  order with a fixed timestamp and attributes. (The bytes depend on the openpyxl and
  zlib versions, which the code version pins.)
"""

from __future__ import annotations

import io
import re
import zipfile
from datetime import datetime
from typing import Any

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet
from openpyxl.writer.excel import ExcelWriter

from linesight_analytics.exports.text import value_text

#: The date written in the workbook's properties and on every zip member.
FIXED_TIME = datetime(1980, 1, 1, 0, 0, 0)
#: Excel's limit on the characters of one cell.
MAX_CELL_CHARS = 32_767
_CUT_NOTE = " … [cut at Excel's cell limit: {n:,} characters in all; the full value is in " \
            "the JSON result and the CSV]"
_BAD_SHEET_CHARS = re.compile(r"[\[\]:*?/\\]")
_BOLD = Font(bold=True)
_MAX_WIDTH = 60


def cell_value(value: Any) -> tuple[Any, bool]:
    """A value as it goes into a cell, and whether it is text."""
    if value is None or isinstance(value, bool | int | float):
        return value, False
    text = value_text(value)
    text = ILLEGAL_CHARACTERS_RE.sub("\ufffd", text)
    if len(text) > MAX_CELL_CHARS:
        note = _CUT_NOTE.format(n=len(text))
        text = text[:MAX_CELL_CHARS - len(note)] + note
    return text, True


def _write_rows(ws: Worksheet, rows: list[list[Any]], *, header: bool) -> None:
    widths: dict[int, int] = {}
    for r, row in enumerate(rows, start=1):
        for c, value in enumerate(row, start=1):
            v, is_text = cell_value(value)
            cell = ws.cell(row=r, column=c)
            cell.value = v
            if is_text:
                cell.data_type = "s"  # a text cell: never read as a formula
            if header and r == 1:
                cell.font = _BOLD
            shown = len(v) if is_text else len(str(v)) if v is not None else 0
            widths[c] = max(widths.get(c, 0), min(shown, _MAX_WIDTH))
    for c, w in sorted(widths.items()):
        ws.column_dimensions[get_column_letter(c)].width = max(8, w + 2)
    if header and rows:
        ws.freeze_panes = "A2"


def _sheet_names(names: list[str]) -> list[str]:
    """Excel-safe sheet names (31 characters, no []:*?/\\), unique ignoring case."""
    out: list[str] = []
    taken: set[str] = set()
    for name in names:
        base = _BAD_SHEET_CHARS.sub("_", name).strip("'")[:31] or "table"
        candidate, n = base, 1
        while candidate.lower() in taken:
            n += 1
            suffix = f" ({n})"
            candidate = base[:31 - len(suffix)] + suffix
        taken.add(candidate.lower())
        out.append(candidate)
    return out


def _method_rows(doc: dict[str, Any]) -> list[list[Any]]:
    rows: list[list[Any]] = [["Analysis", doc.get("kind")], ["Format", doc.get("format")],
                             ["Code version", doc.get("code_version")], [],
                             ["Parameters"]]
    rows += [[k, v] for k, v in sorted((doc.get("parameters") or {}).items())]
    rows += [[], ["Inputs"], ["exhibit_reference", "exhibit_id", "dataset_id", "table",
                              "sha256", "rows"]]
    rows += [[i.get("exhibit_reference"), i.get("exhibit_id"), i.get("dataset_id"),
              i.get("table"), i.get("sha256"), i.get("rows")] for i in doc.get("inputs", [])]
    rows += [[], ["Method"]]
    rows += [[n, sentence] for n, sentence in enumerate(doc.get("method", []), start=1)]
    rows += [[], ["Definitions"], ["table", "column", "definition"]]
    tables = [(doc.get("kind"), doc.get("columns", []), doc.get("definitions", {})),
              *((t["name"], t["columns"], t["definitions"]) for t in doc.get("tables", []))]
    for name, columns, definitions in tables:
        rows += [[name, c, definitions.get(c)] for c in columns]
    rows += [[], ["Summary"]]
    rows += [[k, v] for k, v in sorted((doc.get("summary") or {}).items())]
    rows += [[], [("Text is stored as text: no cell of this workbook is a formula. Lists and "
                   "objects are compact JSON.")]]
    return rows


def _deterministic_zip(data: bytes) -> bytes:
    """The same members in the same order, with a fixed timestamp and attributes."""
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=FIXED_TIME.timetuple()[:6])
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.create_system = 0
            fixed.external_attr = 0
            dst.writestr(fixed, src.read(info.filename), compresslevel=6)
    return out.getvalue()


def document_xlsx(doc: dict[str, Any]) -> bytes:
    """The result document as XLSX bytes (see the module docstring)."""
    tables = [(doc.get("kind") or "result", list(doc.get("columns", [])), doc.get("rows", []))]
    tables += [(t["name"], list(t["columns"]), t["rows"]) for t in doc.get("tables", [])]
    names = _sheet_names([name for name, _, _ in tables] + ["method"])
    wb = Workbook()
    wb.remove(wb.active)
    for sheet_name, (_, columns, rows) in zip(names, tables, strict=False):
        _write_rows(wb.create_sheet(sheet_name), [columns, *rows], header=True)
    _write_rows(wb.create_sheet(names[-1]), _method_rows(doc), header=False)
    wb.properties.creator = "Linesight"
    wb.properties.title = f"Linesight {doc.get('kind')} result"
    wb.properties.created = wb.properties.modified = FIXED_TIME
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        ExcelWriter(wb, archive).write_data()
    return _deterministic_zip(buffer.getvalue())
