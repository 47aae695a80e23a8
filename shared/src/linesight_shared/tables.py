"""The canonical tables (Parquet in the object store) every service agrees on.

Every normalised row keeps ``exhibit_id`` and ``source_row`` (the 1-based line number in
the original file, the header being line 1), so any figure in a report traces back to the
lines it came from. Times are UTC; the source zone and any hour that British Summer Time
makes ambiguous or impossible are recorded on the row, never guessed silently.
"""

from __future__ import annotations

import pyarrow as pa

EVENTS_TABLE = "events"
EVENTS_SCHEMA_VERSION = 1

#: kinds of a party string after normalisation
PARTY_KINDS = ("e164", "withheld", "short_code", "invalid", "absent")
#: ``direction`` vocabulary
DIRECTIONS = ("in", "out", "forward")
#: ``kind`` vocabulary
EVENT_KINDS = ("voice", "sms", "mms", "data", "missed", "voicemail")
#: ``time_flag`` vocabulary (null when the local time was unambiguous)
TIME_FLAGS = ("ambiguous", "nonexistent")

EVENTS_SCHEMA = pa.schema(
    [
        pa.field("event_id", pa.string(), nullable=False,
                 metadata={"doc": "<exhibit_id>:<source_row>"}),
        pa.field("exhibit_id", pa.string(), nullable=False),
        pa.field("source_row", pa.int64(), nullable=False),
        pa.field("subject", pa.string(), metadata={"doc": "E.164 of the number the exhibit is about"}),
        pa.field("a_party", pa.string(), metadata={"doc": "E.164 where the raw string is a number"}),
        pa.field("a_party_raw", pa.string()),
        pa.field("a_party_kind", pa.string()),
        pa.field("b_party", pa.string()),
        pa.field("b_party_raw", pa.string()),
        pa.field("b_party_kind", pa.string()),
        pa.field("withheld", pa.bool_(), nullable=False),
        pa.field("direction", pa.string(), nullable=False),
        pa.field("kind", pa.string(), nullable=False),
        pa.field("start_utc", pa.timestamp("us", tz="UTC"), nullable=False),
        pa.field("start_local_raw", pa.string(), metadata={"doc": "date and time as written"}),
        pa.field("source_tz", pa.string(), nullable=False),
        pa.field("time_flag", pa.string()),
        pa.field("duration_s", pa.int64()),
        pa.field("imei", pa.string()),
        pa.field("imsi", pa.string()),
        pa.field("first_cell", pa.string()),
        pa.field("last_cell", pa.string()),
        pa.field("charging_id", pa.string()),
    ],
    metadata={"linesight.table": EVENTS_TABLE,
              "linesight.schema_version": str(EVENTS_SCHEMA_VERSION)},
)
