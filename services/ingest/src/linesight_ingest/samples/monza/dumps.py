"""Tower dumps: every event on the cells covering an incident scene in a time window.

The cells are those of every site that best serves the scene or a point 300 m from it
(what an investigator asks the operator for: "the cells covering the scene"), GSM and LTE.
The rows are (1) the events of the scenario's phones that used one of those cells in the
window, copied from the same events their CDRs hold, and (2) a crowd of unrelated handsets
(the collateral a real dump is mostly made of), three of which were near both Margate
scenes (a taxi driver, a delivery rider, a resident). Rows are written in time order, as
an operator returns them, with 4G cells as ``MCC-MNC-TAC-ECI``.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass

import numpy as np

from linesight_ingest.samples.monza.comms import Numbers, Phone, poisson
from linesight_ingest.samples.monza.plan import Incident
from linesight_ingest.samples.monza.world import PLACES, Cell, World

#: background handsets per dump at scale 1, and events per handset (mean)
CROWD = {1: (220, 4.0), 2: (300, 3.5), 3: (700, 4.0)}
TYPES = (("MO Voice", 0.16), ("MT Voice", 0.16), ("MO SMS", 0.14), ("MT SMS", 0.18),
         ("MO MMS", 0.01), ("MT MMS", 0.01), ("Data", 0.30), ("Missed", 0.03),
         ("Voicemail", 0.01))


@dataclass(frozen=True)
class DumpRow:
    t: float
    cell: str
    event_type: str
    a: str  # as written
    b: str
    imsi: str
    imei: str
    duration: str
    subject: str | None  # national number of the handset on the mast


def dump_cells(world: World, incident: Incident) -> list[Cell]:
    scene = PLACES[incident.place]
    lat = [scene.lat] + [scene.lat + 300 / 110_574 * math.cos(math.radians(a))
                         for a in range(0, 360, 45)]
    lon = [scene.lon] + [scene.lon + 300 / 69_400 * math.sin(math.radians(a))
                         for a in range(0, 360, 45)]
    site, *_ = world.serving(np.array(lat), np.array(lon))
    sites = sorted(set(site.tolist()))
    return sorted((c for s in sites for c in world.site_cells(s)), key=lambda c: c.cgi)


def _type(direction: str, ctype: str) -> str:
    if ctype == "Data":
        return "Data"
    if ctype in ("Missed", "Voicemail"):
        return ctype
    return f"{direction} {ctype}"


def phone_rows(phones: dict[str, Phone], world: World, cells: list[Cell],
               window: tuple[float, float]) -> list[DumpRow]:
    """The scenario's own phones' events on ``cells`` during ``window``."""
    wanted = {c.cdr_id: c.cgi for c in cells}
    rows = []
    for key in sorted(phones):
        p = phones[key]
        for e, first in zip(p.events, p.first, strict=True):
            if first not in wanted or not window[0] <= e.t < window[1]:
                continue
            other = ("0" + e.other) if e.other_is_number and e.other else e.other
            me = "0" + p.nsn
            if e.direction == "MO":
                a, b = me, ("" if e.ctype == "Data" else other)
            else:
                a, b = ("" if other in ("Withheld", "Private") else other), me
            rows.append(DumpRow(e.t, wanted[first], _type(e.direction, e.ctype), a, b,
                                p.imsi, p.imei_at(e.t),
                                "" if e.duration is None or e.ctype == "SMS" else str(e.duration),
                                p.nsn))
    return rows


def crowd_rows(incident: Incident, cells: list[Cell], numbers: Numbers, rnd: random.Random,
               scale: float, shared: list[tuple[str, str, str]]) -> list[DumpRow]:
    """Unrelated handsets on the cells; ``shared`` handsets (number, IMSI, IMEI) appear in
    this dump as well as another."""
    n, mean = CROWD[incident.number]
    handsets = [("0" + numbers.new(), numbers.imsi(), numbers.imei())
                for _ in range(max(20, round(n * scale)))]
    handsets += [("0" + num, imsi, imei) for num, imsi, imei in shared]
    others = ["0" + numbers.new() for _ in range(200)]
    names, weights = zip(*TYPES, strict=True)
    start, end = incident.window
    cell_weights = [rnd.uniform(0.5, 2.0) for _ in cells]
    rows = []
    for msisdn, imsi, imei in handsets:
        for _ in range(max(1, poisson(rnd, mean))):
            t = rnd.uniform(start, end)
            kind = rnd.choices(names, weights)[0]
            r = rnd.random()
            other = ("Withheld" if r < 0.04 else "+33612345678" if r < 0.05
                     else "150" if r < 0.06 else rnd.choice(others))
            if kind == "Data":
                a, b, dur = msisdn, "", str(rnd.randrange(1, 3600))
            elif kind.startswith("MO"):
                a, b = msisdn, other if other != "Withheld" else rnd.choice(others)
                dur = str(rnd.randrange(1, 900)) if "Voice" in kind else ""
            else:
                a, b = ("" if other == "Withheld" else other), msisdn
                dur = str(rnd.randrange(1, 900)) if kind == "MT Voice" else ""
            cell = rnd.choices(cells, cell_weights)[0].cgi
            rows.append(DumpRow(t, cell, kind, a, b, imsi, imei, dur, msisdn[1:]))
    return rows
