"""Cell identities and coordinates as XML/handset exhibits write them → ``cells`` columns.

Cell identities (the CGI string matches the CDR parser's: LAC, CI and ECI without
leading zeros, MCC and MNC as written, because MNC ``03`` and ``003`` differ):

* dashed decimal ``MCC-MNC-LAC-CI`` (2G/3G CGI) or ``MCC-MNC-ECI`` (4G ECGI);
* ETSI/3GPP octets in hex: a 7-octet CGI (3 octets PLMN in TBCD, 2 LAC, 2 CI) when the
  element is a CGI (``globalCellID``), or 3 PLMN + 4 octets holding the 28-bit ECI when
  it is an ECGI (``eCGI``). 3GPP TS 24.008 §10.5.1.3 / TS 29.274 §8.21.5 layout.

Coordinates: decimal degrees (``51.50722``), or the ETSI LI ``XDDMMSS.SS`` /
``XDDDMMSS.SS`` strings (``N513026.00``, ``W0000739.00``) of TS 102 232 / TS 101 671.
"""

from __future__ import annotations

import re

_DASHED_CGI = re.compile(r"^(\d{3})-(\d{2,3})-0*(\d{1,5})-0*(\d{1,9})$")
_DASHED_ECGI = re.compile(r"^(\d{3})-(\d{2,3})-0*(\d{1,9})$")
_HEX = re.compile(r"^(?:0x)?([0-9A-Fa-f]{14})$")
_DMS = re.compile(r"^([NSEW])(\d{2,3})(\d{2})(\d{2}(?:\.\d+)?)$")


def _plmn(octets: bytes) -> tuple[str, str] | None:
    """TBCD PLMN (3 octets) → (MCC, MNC); MNC has 2 digits when its filler is F."""
    nib = [octets[0] & 0xF, octets[0] >> 4, octets[1] & 0xF, octets[1] >> 4,
           octets[2] & 0xF, octets[2] >> 4]
    mcc_d = (nib[0], nib[1], nib[2])
    mnc_d = (nib[4], nib[5]) if nib[3] == 0xF else (nib[4], nib[5], nib[3])
    if any(d > 9 for d in (*mcc_d, *mnc_d)):
        return None
    return "".join(map(str, mcc_d)), "".join(map(str, mnc_d))


def _row(mcc: str, mnc: str, lac: int | None, ci: int, lte: bool) -> dict:
    if lte:
        if ci >= 1 << 28:
            return {}
        return {"cgi": f"{mcc}-{mnc}-{ci}", "radio": "LTE", "mcc": int(mcc), "mnc": int(mnc),
                "lac": None, "cell_id": ci, "enodeb_id": ci >> 8, "sector": ci & 0xFF}
    if lac is None or lac > 0xFFFF or ci > 0xFFFF_FFF:
        return {}
    return {"cgi": f"{mcc}-{mnc}-{lac}-{ci}", "radio": None, "mcc": int(mcc), "mnc": int(mnc),
            "lac": lac, "cell_id": ci, "enodeb_id": None, "sector": None}


def parse_cell(text: str | None, *, lte_hint: bool = False) -> dict | None:
    """``cells`` identity columns for a written cell identity, or None if not one."""
    if not text:
        return None
    t = text.strip().replace(" ", "")
    if m := _DASHED_CGI.match(t):
        return _row(m[1], m[2], int(m[3]), int(m[4]), lte=False) or None
    if m := _DASHED_ECGI.match(t):
        return _row(m[1], m[2], None, int(m[3]), lte=True) or None
    if m := _HEX.match(t):
        raw = bytes.fromhex(m[1])
        plmn = _plmn(raw[:3])
        if plmn is None:
            return None
        if lte_hint:
            return _row(*plmn, None, int.from_bytes(raw[3:], "big") & 0x0FFF_FFFF,
                        lte=True) or None
        return _row(*plmn, int.from_bytes(raw[3:5], "big"), int.from_bytes(raw[5:], "big"),
                    lte=False) or None
    return None


def parse_coordinate(text: str | None, *, latitude: bool) -> float | None:
    """Degrees (north/east positive) from decimal or ``XDDMMSS.SS``; None if invalid."""
    if not text:
        return None
    t = text.strip()
    limit = 90.0 if latitude else 180.0
    if m := _DMS.match(t):
        hemi, deg, minutes, secs = m[1], int(m[2]), int(m[3]), float(m[4])
        if (hemi in "NS") != latitude or minutes >= 60 or secs >= 60:
            return None
        value = deg + minutes / 60 + secs / 3600
        value = -value if hemi in "SW" else value
    else:
        try:
            value = float(t)
        except ValueError:
            return None
    if not -limit <= value <= limit:  # also False for NaN
        return None
    return round(value, 7)
