"""From verified entries to what the summary shows: selection by the filters, counts, and
every access grouped by object.

- An entry is *selected* when it matches every filter given: actor, operation, an object
  with the reference or id given, and ``since <= time < until`` (the audit service's own
  filter rules). What the filters leave out is counted on the cover; the attached bundle
  holds every entry.
- Counts are of selected entries: by operation (with how many were refused or failed),
  by person (actor and the role the entry records) against operation, and by service.
- "Who accessed what": for each object named by a selected entry, every selected entry
  naming it, in sequence order. An entry naming two objects appears under both; entries
  naming none (logins, lists) are listed together, so none is dropped.
- Refusals and failures: every selected entry whose outcome is not ``success`` or whose
  operation is ``refused``.
- Entries are listed one by one ("who accessed what", the appendix) up to
  ``MAX_LISTED`` selected entries, the first in sequence order; past that the PDF says how
  many were counted but not listed, and that narrower filters list them. (WeasyPrint
  takes about 12 ms and 0.3 MB an entry: 5,000 entries are some 360 pages, 60-80 s and
  1.6 GB at peak; a whole large case at once would not fit the machine.)

Orders are total (sequence numbers; names then ids), so the same entries always give the
same tables.
"""

from __future__ import annotations

from collections.abc import Iterable

import polars as pl

from linesight_reporting.audit_summaries.schemas import AuditSummaryCreate
from linesight_reporting.rendering.audit_model import (
    CountRow,
    LogEntry,
    LoggedObject,
    ObjectAccesses,
    PersonRow,
)
from linesight_reporting.reports.gather import exhibit_order

#: Operations in the order the Data Protection Act 2018 s.62 lists them, then the log's own.
OPERATION_ORDER = ("collection", "alteration", "consultation", "disclosure", "combination",
                   "erasure", "refused", "login", "export")
#: Selected entries listed one by one at most (all are counted).
MAX_LISTED = 5_000
#: Object types in the order of their lineage (exhibit → dataset → analysis → report).
TYPE_ORDER = ("exhibit", "dataset", "analysis", "analysis_result", "report", "audit_summary")


def operation_key(operation: str) -> tuple[int, str]:
    rank = OPERATION_ORDER.index(operation) if operation in OPERATION_ORDER else len(
        OPERATION_ORDER)
    return (rank, operation)


def type_key(type_: str) -> tuple[int, str]:
    return (TYPE_ORDER.index(type_) if type_ in TYPE_ORDER else len(TYPE_ORDER), type_)


def filter_labels(filters: AuditSummaryCreate) -> tuple[tuple[str, str], ...]:
    """The filters given, as (label, value) lines for the cover."""
    labels = {"actor": "Person", "operation": "Operation", "object_ref": "Object reference",
              "object_id": "Object id", "since": "From (UTC, inclusive)",
              "until": "To (UTC, exclusive)"}
    out = []
    for name, label in labels.items():
        value = getattr(filters, name)
        if value is None:
            continue
        text = (value.strftime("%Y-%m-%dT%H:%M:%S.%fZ") if name in ("since", "until")
                else str(value))
        out.append((label, text))
    return tuple(out)


def selected(entries: Iterable[LogEntry], filters: AuditSummaryCreate) -> tuple[LogEntry, ...]:
    """The entries matching every filter given, in sequence order."""
    f = filters
    op = f.operation.value if f.operation is not None else None
    return tuple(
        e for e in entries
        if (f.actor is None or e.actor == f.actor)
        and (op is None or e.operation == op)
        and (f.object_ref is None or any(o.ref == f.object_ref for o in e.objects))
        and (f.object_id is None or any(o.id == f.object_id for o in e.objects))
        and (f.since is None or e.time >= f.since)
        and (f.until is None or e.time < f.until)
    )


def not_successful(entry: LogEntry) -> bool:
    return entry.outcome != "success" or entry.operation == "refused"


def _frame(entries: tuple[LogEntry, ...]) -> pl.DataFrame:
    return pl.DataFrame(
        {"actor": [e.actor for e in entries], "role": [e.role for e in entries],
         "service": [e.service for e in entries], "operation": [e.operation for e in entries],
         "not_successful": [not_successful(e) for e in entries]},
        schema={"actor": pl.String, "role": pl.String, "service": pl.String,
                "operation": pl.String, "not_successful": pl.Boolean})


def _counts(frame: pl.DataFrame, by: str) -> list[tuple[str, int, int]]:
    grouped = frame.group_by(by).agg(pl.len().alias("entries"),
                                     pl.col("not_successful").sum().alias("bad"))
    return [(row[by], row["entries"], row["bad"]) for row in grouped.iter_rows(named=True)]


def by_operation(entries: tuple[LogEntry, ...]) -> tuple[CountRow, ...]:
    rows = sorted(_counts(_frame(entries), "operation"), key=lambda r: operation_key(r[0]))
    return tuple(CountRow(label=op, entries=n, not_successful=bad) for op, n, bad in rows)


def by_service(entries: tuple[LogEntry, ...]) -> tuple[CountRow, ...]:
    rows = sorted(_counts(_frame(entries), "service"), key=lambda r: r[0])
    return tuple(CountRow(label=s, entries=n, not_successful=bad) for s, n, bad in rows)


def by_person(entries: tuple[LogEntry, ...]) -> tuple[tuple[str, ...], tuple[PersonRow, ...]]:
    """The operations that occur (columns) and, per (actor, role), the count of each."""
    grouped = _frame(entries).group_by("actor", "role", "operation").len()
    operations = tuple(sorted(set(grouped["operation"].to_list()), key=operation_key))
    cells: dict[tuple[str, str], dict[str, int]] = {}
    for actor, role, operation, n in grouped.iter_rows():
        cells.setdefault((actor, role), {})[operation] = n
    rows = tuple(
        PersonRow(actor=actor, role=role,
                  counts=tuple(cells[(actor, role)].get(op, 0) for op in operations),
                  total=sum(cells[(actor, role)].values()))
        for actor, role in sorted(cells))
    return operations, rows


def _object_order(o: LoggedObject) -> tuple:
    return (type_key(o.type), exhibit_order(o.ref or ""), o.id)


def object_accesses(entries: tuple[LogEntry, ...]
                    ) -> tuple[tuple[ObjectAccesses, ...], tuple[LogEntry, ...]]:
    """Every object named by the entries with the entries naming it; and the entries
    naming no object."""
    seen: dict[tuple[str, str], LoggedObject] = {}
    hashes: dict[tuple[str, str], list[str]] = {}
    accesses: dict[tuple[str, str], list[LogEntry]] = {}
    without: list[LogEntry] = []
    for entry in entries:
        if not entry.objects:
            without.append(entry)
        for o in entry.objects:
            first = seen.setdefault(o.key, o)
            if first.ref is None and o.ref is not None:
                seen[o.key] = LoggedObject(type=o.type, id=o.id, sha256=first.sha256,
                                           ref=o.ref)
            known = hashes.setdefault(o.key, [])
            if o.sha256 and o.sha256 not in known:
                known.append(o.sha256)
            bucket = accesses.setdefault(o.key, [])
            if not bucket or bucket[-1].seq != entry.seq:  # an entry naming it twice
                bucket.append(entry)
    objects = sorted(seen.values(), key=_object_order)
    return (tuple(ObjectAccesses(object=o, hashes=tuple(hashes[o.key]),
                                 accesses=tuple(accesses[o.key])) for o in objects),
            tuple(without))
