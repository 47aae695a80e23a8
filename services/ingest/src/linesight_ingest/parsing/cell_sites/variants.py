"""Which kind of cell list a header belongs to, and where each known column sits.

Three variants are read (``docs/cell-sites.md`` lists every column):

* ``operator``: an operator's cell list. Column names vary between operators, so each
  key has aliases, matched case-, space- and punctuation-insensitively (``Valid From``,
  ``valid_from`` and ``VALIDFROM`` are one column). It needs a cell identity (a
  ``CGI``/``ECGI`` column, or ``MCC``, ``MNC``, ``LAC``/``TAC`` and ``CI``/``ECI``) and a
  position (``Latitude`` + ``Longitude``, or an OS grid reference).
* ``opencellid``: the OpenCelliD CSV export (``radio,mcc,net,area,cell,...``).
* ``sitefinder``: Ofcom's legacy Sitefinder mast list (``operator,operator_ref,site_ngr``).

The variant chosen is the most specific whose required columns are all present;
``confidence`` is the share of the header's columns that variant knows.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

OPERATOR, OPENCELLID, SITEFINDER = "operator", "opencellid", "sitefinder"

_OPERATOR_ALIASES = {
    "cgi": ("cgi", "ecgi", "cgiecgi", "cellglobalid", "cellglobalidentity", "ncgi"),
    "mcc": ("mcc",), "mnc": ("mnc",),
    "lac": ("lac", "tac", "lactac", "lacortac"),
    "ci": ("ci", "eci", "cellid", "cellidentity", "nci", "ciorecl", "cieci"),
    "radio": ("radio", "rat", "technology", "tech", "generation"),
    "lat": ("lat", "latitude", "latwgs84", "latitudewgs84"),
    "lon": ("lon", "long", "lng", "longitude", "lonwgs84", "longitudewgs84"),
    "ngr": ("ngr", "gridref", "gridreference", "osgridref", "osgridreference",
            "nationalgridreference", "sitengr"),
    "azimuth": ("azimuth", "azimuthdeg", "azi", "bearing", "az"),
    "beamwidth": ("beamwidth", "beamwidthdeg", "hbw", "horizontalbeamwidth"),
    "site_name": ("sitename", "site", "name"),
    "site_id": ("siteid", "sitecode", "siteref"),
    "postcode": ("postcode", "postalcode"),
    "valid_from": ("validfrom", "from", "startdate", "livedate", "onairdate"),
    "valid_to": ("validto", "to", "enddate", "offairdate"),
    "range_m": ("range", "rangem", "radiusm"),
}
_OPENCELLID = ("radio", "mcc", "net", "area", "cell", "unit", "lon", "lat", "range",
               "samples", "changeable", "created", "updated", "averagesignal")
_SITEFINDER = {
    "operator": ("operator",), "operator_ref": ("operatorref",), "ngr": ("sitengr",),
    "height": ("antennaheight", "height"), "type": ("type",), "band": ("band",),
    "antenna_type": ("antennatype",), "power": ("powerdbw", "power"),
}
# Columns BathHacked added to the Sitefinder extract (derived, not Ofcom's): known, unused.
_SITEFINDER_EXTRA = ("maxlicensedpowerpercarrierdbw", "maxlicensedpowerpercarrierdbm",
                     "location", "ward", "lowerlayersuperoutputareaslsoa",
                     "outputareasoa", "middlelayersuperoutputareasmsoa", "boundary")


def norm(name: str) -> str:
    return re.sub(r"[^0-9a-z]", "", name.casefold())


@dataclass
class Variant:
    """The detected variant, its column positions (key → index) and the header's notes."""

    name: str
    positions: dict[str, int]
    confidence: float
    header: list[str]
    unknown: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


def _match(header: list[str], aliases: dict[str, tuple[str, ...]], extra=()) -> Variant:
    by_alias = {a: k for k, names in aliases.items() for a in names}
    v = Variant(name="", positions={}, confidence=0.0, header=header)
    known = 0
    for i, cell in enumerate(header):
        n = norm(cell)
        key = by_alias.get(n)
        if key is None:
            if n in extra:
                known += 1
            else:
                v.unknown.append(cell.strip() or f"(blank, column {i + 1})")
            continue
        known += 1
        if key in v.positions:
            v.errors.append(f"column {cell.strip()!r} (column {i + 1}) repeats column "
                            f"{v.positions[key] + 1} ({key})")
            continue
        v.positions[key] = i
    v.confidence = round(known / len(header), 2) if header else 0.0
    return v


def _operator_ok(p: dict[str, int]) -> bool:
    ident = "cgi" in p or {"mcc", "mnc", "lac", "ci"} <= p.keys()
    return ident and ({"lat", "lon"} <= p.keys() or "ngr" in p)


def detect(header: list[str]) -> Variant | None:
    """The variant this header belongs to, or None when it is none of them."""
    names = {norm(h) for h in header}
    if {"net", "area", "cell", "created", "updated", "lat", "lon"} <= names:
        v = _match(header, {k: (k,) for k in _OPENCELLID})
        v.name = OPENCELLID
        return v
    if {"operator", "operatorref", "sitengr"} <= names:
        v = _match(header, _SITEFINDER, _SITEFINDER_EXTRA)
        v.name = SITEFINDER
        return v
    v = _match(header, _OPERATOR_ALIASES)
    if _operator_ok(v.positions):
        v.name = OPERATOR
        return v
    return None


def unrecognised(header: list[str]) -> str:
    seen = ", ".join(repr(h.strip()) for h in header)
    return ("the header is not one of the cell-list layouts read here (operator cell list, "
            "OpenCelliD export, Ofcom Sitefinder); an operator list needs a CGI/ECGI column "
            "(or MCC, MNC, LAC/TAC and CI/ECI) and Latitude + Longitude or a grid reference. "
            f"Columns seen: {seen}")
