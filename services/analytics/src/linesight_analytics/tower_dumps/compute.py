"""Tower-dump intersection: the handsets that appear in several dumps (places x times).

Pure: the events of tower-dump exhibits in, rows and a summary out; no database, no
HTTP, no clock. The method, stated in full for the report:

* Each tower-dump exhibit is one **dump**: every event an operator logged on a set of
  cells in a time window. The dumps table shows each dump's cells and its window as the
  data shows it (earliest and latest event start), rows and distinct handsets.
* The ingest service stores a dump event with ``subject`` = the number of the handset on
  the mast (the A number of an originated event, the B number of a terminated one or of a
  forward); ``subject`` is empty when that number is withheld, blank or invalid, and the
  row is then kept only when the dump gives an IMSI or IMEI.
* A handset is identified by its number; by its IMSI when there is no number; by its
  IMEI when there is neither. ``identifier_kind`` (msisdn, imsi, imei) says which. The
  same handset identified by number in one dump and only by IMSI in another is not joined
  (that would be an attribution, which the analyst makes); the IMSIs and IMEIs each
  handset was recorded with are listed to help.
* With ``identifiers``, only events whose number, IMSI or IMEI is in the list are
  counted; identifiers found nowhere are listed in the summary.
* A handset is listed when it appears in at least ``min_dumps`` dumps (2 unless set),
  with its events, first and last time per dump, and per exhibit the source lines
  counted, so every figure traces back to the lines of the dumps.
* Rows are ranked by dumps, then events (both descending), then identifier and its kind:
  a total order, so the output is the same on every run.
* The summary accounts for every event read: events read = events without identifier +
  events not asked for + events of handsets in fewer dumps + events listed.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

import polars as pl

from linesight_analytics.analyses.computed import Computed, Inputs, ResultTable
from linesight_analytics.contact_frequency.compute import check_events, iso_utc
from linesight_analytics.tower_dumps.dumps import dump_labels, dumps_rows
from linesight_analytics.tower_dumps.schemas import (
    COLUMNS,
    DEFINITIONS,
    DUMPS_COLUMNS,
    DUMPS_DEFINITIONS,
    DUMPS_TABLE,
    DUMPS_TITLE,
    IDENTIFIER_KINDS,
    METHOD,
    TowerDumpsParameters,
)

HANDSET = ["identifier", "identifier_kind"]


def identified(events: pl.DataFrame) -> pl.DataFrame:
    """``events`` with the handset's ``identifier`` and ``identifier_kind`` (null when the
    row names no number, IMSI or IMEI)."""
    return events.with_columns(
        identifier=pl.coalesce("subject", "imsi", "imei"),
        identifier_kind=pl.when(pl.col("subject").is_not_null()).then(pl.lit("msisdn"))
        .when(pl.col("imsi").is_not_null()).then(pl.lit("imsi"))
        .when(pl.col("imei").is_not_null()).then(pl.lit("imei")),
    )


def compute(inputs: Inputs, parameters: TowerDumpsParameters) -> Computed:
    """The handsets common to at least ``min_dumps`` dumps (see the module docstring)."""
    events = inputs.events
    check_events(events)
    labels = dump_labels(events, inputs.exhibits)
    rows = identified(events)
    with_id = rows.filter(pl.col("identifier").is_not_null())
    asked, not_found = _restrict(with_id, parameters.identifiers)
    per_dump = asked.group_by([*HANDSET, "exhibit_id"]).agg(
        events=pl.len(), first=pl.col("start_utc").min(), last=pl.col("start_utc").max())
    handsets = per_dump.group_by(HANDSET).agg(dumps=pl.len(), events=pl.col("events").sum())
    listed = handsets.filter(pl.col("dumps") >= parameters.min_dumps).sort(
        ["dumps", "events", *HANDSET], descending=[True, True, False, False])
    listed_events = asked.join(listed.select(HANDSET), on=HANDSET, how="semi")
    table = _rows(listed, per_dump, listed_events, labels)
    events_listed = listed_events.height
    summary = {
        "min_dumps": parameters.min_dumps,
        "events_read": events.height,
        "dumps": len(labels),
        "exhibits_without_events": sorted(
            ref for e, ref in inputs.exhibits.items() if e not in labels),
        "events_without_identifier": rows.height - with_id.height,
        "identifiers_requested": parameters.identifiers,
        "identifiers_not_found": not_found,
        "events_not_requested": with_id.height - asked.height,
        "handsets": handsets.height,
        "handsets_by_kind": _by_kind(handsets),
        "handsets_in_fewer_dumps": handsets.height - listed.height,
        "events_of_handsets_in_fewer_dumps": asked.height - events_listed,
        "handsets_listed": listed.height,
        "events_listed": events_listed,
        "note": _note(labels, parameters.min_dumps, listed.height),
    }
    dumps = ResultTable(DUMPS_TABLE, DUMPS_TITLE, DUMPS_COLUMNS, DUMPS_DEFINITIONS,
                        dumps_rows(rows, labels))
    return Computed(columns=COLUMNS, rows=table, summary=summary, definitions=DEFINITIONS,
                    method=METHOD, tables=(dumps,))


def _restrict(with_id: pl.DataFrame, identifiers: list[str] | None
              ) -> tuple[pl.DataFrame, list[str] | None]:
    if identifiers is None:
        return with_id, None
    wanted = pl.lit(pl.Series(identifiers, dtype=pl.String)).implode()
    hit = (pl.col("subject").is_in(wanted) | pl.col("imsi").is_in(wanted)
           | pl.col("imei").is_in(wanted)).fill_null(False)
    asked = with_id.filter(hit)
    seen = set(pl.concat([asked.get_column(c) for c in ("subject", "imsi", "imei")])
               .drop_nulls().unique().to_list())
    return asked, sorted(i for i in identifiers if i not in seen)


def _by_kind(handsets: pl.DataFrame) -> dict[str, int]:
    counted = Counter(handsets.get_column("identifier_kind").to_list())
    return {k: counted.get(k, 0) for k in IDENTIFIER_KINDS}


def _note(labels: dict[str, str], min_dumps: int, listed: int) -> str | None:
    if not labels:
        return "no tower-dump events were given"
    if len(labels) < min_dumps:
        return f"only {len(labels)} dump(s) were given: no handset can be in {min_dumps}"
    if listed == 0:
        return f"no handset appears in {min_dumps} or more dumps"
    return None


def _rows(listed: pl.DataFrame, per_dump: pl.DataFrame, listed_events: pl.DataFrame,
          labels: dict[str, str]) -> list[list[Any]]:
    """One row per listed handset, in ``listed`` order (a loop over output rows only)."""
    detail = per_dump.join(listed.select(HANDSET), on=HANDSET, how="semi").join(
        listed_events.group_by([*HANDSET, "exhibit_id"]).agg(
            pl.col("source_row").sort(), pl.col("imsi").drop_nulls().unique(),
            pl.col("imei").drop_nulls().unique()),
        on=[*HANDSET, "exhibit_id"])
    by_handset: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for d in detail.iter_rows(named=True):
        by_handset.setdefault((d["identifier"], d["identifier_kind"]), []).append(d)
    out: list[list[Any]] = []
    for h in listed.iter_rows(named=True):
        parts = sorted(by_handset[(h["identifier"], h["identifier_kind"])],
                       key=lambda d: (labels[d["exhibit_id"]], d["exhibit_id"]))
        out.append([
            h["identifier"], h["identifier_kind"], h["dumps"], h["events"],
            [labels[d["exhibit_id"]] for d in parts],
            {labels[d["exhibit_id"]]: d["events"] for d in parts},
            {labels[d["exhibit_id"]]: iso_utc(d["first"]) for d in parts},
            {labels[d["exhibit_id"]]: iso_utc(d["last"]) for d in parts},
            iso_utc(min(d["first"] for d in parts)), iso_utc(max(d["last"] for d in parts)),
            sorted({i for d in parts for i in d["imsi"]}),
            sorted({i for d in parts for i in d["imei"]}),
            sorted(d["exhibit_id"] for d in parts),
            {d["exhibit_id"]: list(d["source_row"]) for d in sorted(parts, key=lambda d: d["exhibit_id"])},
        ])
    return out
