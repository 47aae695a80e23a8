"""The canonical tables (Parquet in the object store) every service agrees on.

Every normalised row keeps ``exhibit_id`` and ``source_row`` (the 1-based line number in
the original file, the header being line 1), so any figure in a report traces back to the
lines it came from. Times are UTC; the source zone and any hour that British Summer Time
makes ambiguous or impossible are recorded on the row, never guessed silently.
"""

from __future__ import annotations

import pyarrow as pa

EVENTS_TABLE = "events"
CELLS_TABLE = "cells"
ANPR_READS_TABLE = "anpr_reads"
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


# --- Step 2 tables ---------------------------------------------------------------------
# Every table starts with the same three columns: ``exhibit_id``, ``source_row`` (line or
# record number in the original; for XML and archives, the record's ordinal in document
# order, with ``source_ref`` naming the element or member path) and ``source_ref``.

def _traced(*fields: pa.Field, table: str, version: int = 1) -> pa.Schema:
    return pa.schema(
        [pa.field("exhibit_id", pa.string(), nullable=False),
         pa.field("source_row", pa.int64(), nullable=False),
         pa.field("source_ref", pa.string(),
                  metadata={"doc": "where in the original: XML path, archive member, sheet"}),
         *fields],
        metadata={"linesight.table": table, "linesight.schema_version": str(version)},
    )


UTC_TS = pa.timestamp("us", tz="UTC")

#: Cell-site reference data; a lookup is by cell *and* time (valid_from/valid_to).
CELLS_SCHEMA = _traced(
    pa.field("cgi", pa.string(), nullable=False,
             metadata={"doc": "MCC-MNC-LAC/TAC-CI or MCC-MNC-TAC-ECI (ECGI)"}),
    pa.field("radio", pa.string(), metadata={"doc": "GSM, UMTS, LTE, NR"}),
    pa.field("mcc", pa.int32()), pa.field("mnc", pa.int32()),
    pa.field("lac", pa.int64(), metadata={"doc": "LAC or TAC"}),
    pa.field("cell_id", pa.int64(), metadata={"doc": "CI, or ECI for LTE"}),
    pa.field("enodeb_id", pa.int64(), metadata={"doc": "ECI >> 8 for LTE"}),
    pa.field("sector", pa.int32(), metadata={"doc": "ECI & 0xFF for LTE"}),
    pa.field("lat", pa.float64()), pa.field("lon", pa.float64()),
    pa.field("azimuth", pa.float64(), metadata={"doc": "degrees from true north; null: omni/unknown"}),
    pa.field("beamwidth", pa.float64(), metadata={"doc": "degrees; null: unknown"}),
    pa.field("range_m", pa.float64(), metadata={"doc": "stated or estimated range, metres"}),
    pa.field("site_name", pa.string()), pa.field("postcode", pa.string()),
    pa.field("grid_ref", pa.string(), metadata={"doc": "OS National Grid reference as given"}),
    pa.field("valid_from", UTC_TS), pa.field("valid_to", UTC_TS),
    pa.field("source", pa.string(), nullable=False,
             metadata={"doc": "operator, opencellid, ofcom_sitefinder"}),
    table="cells",
)

#: ANPR reads: one vehicle seen by one camera at one time.
ANPR_READS_SCHEMA = _traced(
    pa.field("vrm", pa.string(), nullable=False, metadata={"doc": "normalised: upper case, no spaces"}),
    pa.field("vrm_raw", pa.string()),
    pa.field("camera_id", pa.string(), nullable=False),
    pa.field("read_utc", UTC_TS, nullable=False),
    pa.field("source_tz", pa.string()), pa.field("time_flag", pa.string()),
    pa.field("lat", pa.float64()), pa.field("lon", pa.float64()),
    pa.field("direction", pa.string()),
    pa.field("confidence", pa.float64()),
    table="anpr_reads",
)

#: Subscriber checks: who a number/IMSI/IMEI was attributed to, and when.
SUBSCRIBERS_SCHEMA = _traced(
    pa.field("identifier", pa.string(), nullable=False, metadata={"doc": "E.164, IMSI or IMEI"}),
    pa.field("identifier_kind", pa.string(), nullable=False, metadata={"doc": "msisdn, imsi, imei, account"}),
    pa.field("identifier_raw", pa.string()),
    pa.field("name", pa.string()), pa.field("address", pa.string()),
    pa.field("postcode", pa.string()), pa.field("date_of_birth", pa.string()),
    pa.field("account_type", pa.string(), metadata={"doc": "contract, prepaid, business"}),
    pa.field("account_ref", pa.string()),
    pa.field("valid_from", UTC_TS), pa.field("valid_to", UTC_TS),
    pa.field("time_flag", pa.string(),
             metadata={"doc": "connected:/disconnected: flags of UK local times (bst, gmt, "
                              "ambiguous, nonexistent), ';'-joined; null when given in UTC"}),
    pa.field("provider", pa.string()),
    table="subscribers", version=2,
)

#: IP resolution: a public IP, port range and time window resolved to an account.
IP_SESSIONS_SCHEMA = _traced(
    pa.field("public_ip", pa.string(), nullable=False),
    pa.field("port_from", pa.int32()), pa.field("port_to", pa.int32()),
    pa.field("start_utc", UTC_TS, nullable=False), pa.field("end_utc", UTC_TS),
    pa.field("private_ip", pa.string(), metadata={"doc": "behind carrier-grade NAT"}),
    pa.field("msisdn", pa.string()), pa.field("imsi", pa.string()),
    pa.field("account_ref", pa.string()), pa.field("subscriber", pa.string()),
    pa.field("provider", pa.string()),
    pa.field("time_flag", pa.string(),
             metadata={"doc": "start:/end: flags of UK local times (bst, gmt, ambiguous, "
                              "nonexistent), ';'-joined; null when given with an offset"}),
    table="ip_sessions", version=2,
)

#: Email headers from a mail store: one row per message.
EMAIL_HEADERS_SCHEMA = _traced(
    pa.field("message_id", pa.string()),
    pa.field("date_utc", UTC_TS), pa.field("date_raw", pa.string()),
    pa.field("from_addr", pa.string()),
    pa.field("to_addrs", pa.list_(pa.string())), pa.field("cc_addrs", pa.list_(pa.string())),
    pa.field("bcc_addrs", pa.list_(pa.string())),
    pa.field("subject_sha256", pa.string(), metadata={"doc": "digest of the subject line"}),
    pa.field("in_reply_to", pa.string()),
    pa.field("received_ips", pa.list_(pa.string()), metadata={"doc": "from Received headers, oldest first"}),
    pa.field("mailbox", pa.string()),
    table="email_headers",
)

#: Messages from handset downloads (SMS, IM).
MESSAGES_SCHEMA = _traced(
    pa.field("handset_id", pa.string()),
    pa.field("app", pa.string(), metadata={"doc": "sms, mms, whatsapp, ..."}),
    pa.field("direction", pa.string()),
    pa.field("from_party", pa.string()), pa.field("from_raw", pa.string()),
    pa.field("to_parties", pa.list_(pa.string())),
    pa.field("sent_utc", UTC_TS), pa.field("time_flag", pa.string()),
    pa.field("body", pa.string()), pa.field("deleted", pa.bool_()),
    table="messages",
)

#: Contacts (address book) from handset downloads.
CONTACTS_SCHEMA = _traced(
    pa.field("handset_id", pa.string()),
    pa.field("name", pa.string()),
    pa.field("number", pa.string()), pa.field("number_raw", pa.string()),
    pa.field("number_kind", pa.string()),
    pa.field("email", pa.string()),
    pa.field("deleted", pa.bool_()),
    table="contacts",
)

#: The identity of a downloaded handset: one row per identifier found.
HANDSETS_SCHEMA = _traced(
    pa.field("handset_id", pa.string(), nullable=False),
    pa.field("imei", pa.string()), pa.field("imsi", pa.string()),
    pa.field("msisdn", pa.string()), pa.field("iccid", pa.string()),
    pa.field("model", pa.string()), pa.field("extraction_tool", pa.string()),
    pa.field("extracted_utc", UTC_TS),
    table="handsets",
)

#: Every canonical table by name.
TABLES: dict[str, pa.Schema] = {
    EVENTS_TABLE: EVENTS_SCHEMA,
    CELLS_TABLE: CELLS_SCHEMA,
    ANPR_READS_TABLE: ANPR_READS_SCHEMA,
    "subscribers": SUBSCRIBERS_SCHEMA,
    "ip_sessions": IP_SESSIONS_SCHEMA,
    "email_headers": EMAIL_HEADERS_SCHEMA,
    "messages": MESSAGES_SCHEMA,
    "contacts": CONTACTS_SCHEMA,
    "handsets": HANDSETS_SCHEMA,
}
