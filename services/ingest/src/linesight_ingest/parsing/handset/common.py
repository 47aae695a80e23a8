"""What every handset-download format shares: the handset's id, its identity, row starts.

``handset_id`` is ``hs-`` + the first 20 hex digits of SHA-256 of ``"<exhibit_id>#<n>"``
(``n`` the device's 0-based index in the download; 0 for a single-device report). It is
known before any record is read, so rows can be streamed, and stays the same when the
download is parsed again; the IMEI is *not* used because a download may have none, or
reveal it only after the data (and two downloads of one phone are separate exhibits).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from linesight_ingest.parsing.stamps import Stamp, parse_stamp


def handset_id(exhibit_id: str, index: int = 0) -> str:
    return "hs-" + hashlib.sha256(f"{exhibit_id}#{index}".encode()).hexdigest()[:20]


@dataclass
class Device:
    """The downloaded handset's identity as it is learned from the report."""

    handset_id: str
    imei: str | None = None
    imsi: str | None = None
    iccid: str | None = None
    msisdn: str | None = None
    model: str | None = None
    tool: str | None = None
    extracted: Stamp | None = None
    source_row: int | None = None
    source_ref: str | None = None
    extra: dict[str, str] = field(default_factory=dict)

    def learn(self, key: str, value: str | None) -> None:
        """Take one ``name``/value from a device-info block (first value wins)."""
        if not value or not value.strip():
            return
        k, v = key.lower().replace(" ", "").replace("_", ""), value.strip()
        slot = next((s for s, names in _SLOTS.items() if k in names), None)
        if slot == "extracted":
            if self.extracted is None:
                self.extracted = parse_stamp(v)
        elif slot and getattr(self, slot) is None:
            setattr(self, slot, v)

    def row(self) -> dict:
        stamp = self.extracted
        return {"source_row": self.source_row, "source_ref": self.source_ref,
                "handset_id": self.handset_id, "imei": self.imei, "imsi": self.imsi,
                ("_party", "msisdn"): self.msisdn, "iccid": self.iccid, "model": self.model,
                "extraction_tool": self.tool,
                "extracted_utc": stamp.utc if stamp else None,
                "_local": stamp.local if stamp else None}


_SLOTS = {
    "imei": {"imei", "deviceinfoimei", "imei1", "imei/meid"},
    "imsi": {"imsi", "deviceinfoimsi", "lastusedimsi"},
    "iccid": {"iccid", "deviceinfoiccid", "lastusediccid", "simiccid"},
    "msisdn": {"msisdn", "phonenumber", "deviceinfophonenumber", "ownnumber", "lastusedmsisdn",
               "mobilenumber"},
    "model": {"deviceinfodetectedmodel", "model", "devicemodel", "deviceinfoselecteddevicename",
              "detectedphonemodel", "device"},
    "tool": {"ufedpaversion", "deviceinfounitversion", "extractiontool", "xryversion",
             "extractionsoftware", "program", "software"},
    "extracted": {"deviceinfoextractionstartdatetime", "extractionstartdatetime",
                  "extractiondate", "examinationdate", "extractiontime", "dateofextraction",
                  "extractionstart"},
}


def deleted_state(value: str | None) -> bool | None:
    """UFED ``deleted_state`` / XRY ``Deleted``: True, False, or None when unknown."""
    v = (value or "").strip().lower()
    if v in ("deleted", "trash", "yes", "true", "deleted (recovered)"):
        return True
    if v in ("intact", "no", "false", "active", "existing"):
        return False
    return None


def time_fields(stamp: Stamp, clock: str | None = None) -> dict:
    """Row keys for a start time: UTC now, or UK-local for the sink (flagged)."""
    flags = [clock] if clock else []
    if stamp.local is not None:
        flags.append("assumed_uk_local")
    return {"_utc": stamp.utc, "_local": stamp.local, "_flags": flags,
            "source_tz": stamp.source_tz}
