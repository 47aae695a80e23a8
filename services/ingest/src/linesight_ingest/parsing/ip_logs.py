"""Registers the ``csp-ip-resolution-v1`` parser for exhibits of kind ``ip_log``.

A CSP's answer to "who had public IP X at time T" (CSV or XLSX, see
:mod:`linesight_ingest.parsing.tabular`) → the ``ip_sessions`` table, one row per line.
Columns (by header name, see :data:`COLUMNS`): public IP and session start are required;
port or port range, session end, private IP behind CGNAT, MSISDN, IMSI, account
reference, subscriber name and provider are optional.

* IPs (IPv4 and IPv6) are checked with ``ipaddress`` and stored in canonical text
  (``2001:db8::1``); a zone id (``%eth0``) or leading-zero IPv4 is refused. A public IP
  that is not a global address (private, CGNAT ``100.64/10``, reserved) is kept, flagged.
* a port is ``49152`` or a range ``49152-50175`` (carrier-grade NAT), within 0-65535.
* times: ISO 8601 with an offset, or UK local (``dd/mm/yyyy HH:MM:SS``) → UTC
  (:mod:`linesight_ingest.parsing.instants`). ``ip_sessions`` has no flag column, so the
  report counts local times read as BST/GMT in ``time_flags`` and names the rows whose
  local time fell in a clock-change hour (``ambiguous``/``nonexistent``) in a warning.
  A blank end is an open session (still live when the log was taken).
* any bad value rejects the whole line (each problem one reject entry).
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Iterator
from itertools import islice
from pathlib import Path

import phonenumbers
import pyarrow as pa
from linesight_shared.tables import IP_SESSIONS_SCHEMA

from linesight_ingest.parsing import identifiers
from linesight_ingest.parsing.instants import NOT_A_TIME, parse_instant
from linesight_ingest.parsing.numbers import NumberBook
from linesight_ingest.parsing.registry import ParseOutput, Progress, register
from linesight_ingest.parsing.report import ReportBuilder
from linesight_ingest.parsing.rows import Flags, RowSink, dataset_schema, finish
from linesight_ingest.parsing.tabular import Column, Record, read_records
from linesight_ingest.parsing.times import AMBIGUOUS, NONEXISTENT

PARSER_NAME = "csp-ip-resolution-v1"
PARSER_VERSION = "1.0.0"
TABLE = "ip_sessions"

COLUMNS = (
    Column("public_ip", "Public IP", ("ip", "ip address", "public ip address", "nat ip",
                                      "external ip", "public ipv4", "public ipv6")),
    Column("port", "Port", ("source port", "port range", "public port", "ports", "src port",
                            "nat port range")),
    Column("start", "Session Start", ("start", "start time", "session start time",
                                      "allocation start", "start utc")),
    Column("end", "Session End", ("end", "end time", "stop", "session end time",
                                  "allocation end", "end utc")),
    Column("private_ip", "Private IP", ("internal ip", "private ip address", "inside ip",
                                        "cgnat ip", "subscriber ip")),
    Column("msisdn", "MSISDN", ("mobile number", "telephone number", "number")),
    Column("imsi", "IMSI"),
    Column("account_ref", "Account Ref", ("account", "account number", "account reference",
                                          "customer ref")),
    Column("subscriber", "Subscriber", ("subscriber name", "name", "customer name")),
    Column("provider", "Provider", ("csp", "network", "operator")),
)
HEADERS = {c.key: c.header for c in COLUMNS}
BLANK = "required value is blank"
BAD_IP = "not an IPv4 or IPv6 address"
BAD_PORT = "not a port (0-65535) or port range (49152-50175)"
BACKWARDS_PORTS = "port range runs backwards"
BACKWARDS = "session ends before it starts"
NOT_GLOBAL = "public IP is not a global address (private, CGNAT or reserved)"
FORMULA = "a value begins with '=' (a spreadsheet formula?): kept as text, not evaluated"
_PORT = re.compile(r"^(\d{1,5})(?:\s*[-–]\s*(\d{1,5}))?$")


def libraries() -> dict[str, str]:
    return {"phonenumbers": phonenumbers.__version__, "pyarrow": pa.__version__}


def canonical_ip(raw: str) -> str | None:
    """Canonical text of an IPv4/IPv6 address; None for anything else (zone ids too)."""
    if "%" in raw:
        return None
    try:
        return str(ipaddress.ip_address(raw.strip()))
    except ValueError:
        return None


def parse_ports(raw: str) -> tuple[int | None, int | None, str | None]:
    if not raw:
        return None, None, None
    m = _PORT.match(raw)
    if not m:
        return None, None, BAD_PORT
    low = int(m.group(1))
    high = int(m.group(2)) if m.group(2) else low
    if low > 65535 or high > 65535:
        return None, None, BAD_PORT
    if low > high:
        return None, None, BACKWARDS_PORTS
    return low, high, None


def parse_ip_log(path: Path, *, exhibit_id: str, out_dir: Path, batch_rows: int = 10_000,
                 progress: Progress | None = None) -> ParseOutput:
    report = ReportBuilder(parser=PARSER_NAME, parser_version=PARSER_VERSION)
    records = read_records(path, COLUMNS, report, required=("public_ip", "start"),
                           progress=progress)
    schema = dataset_schema(IP_SESSIONS_SCHEMA, exhibit_id=exhibit_id, parser=PARSER_NAME,
                            version=PARSER_VERSION, libraries=libraries())
    sink = RowSink(out_dir / f"{TABLE}.parquet", schema, exhibit_id=exhibit_id,
                   batch_rows=batch_rows)
    book, flags = NumberBook(), Flags()
    for batch in _batches(records, batch_rows):
        numbers = identifiers.msisdns([r.values.get("msisdn", "") for r in batch], book)
        for record in batch:
            row = _row(record, numbers, report, flags)
            if row is not None:
                sink.add([row])
                report.rows_accepted += 1
    flags.to_report(report)
    table = finish(sink, report)
    return ParseOutput(report=report, tables={TABLE: table} if table else {},
                       libraries=libraries())


def _batches(records: Iterator[Record], size: int) -> Iterator[list[Record]]:
    while batch := list(islice(records, max(size, 1))):
        yield batch


def _row(record: Record, numbers: dict, report: ReportBuilder, flags: Flags) -> dict | None:
    v = record.values
    get = (lambda k: v.get(k, ""))
    problems: list[tuple[str, str, str]] = []
    public = canonical_ip(get("public_ip")) if get("public_ip") else None
    if not get("public_ip"):
        problems.append(("public_ip", "", BLANK))
    elif public is None:
        problems.append(("public_ip", get("public_ip"), BAD_IP))
    low, high, port_problem = parse_ports(get("port"))
    if port_problem:
        problems.append(("port", get("port"), port_problem))
    start = parse_instant(get("start")) if get("start") else None
    if not get("start"):
        problems.append(("start", "", BLANK))
    elif start is None:
        problems.append(("start", get("start"), NOT_A_TIME))
    end = parse_instant(get("end")) if get("end") else None
    if get("end") and end is None:
        problems.append(("end", get("end"), NOT_A_TIME))
    if start and end and end.utc < start.utc:
        problems.append(("end", get("end"), BACKWARDS))
    private = canonical_ip(get("private_ip")) if get("private_ip") else None
    if get("private_ip") and private is None:
        problems.append(("private_ip", get("private_ip"), BAD_IP))
    msisdn, reason = numbers.get(get("msisdn"), (None, None))
    if reason:
        problems.append(("msisdn", get("msisdn"), reason))
    imsi = identifiers.imsi(get("imsi")) if get("imsi") else None
    if get("imsi") and imsi is None:
        problems.append(("imsi", get("imsi"), identifiers.BAD_IMSI))
    for key, value, why in problems:
        report.reject(record.line, HEADERS[key], value, why)
    if problems:
        return None
    for inst in (start, end):
        if inst is not None and inst.flag:
            report.time_flags[inst.flag] += 1
            if inst.flag in (AMBIGUOUS, NONEXISTENT):
                flags.add(f"a UK local time in a clock-change hour ({inst.flag})", record.line)
    if not ipaddress.ip_address(public).is_global:
        flags.add(NOT_GLOBAL, record.line)
    text = {k: get(k) or None for k in ("account_ref", "subscriber", "provider")}
    if any(t and t.startswith("=") for t in text.values()):
        flags.add(FORMULA, record.line)
    return {"source_row": record.line, "source_ref": record.ref, "public_ip": public,
            "port_from": low, "port_to": high, "start_utc": start.utc,
            "end_utc": end.utc if end else None, "private_ip": private, "msisdn": msisdn,
            "imsi": imsi, **text,
            # the hour matters when attributing an IP: each local time's reading is kept
            "time_flag": ";".join(f"{name}:{inst.flag}" for name, inst in (("start", start), ("end", end))
                         if inst is not None and inst.flag) or None}


class IpLogParser:
    name = PARSER_NAME
    version = PARSER_VERSION

    def parse(self, path: Path, *, exhibit_id: str, out_dir: Path, batch_rows: int,
              progress: Progress | None = None) -> ParseOutput:
        return parse_ip_log(path, exhibit_id=exhibit_id, out_dir=out_dir,
                            batch_rows=batch_rows, progress=progress)


register("ip_log", IpLogParser())
