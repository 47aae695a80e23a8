"""A result table as CSV (RFC 4180): the same figures as the JSON result and the XLSX.

* Plain UTF-8 without a byte-order mark; records end with CRLF; a field is quoted when
  it holds a comma, a double quote, a CR or an LF, and a double quote inside is doubled
  (RFC 4180, section 2).
* The first record is the column names. Values are spelled as in the canonical JSON
  result (``exports.text``): text as is, numbers as in the JSON, true/false, an empty
  field for null, lists and objects (such as ``source_rows``) as compact JSON text.
* **Formula injection**: a spreadsheet opening the file would run a text field that
  starts with ``=``, ``+``, ``-`` or ``@`` (or a tab or carriage return) as a formula.
  Such a text field is written with a leading apostrophe (``'``), the usual
  neutralisation (OWASP "CSV Injection"), so ``+447700900123`` is written
  ``'+447700900123``. Numbers are never prefixed: they are not text and cannot be
  formulas. The apostrophe is not part of the value; :data:`FORMULA_NOTE` says so for
  the report.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from typing import Any

from linesight_analytics.exports.text import value_text

#: First characters that make a spreadsheet read a text cell as a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
#: What the export says about the apostrophes it adds.
FORMULA_NOTE = ("Text that begins with =, +, -, @, a tab or a carriage return is written with "
                "a leading apostrophe so a spreadsheet does not run it as a formula; the "
                "apostrophe is not part of the value.")


def cell_text(value: Any) -> str:
    """One value as the text of a CSV field (before quoting)."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value_text(value)


def table_csv(columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> bytes:
    """The table (column names, then rows in column order) as RFC 4180 CSV bytes."""
    out = io.StringIO(newline="")
    writer = csv.writer(out, dialect="excel", lineterminator="\r\n",
                        quoting=csv.QUOTE_MINIMAL)
    writer.writerow([cell_text(c) for c in columns])
    width = len(columns)
    for number, row in enumerate(rows, start=1):
        if len(row) != width:
            raise ValueError(f"row {number} has {len(row)} values for {width} columns")
        writer.writerow([cell_text(v) for v in row])
    return out.getvalue().encode("utf-8")
