"""The lines of the original files that each figure counts, gathered per group.

Every row of a result that counts events lists them as ``{exhibit_id: [line, ...]}``:
exhibits in sorted order, each exhibit's distinct lines in ascending order. On millions of
events this is done with one sort of one integer per event (group, exhibit, line packed
together), not a grouping of Python objects.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import polars as pl

_BITS = 62


def lines_per_group(group: pl.Series, exhibit_code: pl.Series, source_row: pl.Series,
                    exhibits: Sequence[str], groups: int) -> list[dict[str, list[int]]]:
    """For each group ``0 .. groups - 1``, the lines of the events in it, per exhibit.

    ``group``, ``exhibit_code`` and ``source_row`` are aligned, one item per event;
    ``exhibit_code`` indexes ``exhibits`` (sorted, so codes sort as the ids do).
    """
    out: list[dict[str, list[int]]] = [{} for _ in range(groups)]
    if group.len() == 0:
        return out
    g = group.cast(pl.Int64).to_numpy()
    e = exhibit_code.cast(pl.Int64).to_numpy()
    r = source_row.cast(pl.Int64).to_numpy()
    row_bits = max(1, int(r.max()).bit_length())
    exhibit_bits = max(1, (len(exhibits) - 1).bit_length())
    group_bits = max(1, (groups - 1).bit_length())
    if r.min() >= 0 and row_bits + exhibit_bits + group_bits <= _BITS:
        key = np.sort((g << (exhibit_bits + row_bits)) | (e << row_bits) | r)
        key = key[np.r_[True, key[1:] != key[:-1]]]
        g = key >> (exhibit_bits + row_bits)
        e = (key >> row_bits) & ((1 << exhibit_bits) - 1)
        r = key & ((1 << row_bits) - 1)
    else:
        order = np.lexsort((r, e, g))
        g, e, r = g[order], e[order], r[order]
        keep = np.r_[True, (g[1:] != g[:-1]) | (e[1:] != e[:-1]) | (r[1:] != r[:-1])]
        g, e, r = g[keep], e[keep], r[keep]
    starts = np.flatnonzero(np.r_[True, (g[1:] != g[:-1]) | (e[1:] != e[:-1])])
    ends = np.r_[starts[1:], len(r)]
    lines = r.tolist()
    for first, stop, which, exhibit in zip(starts.tolist(), ends.tolist(),
                                           g[starts].tolist(), e[starts].tolist(), strict=True):
        out[which][exhibits[exhibit]] = lines[first:stop]
    return out


def lines_of(table: pl.DataFrame, events: pl.DataFrame, keys: list[str],
             exhibits: Sequence[str]) -> list[dict[str, list[int]]]:
    """Per row of ``table``, the lines of the ``events`` (``keys``, ``exhibit_code``,
    ``source_row``) whose ``keys`` equal the row's (a null key matches a null)."""
    numbered = table.select(keys).with_row_index("_group")
    matched = events.join(numbered, on=keys, nulls_equal=True)
    return lines_per_group(matched.get_column("_group"), matched.get_column("exhibit_code"),
                           matched.get_column("source_row"), exhibits, table.height)
