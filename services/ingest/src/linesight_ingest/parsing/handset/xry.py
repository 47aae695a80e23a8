"""MSAB XRY text reports: UTF-16LE, sections of ``Key:<TAB>value`` blocks.

Layout read (modelled on XRY's "Text" export; no public specification):

* the file is UTF-16LE, with or without a BOM (``FF FE``); other bytes are a file error;
* a line that is not ``Key:<TAB>value`` and follows a blank line (or starts the file) is a
  section header: ``General Information``/``Device Information`` (the handset's identity,
  one record), ``Calls``/``Call Log``, ``SMS Messages``/``Messages``, ``Contacts``/
  ``Phonebook``; blocks under any other header are counted in a warning, not read;
* blocks are separated by blank lines; a line without ``:<TAB>`` inside a block continues
  the previous value (multi-line message text);
* times read ``dd/mm/yyyy HH:MM:SS`` with an optional ``UTC±hh:mm`` and a ``(Device)`` or
  ``(Network)`` suffix: the clock is recorded in ``time_flag`` (``device_clock`` /
  ``network_clock``), a time with no offset is UK local (``assumed_uk_local``, plus
  ``ambiguous``/``nonexistent`` in the BST changes), ``;``-joined.

``source_row`` is the physical line (1-based, the BOM not counted) where a block starts;
``source_ref`` is ``<section>[<n>]``.
"""

from __future__ import annotations

import codecs
import re
from pathlib import Path

from linesight_ingest.parsing.handset.common import Device, deleted_state, time_fields
from linesight_ingest.parsing.handset.ufed_models import Refuse
from linesight_ingest.parsing.report import ReportBuilder
from linesight_ingest.parsing.row_sink import RowSink
from linesight_ingest.parsing.stamps import parse_duration, parse_stamp

MAX_LINE = 1_000_000
SECTIONS = {"general information": "device", "device information": "device",
            "case data": "device", "calls": "calls", "call log": "calls",
            "sms messages": "sms", "messages": "sms", "sms": "sms", "contacts": "contacts",
            "phonebook": "contacts"}
_KV = re.compile(r"^([^\t:][^\t]{0,80}?):\t(.*)$")
_CLOCK = re.compile(r"\s*\((Device|Network)\)\s*$", re.IGNORECASE)
NUMBER_KEYS = ("mobile", "home", "work", "tel", "telephone", "number", "phone", "other",
               "mobile number", "phone number")


def looks_like_xry(head: bytes) -> bool:
    """UTF-16LE text: a BOM, or ASCII letters with zero high bytes at the start."""
    if head.startswith(codecs.BOM_UTF16_LE):
        return True
    sample = head[:200]
    return len(sample) >= 8 and sample[1::2].count(0) >= len(sample) // 2 - 1 \
        and any(32 <= b < 127 for b in sample[0::2])


def read_xry(path: Path, *, dev: Device, sink: RowSink, report: ReportBuilder) -> None:
    state = _State(dev, sink, report)
    with path.open("rb") as raw:
        if raw.read(2) != codecs.BOM_UTF16_LE:
            raw.seek(0)
        pending, carry, line_no, broken = "", b"", 0, None
        while not broken:
            chunk = raw.read(1 << 20)
            data, final = carry + chunk, not chunk
            text, carry, broken = _decode(data, final)
            *lines, pending = (pending + text).split("\n")
            for line in lines:
                line_no += 1
                state.feed(line_no, line.rstrip("\r"))
            if len(pending) > MAX_LINE:
                broken = f"a line longer than {MAX_LINE} characters"
            if final:
                break
        if pending and not broken:
            line_no += 1
            state.feed(line_no, pending.rstrip("\r"))
        if broken:
            state.end_block()
            report.file_error(f"{broken} after line {line_no}; the {report.rows_read} "
                              "records before it are kept", line=line_no + 1)
            return
    state.end_block()
    if state.skipped:
        listed = ", ".join(f"{k} ({n})" for k, n in sorted(state.skipped.items()))
        report.warn(f"sections this parser does not read were skipped: {listed}")


def _decode(data: bytes, final: bool) -> tuple[str, bytes, str | None]:
    """Decoded text, bytes carried to the next chunk, and why decoding stopped (or None).

    A surrogate pair or code unit cut by the chunk boundary is carried over; bad bytes
    stop the decoding after the last good character, so the lines before them are read.
    """
    cut = len(data) - len(data) % 2 if not final else len(data)
    try:
        return data[:cut].decode("utf-16-le"), data[cut:], None
    except UnicodeDecodeError as exc:
        good = data[:exc.start].decode("utf-16-le")
        if exc.reason == "unexpected end of data" and not final and exc.start >= cut - 2:
            return good, data[exc.start:], None
        return good, b"", f"not UTF-16LE text ({exc.reason})"


class _State:
    def __init__(self, dev: Device, sink: RowSink, report: ReportBuilder) -> None:
        self.dev, self.sink, self.report = dev, sink, report
        self.section: str | None = None
        self.kind: str | None = None
        self.block: list[list[str]] = []
        self.start = 0
        self.counts: dict[str, int] = {}
        self.skipped: dict[str, int] = {}

    def feed(self, n: int, line: str) -> None:
        line = line.lstrip("\ufeff")
        if not line.strip():
            self.end_block()
            return
        m = _KV.match(line)
        if m:
            if not self.block:
                self.start = n
            self.block.append([m[1].strip(), m[2].strip()])
        elif self.block:
            self.block[-1][1] += "\n" + line
        else:
            self.section = line.strip()
            self.kind = SECTIONS.get(self.section.lower())

    def end_block(self) -> None:
        if not self.block:
            return
        block, self.block = self.block, []
        name = self.section or "(no section)"
        if self.kind is None:
            self.skipped[name] = self.skipped.get(name, 0) + 1
            return
        values: dict[str, str] = {}
        for k, v in block:
            values.setdefault(k.lower(), v)
        self.counts[name] = self.counts.get(name, 0) + 1
        ref = f"{name}[{self.counts[name]}]"
        if self.kind == "device":
            for k, v in block:
                self.dev.learn(k, v)
            if self.dev.source_row is None:
                self.dev.source_row, self.dev.source_ref = self.start, ref
                self.report.rows_read += 1
                self.report.rows_accepted += 1
            return
        self.report.rows_read += 1
        try:
            rows = _READERS[self.kind](values, self.dev)
        except Refuse as exc:
            self.report.reject(self.start, exc.field, exc.value, exc.reason)
            return
        self.report.rows_accepted += 1
        for table, row in rows:
            row.update({"source_row": self.start, "source_ref": ref})
            if table == "events":
                row["event_id"] = f"{self.sink.exhibit_id}:{self.start}"
            else:
                row["handset_id"] = self.dev.handset_id
            self.sink.add(table, row)


def _time(v: dict[str, str]) -> tuple[dict, str]:
    raw = v.get("time") or v.get("date") or v.get("date/time") or v.get("timestamp")
    if not raw:
        raise Refuse("Time", None, "time missing")
    m = _CLOCK.search(raw)
    clock = f"{m[1].lower()}_clock" if m else None
    stamp = parse_stamp(_CLOCK.sub("", raw))
    if stamp is None:
        raise Refuse("Time", raw, "not a date and time (dd/mm/yyyy HH:MM:SS)")
    return time_fields(stamp, clock), raw


def _call(v: dict[str, str], dev: Device) -> list[tuple[str, dict]]:
    if deleted_state(v.get("deleted")) or (v.get("status") or "").lower() == "deleted":
        raise Refuse("Deleted", "Yes", "deleted call-log entry (recovered): events has no "
                     "deleted flag, so it is listed here instead")
    t = (v.get("type") or v.get("direction") or "").lower()
    if t in ("dialled", "dialed", "outgoing", "outgoing call"):
        direction, kind = "out", "voice"
    elif t in ("received", "incoming", "answered", "incoming call"):
        direction, kind = "in", "voice"
    elif t in ("missed", "rejected", "missed call"):
        direction, kind = "in", "missed"
    else:
        raise Refuse("Type", v.get("type"), "call type not Dialled, Received or Missed")
    when, raw = _time(v)
    dur_raw = v.get("duration")
    duration = parse_duration(dur_raw) if dur_raw else None
    if dur_raw and duration is None:
        raise Refuse("Duration", dur_raw, "duration is not hh:mm:ss or seconds")
    other = v.get("number") or v.get("tel") or None
    a, b = (dev.msisdn, other) if direction == "out" else (other, dev.msisdn)
    row = {("_party", "subject"): dev.msisdn, ("_party", "a"): a, ("_party", "b"): b,
           "direction": direction, "kind": kind, "duration_s": duration,
           "start_local_raw": raw, "imei": dev.imei, "imsi": dev.imsi,
           "start_utc": when.pop("_utc"), **when}
    if direction == "in" and not (other or "").strip():
        row[("_kind", "a")] = "withheld"
    return [("events", row)]


def _sms(v: dict[str, str], dev: Device) -> list[tuple[str, dict]]:
    folder = (v.get("folder") or v.get("type") or v.get("status") or "").lower()
    outgoing = any(w in folder for w in ("sent", "outbox", "outgoing", "draft"))
    when, _raw = _time(v)
    number = v.get("number") or v.get("tel")
    frm = dev.msisdn if outgoing else (v.get("from") or number)
    to = [x for x in [v.get("to") or (number if outgoing else dev.msisdn)] if x]
    return [("messages", {"app": "sms", "direction": "out" if outgoing else "in",
                          ("_party", "from"): frm, "_to": to, "sent_utc": when.pop("_utc"),
                          "body": v.get("text") or v.get("message") or None,
                          "deleted": deleted_state(v.get("deleted")), **when})]


def _contact(v: dict[str, str], dev: Device) -> list[tuple[str, dict]]:
    numbers = [v[k] for k in NUMBER_KEYS if v.get(k)]
    name = v.get("name") or None
    email = v.get("email") or v.get("e-mail") or None
    if not numbers and not name and not email:
        raise Refuse("Name", None, "contact with no name, number or e-mail address")
    return [("contacts", {"name": name, ("_party", "number"): n, "email": email,
                          "deleted": deleted_state(v.get("deleted"))})
            for n in (numbers or [None])]


_READERS = {"calls": _call, "sms": _sms, "contacts": _contact}
