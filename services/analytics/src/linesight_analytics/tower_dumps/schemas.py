"""Parameters and output columns of the tower-dump intersection."""

from __future__ import annotations

import re

from pydantic import BaseModel, ConfigDict, Field, field_validator

from linesight_analytics.contact_frequency.schemas import E164_PATTERN

#: How a handset is identified, in order of preference (the subscribers table's words).
IDENTIFIER_KINDS = ("msisdn", "imsi", "imei")
#: An identifier an analyst may restrict to: an E.164 number, or an IMSI/IMEI (14-16 digits).
IDENTIFIER_PATTERN = rf"{E164_PATTERN}|^[0-9]{{14,16}}$"

#: The main table: one row per handset seen in at least ``min_dumps`` dumps.
COLUMNS = (
    "identifier", "identifier_kind", "dumps", "events", "dump_references",
    "events_per_dump", "first_utc_per_dump", "last_utc_per_dump", "first_utc", "last_utc",
    "imsis", "imeis", "exhibit_ids", "source_rows",
)

DEFINITIONS = {
    "identifier": "The handset on the mast: its number (E.164) when the dump gives one, "
                  "else its IMSI, else its IMEI.",
    "identifier_kind": "msisdn, imsi or imei: which of the three identifies the handset.",
    "dumps": "How many dumps (tower-dump exhibits) the handset appears in.",
    "events": "Events of the handset across those dumps.",
    "dump_references": "The exhibit references of those dumps.",
    "events_per_dump": "Per dump (exhibit reference), the handset's events in it.",
    "first_utc_per_dump": "Per dump, the start of the handset's earliest event in it (UTC).",
    "last_utc_per_dump": "Per dump, the start of the handset's latest event in it (UTC).",
    "first_utc": "Start of the handset's earliest event in any dump (UTC).",
    "last_utc": "Start of the handset's latest event in any dump (UTC).",
    "imsis": "IMSIs the dumps record with the handset's events.",
    "imeis": "IMEIs the dumps record with the handset's events.",
    "exhibit_ids": "The exhibits (dumps) the counted events come from.",
    "source_rows": "Per exhibit, the line numbers of the original dump counted in this row.",
}

DUMPS_TABLE = "dumps"
DUMPS_TITLE = "Dumps"
DUMPS_COLUMNS = (
    "dump", "exhibit_id", "cells", "cell_count", "from_utc", "to_utc", "events",
    "handsets", "handsets_by_kind", "events_without_identifier", "first_source_row",
    "last_source_row",
)
DUMPS_DEFINITIONS = {
    "dump": "The exhibit reference of the dump.",
    "exhibit_id": "The exhibit id of the dump.",
    "cells": "The cells (as written in the dump) its events were logged on.",
    "cell_count": "How many distinct cells the dump's events were logged on.",
    "from_utc": "Start of the dump's earliest event (UTC): the window as the data shows it.",
    "to_utc": "Start of the dump's latest event (UTC).",
    "events": "Rows (events) of the dump read.",
    "handsets": "Distinct handsets in the dump (by number, else IMSI, else IMEI).",
    "handsets_by_kind": "Of those, how many are identified by number, IMSI and IMEI.",
    "events_without_identifier": "Events naming no number, IMSI or IMEI for the handset.",
    "first_source_row": "The first line of the dump read.",
    "last_source_row": "The last line of the dump read.",
}

METHOD = (
    ("Each tower-dump exhibit is one dump: the events an operator logged on a set of cells "
     "in a time window."),
    ("The handset of a dump event is the one on the mast (the A number of an originated "
     "event, the B number of a terminated one); it is identified by its number, or by its "
     "IMSI when the dump gives no valid number, or by its IMEI when there is no IMSI either, "
     "and the table says which."),
    ("A handset identified by number in one dump and only by IMSI or IMEI in another is not "
     "joined across them; the IMSIs and IMEIs recorded with each handset are listed so the "
     "analyst can look for it."),
    ("A handset is listed when it appears in at least the minimum number of dumps (two unless "
     "set); with a list of identifiers, only events whose number, IMSI or IMEI is in the list "
     "are counted."),
    "Rows are ranked by the number of dumps, then events (both descending), then identifier.",
    ("Every event read is accounted for: events read = events without identifier + events "
     "not asked for + events of handsets in fewer dumps + events listed."),
)


class TowerDumpsParameters(BaseModel):
    """What a tower-dump intersection is asked for."""

    model_config = ConfigDict(extra="forbid")

    min_dumps: int = Field(
        2, ge=1, le=1000,
        description="List a handset when it appears in at least this many dumps")
    identifiers: list[str] | None = Field(
        None, min_length=1, max_length=10_000, examples=[["+447700900123"]],
        description="Count only the events whose number (E.164), IMSI or IMEI (14 to 16 "
                    "digits) is one of these; omit to count every handset")

    @field_validator("identifiers")
    @classmethod
    def _identifiers(cls, value: list[str] | None) -> list[str] | None:
        if value is None:
            return None
        bad = [v for v in value if not re.search(IDENTIFIER_PATTERN, v)]
        if bad:
            raise ValueError(f"not an E.164 number, IMSI or IMEI: {', '.join(bad[:5])}")
        return sorted(set(value))
