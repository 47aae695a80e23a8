"""Timestamp strings found in XML and text exhibits → an instant, or a UK-local naive time.

Accepted shapes (anything else is ``None`` and the caller rejects the record):

=====================================  ===========================  =====================
written                                 example                      read as
=====================================  ===========================  =====================
ASN.1 GeneralizedTime, ``Z``            ``20240601120000Z``,         UTC
                                        ``20240601120000.25Z``
GeneralizedTime with an offset          ``20240601130000+0100``      that offset → UTC
GeneralizedTime, no designator          ``20240601130000``           UK local (flagged)
ISO 8601 with ``Z`` or an offset        ``2024-06-01T13:00:00+01:00`` that offset → UTC
ISO 8601 without an offset              ``2024-06-01T13:00:00``      UK local (flagged)
``dd/mm/yyyy HH:MM[:SS]`` + ``(UTC±h)``  ``01/06/2024 13:00:00(UTC+1)`` that offset → UTC
  or ``UTC±hh:mm``; without: local
=====================================  ===========================  =====================

UK-local times are returned naive; :mod:`linesight_ingest.parsing.row_sink` converts them
in batches with :func:`linesight_ingest.parsing.times.localise` (BST ambiguous and
nonexistent hours flagged, never guessed silently).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone

LOCAL = "Europe/London"

_GT = re.compile(r"^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})?(?:[.,](\d{1,6}))?"
                 r"(Z|[+-]\d{4})?$")
_ISO = re.compile(r"^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2}))?(?:[.,](\d{1,9}))?"
                  r"\s*(Z|[+-]\d{2}:?\d{2})?$")
_DMY = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})\s+(\d{1,2}):(\d{2})(?::(\d{2}))?"
                  r"\s*(?:\(?\s*(?:UTC|GMT)\s*([+-]\d{1,2})(?::?(\d{2}))?\s*\)?|\(?(UTC|GMT)\)?)?$")


@dataclass(frozen=True)
class Stamp:
    """Exactly one of ``utc`` (aware, UTC) or ``local`` (naive, UK local) is set."""

    utc: datetime | None
    local: datetime | None
    source_tz: str


def _offset(sign_hhmm: str) -> timezone:
    sign = -1 if sign_hhmm[0] == "-" else 1
    digits = sign_hhmm[1:].replace(":", "")
    hours, minutes = int(digits[:-2] or 0), int(digits[-2:])
    if hours > 14 or minutes > 59:
        raise ValueError("offset out of range")
    return timezone(sign * timedelta(hours=hours, minutes=minutes))


def _tz_name(tz: timezone) -> str:
    off = tz.utcoffset(None)
    if not off:
        return "UTC"
    total = int(off.total_seconds()) // 60
    sign = "+" if total >= 0 else "-"
    return f"UTC{sign}{abs(total) // 60:02d}:{abs(total) % 60:02d}"


def _build(y, mo, d, h, mi, s, frac, tz: timezone | None) -> Stamp | None:
    try:
        micro = int((frac or "0")[:6].ljust(6, "0"))
        naive = datetime(int(y), int(mo), int(d), int(h), int(mi), int(s or 0), micro)
    except ValueError:
        return None
    if tz is None:
        return Stamp(utc=None, local=naive, source_tz=LOCAL)
    return Stamp(utc=naive.replace(tzinfo=tz).astimezone(UTC), local=None,
                 source_tz=_tz_name(tz))


def parse_stamp(text: str | None) -> Stamp | None:
    """The instant ``text`` names, or None when it is none of the accepted shapes."""
    if not text:
        return None
    text = text.strip()
    try:
        if m := _GT.match(text):
            y, mo, d, h, mi, s, frac, z = m.groups()
            tz = None if z is None else (UTC if z == "Z" else _offset(z))
            return _build(y, mo, d, h, mi, s, frac, tz)
        if m := _ISO.match(text):
            y, mo, d, h, mi, s, frac, z = m.groups()
            tz = None if z is None else (UTC if z == "Z" else _offset(z))
            return _build(y, mo, d, h, mi, s, frac, tz)
        if m := _DMY.match(text):
            d, mo, y, h, mi, s, oh, om, utc_word = m.groups()
            tz = UTC if utc_word else (
                _offset(f"{oh[0]}{abs(int(oh)):02d}{om or '00'}") if oh else None)
            return _build(y, mo, d, h, mi, s, None, tz)
    except ValueError:
        return None
    return None


def parse_duration(text: str | None) -> int | None:
    """Whole seconds from ``65``, ``00:01:05``, ``1:05`` or ``PT1M5S``; None if not one."""
    if text is None:
        return None
    t = text.strip()
    if re.fullmatch(r"\d{1,9}", t):
        return int(t)
    if m := re.fullmatch(r"(?:(\d{1,6}):)?(\d{1,2}):(\d{2})(?:\.\d+)?", t):
        h, mi, s = int(m.group(1) or 0), int(m.group(2)), int(m.group(3))
        return h * 3600 + mi * 60 + s if s < 60 and (m.group(1) is None or mi < 60) else None
    if m := re.fullmatch(r"PT(?:(\d{1,6})H)?(?:(\d{1,6})M)?(?:(\d{1,9})(?:\.\d+)?S)?", t):
        if t == "PT":
            return None
        return int(m.group(1) or 0) * 3600 + int(m.group(2) or 0) * 60 + int(m.group(3) or 0)
    return None
