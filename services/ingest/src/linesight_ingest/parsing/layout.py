"""The ``uk-operator-cdr-v1`` layout: its columns, vocabularies and how a header is matched.

Documented for analysts in ``services/ingest/docs/cdr-uk-operator-v1.md``; keep the two
in step. Changing what the parser outputs for the same input means a new
``PARSER_VERSION`` (datasets record the version they were made with).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

PARSER_NAME = "uk-operator-cdr-v1"
PARSER_VERSION = "1.0.0"
SOURCE_TZ = "Europe/London"
ENCODING = "utf-8"


@dataclass(frozen=True)
class Column:
    """One column of the layout: its header text, internal key and whether it must exist."""

    header: str
    key: str
    required: bool
    doc: str


COLUMNS: tuple[Column, ...] = (
    Column("Record ID", "record_id", False, "operator's own record reference (kept in the report only)"),
    Column("Target Number", "target", True, "the number the disclosure is about"),
    Column("Call Date", "date", True, "dd/mm/yyyy, UK local date"),
    Column("Call Time", "time", True, "HH:MM:SS, UK local time (GMT or BST)"),
    Column("Direction", "direction", True, "MO (originated), MT (terminated), FWD (forwarded)"),
    Column("Call Type", "call_type", True, "Voice, SMS, MMS, Data, Missed, Voicemail"),
    Column("Calling Number", "calling", True, "the originating party as the operator wrote it"),
    Column("Called Number", "called", True, "the receiving party as the operator wrote it"),
    Column("Duration (s)", "duration", True, "whole seconds; blank allowed"),
    Column("IMEI", "imei", False, "handset identity, 14-16 digits"),
    Column("IMSI", "imsi", False, "SIM identity, 14-15 digits"),
    Column("First Cell ID", "first_cell", False, "CGI MCC-MNC-LAC-CI or ECGI MCC-MNC-ECI"),
    Column("Last Cell ID", "last_cell", False, "CGI or ECGI at the end of the event"),
    Column("Charging ID", "charging_id", False, "data sessions: the operator's charging id"),
)
BY_KEY = {c.key: c for c in COLUMNS}

#: ``Direction`` as written → canonical ``direction``
DIRECTIONS = {"MO": "out", "MT": "in", "FWD": "forward"}
#: ``Call Type`` as written (case-insensitive) → canonical ``kind``
CALL_TYPES = {"VOICE": "voice", "SMS": "sms", "MMS": "mms", "DATA": "data",
              "MISSED": "missed", "VOICEMAIL": "voicemail"}


def _norm(name: str) -> str:
    return re.sub(r"\s+", " ", name.strip()).casefold()


@dataclass
class HeaderMatch:
    """Where each known column sits, and what was wrong or odd about the header."""

    positions: dict[str, int] = field(default_factory=dict)
    width: int = 0
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def match_header(fields: list[str]) -> HeaderMatch:
    """Match header cells to the layout (trimmed, case- and spacing-insensitive).

    Missing required columns and duplicated columns are errors; unknown columns are
    kept out of the output and named in a warning.
    """
    known = {_norm(c.header): c for c in COLUMNS}
    m = HeaderMatch(width=len(fields))
    seen: dict[str, int] = {}
    unknown: list[str] = []
    for i, cell in enumerate(fields):
        col = known.get(_norm(cell))
        if col is None:
            unknown.append(cell.strip() or f"(blank, column {i + 1})")
            continue
        if col.key in seen:
            m.errors.append(f"column {col.header!r} appears twice (columns {seen[col.key] + 1} "
                            f"and {i + 1})")
            continue
        seen[col.key] = i
    m.positions = seen
    missing = [c.header for c in COLUMNS if c.required and c.key not in seen]
    if missing:
        m.errors.append("missing required columns: " + ", ".join(missing)
                        + f" (the header has: {', '.join(f.strip() for f in fields)})")
    if unknown:
        m.warnings.append("columns not in the layout were ignored: " + ", ".join(unknown))
    return m
