"""Builders of canonical-table rows and frames for tests (events, cells, ANPR reads).

Each builder fills every column of its schema in ``linesight_shared.tables`` so a test
states only what matters to it.
"""

from __future__ import annotations

from datetime import UTC, datetime

import polars as pl
import pyarrow as pa

from linesight_shared.tables import ANPR_READS_SCHEMA, CELLS_SCHEMA, EVENTS_SCHEMA

SUBJECT = "+447700900001"


def utc(value: str | None) -> datetime | None:
    """An ISO date-time string (no zone: UTC) as an aware datetime; None stays None."""
    return None if value is None else datetime.fromisoformat(value).replace(tzinfo=UTC)


def event(exhibit: str, row: int, direction: str, kind: str, other: str | None,
          other_kind: str = "e164", *, start: str = "2024-03-01T10:00:00",
          duration: int | None = None, subject: str | None = SUBJECT,
          raw: str | None = None) -> dict:
    """One events row; the other party sits in a_party (``in``) or b_party (otherwise)."""
    other_e164 = other if other_kind == "e164" else None
    other_raw = raw if raw is not None else other
    mine = {"party": subject, "party_raw": subject, "party_kind": "e164" if subject else None}
    theirs = {"party": other_e164, "party_raw": other_raw,
              "party_kind": None if other_kind == "absent" and other is None else other_kind}
    a, b = (theirs, mine) if direction == "in" else (mine, theirs)
    return {
        "event_id": f"{exhibit}:{row}", "exhibit_id": exhibit, "source_row": row,
        "subject": subject,
        "a_party": a["party"], "a_party_raw": a["party_raw"], "a_party_kind": a["party_kind"],
        "b_party": b["party"], "b_party_raw": b["party_raw"], "b_party_kind": b["party_kind"],
        "withheld": other_kind == "withheld", "direction": direction, "kind": kind,
        "start_utc": datetime.fromisoformat(start).replace(tzinfo=UTC),
        "start_local_raw": start.replace("T", " "), "source_tz": "Europe/London",
        "time_flag": None, "duration_s": duration, "imei": None, "imsi": None,
        "first_cell": None, "last_cell": None, "charging_id": None,
    }


def events_table(rows: list[dict]) -> pa.Table:
    """Rows as an Arrow table with exactly the canonical events schema."""
    return pa.Table.from_pylist(rows, schema=EVENTS_SCHEMA)


def events_frame(rows: list[dict]) -> pl.DataFrame:
    return pl.from_arrow(events_table(rows))


def cell(cgi: str, lat: float | None, lon: float | None, *, exhibit: str = "cells1",
         row: int = 2, radio: str | None = "LTE", azimuth: float | None = None,
         beamwidth: float | None = None, range_m: float | None = None,
         valid_from: str | None = None, valid_to: str | None = None,
         site_name: str | None = None) -> dict:
    """One cells row (CELLS_SCHEMA); times are UTC ISO strings or None (open)."""
    parts = cgi.split("-")
    return {
        "exhibit_id": exhibit, "source_row": row, "source_ref": None, "cgi": cgi,
        "radio": radio, "mcc": int(parts[0]), "mnc": int(parts[1]), "lac": None,
        "cell_id": None, "enodeb_id": None, "sector": None, "lat": lat, "lon": lon,
        "azimuth": azimuth, "beamwidth": beamwidth, "range_m": range_m,
        "site_name": site_name, "postcode": None, "grid_ref": None,
        "valid_from": utc(valid_from), "valid_to": utc(valid_to), "source": "operator",
    }


def cells_frame(rows: list[dict]) -> pl.DataFrame:
    return pl.from_arrow(pa.Table.from_pylist(rows, schema=CELLS_SCHEMA))


def anpr_read(vrm: str, camera_id: str, read: str, lat: float | None, lon: float | None, *,
              exhibit: str = "anpr1", row: int = 2, direction: str | None = None) -> dict:
    """One anpr_reads row (ANPR_READS_SCHEMA); ``read`` is a UTC ISO string."""
    return {
        "exhibit_id": exhibit, "source_row": row, "source_ref": None, "vrm": vrm,
        "vrm_raw": vrm, "camera_id": camera_id, "read_utc": utc(read),
        "source_tz": "UTC", "time_flag": None, "lat": lat, "lon": lon,
        "direction": direction, "confidence": None,
    }


def anpr_frame(rows: list[dict]) -> pl.DataFrame:
    return pl.from_arrow(pa.Table.from_pylist(rows, schema=ANPR_READS_SCHEMA))
