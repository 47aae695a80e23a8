"""Subscriber identifiers as written → canonical text, or the reason they are refused.

MSISDNs go through :func:`linesight_ingest.parsing.numbers.normalise_parties` (GB
default, a :class:`NumberBook` per parse, one call per batch) and must be valid numbers.
One rule is stricter than the CDR layout: digits with neither a trunk ``0``, a ``+``/``00``
nor country code ``44`` (``7700900123``) are refused, because that is what a spreadsheet
makes of ``07700900123`` and reading it as ``+7…`` would attribute the number to the
wrong country. IMSIs are 14-15 digits, IMEIs 14-16 (IMEISV), spaces and dashes removed;
the check digit is not enforced (operators write 14-digit IMEIs and zero check digits).
"""

from __future__ import annotations

import re

import polars as pl

from linesight_ingest.parsing.numbers import E164, NumberBook, normalise_parties

BAD_MSISDN = "not a valid phone number"
LOST_ZERO = ("digits with no trunk 0, + or country code 44 (a spreadsheet may have "
             "dropped the leading 0); not guessed")
BAD_IMSI = "IMSI is not 14 or 15 digits"
BAD_IMEI = "IMEI is not 14 to 16 digits"

_SEPARATORS = re.compile(r"[\s\-\./()]")
_BARE = re.compile(r"^[1-9]\d+$")


def msisdns(raws: list[str], book: NumberBook) -> dict[str, tuple[str | None, str | None]]:
    """Each distinct non-blank raw string → (E.164, None) or (None, reason)."""
    distinct = sorted({r for r in raws if r.strip()})
    if not distinct:
        return {}
    found = normalise_parties(pl.Series("raw", distinct, dtype=pl.String), book)
    out: dict[str, tuple[str | None, str | None]] = {}
    for raw, number, kind in zip(distinct, found["number"], found["kind"], strict=True):
        clean = _SEPARATORS.sub("", raw)
        if _BARE.match(clean) and not clean.startswith("44"):
            out[raw] = (None, LOST_ZERO)
        elif kind == E164 and number:
            out[raw] = (number, None)
        else:
            out[raw] = (None, BAD_MSISDN)
    return out


def digits(raw: str, low: int, high: int) -> str | None:
    """``raw`` without spaces and dashes, when it is ``low``-``high`` digits."""
    clean = _SEPARATORS.sub("", raw)
    return clean if re.fullmatch(rf"\d{{{low},{high}}}", clean) else None


def imsi(raw: str) -> str | None:
    return digits(raw, 14, 15)


def imei(raw: str) -> str | None:
    return digits(raw, 14, 16)
