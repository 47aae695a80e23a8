"""Contact frequency: per subject, how often and when each other party was in contact.

Pure: an events frame (``linesight_shared.tables.EVENTS_SCHEMA``) in, plain Python rows
out; no database, no HTTP, no clock. The method, stated once for the report:

* The **other party** of an event is its ``b_party`` when the direction is ``out`` or
  ``forward`` (the number called, or the number the call was diverted to) and its
  ``a_party`` when the direction is ``in``. It is shown as E.164 when the party is a
  number, ``WITHHELD`` when the caller withheld it, the raw string as served for short
  codes and invalid strings, and ``ABSENT`` when the record names no party. Its kind
  (``e164``, ``withheld``, ``short_code``, ``invalid``, ``absent``) is a column, so two
  parties never merge because their labels look alike.
* ``calls_out``/``calls_in`` count ``voice`` events, ``sms_out``/``sms_in`` count ``sms``
  events, by direction ``out``/``in``. ``other_events`` counts every other event with a
  party: ``mms``, ``missed`` and ``voicemail`` events, and every ``forward`` event.
  ``total_events`` is the sum of the five. ``voice_duration_s`` is the summed duration of
  the calls counted in ``calls_out`` and ``calls_in`` whose duration is known.
* Data sessions (kind ``data``) have no other party: they are not in the table and are
  counted in the summary. Events with no subject, or with another subject than the one
  asked for, are counted in the summary too, so every row read is accounted for:
  ``events_read = events_without_subject + events_other_subjects + data_sessions +
  contact_events``.
* Every table row lists, per exhibit, the ``source_row`` numbers (lines of the original
  file) it counts, so each figure traces back to the lines it came from.
* Rows are ordered by subject, then ``total_events`` descending, then other party and
  its kind: a total order, so the output is the same on every run.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import polars as pl
from linesight_shared.tables import DIRECTIONS, EVENT_KINDS, PARTY_KINDS

from linesight_analytics.contact_frequency.schemas import ABSENT, COLUMNS, WITHHELD

KEYS = ["subject", "other_party", "other_party_kind"]


class InvalidEvents(ValueError):
    """The events break the canonical vocabulary; the message names the exhibit and line."""


@dataclass(frozen=True)
class ContactFrequency:
    """The table (``columns`` and ``rows`` in column order) and the summary block."""

    columns: tuple[str, ...]
    rows: list[list[Any]]
    summary: dict[str, Any] = field(default_factory=dict)


def iso_utc(value: datetime) -> str:
    """ISO 8601 in UTC with a ``Z``; microseconds only when the source had them."""
    text = value.strftime("%Y-%m-%dT%H:%M:%S")
    if value.microsecond:
        text += f".{value.microsecond:06d}"
    return text + "Z"


def contact_frequency(events: pl.DataFrame, *, subject: str | None = None) -> ContactFrequency:
    """Count each subject's contacts with each other party (see the module docstring)."""
    check_events(events)
    with_subject = events.filter(pl.col("subject").is_not_null())
    in_scope = with_subject if subject is None else with_subject.filter(
        pl.col("subject") == subject)
    is_data = pl.col("kind") == "data"
    data = in_scope.filter(is_data)
    contacts = with_other_party(in_scope.filter(~is_data))
    rows = _table(contacts)
    summary = {
        "events_read": events.height,
        "events_without_subject": events.height - with_subject.height,
        "events_other_subjects": with_subject.height - in_scope.height,
        "data_sessions": data.height,
        "contact_events": contacts.height,
        "forwarded_events": contacts.filter(pl.col("direction") == "forward").height,
        "voice_calls_without_duration": contacts.filter(
            (pl.col("kind") == "voice") & (pl.col("direction") != "forward")
            & pl.col("duration_s").is_null()).height,
        "subjects": _per_subject(contacts, data),
    }
    return ContactFrequency(columns=COLUMNS, rows=rows, summary=summary)


def check_events(events: pl.DataFrame) -> None:
    """Refuse values outside the canonical vocabulary and repeated event ids."""
    rules = [
        ("direction", ~pl.col("direction").is_in(DIRECTIONS)),
        ("kind", ~pl.col("kind").is_in(EVENT_KINDS)),
        ("a_party_kind", pl.col("a_party_kind").is_not_null()
         & ~pl.col("a_party_kind").is_in(PARTY_KINDS)),
        ("b_party_kind", pl.col("b_party_kind").is_not_null()
         & ~pl.col("b_party_kind").is_in(PARTY_KINDS)),
        ("a_party", (pl.col("a_party_kind") == "e164") & pl.col("a_party").is_null()),
        ("b_party", (pl.col("b_party_kind") == "e164") & pl.col("b_party").is_null()),
        ("event_id", pl.col("event_id").is_duplicated()),
    ]
    for column, broken in rules:
        bad = events.filter(broken)
        if bad.height:
            first = bad.row(0, named=True)
            raise InvalidEvents(
                f"exhibit {first['exhibit_id']} line {first['source_row']}: {column} "
                f"{first[column]!r} is not valid here ({bad.height} row(s) in all)")


def with_other_party(contacts: pl.DataFrame) -> pl.DataFrame:
    incoming = pl.col("direction") == "in"

    def side(column: str) -> pl.Expr:
        return pl.when(incoming).then(pl.col(f"a_{column}")).otherwise(pl.col(f"b_{column}"))

    kind = side("party_kind").fill_null("absent")
    label = (
        pl.when(kind == "withheld").then(pl.lit(WITHHELD))
        .when(kind == "e164").then(side("party"))
        .otherwise(pl.coalesce(side("party_raw"), side("party"), pl.lit(ABSENT)))
    )
    return contacts.with_columns(other_party=label, other_party_kind=kind)


def _table(contacts: pl.DataFrame) -> list[list[Any]]:
    voice, sms = pl.col("kind") == "voice", pl.col("kind") == "sms"
    out, inc = pl.col("direction") == "out", pl.col("direction") == "in"
    counted_call = voice & (out | inc)
    grouped = contacts.group_by(KEYS).agg(
        calls_out=(voice & out).sum(),
        calls_in=(voice & inc).sum(),
        sms_out=(sms & out).sum(),
        sms_in=(sms & inc).sum(),
        total_events=pl.len(),
        voice_duration_s=pl.col("duration_s").filter(counted_call).sum(),
        first=pl.col("start_utc").min(),
        last=pl.col("start_utc").max(),
    ).sort(["subject", "total_events", "other_party", "other_party_kind"],
           descending=[False, True, False, False])
    lines = _source_rows(contacts)
    rows: list[list[Any]] = []
    for g in grouped.iter_rows(named=True):
        per_exhibit = lines[(g["subject"], g["other_party"], g["other_party_kind"])]
        known = g["calls_out"] + g["calls_in"] + g["sms_out"] + g["sms_in"]
        rows.append([
            g["subject"], g["other_party"], g["other_party_kind"],
            g["calls_out"], g["calls_in"], g["sms_out"], g["sms_in"],
            g["total_events"] - known, g["total_events"], g["voice_duration_s"] or 0,
            iso_utc(g["first"]), iso_utc(g["last"]),
            sorted(per_exhibit), per_exhibit,
        ])
    return rows


def _source_rows(contacts: pl.DataFrame) -> dict[tuple, dict[str, list[int]]]:
    per_exhibit = contacts.group_by([*KEYS, "exhibit_id"]).agg(pl.col("source_row").sort())
    out: dict[tuple, dict[str, list[int]]] = {}
    for r in per_exhibit.iter_rows(named=True):
        key = (r["subject"], r["other_party"], r["other_party_kind"])
        out.setdefault(key, {})[r["exhibit_id"]] = list(r["source_row"])
    return out


def _per_subject(contacts: pl.DataFrame, data: pl.DataFrame) -> list[dict[str, Any]]:
    counts = contacts.group_by("subject").agg(
        contact_events=pl.len(), other_parties=pl.struct(KEYS[1:]).n_unique())
    sessions = data.group_by("subject").agg(data_sessions=pl.len())
    both = counts.join(sessions, on="subject", how="full", coalesce=True).fill_null(0)
    return [
        {"subject": r["subject"], "contact_events": r["contact_events"],
         "other_parties": r["other_parties"], "data_sessions": r["data_sessions"]}
        for r in both.sort("subject").iter_rows(named=True)
    ]
