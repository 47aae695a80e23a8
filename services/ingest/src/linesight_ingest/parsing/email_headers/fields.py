"""One message's header block → one ``email_headers`` row, or :class:`Unreadable`.

Headers are parsed with the standard library only (``BytesHeaderParser`` with
``email.policy.default``); bodies are never seen. Values are taken from the raw header
lines (``raw_items``), unfolded, and decoded as UTF-8; bytes that are not UTF-8 are kept
visible as ``\\xNN`` escapes and the message is flagged, never silently replaced.

* addresses: ``email.utils.getaddresses`` over each header's value, after RFC 2047
  encoded-words (display-name text only: RFC 2047 forbids them in an address) are
  replaced by a plain word, so an address smuggled inside one is not read as a
  recipient. An address is kept, lower-cased, only when it is ``local@domain`` with a
  host name or address literal as the domain; anything else is left out and flagged.
* ``Date``: ``parsedate_to_datetime`` → UTC. No zone, or unparseable: ``date_utc`` is
  null, ``date_raw`` kept, flagged. ``-0000`` is UTC by RFC 5322 §3.3 (local zone not
  known): read as UTC and flagged.
* subject: only ``subject_sha256``, the SHA-256 of the UTF-8 of the decoded, unfolded
  subject as written (no ``Re:`` stripping). A subject is content, not communications
  data; the digest links messages with the same subject without holding the text.
* ``Received``: IPv4/IPv6 literals inside ``[...]`` or ``(...)`` of each header,
  validated with ``ipaddress``, canonical text; headers read oldest (last) first.
"""

from __future__ import annotations

import hashlib
import ipaddress
import re
from datetime import UTC
from email.header import decode_header, make_header
from email.parser import BytesHeaderParser
from email.policy import default
from email.utils import getaddresses, parsedate_to_datetime
from typing import Any

from linesight_ingest.parsing.rows import Flags

_PARSER = BytesHeaderParser(policy=default)
_FOLD = re.compile(r"\r?\n(?=[ \t])|\r(?=[ \t])")
_ENCODED_WORD = re.compile(r"=\?[^?\s]+\?[bBqQ]\?[^?\s]*\?=")
_LOCAL = r"[^\s@<>()\[\]\\,;:]+"  # atoms and quoted words (``walker"."blair``)
_DOMAIN = r"(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*|\[[^\]\s]+\])"
_ADDR_SPEC = re.compile(rf"^{_LOCAL}@{_DOMAIN}$")
_BRACKETED = re.compile(r"\[([^\[\]]*)\]|\(([^()]*)\)")
_IP_TOKEN = re.compile(r"(?:IPv6:)?([0-9A-Fa-f:.]*[:.][0-9A-Fa-f:.]*)")
_NEG_ZERO = re.compile(r"(?:^|\s)-0000(?:\s|\(|$)")

# date flags (counted in report.time_flags)
DATE_MISSING = "date_missing"
DATE_NO_ZONE = "date_no_zone"
DATE_UNPARSEABLE = "date_unparseable"
DATE_UTC_UNKNOWN_LOCAL = "date_minus_0000"

ADDRESS_HEADERS = {"from": "from", "to": "to", "cc": "cc", "bcc": "bcc"}
SINGLE = ("from", "date", "message-id", "in-reply-to", "subject")


class Unreadable(Exception):
    """The header block cannot be parsed at all; the message is rejected."""


def _text(raw: str, name: str, line: int, flags: Flags) -> str:
    """A raw header value (surrogate-escaped bytes) → unfolded text, UTF-8 decoded."""
    data = raw.encode("ascii", "surrogateescape")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        text = data.decode("utf-8", "backslashreplace")
        flags.add(f"header {name} holds bytes that are not UTF-8 (kept as \\xNN)", line)
    return _FOLD.sub("", text).strip()


def addresses(values: list[str], name: str, line: int, flags: Flags) -> list[str]:
    """Address list of one header kind (all its occurrences), lower-cased, in order."""
    cleaned = [_ENCODED_WORD.sub(" encoded ", v) for v in values]
    kept: list[str] = []
    for _, addr in getaddresses(cleaned):
        addr = addr.strip().lower()
        if not addr:
            continue
        if _ADDR_SPEC.match(addr):
            kept.append(addr)
        else:
            flags.add(f"{name}: a value that is not an address was left out", line)
    if not kept and any(v.strip() for v in values) and name != "bcc":
        flags.add(f"{name}: no address could be read from the header", line)
    return kept


def received_ips(values: list[str]) -> list[str]:
    """IP literals of the Received headers, oldest header first, in order within one."""
    found: list[str] = []
    for value in reversed(values):
        seen: set[str] = set()
        for m in _BRACKETED.finditer(value):
            inner = m.group(1) if m.group(1) is not None else m.group(2)
            for token in re.split(r"[\s,;=\[\]]+", inner):
                ip = _ip(token)
                if ip and ip not in seen:
                    seen.add(ip)
                    found.append(ip)
    return found


def _ip(token: str) -> str | None:
    m = _IP_TOKEN.fullmatch(token.strip())
    if not m:
        return None
    try:
        return str(ipaddress.ip_address(m.group(1)))
    except ValueError:
        return None


def subject_digest(raw: str) -> str:
    try:
        text = str(make_header(decode_header(raw)))
    except (LookupError, ValueError, UnicodeError, AssertionError):
        text = raw
    return hashlib.sha256(text.encode("utf-8", "surrogateescape")).hexdigest()


def parse_date(raw: str | None, line: int, time_flags: Flags) -> Any:
    if raw is None:
        time_flags.add(DATE_MISSING, line)
        return None
    try:
        when = parsedate_to_datetime(raw)
    except (ValueError, TypeError, IndexError, OverflowError):
        time_flags.add(DATE_UNPARSEABLE, line)
        return None
    if when.tzinfo is None:
        if _NEG_ZERO.search(raw):
            time_flags.add(DATE_UTC_UNKNOWN_LOCAL, line)
            return when.replace(tzinfo=UTC)
        time_flags.add(DATE_NO_ZONE, line)
        return None
    try:
        return when.astimezone(UTC)
    except (OverflowError, ValueError):
        time_flags.add(DATE_UNPARSEABLE, line)
        return None


def header_row(header: bytes, line: int, flags: Flags, time_flags: Flags) -> dict[str, Any]:
    """The row's header-derived columns; Unreadable when there are no headers at all."""
    if b"\x00" in header:
        raise Unreadable("header block contains a NUL byte (a binary file, not a message?)")
    try:
        msg = _PARSER.parsebytes(header)
        raw_items = msg.raw_items()
    except Exception as exc:  # the stdlib parser is lenient; anything else is unreadable
        raise Unreadable(f"headers cannot be parsed: {type(exc).__name__}: {exc}") from exc
    by_name: dict[str, list[str]] = {}
    for name, value in raw_items:
        key = name.strip().lower()
        by_name.setdefault(key, []).append(_text(str(value), key, line, flags))
    if not by_name:
        raise Unreadable("no header fields found (not an RFC 822 message?)")
    for key in SINGLE:
        if len(by_name.get(key, ())) > 1:
            flags.add(f"header {key} appears more than once (the first is used)", line)
    first = {key: values[0] for key, values in by_name.items()}
    addrs = {k: addresses(by_name.get(k, []), k, line, flags) for k in ADDRESS_HEADERS}
    if len(addrs["from"]) > 1:
        flags.add("from: more than one address (the first is used)", line)
    subject = by_name.get("subject")
    return {
        "message_id": first.get("message-id") or None,
        "date_utc": parse_date(first.get("date"), line, time_flags),
        "date_raw": first.get("date"),
        "from_addr": addrs["from"][0] if addrs["from"] else None,
        "to_addrs": addrs["to"], "cc_addrs": addrs["cc"], "bcc_addrs": addrs["bcc"],
        "subject_sha256": subject_digest(subject[0]) if subject else None,
        "in_reply_to": first.get("in-reply-to") or None,
        "received_ips": received_ips(by_name.get("received", [])),
    }
