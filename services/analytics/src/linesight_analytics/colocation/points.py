"""Events placed at their cells' masts, as arrays: the rule of ``geo.locate.locate``, fast
enough for ten million events.

``locate`` carries every column of every event and sorts its output; co-location needs
a few numbers per point for millions of points, most of which it drops at once. So the
columns it needs are read once into arrays (subjects and cell ids turned into numbers
through Polars Enums), and each point is placed in one of two ways that give the same
answer as ``locate``:

* a point whose cell id has exactly one cells row takes that row when the row is valid
  at the point's time (``valid_from <= t < valid_to``) and is not located otherwise:
  with one candidate row the rule of ``locate`` (newest valid start, then the later
  row) has nothing to choose;
* a point whose cell id has several rows (versions of a cell, repeated lists) is placed
  by ``locate`` itself, on the events concerned only.

A point whose cell id is in no list is not located. Full details (exhibit, line, cell
id as written, cells-list line) are read back only for the points an output shows.
"""

from __future__ import annotations

from dataclasses import dataclass, fields

import numpy as np
import polars as pl

from linesight_analytics.colocation.cells import CellBook
from linesight_analytics.contact_frequency import InvalidEvents
from linesight_analytics.geo.locate import locate

#: ``first_key``/``last_key`` of an event naming no such cell, or a cell in no list.
NO_CELL, UNKNOWN_CELL = -2, -1
FIRST, LAST = 0, 1
ROLE_NAMES = {FIRST: "first", LAST: "last"}


@dataclass(frozen=True)
class EventArrays:
    """The columns of the events that co-location reads, one array each."""

    subjects: list[str]  # distinct subjects, ascending; ``subject`` indexes it (-1: none)
    subject: np.ndarray
    start: np.ndarray  # microseconds since 1970 (UTC)
    end: np.ndarray  # start plus duration (start when the duration is unknown)
    is_data: np.ndarray
    first_key: np.ndarray  # index into ``CellBook.key_names``, or NO_CELL / UNKNOWN_CELL
    last_key: np.ndarray


def event_arrays(events: pl.DataFrame, book: CellBook) -> EventArrays:
    subjects = events.get_column("subject").drop_nulls().unique().sort().to_list()

    def key(column: str) -> pl.Expr:
        return (pl.when(pl.col(column).is_null()).then(NO_CELL)
                .otherwise(pl.col(column).cast(book.enum, strict=False).to_physical()
                           .cast(pl.Int64).fill_null(UNKNOWN_CELL)))

    start = pl.col("start_utc").dt.epoch("us")
    frame = events.select(
        subject=pl.col("subject").cast(pl.Enum(subjects)).to_physical().cast(pl.Int64)
        .fill_null(-1),
        start=start,
        end=start + pl.col("duration_s").fill_null(0) * 1_000_000,
        is_data=pl.col("kind") == "data",
        first_key=key("first_cell"), last_key=key("last_cell"))
    return EventArrays(subjects, *(frame.get_column(c).to_numpy() for c in frame.columns))


@dataclass(frozen=True)
class Points:
    """One entry per event per named cell: the event's row, the cell's role, time,
    subject, key and (once placed) cell code, -1 when not located."""

    row: np.ndarray
    role: np.ndarray
    t: np.ndarray
    subject: np.ndarray
    key: np.ndarray
    code: np.ndarray

    def take(self, index: np.ndarray) -> Points:
        return Points(*(getattr(self, f.name)[index] for f in fields(self)))

    @property
    def located(self) -> np.ndarray:
        return self.code >= 0

    def __len__(self) -> int:
        return self.row.size


def points_of(events: EventArrays, in_scope: np.ndarray) -> Points:
    """The points of the events in scope, first cells then last cells, not yet placed."""
    first = np.flatnonzero(in_scope & (events.first_key != NO_CELL))
    last = np.flatnonzero(in_scope & (events.last_key != NO_CELL))
    row = np.concatenate([first, last])
    return Points(
        row=row,
        role=np.concatenate([np.full(first.size, FIRST, np.int8),
                             np.full(last.size, LAST, np.int8)]),
        t=np.concatenate([events.start[first], events.end[last]]),
        subject=events.subject[row],
        key=np.concatenate([events.first_key[first], events.last_key[last]]),
        code=np.full(row.size, -1, dtype=np.int64))


def place(points: Points, book: CellBook, events: pl.DataFrame) -> Points:
    """``points`` with the code of the cells row valid at their time (-1: not located);
    ``events`` is the input frame their rows index."""
    if len(points) == 0:
        return points
    always = book.always_valid(int(points.t.min()))[points.key]
    single = book.key_code[points.key]  # UNKNOWN_CELL (-1) reads the extra last entry
    code = np.where(always, single, -1)
    # single rows with a validity window, or without a position: checked one by one
    check = np.flatnonzero(~always & (single >= 0))
    c, t = single[check], points.t[check]
    valid = (book.valid_from[c] <= t) & (t < book.valid_to[c]) & book.has_position[c]
    code[check[valid]] = c[valid]
    hard = np.flatnonzero(book.key_multi[points.key])
    if hard.size:
        code[hard] = _place_with_locate(points.take(hard), book, events)
    return Points(points.row, points.role, points.t, points.subject, points.key, code)


def _place_with_locate(points: Points, book: CellBook, events: pl.DataFrame) -> np.ndarray:
    rows = np.unique(points.row)
    chosen = events[pl.Series(rows)].with_columns(row=pl.Series(rows))
    repeated = chosen.filter(pl.col("event_id").is_duplicated())
    if repeated.height:
        first = repeated.row(0, named=True)
        raise InvalidEvents(
            f"exhibit {first['exhibit_id']} line {first['source_row']}: event_id "
            f"{first['event_id']!r} is repeated ({repeated.height} row(s) in all)")
    located = locate(chosen.drop("row"), book.cells, default_radius_m=book.default_radius_m)
    placed = located.filter(pl.col("located")).join(
        chosen.select("event_id", "row"), on="event_id").join(
        book.code_table(), on=["cell_exhibit_id", "cell_source_row", "lat", "lon",
                               "radius_m"]).select(
        "row", role=pl.col("cell_role").replace_strict(
            {"first": FIRST, "last": LAST}, return_dtype=pl.Int8), code="cell_code")
    wanted = pl.DataFrame({"row": points.row, "role": points.role},
                          schema={"row": pl.Int64, "role": pl.Int8})
    return wanted.join(placed.with_columns(pl.col("row").cast(pl.Int64)),
                       on=["row", "role"], how="left", maintain_order="left").get_column(
        "code").fill_null(-1).to_numpy()


def details(points: Points, book: CellBook, events: pl.DataFrame) -> pl.DataFrame:
    """The points as a frame with what an output shows of them (see the columns)."""
    index = pl.Series(points.row, dtype=pl.Int64)
    role = pl.Series(points.role, dtype=pl.Int8)
    base = events.select("exhibit_id", "source_row", "subject", "kind", "direction",
                         "first_cell", "last_cell")[index]
    first = role == FIRST
    data = base.get_column("kind") == "data"
    return pl.concat([base.select(
        row=index, exhibit_id="exhibit_id", source_row="source_row", subject="subject",
        kind="kind", direction="direction",
        cell_role=role.replace_strict(ROLE_NAMES, return_dtype=pl.String),
        t_utc=pl.Series(points.t, dtype=pl.Int64).cast(pl.Datetime("us", "UTC")),
        time_basis=pl.when(data).then(pl.lit("at_or_before"))
        .when(first).then(pl.lit("at")).otherwise(pl.lit("at_end")),
        cgi=pl.when(first).then(pl.col("first_cell")).otherwise(pl.col("last_cell")),
        cell_code=pl.Series(points.code, dtype=pl.Int64),
        located=pl.Series(points.code >= 0)), book.fields(points.code)], how="horizontal"
    ).with_columns(pl.col("radius_m").fill_null(book.default_radius_m))
