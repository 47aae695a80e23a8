"""``truth.json``: what was planted, for tests and for anyone checking an analysis.

Numbers are E.164 (``+447…``), times ISO 8601 UTC with ``Z``, cells as the CDRs write them
(GSM ``234-30-LAC-CI``; LTE ``234-30-ECI``) with the cell list's form beside LTE ones
(``cell_list_cgi``, ``234-30-TAC-ECI``). Every key is described in
``docs/monza-scenario.md``.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

import numpy as np

from linesight_ingest.samples.monza.anpr import Read
from linesight_ingest.samples.monza.cast import CAR_KEEPER, SUSPECT_NAMES, Cast
from linesight_ingest.samples.monza.dumps import DumpRow
from linesight_ingest.samples.monza.people import HOME, TRAP, Leg
from linesight_ingest.samples.monza.plan import Incident
from linesight_ingest.samples.monza.tracks import DAYS, START, iso_utc, local, local_date
from linesight_ingest.samples.monza.world import AREAS, PLACES, Area, Cell, distance_m

#: what an analyst would set to see the planted pattern (see the doc for why)
PARAMETERS = {
    "timezone": "Europe/London",
    "colocation_distance_m": 1500,
    "colocation_tolerance_s": 900,
    "anpr_distance_m": 2000,
    "anpr_tolerance_s": 300,
    "inactivity_min_gap_s": 4 * 3600,
    "night_start_local": "22:00",
    "night_end_local": "07:00",
}
COLLATERAL = ("taxi driver", "delivery rider", "Cliftonville resident")


def e164(nsn: str) -> str:
    return "+44" + nsn


def _cell(cell: Cell) -> dict[str, str]:
    return {"cgi": cell.cdr_id, "cell_list_cgi": cell.cgi, "radio": cell.radio}


def _crossing(cast: Cast, leg: Leg) -> tuple[str, str]:
    """When the line left the origin area's circle and entered the destination's."""
    areas = {a.name: a for a in AREAS}
    ts = np.arange(leg.depart, leg.arrive + 10, 10.0)
    lat, lon = cast.phones["deal_line"].track.at(ts)

    def inside(area: Area):
        return distance_m(lat, lon, area.lat, area.lon) <= area.radius_km * 1000

    left = ts[np.argmax(~inside(areas[leg.origin]))]
    entered = ts[np.argmax(inside(areas[leg.destination]))]
    return iso_utc(float(left)), iso_utc(float(entered))


def _days_together(cast: Cast, key: str) -> list[str]:
    """Local days on which the phone spent at least 30 minutes within 200 m of the line."""
    ts = np.arange(local(0, 0), local(DAYS, 0), 300.0)
    a = cast.phones["deal_line"].track.at(ts)
    b = cast.phones[key].track.at(ts)
    end = cast.phones[key].end or ts[-1] + 1
    close = (distance_m(a[0], a[1], b[0], b[1]) <= 200) & (ts < end)
    per_day: dict[str, int] = defaultdict(int)
    for t in ts[close]:
        per_day[local_date(float(t)).isoformat()] += 1
    return sorted(d for d, n in per_day.items() if n >= 6)


def _nights(cast: Cast) -> dict[str, int]:
    """Where the line was at 04:00 each night."""
    out: dict[str, int] = defaultdict(int)
    for d in range(1, DAYS):
        pos = cast.phones["deal_line"].track.pos(local(d, 4.0))
        place = ("s1_home" if distance_m(*pos, *HOME) < 300 else
                 "trap_house" if distance_m(*pos, *TRAP) < 300 else "elsewhere")
        out[place] += 1
    return dict(out)


def build_truth(cast: Cast, refs: dict[str, str],
                dumps: list[tuple[str, Incident, list[Cell], list[DumpRow]]],
                reads: list[Read], shared: list[str]) -> dict[str, Any]:
    world, phones = cast.world, cast.phones
    line, runner = phones["deal_line"], phones["runner"]
    car = cast.cars[0]
    who = {p.nsn: ("suspect 1" if k == "s1" else "suspect 2" if k == "s2" else k)
           for k, p in phones.items()}
    who |= {nsn: f"collateral ({label})" for nsn, label in zip(shared, COLLATERAL, strict=True)}
    presence: dict[str, list[str]] = defaultdict(list)
    for ref, _, _, rows in dumps:
        for nsn in sorted({r.subject for r in rows if r.subject}):
            presence[e164(nsn)].append(ref)
    multiple = sorted(n for n, refs_ in presence.items() if len(refs_) >= 2)
    legs = sorted(cast.log.legs, key=lambda leg: leg.depart)
    journeys = []
    for leg in legs:
        left, entered = _crossing(cast, leg)
        journeys.append({"depart_utc": iso_utc(leg.depart), "arrive_utc": iso_utc(leg.arrive),
                         "from": leg.origin, "to": leg.destination, "leave_area_utc": left,
                         "enter_area_utc": entered, "vrm": car.vrm,
                         "riders": sorted(e164(phones[k].nsn) for k in leg.riders)})
    suspects, companions = [], []
    for key in ("s1", "s2"):
        p = phones[key]
        home = world.cell_at(*p.home, "LTE")
        suspects.append({"key": key, "name": SUSPECT_NAMES[key], "number": e164(p.nsn),
                         "home_cell": home.cdr_id, "home_cell_list_cgi": home.cgi,
                         "home_lat": round(p.home[0], 6), "home_lon": round(p.home[1], 6),
                         "exhibit": refs[key]})
        days = sorted({local_date(leg.depart).isoformat() for leg in legs if key in leg.riders})
        companions.append({"key": key, "name": SUSPECT_NAMES[key], "number": e164(p.nsn),
                           "travel_days": days, "days_together": _days_together(cast, key)})
    arrest = PLACES["margate_station"]
    car_reads = [r for r in reads if r.vrm == car.vrm]
    return {
        "scenario": {"name": "Monza", "seed": cast.seed, "scale": cast.scale,
                     "period_start_local": START.isoformat(),
                     "period_end_local": local_date(local(DAYS, 0) - 1).isoformat(),
                     "generator": "python -m linesight_ingest.samples.monza",
                     "doc": "services/ingest/docs/monza-scenario.md"},
        "parameters": PARAMETERS,
        "areas": [{"name": a.name, "lat": a.lat, "lon": a.lon, "radius_km": a.radius_km}
                  for a in AREAS],
        "deal_line": e164(line.nsn),
        "deal_line_exhibit": refs["deal_line"],
        "deal_line_imeis": [{"imei": imei, "from_utc": iso_utc(max(since, local(0, 0)))}
                            for since, imei in line.imeis],
        "deal_line_home_cell": world.cell_at(*HOME, "GSM").cgi,
        "deal_line_nights": _nights(cast),
        "trap_house_cell": world.cell_at(*TRAP, "GSM").cgi,
        "trap_house": {"lat": TRAP[0], "lon": TRAP[1],
                       "cells": [_cell(world.cell_at(*TRAP, r)) for r in ("GSM", "LTE")]},
        "runner": e164(runner.nsn),
        "runner_exhibit": refs["runner"],
        "runner_home_cell": world.cell_at(*TRAP, "LTE").cdr_id,
        "runner_days_together": _days_together(cast, "runner"),
        "runner_arrest": {"utc": iso_utc(cast.plan.arrest), "place": "Margate station",
                          "lat": arrest.lat, "lon": arrest.lon},
        "suspects": suspects,
        "companions": companions,
        "car": {"vrm": car.vrm, "owner": CAR_KEEPER, "reads": len(car_reads),
                "read_days": len({local_date(r.t) for r in car_reads})},
        "journeys": journeys,
        "decoy_numbers": sorted(e164(p.nsn) for p in phones.values() if p.role == "decoy"),
        "decoys": sorted(({"number": e164(p.nsn), "exhibit": refs[p.key], "label": p.label}
                          for p in phones.values() if p.role == "decoy"),
                         key=lambda d: d["number"]),
        "decoy_vrms": sorted(c.vrm for c in cast.cars if c.role == "decoy"),
        "customer_numbers": sorted(e164(n) for n in cast.customers),
        "tower_dumps": [{"reference": ref, "incident": inc.name,
                         "place": {"lat": PLACES[inc.place].lat, "lon": PLACES[inc.place].lon},
                         "cells": [c.cgi for c in cells],
                         "from_utc": iso_utc(inc.window[0]), "to_utc": iso_utc(inc.window[1]),
                         "rows": len(rows),
                         "numbers": len({r.subject for r in rows if r.subject})}
                        for ref, inc, cells, rows in dumps],
        "numbers_in_multiple_dumps": multiple,
        "numbers_in_multiple_dumps_detail": [
            {"number": n, "dumps": presence[n], "who": who.get(n[3:], "unrelated")}
            for n in multiple],
    }
