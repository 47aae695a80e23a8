"""Which ``cells`` row describes a cell at a moment: ``CellIndex(table).at(cgi, when_utc)``.

Cells are re-pointed, moved and re-used, so the lookup is by identity *and* time. A row
is valid at ``t`` when ``valid_from <= t < valid_to``; a null bound is open-ended. When
several rows are valid at ``t`` (overlapping periods, or two lists of the same cell) the
newest ``valid_from`` wins (an open start is the oldest); a remaining tie goes to the
later row in the table's order (exhibit, then ``source_row``), so the answer never
depends on the order rows were loaded in.

An LTE cell is also found by its ECGI without the TAC (``MCC-MNC-ECI``, the form CDRs
write, see the CDR layout): the ECI is unique within a network.

Pure: no clock (the caller gives the time), no I/O; a naive datetime is refused rather
than guessed to be UTC.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime

import polars as pl
import pyarrow as pa

_MIN = datetime.min.replace(tzinfo=None)


def _ecgi_alias(cgi: str, radio: str | None) -> str | None:
    parts = cgi.split("-")
    if radio == "LTE" and len(parts) == 4:
        return f"{parts[0]}-{parts[1]}-{parts[3]}"
    return None


class CellIndex:
    """An in-memory index over a ``cells`` table (a pyarrow Table or Polars DataFrame)."""

    def __init__(self, table: pa.Table | pl.DataFrame) -> None:
        df = table if isinstance(table, pl.DataFrame) else pl.from_arrow(table)
        self._rows = df.sort("exhibit_id", "source_row").to_dicts()
        self._by_key: dict[str, list[int]] = defaultdict(list)
        for i, row in enumerate(self._rows):
            self._by_key[row["cgi"]].append(i)
            alias = _ecgi_alias(row["cgi"], row.get("radio"))
            if alias is not None:
                self._by_key[alias].append(i)

    def __len__(self) -> int:
        return len(self._rows)

    def history(self, cgi: str) -> list[dict]:
        """Every row for ``cgi``, oldest ``valid_from`` first."""
        rows = [self._rows[i] for i in self._by_key.get(cgi, ())]
        return sorted(rows, key=lambda r: self._start(r))

    @staticmethod
    def _start(row: dict) -> tuple[int, datetime]:
        vf = row["valid_from"]
        return (0, _MIN) if vf is None else (1, vf.replace(tzinfo=None))

    def at(self, cgi: str, when_utc: datetime) -> dict | None:
        """The row valid for ``cgi`` at ``when_utc`` (timezone-aware), or None."""
        if when_utc.tzinfo is None or when_utc.utcoffset() is None:
            raise ValueError("when_utc must be timezone-aware (UTC); a naive time is "
                             "not guessed")
        best: tuple | None = None
        for i in self._by_key.get(cgi, ()):
            row = self._rows[i]
            vf, vt = row["valid_from"], row["valid_to"]
            if vf is not None and when_utc < vf:
                continue
            if vt is not None and when_utc >= vt:
                continue
            key = (self._start(row), i)
            if best is None or key > best:
                best = key
        return None if best is None else self._rows[best[1]]
