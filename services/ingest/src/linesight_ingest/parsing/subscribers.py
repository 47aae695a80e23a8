"""Registers the ``csp-subscriber-check-v1`` parser for exhibits of kind ``subscriber``.

A UK CSP's subscriber-check return (CSV or XLSX, see
:mod:`linesight_ingest.parsing.tabular`) → the ``subscribers`` table. Each line attributes
one or more identifiers (MSISDN, IMSI, IMEI, account) to a subscriber for a window.

**One row per identifier.** A line naming an MSISDN, an IMSI and an IMEI gives three rows
(``identifier_kind`` ``msisdn``, ``imsi``, ``imei``) sharing ``source_row``, name,
address, dates and ``account_ref``, so a lookup by any identifier finds the attribution.
A line with only an account reference gives one ``account`` row. ``rows_accepted``
counts lines; the table may hold more rows than that.

* MSISDN → E.164 (:mod:`linesight_ingest.parsing.identifiers`: bare digits without a
  ``0``/``44`` are refused, never read as another country); IMSI 14-15, IMEI 14-16 digits.
* connection / disconnection → ``valid_from`` / ``valid_to`` (UTC). A date alone is UK
  local: ``valid_from`` the start of that day, ``valid_to`` the start of the day *after*
  the disconnection date (exclusive), so any time on the last day still matches. A
  blank disconnection is an attribution still current when the return was made.
* date of birth → ``yyyy-mm-dd``; account type → ``contract``, ``prepaid`` or
  ``business`` (common spellings mapped, anything else refused); a UK postcode is
  upper-cased with one space before the inward code, anything else kept as written.
* any bad value rejects the whole line: a return whose identifiers or dates cannot all be
  read is not half-attributed.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from itertools import islice
from pathlib import Path

import phonenumbers
import pyarrow as pa
from linesight_shared.tables import SUBSCRIBERS_SCHEMA

from linesight_ingest.parsing import identifiers
from linesight_ingest.parsing.instants import end_of_day, parse_instant
from linesight_ingest.parsing.numbers import NumberBook
from linesight_ingest.parsing.registry import ParseOutput, Progress, register
from linesight_ingest.parsing.report import ReportBuilder
from linesight_ingest.parsing.rows import Flags, RowSink, dataset_schema, finish
from linesight_ingest.parsing.tabular import Column, Record, read_records
from linesight_ingest.parsing.times import AMBIGUOUS, NONEXISTENT

PARSER_NAME = "csp-subscriber-check-v1"
PARSER_VERSION = "1.0.0"
TABLE = "subscribers"

COLUMNS = (
    Column("msisdn", "MSISDN", ("telephone number", "mobile number", "number", "phone number")),
    Column("imsi", "IMSI"),
    Column("imei", "IMEI", ("handset imei",)),
    Column("account_ref", "Account Number", ("account", "account ref", "account reference",
                                             "customer ref", "customer number")),
    Column("name", "Subscriber Name", ("name", "customer name", "full name",
                                       "account holder")),
    Column("address", "Address", ("billing address", "subscriber address",
                                  "registered address")),
    Column("postcode", "Postcode", ("post code", "postal code")),
    Column("date_of_birth", "Date of Birth", ("dob", "birth date")),
    Column("account_type", "Account Type", ("type", "contract type", "payment type")),
    Column("connected", "Connection Date", ("connected", "activation date", "start date",
                                            "date connected", "valid from")),
    Column("disconnected", "Disconnection Date", ("disconnected", "end date",
                                                  "date disconnected", "valid to",
                                                  "termination date")),
    Column("provider", "Provider", ("network", "csp", "operator")),
)
HEADERS = {c.key: c.header for c in COLUMNS}
IDENTIFIER_KEYS = ("msisdn", "imsi", "imei", "account_ref")
ACCOUNT_TYPES = {
    "contract": "contract", "postpay": "contract", "postpaid": "contract",
    "pay monthly": "contract", "prepaid": "prepaid", "prepay": "prepaid", "pre-pay": "prepaid",
    "pre-paid": "prepaid", "payg": "prepaid", "pay as you go": "prepaid",
    "business": "business", "corporate": "business", "enterprise": "business",
}
NO_IDENTIFIER = "no identifier: MSISDN, IMSI, IMEI and account number are all blank"
BAD_DOB = "not a date of birth in dd/mm/yyyy or yyyy-mm-dd form"
BAD_TYPE = "unknown account type (expected contract, prepaid or business)"
BAD_DATE = "not a date, or a date and time"
BACKWARDS = "disconnection is before connection"
FORMULA = "a value begins with '=' (a spreadsheet formula?): kept as text, not evaluated"
_POSTCODE = re.compile(r"^([A-Z]{1,2}\d[A-Z\d]?)\s*(\d[A-Z]{2})$")


def libraries() -> dict[str, str]:
    return {"phonenumbers": phonenumbers.__version__, "pyarrow": pa.__version__}


def postcode(raw: str) -> str | None:
    text = re.sub(r"\s+", " ", raw.strip().upper())
    if not text:
        return None
    m = _POSTCODE.match(text)
    return f"{m.group(1)} {m.group(2)}" if m else text


def date_of_birth(raw: str) -> str | None:
    found = parse_instant(raw.split(" 00:00:00")[0], allow_date=True)
    if found is None or not found.day_only:
        return None
    text = raw.split(" ")[0]
    if "/" in text:
        d, m, y = text.split("/")
        return f"{int(y):04d}-{int(m):02d}-{int(d):02d}"
    return text


def parse_subscriber_check(path: Path, *, exhibit_id: str, out_dir: Path,
                           batch_rows: int = 10_000,
                           progress: Progress | None = None) -> ParseOutput:
    report = ReportBuilder(parser=PARSER_NAME, parser_version=PARSER_VERSION)
    records = read_records(path, COLUMNS, report, one_of=IDENTIFIER_KEYS, progress=progress)
    schema = dataset_schema(SUBSCRIBERS_SCHEMA, exhibit_id=exhibit_id, parser=PARSER_NAME,
                            version=PARSER_VERSION, libraries=libraries())
    sink = RowSink(out_dir / f"{TABLE}.parquet", schema, exhibit_id=exhibit_id,
                   batch_rows=batch_rows)
    book, flags = NumberBook(), Flags()
    for batch in _batches(records, batch_rows):
        numbers = identifiers.msisdns([r.values.get("msisdn", "") for r in batch], book)
        for record in batch:
            rows = _rows(record, numbers, report, flags)
            if rows:
                sink.add(rows)
                report.rows_accepted += 1
    flags.to_report(report)
    table = finish(sink, report)
    return ParseOutput(report=report, tables={TABLE: table} if table else {},
                       libraries=libraries())


def _batches(records: Iterator[Record], size: int) -> Iterator[list[Record]]:
    while batch := list(islice(records, max(size, 1))):
        yield batch


def _rows(record: Record, numbers: dict, report: ReportBuilder, flags: Flags) -> list[dict]:
    get = (lambda k: record.values.get(k, ""))
    problems: list[tuple[str, str, str]] = []
    ids: list[tuple[str, str, str]] = []  # (kind, identifier, raw)
    if not any(get(k) for k in IDENTIFIER_KEYS):
        problems.append(("msisdn", "", NO_IDENTIFIER))
    msisdn, reason = numbers.get(get("msisdn"), (None, None))
    if reason:
        problems.append(("msisdn", get("msisdn"), reason))
    elif msisdn:
        ids.append(("msisdn", msisdn, get("msisdn")))
    for kind, check, why in (("imsi", identifiers.imsi, identifiers.BAD_IMSI),
                             ("imei", identifiers.imei, identifiers.BAD_IMEI)):
        if get(kind):
            value = check(get(kind))
            if value is None:
                problems.append((kind, get(kind), why))
            else:
                ids.append((kind, value, get(kind)))
    dob = date_of_birth(get("date_of_birth")) if get("date_of_birth") else None
    if get("date_of_birth") and dob is None:
        problems.append(("date_of_birth", get("date_of_birth"), BAD_DOB))
    account_type = ACCOUNT_TYPES.get(re.sub(r"\s+", " ", get("account_type").lower()))
    if get("account_type") and account_type is None:
        problems.append(("account_type", get("account_type"), BAD_TYPE))
    start = parse_instant(get("connected"), allow_date=True) if get("connected") else None
    if get("connected") and start is None:
        problems.append(("connected", get("connected"), BAD_DATE))
    end = parse_instant(get("disconnected"), allow_date=True) if get("disconnected") else None
    if get("disconnected") and end is None:
        problems.append(("disconnected", get("disconnected"), BAD_DATE))
    valid_to = (end_of_day(end) if end.day_only else end.utc) if end else None
    if start and valid_to and valid_to <= start.utc:
        problems.append(("disconnected", get("disconnected"), BACKWARDS))
    for key, value, why in problems:
        report.reject(record.line, HEADERS[key], value, why)
    if problems:
        return []
    for inst in (start, end):
        if inst is not None and inst.flag:
            report.time_flags[inst.flag] += 1
            if inst.flag in (AMBIGUOUS, NONEXISTENT):
                flags.add(f"a UK local time in a clock-change hour ({inst.flag})", record.line)
    text = {k: get(k) or None for k in ("name", "address", "provider", "account_ref")}
    if any(t and t.startswith("=") for t in text.values()):
        flags.add(FORMULA, record.line)
    if not ids:
        ids.append(("account", get("account_ref"), get("account_ref")))
    shared = {"source_row": record.line, "source_ref": record.ref, **text,
              "postcode": postcode(get("postcode")), "date_of_birth": dob,
              "account_type": account_type, "valid_from": start.utc if start else None,
              "valid_to": valid_to,
              "time_flag": ";".join(f"{name}:{inst.flag}" for name, inst in (("connected", start), ("disconnected", end))
                         if inst is not None and inst.flag) or None}
    return [{**shared, "identifier": ident, "identifier_kind": kind, "identifier_raw": raw}
            for kind, ident, raw in ids]


class SubscriberCheckParser:
    name = PARSER_NAME
    version = PARSER_VERSION

    def parse(self, path: Path, *, exhibit_id: str, out_dir: Path, batch_rows: int,
              progress: Progress | None = None) -> ParseOutput:
        return parse_subscriber_check(path, exhibit_id=exhibit_id, out_dir=out_dir,
                                      batch_rows=batch_rows, progress=progress)


register("subscriber", SubscriberCheckParser())
