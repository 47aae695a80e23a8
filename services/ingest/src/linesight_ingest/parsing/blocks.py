"""A block of whole physical lines → fields, checked and split a whole block at a time.

The reading rules are the reader's (:mod:`linesight_ingest.parsing.reader`): one record per
physical line, 1-based line numbers, UTF-8, no NUL bytes, RFC 4180 quoting within a line.
This module is the fast way to apply them. A block of bytes that ends on a line break is
split into lines with Arrow and checked with Polars expressions over every line at once:

* the block is cast to UTF-8 text in one go; only when that fails are its lines decoded
  one by one (in C, ``codecs``) to find which lines hold bad bytes;
* a line is *plain* when it is valid UTF-8, not blank, and holds no quote, no NUL and no
  carriage return other than one at its end. For a plain line, Python's ``csv.reader``
  (the reference, used by the reader line by line) returns exactly the line split on the
  delimiter, so plain lines are split with Polars and their fields counted vectorised;
* every other non-blank line is handed back as *slow*: the reader reads it with the exact
  per-line rules (naming the bad byte and its offset, the quoting error, …).

Nothing is decided here that the per-line path would decide differently; the property
test in ``tests/test_parsing_blocks.py`` checks the two paths agree on random files.
"""

from __future__ import annotations

import bisect
import codecs
from dataclasses import dataclass, field

import polars as pl
import pyarrow as pa
import pyarrow.compute as pc

#: bad-UTF-8 lines located one by one in a block before the rest of it is left to the
#: per-line path (bounds the rescans of a block that is mostly not UTF-8)
MAX_LOCATED_BAD_LINES = 32


@dataclass
class SplitBlock:
    """What one block held: the plain lines split into fields, and everything else."""

    #: plain lines with the right number of fields: ``source_row`` then ``f0`` … ``f{w-1}``
    good: pl.DataFrame
    #: plain lines with the wrong number of fields: (line number, text, fields found)
    wrong_width: list[tuple[int, str, int]] = field(default_factory=list)
    #: lines for the per-line rules: (line number, byte offset of the line, raw bytes)
    slow: list[tuple[int, int, bytes]] = field(default_factory=list)
    blank_lines: int = 0
    #: non-blank lines (plain or slow): the rows read
    rows: int = 0
    #: physical lines in the block
    lines: int = 0


def field_names(width: int) -> list[str]:
    return [f"f{i}" for i in range(width)]


def empty_frame(width: int) -> pl.DataFrame:
    return pl.DataFrame(schema={"source_row": pl.Int64,
                                **{n: pl.String for n in field_names(width)}})


def _lines(block: bytes) -> pa.Array:
    """The block's physical lines without their ``\\n`` (a final ``\\n`` ends a line;
    it does not start an empty one)."""
    lines = pc.split_pattern(pa.array([block], pa.large_binary()), b"\n").flatten()
    if block.endswith(b"\n"):
        lines = lines.slice(0, len(lines) - 1)
    return lines


def _line_starts(lines: pa.Array, first_offset: int) -> list[int]:
    lengths = pl.from_arrow(pc.binary_length(lines)).cast(pl.Int64) + 1
    ends = lengths.cum_sum() + first_offset
    return (ends - lengths).to_list()


def _bad_utf8_lines(block: bytes, starts: list[int], first_offset: int) -> list[int]:
    """Indices of the lines holding bytes that are not UTF-8 (a UTF-8 sequence never
    spans a line break, so a line's validity is its own). After
    ``MAX_LOCATED_BAD_LINES`` the rest of the block is returned whole."""
    view = memoryview(block)
    bad: list[int] = []
    pos = 0
    while pos < len(block):
        try:
            codecs.utf_8_decode(view[pos:], "strict", True)
            break
        except UnicodeDecodeError as exc:
            i = bisect.bisect_right(starts, first_offset + pos + exc.start) - 1
            if len(bad) >= MAX_LOCATED_BAD_LINES:
                return bad + list(range(i, len(starts)))
            bad.append(i)
            if i + 1 >= len(starts):
                break
            pos = starts[i + 1] - first_offset
    return bad


def split_block(block: bytes, *, first_line: int, first_offset: int, width: int,
                delimiter: str = ",") -> SplitBlock:
    """Split ``block`` (whole lines; the first is line ``first_line`` at byte
    ``first_offset`` of the file) for a header of ``width`` fields."""
    lines = _lines(block)
    n = len(lines)
    starts: list[int] | None = None
    bad: list[int] = []
    df = pl.DataFrame({"b": pl.from_arrow(lines)}).with_row_index("i")
    try:
        df = df.select("i", pl.col("b").cast(pl.String).alias("t"))
    except pl.exceptions.ComputeError:
        starts = _line_starts(lines, first_offset)
        bad = _bad_utf8_lines(block, starts, first_offset)
        df = (df.filter(~pl.col("i").is_in(pl.Series(bad, dtype=pl.UInt32).implode()))
              .select("i", pl.col("b").cast(pl.String).alias("t")))
    t = pl.col("t")
    df = df.filter(~t.str.contains(r"^[ \t\r]*$"))
    blank = n - len(bad) - df.height
    text = t.str.strip_suffix("\r")
    df = df.with_columns(
        text.alias("t"),
        (t.str.contains_any(['"', "\x00"]) | text.str.contains("\r", literal=True))
        .alias("slow"),
    )
    plain = df.filter(~pl.col("slow")).with_columns(
        (pl.col("t").str.count_matches(delimiter, literal=True) + 1).alias("n"))
    right = pl.col("n") == width
    line_no = (pl.col("i").cast(pl.Int64) + first_line).alias("source_row")
    good = plain.filter(right).select(
        line_no, pl.col("t").str.split_exact(delimiter, width - 1)
        .struct.rename_fields(field_names(width)).struct.unnest())
    out = SplitBlock(good=good, blank_lines=blank, rows=n - blank, lines=n)
    out.wrong_width = [(i + first_line, text_, found) for i, text_, found in
                       plain.filter(~right).select("i", "t", "n").iter_rows()]
    slow_idx = sorted(bad + df.filter(pl.col("slow"))["i"].to_list())
    if slow_idx:
        starts = starts or _line_starts(lines, first_offset)
        out.slow = [(i + first_line, starts[i], lines[i].as_py()) for i in slow_idx]
    return out
