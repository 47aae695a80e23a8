"""Cellebrite UFED ``report.xml`` models → rows of events, messages, contacts and cells.

A model is ``<model type="Call" deleted_state="Intact">`` with ``<field name="...">
<value type="...">text</value></field>`` children, single nested models in
``<modelField name="...">`` and lists in ``<multiModelField name="...">``. Each function
takes one model and returns ``(table, row)`` pairs or raises :class:`Refuse` with the
field, value and reason of the reject.
"""

from __future__ import annotations

from xml.etree.ElementTree import Element

from linesight_ingest.parsing.cell_ids import parse_cell, parse_coordinate
from linesight_ingest.parsing.handset.common import Device, deleted_state, time_fields
from linesight_ingest.parsing.safe_xml import local
from linesight_ingest.parsing.stamps import parse_duration, parse_stamp

PHONE_SOURCES = {"", "phone", "native", "native messages", "sim", "telephony", "call log"}


class Refuse(ValueError):
    def __init__(self, field: str | None, value: str | None, reason: str) -> None:
        super().__init__(reason)
        self.field, self.value, self.reason = field, value, reason


def fields(model: Element) -> dict[str, str]:
    """Direct ``field`` children: name → text of the (first) value."""
    out: dict[str, str] = {}
    for f in model:
        if local(f.tag) == "field" and "name" in f.attrib:
            value = next((v for v in f if local(v.tag) == "value"), None)
            text = "".join((value if value is not None else f).itertext()).strip()
            out.setdefault(f.attrib["name"], text)
    return out


def nested(model: Element, name: str) -> list[Element]:
    """Models inside ``modelField``/``multiModelField`` called ``name``."""
    for f in model:
        if local(f.tag) in ("modelField", "multiModelField") and f.attrib.get("name") == name:
            return [m for m in f if local(m.tag) == "model"]
    return []


def _party(p: Element) -> dict:
    f = fields(p)
    return {"id": f.get("Identifier") or None, "name": f.get("Name") or None,
            "role": (f.get("Role") or "").lower(),
            "owner": (f.get("IsPhoneOwner") or "").lower() == "true"}


def _when(f: dict[str, str], *names: str) -> tuple[dict, str | None]:
    raw = next((f[n] for n in names if f.get(n)), None)
    stamp = parse_stamp(raw)
    if stamp is None:
        raise Refuse(names[0], raw, "time stamp missing or not a date and time")
    return time_fields(stamp), raw


def call(model: Element, dev: Device) -> list[tuple[str, dict]]:
    f = fields(model)
    source = (f.get("Source") or "").strip()
    if source.lower() not in PHONE_SOURCES:
        raise Refuse("Source", source, "call made in an app, not on the phone network "
                     "(events has no app column; not read as a network call)")
    if deleted_state(model.attrib.get("deleted_state")):
        raise Refuse("deleted_state", "Deleted", "deleted call-log entry (recovered): events "
                     "has no deleted flag, so it is listed here instead")
    words = {(f.get(k) or "").lower() for k in ("Direction", "Type", "Status")}
    if "outgoing" in words or "dialed" in words:
        direction = "out"
    elif words & {"incoming", "missed", "rejected", "received"}:
        direction = "in"
    else:
        raise Refuse("Direction", f.get("Direction"), "call direction not incoming, outgoing "
                     "or missed")
    kind = "missed" if direction == "in" and words & {"missed", "rejected"} else "voice"
    when, raw = _when(f, "TimeStamp", "StartTime", "Date")
    dur_raw = f.get("Duration") or None
    duration = parse_duration(dur_raw) if dur_raw else None
    if dur_raw and duration is None:
        raise Refuse("Duration", dur_raw, "duration is not hh:mm:ss or seconds")
    parties = [_party(p) for p in nested(model, "Parties")]
    others = [p for p in parties if not p["owner"]]
    want = "to" if direction == "out" else "from"
    other = next((p for p in others if p["role"] == want), others[0] if others else None)
    other_id = other["id"] if other else None
    me = dev.msisdn
    a, b = (me, other_id) if direction == "out" else (other_id, me)
    row = {"subject": None, ("_party", "subject"): me, ("_party", "a"): a, ("_party", "b"): b,
           "direction": direction, "kind": kind, "duration_s": duration,
           "start_local_raw": raw, "imei": dev.imei, "imsi": dev.imsi,
           "first_cell": None, "last_cell": None, "charging_id": None,
           "start_utc": when.pop("_utc"), **when}
    if direction == "in" and not other_id:
        row[("_kind", "a")] = "withheld"
    return [("events", row)]


def message(model: Element, dev: Device, participants: list[dict] | None = None,
            app: str | None = None) -> list[tuple[str, dict]]:
    f = fields(model)
    kind = model.attrib.get("type", "")
    when, _raw = _when(f, "TimeStamp", "DateSent", "DateDelivered", "DateRead")
    sender = nested(model, "From")
    parties = [_party(p) for p in nested(model, "Parties")] + \
        [{**_party(p), "role": "from"} for p in sender] + \
        [{**_party(p), "role": "to"} for p in nested(model, "To")]
    frm = next((p for p in parties if p["role"] == "from"), None)
    folder = (f.get("Folder") or f.get("Type") or "").lower()
    outgoing = (frm["owner"] if frm else False) or folder in ("sent", "outbox", "outgoing")
    to = [p["id"] for p in parties if p["role"] == "to" and p["id"]]
    if not to and participants:
        to = [p["id"] for p in participants if p["id"] and p is not frm and
              (p["id"] != (frm or {}).get("id")) and not (outgoing and p["owner"])]
    from_raw = frm["id"] if frm and frm["id"] else (dev.msisdn if outgoing else None)
    if not outgoing and not to and dev.msisdn:
        to = [dev.msisdn]
    return [("messages", {
        "app": "sms" if kind == "SMS" else "mms" if kind == "MMS" else
        (app or f.get("Source") or "im").strip().lower(),
        "direction": "out" if outgoing else "in", ("_party", "from"): from_raw,
        "_to": to, "sent_utc": when.pop("_utc"), "body": f.get("Body") or None,
        "deleted": deleted_state(model.attrib.get("deleted_state")), **when})]


def chat(model: Element, dev: Device) -> list[list[tuple[str, dict]] | Refuse]:
    """A ``Chat``: each nested ``InstantMessage`` read on its own (a list per message)."""
    participants = [_party(p) for p in nested(model, "Participants")]
    app = fields(model).get("Source")
    out: list[list[tuple[str, dict]] | Refuse] = []
    for m in nested(model, "Messages"):
        try:
            out.append(message(m, dev, participants, app))
        except Refuse as exc:
            out.append(exc)
    return out


def contact(model: Element, dev: Device) -> list[tuple[str, dict]]:
    f = fields(model)
    deleted = deleted_state(model.attrib.get("deleted_state"))
    entries = nested(model, "Entries") + nested(model, "PhoneNumbers")
    numbers = [fields(e).get("Value") for e in entries
               if e.attrib.get("type") == "PhoneNumber" and fields(e).get("Value")]
    email = next((fields(e).get("Value") for e in entries
                  if e.attrib.get("type") == "EmailAddress" and fields(e).get("Value")), None)
    name = f.get("Name") or None
    if not numbers and not name and not email:
        raise Refuse("Name", None, "contact with no name, number or e-mail address")
    return [("contacts", {"name": name, ("_party", "number"): n, "email": email,
                          "deleted": deleted}) for n in (numbers or [None])]


def cell_tower(model: Element, dev: Device) -> list[tuple[str, dict]]:
    f = {k.lower(): v for k, v in fields(model).items()}
    mcc, mnc = f.get("mcc", ""), f.get("mnc", "")
    lac = f.get("lac") or f.get("tac") or ""
    ci = f.get("cid") or f.get("cellid") or f.get("ci") or f.get("eci") or ""
    text = f"{mcc}-{mnc}-{lac}-{ci}" if lac else f"{mcc}-{mnc}-{ci}"
    ident = parse_cell(text)
    if ident is None:
        raise Refuse("MCC/MNC/LAC/CID", text, "not a CGI or ECGI")
    pos = nested(model, "Position")
    pf = {k.lower(): v for k, v in (fields(pos[0]) if pos else f).items()}
    lat = parse_coordinate(pf.get("latitude"), latitude=True)
    lon = parse_coordinate(pf.get("longitude"), latitude=False)
    stamp = parse_stamp(f.get("timestamp"))
    seen = stamp.utc if stamp else None
    return [("cells", {**ident, "lat": lat, "lon": lon, "valid_from": seen, "valid_to": seen,
                       "source": "handset"})]


READERS = {"Call": call, "SMS": message, "MMS": message, "InstantMessage": message,
           "Contact": contact, "CellTower": cell_tower}
