"""One ETSI TS 102 657 ``RetainedDataRecord`` element → an ``events`` row, cells, rejects.

Element names are matched on their local name, case-insensitively, so both the XER
spelling of the ASN.1 (``globalCellID``) and common vendor spellings (``globalCellId``)
are read. Enumerations may be written as XER empty elements (``<partyRole><originating/>
</partyRole>``) or as text (``<partyRole>originating</partyRole>``). What is read, and
how, is listed in ``services/ingest/docs/etsi-ts-102-657.md``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from xml.etree.ElementTree import Element

from linesight_ingest.parsing.cell_ids import parse_cell, parse_coordinate
from linesight_ingest.parsing.safe_xml import local
from linesight_ingest.parsing.stamps import Stamp, parse_duration, parse_stamp

ROLES = {"originating": "a", "originatingparty": "a", "calling": "a",
         "terminating": "b", "terminatingparty": "b", "called": "b",
         "forwardedto": "fwd", "forwarded": "fwd", "redirecting": "fwd"}
SERVICES = {"speech": "voice", "voice": "voice", "telephony": "voice", "telephonyspeech": "voice",
            "audio": "voice", "video": "voice", "sms": "sms", "shortmessage": "sms",
            "shortmessageservice": "sms", "mms": "mms", "multimediamessage": "mms"}
NOT_ANSWERED = {"notanswered", "unanswered", "noanswer", "busy", "missed", "rejected"}
CELL_TAGS = ("globalcellid", "cgi", "ecgi", "cellid", "sai")


@dataclass
class Problem:
    element: str
    value: str | None
    reason: str


@dataclass
class Cell:
    ident: dict
    lat: float | None = None
    lon: float | None = None
    azimuth: float | None = None


@dataclass
class Outcome:
    """An accepted record (``row``) or its problems; ``cells`` seen with coordinates."""

    row: dict | None = None
    problems: list[Problem] = field(default_factory=list)
    cells: list[Cell] = field(default_factory=list)
    stamp: Stamp | None = None
    notes: list[str] = field(default_factory=list)


def _lc(e: Element) -> str:
    return local(e.tag).lower()


def kid(e: Element | None, *names: str) -> Element | None:
    """First direct child with one of ``names`` (lower-case local names)."""
    if e is None:
        return None
    return next((c for c in e if _lc(c) in names), None)


def deep(e: Element | None, *names: str) -> Element | None:
    if e is None:
        return None
    return next((c for c in e.iter() if c is not e and _lc(c) in names), None)


def text(e: Element | None) -> str | None:
    if e is None:
        return None
    value = "".join(e.itertext()).strip()
    return value or None


def enum(e: Element | None) -> str | None:
    """An enumeration: the first empty child's name (XER) or the text, lower-cased."""
    if e is None:
        return None
    for c in e:
        if not len(c) and not (c.text or "").strip():
            return _lc(c)
    value = text(e)
    return value.lower().replace("-", "").replace("_", "").replace(" ", "") if value else None


def read_location(loc: Element | None, out: Outcome, where: str) -> str | None:
    """The CGI/ECGI of a ``location`` element (recording its coordinates), else None."""
    if loc is None:
        return None
    ident_el = deep(loc, *CELL_TAGS)
    if ident_el is None:
        out.notes.append("location without a cell identity")
        return None
    raw = text(ident_el)
    ident = parse_cell(raw, lte_hint=_lc(ident_el) == "ecgi")
    if ident is None:
        out.problems.append(Problem(f"{where}/{local(ident_el.tag)}", raw,
                                    "not a CGI or ECGI (dashed decimal or 7 hex octets)"))
        return None
    geo = deep(loc, "geocoordinates", "geographicalcoordinates", "geographiccoordinates")
    if geo is not None:
        datum = enum(kid(geo, "mapdatum"))
        lat = parse_coordinate(text(kid(geo, "latitude")), latitude=True)
        lon = parse_coordinate(text(kid(geo, "longitude")), latitude=False)
        az_text = text(kid(geo, "azimuth"))
        azimuth = float(az_text) if az_text and az_text.isdigit() and int(az_text) < 360 \
            else None
        if datum not in (None, "wgs84"):
            out.notes.append(f"coordinates in map datum {datum!r} not read (WGS84 only)")
        elif lat is None or lon is None:
            out.notes.append("cell coordinates unreadable, cell position not kept")
        else:
            out.cells.append(Cell(ident, lat, lon, azimuth))
    return ident["cgi"]


def read_time(ct: Element | None, out: Outcome, where: str) -> tuple[Stamp | None, int | None]:
    """Start and duration from ``communicationTime`` (start + end, or start + duration)."""
    if ct is None:
        out.problems.append(Problem(where, None, "communicationTime missing"))
        return None, None
    start_el = kid(ct, "starttime", "timestamp", "begintime", "sessionstarttime")
    if start_el is None and not len(ct):
        start_el = ct  # a bare GeneralizedTime
    raw = text(start_el)
    start = parse_stamp(raw)
    if start is None:
        out.problems.append(Problem(f"{where}/startTime", raw,
                                    "start time missing or not a GeneralizedTime"))
        return None, None
    dur_el, end_el = kid(ct, "duration"), kid(ct, "endtime", "sessionendtime")
    duration = None
    if dur_el is not None:
        duration = parse_duration(text(dur_el))
        if duration is None:
            out.problems.append(Problem(f"{where}/duration", text(dur_el),
                                        "duration is not whole seconds"))
    elif end_el is not None:
        end = parse_stamp(text(end_el))
        if end is None or (end.utc is None) != (start.utc is None):
            out.problems.append(Problem(f"{where}/endTime", text(end_el),
                                        "end time not a GeneralizedTime like the start"))
        else:
            a, b = (start.utc, end.utc) if start.utc else (start.local, end.local)
            duration = int((b - a).total_seconds())
            if duration < 0:
                out.problems.append(Problem(f"{where}/endTime", text(end_el),
                                            "end time before start time"))
    return start, duration
