"""Telephony and network-access records → one ``events`` row each (see records.py).

The *served party* (the subscriber the operator holds data on, so the exhibit's subject)
is the party carrying an IMSI; if none or both do, the one with a location; if still
undecided, the originating party, and the record is counted in a warning
(``served party inferred``) so the choice is never silent.
"""

from __future__ import annotations

import re
from xml.etree.ElementTree import Element

from linesight_ingest.parsing.etsi_xml.records import (
    NOT_ANSWERED,
    ROLES,
    SERVICES,
    Outcome,
    Problem,
    deep,
    enum,
    kid,
    read_location,
    read_time,
    text,
)

INFERRED = "served party inferred (no single party carries an IMSI or location)"


def _ident(value: str | None, digits: tuple[int, int]) -> str | None | bool:
    """The digits, None when absent, False when malformed."""
    if value is None:
        return None
    v = value.strip()
    return v if re.fullmatch(rf"\d{{{digits[0]},{digits[1]}}}", v) else False


def _identities(e: Element, out: Outcome, where: str) -> tuple[str | None, str | None]:
    imei, imsi = _ident(text(kid(e, "imei")), (14, 16)), _ident(text(kid(e, "imsi")), (14, 15))
    if imei is False:
        out.problems.append(Problem(f"{where}/imei", text(kid(e, "imei")),
                                    "IMEI is not 14 to 16 digits"))
    if imsi is False:
        out.problems.append(Problem(f"{where}/imsi", text(kid(e, "imsi")),
                                    "IMSI is not 14 or 15 digits"))
    return (imei or None), (imsi or None)  # type: ignore[return-value]


def telephony(usage: Element, out: Outcome) -> None:
    """``telephonyServiceUsage`` (or a bare ``telephonyRecord``) → ``out.row``."""
    parties: dict[str, dict] = {}
    info = kid(usage, "partyinformation")
    for p in (info if info is not None else []):
        where = f"partyInformation/{p.tag.rsplit('}', 1)[-1]}"
        role_raw = enum(kid(p, "partyrole"))
        role = ROLES.get(role_raw or "")
        if role is None:
            out.problems.append(Problem(f"{where}/partyRole", role_raw,
                                        "party role not originating, terminating or forwardedTo"))
            continue
        imei, imsi = _identities(p, out, where)
        locs = [c for c in p if c.tag.rsplit("}", 1)[-1].lower() in ("location", "endlocation")]
        cells = [read_location(c, out, f"{where}/location") for c in locs]
        parties[role] = {"number": text(kid(p, "partynumber")), "imei": imei, "imsi": imsi,
                         "first": cells[0] if cells else None,
                         "last": cells[-1] if len(cells) > 1 else None}
    start, duration = read_time(kid(usage, "communicationtime"), out, "communicationTime")
    service_el = kid(usage, "telephonyservicetype", "servicetype", "teleservice")
    service = SERVICES.get(enum(service_el) or "")
    if service is None:
        out.problems.append(Problem("telephonyServiceType", text(service_el) or enum(service_el),
                                    "service type missing or not speech, SMS or MMS"))
    if "a" not in parties and "b" not in parties:
        out.problems.append(Problem("partyInformation", None,
                                    "no originating or terminating party"))
    if out.problems:
        return
    served_role = _served(parties, out)
    served = parties[served_role]
    direction = {"a": "out", "b": "in", "fwd": "forward"}[served_role]
    status = enum(kid(usage, "callstatus"))
    kind = "missed" if service == "voice" and direction == "in" and status in NOT_ANSWERED \
        else service
    a, b = parties.get("a", {}), parties.get("b") or parties.get("fwd", {})
    out.stamp = start
    out.row = {
        "direction": direction, "kind": kind, "duration_s": duration,
        ("_party", "subject"): served["number"],
        ("_party", "a"): a.get("number"), ("_party", "b"): b.get("number"),
        "imei": served["imei"], "imsi": served["imsi"],
        "first_cell": served["first"], "last_cell": served["last"], "charging_id": None,
    }
    if direction in ("in", "forward") and not (a.get("number") or "").strip():
        out.row[("_kind", "a")] = "withheld"


def _served(parties: dict[str, dict], out: Outcome) -> str:
    for test in (lambda p: p["imsi"], lambda p: p["first"]):
        hits = [r for r in ("a", "b", "fwd") if r in parties and test(parties[r])]
        if len(hits) == 1:
            return hits[0]
    out.notes.append(INFERRED)
    return "a" if "a" in parties else next(iter(sorted(parties)))


def network_access(usage: Element, out: Outcome) -> None:
    """``nwAccessServiceUsage`` (GPRS/EPS data session) → ``out.row`` of kind ``data``."""
    gprs = kid(usage, "gprsinformation", "epsinformation", "packetdatainformation")
    imei, imsi = _identities(usage, out, "nwAccessServiceUsage")
    msisdn = text(kid(usage, "msisdn", "subscribernumber", "partynumber"))
    if msisdn is None and gprs is not None:
        msisdn = text(kid(gprs, "msisdn"))
    time_el = kid(usage, "communicationtime", "sessiontime")
    start, duration = read_time(time_el, out, "communicationTime")
    locs = [c for c in (gprs if gprs is not None else usage)
            if c.tag.rsplit("}", 1)[-1].lower() in ("location", "endlocation")]
    cells = [read_location(c, out, "gprsInformation/location") for c in locs]
    charging = text(deep(usage, "chargingid", "gprschargingid", "chargingidentifier"))
    apn = text(deep(usage, "apn", "accesspointname"))
    if msisdn is None and imsi is None:
        out.problems.append(Problem("nwAccessServiceUsage", None,
                                    "data session names neither MSISDN nor IMSI"))
    if out.problems:
        return
    out.stamp = start
    out.row = {
        "direction": "out", "kind": "data", "duration_s": duration,
        ("_party", "subject"): msisdn, ("_party", "a"): msisdn, ("_party", "b"): apn,
        ("_kind", "b"): "absent" if apn is None else "invalid",
        "imei": imei, "imsi": imsi, "first_cell": cells[0] if cells else None,
        "last_cell": cells[-1] if len(cells) > 1 else None, "charging_id": charging,
    }


def read_record(rec: Element) -> Outcome:
    """Dispatch on the record's CHOICE: telephony or network access."""
    out = Outcome()
    tel = kid(rec, "telephonyrecord")
    nw = kid(rec, "networkaccessrecord")
    if tel is not None:
        usage = kid(tel, "telephonyserviceusage")
        usage = tel if usage is None else usage
        telephony(usage, out)
    elif nw is not None:
        usage = kid(nw, "nwaccessserviceusage", "networkaccessserviceusage")
        usage = nw if usage is None else usage
        network_access(usage, out)
    else:
        first = next(iter(rec), None)
        name = first.tag.rsplit("}", 1)[-1] if first is not None else None
        out.problems.append(Problem("RetainedDataRecord", name,
                                    "record is not a telephonyRecord or networkAccessRecord"))
    return out
