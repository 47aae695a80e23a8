"""The Monza world: two areas, a road between them, cell sites and ANPR cameras.

Everything here is invented but placed on the real map so it looks plausible on a map:

* **areas**: south-east London around Deptford/Lewisham and the Kent seaside town of
  Margate (Isle of Thanet), about 110 km apart by road;
* **places**: named points people sleep, work and meet at (homes, the trap house, shops);
* **the road**: a polyline following the A2, the M2 and the A299 Thanet Way, each stretch
  with a plausible average speed;
* **cell sites** of one operator (MCC 234, MNC 30): a jittered grid every ~1.3 km in
  London and ~1.5 km in Thanet (denser in Margate and Cliftonville), and a site every
  4-6 km along the road (a quarter of them omni). A sectored site has three sectors facing 0, 120 and 240 degrees, each with a GSM
  cell (CGI ``234-30-LAC-CI``) and an LTE cell (ECGI ``234-30-ECI``, listed with its TAC
  as ``234-30-TAC-ECI``); about half the sites also list UMTS cells switched off in early
  2024 (the operator's 3G switch-off), which no event can use;
* **ANPR cameras**: pairs (one per carriageway) along the road and a few in each town.

Which cell serves a point is decided simply and deterministically: the nearest site, and
on it the sector whose 120-degree arc contains the bearing from the mast to the point
(an omni site has one cell). Real handsets also use the second-best server sometimes
("ping-pong"); the people module does that, not this one.

Distances use a local equirectangular projection centred on 51.4N (error well under 1% at
this scale), which is enough to place invented things.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass
from datetime import date

import numpy as np

MCC, MNC = 234, 30
_LAT0 = 51.4
_M_PER_DEG_LAT = 110_574.0
_M_PER_DEG_LON = 111_320.0 * math.cos(math.radians(_LAT0))


def to_xy(lat, lon):
    """Degrees → metres east/north of (51.4N, 0E) (arrays or scalars)."""
    return (np.asarray(lon) * _M_PER_DEG_LON, (np.asarray(lat) - _LAT0) * _M_PER_DEG_LAT)


def distance_m(lat1, lon1, lat2, lon2):
    x1, y1 = to_xy(lat1, lon1)
    x2, y2 = to_xy(lat2, lon2)
    return np.hypot(x2 - x1, y2 - y1)


def bearing_deg(lat1, lon1, lat2, lon2):
    """Bearing from point 1 to point 2, degrees clockwise from north, in [0, 360)."""
    x1, y1 = to_xy(lat1, lon1)
    x2, y2 = to_xy(lat2, lon2)
    return np.degrees(np.arctan2(x2 - x1, y2 - y1)) % 360.0


@dataclass(frozen=True)
class Area:
    """A named circle used for journeys (an analyst would draw the same)."""

    name: str
    lat: float
    lon: float
    radius_km: float


AREAS = (Area("London", 51.4650, -0.0200, 6.0), Area("Margate", 51.3890, 1.3860, 4.0))


@dataclass(frozen=True)
class Place:
    name: str
    lat: float
    lon: float

    @property
    def pos(self) -> tuple[float, float]:
        return (self.lat, self.lon)


def _places(*rows: tuple[str, float, float]) -> dict[str, Place]:
    return {name: Place(name, lat, lon) for name, lat, lon in rows}


PLACES = _places(
    # London: the line holder's and his associate's homes, and where the line is run from
    ("s1_home", 51.4705, -0.0255), ("s2_home", 51.4560, -0.0370),
    ("deptford_high_st", 51.4775, -0.0265), ("new_cross", 51.4750, -0.0400),
    ("lewisham_centre", 51.4620, -0.0110), ("deptford_bridge", 51.4738, -0.0200),
    ("brockley_cross", 51.4640, -0.0370), ("greenwich_market", 51.4815, -0.0090),
    # London: other people's homes and work places
    ("lee", 51.4560, 0.0120), ("hither_green", 51.4520, -0.0010),
    ("sydenham", 51.4270, -0.0550), ("eltham", 51.4510, 0.0520),
    ("camberwell", 51.4740, -0.0930), ("peckham_rye", 51.4690, -0.0690),
    ("city", 51.5130, -0.0890), ("canary_wharf", 51.5050, -0.0200),
    ("elephant", 51.4950, -0.1000), ("kings_hospital", 51.4680, -0.0940),
    ("blackheath", 51.4660, 0.0080),
    ("catford", 51.4450, -0.0200), ("north_greenwich", 51.5000, 0.0030),
    ("peckham", 51.4735, -0.0690), ("grove_park", 51.4310, 0.0210),
    ("forest_hill", 51.4390, -0.0530), ("surrey_quays", 51.4930, -0.0470),
    ("charlton", 51.4835, 0.0370), ("guys_hospital", 51.5030, -0.0870),
    ("lee_green", 51.4550, 0.0200), ("herne_hill", 51.4530, -0.1020),
    # along the road
    ("dartford", 51.4450, 0.2170), ("gravesend", 51.4420, 0.3700),
    ("chatham", 51.3800, 0.5270), ("sittingbourne", 51.3400, 0.7330),
    ("faversham", 51.3150, 0.8900), ("whitstable", 51.3600, 1.0250),
    ("herne_bay", 51.3700, 1.1280),
    # Thanet: the trap house (a cuckooed flat) and the runner's delivery spots
    ("trap_house", 51.3905, 1.4030), ("northdown_road", 51.3880, 1.4060),
    ("margate_old_town", 51.3895, 1.3830), ("dane_park", 51.3830, 1.3930),
    ("palm_bay", 51.3915, 1.4180), ("millmead", 51.3820, 1.3780),
    ("margate_station", 51.3855, 1.3720), ("garlinge", 51.3790, 1.3550),
    ("westwood_cross", 51.3590, 1.3990),
    # Thanet: other people's places
    ("ramsgate", 51.3350, 1.4150), ("broadstairs", 51.3600, 1.4350),
    ("westgate", 51.3810, 1.3380), ("birchington", 51.3740, 1.3050),
    ("minster", 51.3330, 1.3170), ("st_peters", 51.3650, 1.4150),
    ("ramsgate_port", 51.3270, 1.4200), ("manston", 51.3450, 1.3450),
)


@dataclass(frozen=True)
class Waypoint:
    """A point of the road; ``kmh`` is the average speed on the stretch arriving here."""

    name: str
    lat: float
    lon: float
    kmh: float


ROUTE = tuple(Waypoint(*w) for w in (
    ("Deptford Bridge", 51.4738, -0.0215, 25), ("Blackheath Hill", 51.4713, -0.0075, 30),
    ("Blackheath", 51.4700, 0.0080, 35), ("Sun-in-the-Sands", 51.4727, 0.0300, 35),
    ("Kidbrooke", 51.4610, 0.0480, 60), ("Eltham", 51.4530, 0.0660, 70),
    ("Falconwood", 51.4550, 0.0870, 70), ("Blackfen", 51.4490, 0.1200, 80),
    ("Bexley", 51.4400, 0.1500, 90), ("Dartford Heath", 51.4330, 0.2000, 95),
    ("Bean", 51.4260, 0.2800, 100), ("Gravesend East", 51.4170, 0.3900, 100),
    ("Strood (M2 J1)", 51.3960, 0.4600, 100), ("Medway Bridge", 51.3750, 0.4720, 100),
    ("Blue Bell Hill (M2 J3)", 51.3400, 0.5100, 105), ("Gillingham (M2 J4)", 51.3420, 0.5950, 105),
    ("Sittingbourne (M2 J5)", 51.3150, 0.7000, 105), ("Faversham (M2 J6)", 51.3000, 0.8800, 105),
    ("Brenley Corner (M2 J7)", 51.2990, 0.9400, 90), ("Whitstable (A299)", 51.3410, 1.0400, 95),
    ("Herne Bay (A299)", 51.3600, 1.1300, 95), ("St Nicholas at Wade", 51.3560, 1.2500, 90),
    ("Birchington", 51.3720, 1.3050, 50), ("Westgate", 51.3800, 1.3400, 40),
    ("Margate seafront", 51.3870, 1.3800, 30), ("Cliftonville", 51.3900, 1.4000, 25),
))
#: straight-line speed off the road (km/h), by region
LOCAL_KMH = {"london": 20.0, "road": 45.0, "thanet": 30.0}


def region_of(lat: float, lon: float) -> str:
    return "london" if lon < 0.09 else ("thanet" if lon > 1.27 else "road")


@dataclass(frozen=True)
class Site:
    site_id: str
    name: str
    postcode: str
    region: str
    lat: float
    lon: float
    omni: bool
    beamwidth: int
    range_m: int
    live: date
    lac: int
    tac: int
    enb: int
    umts_rnc: int | None  # None: the site never had 3G


@dataclass(frozen=True)
class Cell:
    site: int  # index into World.sites
    sector: int  # 0, 1, 2 (0 for an omni site)
    radio: str  # GSM, UMTS, LTE
    cgi: str  # as the cell list writes it (MCC-MNC-LAC-CI / MCC-MNC-TAC-ECI)
    cdr_id: str  # as CDRs write it (LTE: the ECGI MCC-MNC-ECI)
    azimuth: int | None


@dataclass(frozen=True)
class Camera:
    camera_id: str
    name: str
    force: str  # "Met" or "Kent": which ANPR export reads it
    lat: float
    lon: float
    bearing: float  # direction of the traffic it reads
    direction: str  # N, E, S or W
    on_road: bool  # on the A2/M2/A299 polyline (else a town camera)


# postcode districts near where sites stand (for the invented postcodes)
_DISTRICTS = (("SE8", 51.478, -0.028), ("SE14", 51.474, -0.043), ("SE4", 51.460, -0.035),
              ("SE13", 51.460, -0.010), ("SE10", 51.482, -0.005), ("SE3", 51.468, 0.015),
              ("SE6", 51.440, -0.020), ("SE15", 51.470, -0.068), ("SE5", 51.474, -0.092),
              ("SE12", 51.447, 0.025), ("SE9", 51.448, 0.060), ("SE23", 51.440, -0.050),
              ("SE26", 51.427, -0.055), ("SE1", 51.500, -0.095), ("EC3", 51.512, -0.080),
              ("E14", 51.505, -0.020), ("SE16", 51.495, -0.050), ("SE18", 51.485, 0.065),
              ("DA15", 51.445, 0.110), ("DA5", 51.440, 0.150), ("DA2", 51.435, 0.220),
              ("DA13", 51.415, 0.330), ("DA11", 51.430, 0.370), ("ME2", 51.395, 0.460),
              ("ME5", 51.345, 0.520), ("ME8", 51.350, 0.600), ("ME9", 51.320, 0.720),
              ("ME13", 51.305, 0.880), ("CT5", 51.350, 1.040), ("CT6", 51.365, 1.130),
              ("CT7", 51.370, 1.280), ("CT8", 51.381, 1.338), ("CT9", 51.388, 1.395),
              ("CT10", 51.360, 1.430), ("CT11", 51.335, 1.415), ("CT12", 51.340, 1.330))
_LOCALITIES = tuple((p.name.replace("_", " ").title(), p.lat, p.lon) for p in PLACES.values()
                    if not p.name.startswith(("s1_", "s2_", "trap"))) + tuple(
    (w.name.split(" (")[0], w.lat, w.lon) for w in ROUTE)
_KINDS = ("Rooftop", "Mast", "Church Tower", "Water Tower", "Streetworks", "Tower Block")
_LETTERS = "ABDEFGHJLNPQRSTUWXYZ"


def _nearest(options, lat: float, lon: float):
    return min(options, key=lambda o: (o[1] - lat) ** 2 + ((o[2] - lon) * 0.62) ** 2)


def _grid(rnd: random.Random, lat0: float, lat1: float, lon0: float, lon1: float,
          spacing_m: float) -> list[tuple[float, float]]:
    dlat, dlon = spacing_m / _M_PER_DEG_LAT, spacing_m / _M_PER_DEG_LON
    points = []
    for i in range(int((lat1 - lat0) / dlat) + 1):
        for j in range(int((lon1 - lon0) / dlon) + 1):
            shift = 0.5 * dlon if i % 2 else 0.0  # staggered rows, as real grids look
            points.append((lat0 + i * dlat + rnd.uniform(-0.3, 0.3) * dlat,
                           lon0 + j * dlon + shift + rnd.uniform(-0.3, 0.3) * dlon))
    return points


def _thanet_land(lat: float, lon: float) -> bool:
    """Roughly the Isle of Thanet: south of the north coast, west of the east coast."""
    return lat < 51.381 + (lon - 1.30) * 0.14 and lon < 1.442 and lat > 51.325


#: infill sites in Margate town centre and Cliftonville (towns are denser than the grid)
_MARGATE_INFILL = ((51.3893, 1.3815), (51.3900, 1.3985), (51.3888, 1.4145),
                   (51.3828, 1.3915), (51.3858, 1.3690))


def _road_points(rnd: random.Random) -> list[tuple[float, float]]:
    """A site every 4-6 km along the road between the two grids, 200-900 m off it."""
    lat = np.array([w.lat for w in ROUTE])
    lon = np.array([w.lon for w in ROUTE])
    x, y = to_xy(lat, lon)
    seg = np.hypot(np.diff(x), np.diff(y))
    along = np.concatenate([[0.0], np.cumsum(seg)])
    start = float(np.interp(0.095, lon, along))  # east edge of the London grid
    end = float(np.interp(1.27, lon, along))  # west edge of the Thanet grid
    points, s, side = [], start + 2000.0, 1
    while s < end - 1500.0:
        px, py = np.interp(s, along, x), np.interp(s, along, y)
        k = min(int(np.searchsorted(along, s)) - 1, len(seg) - 1)
        ux, uy = (x[k + 1] - x[k]) / seg[k], (y[k + 1] - y[k]) / seg[k]
        off = rnd.uniform(200, 900) * side
        side = -side
        points.append((float(py - ux * off) / _M_PER_DEG_LAT + _LAT0,
                       float(px + uy * off) / _M_PER_DEG_LON))
        s += rnd.uniform(4000, 6000)
    return points


class World:
    """Sites, cells and cameras, and the rule that says which cell serves a point."""

    def __init__(self, seed: int) -> None:
        rnd = random.Random(seed * 7919 + 1)
        london = _grid(rnd, 51.423, 51.522, -0.108, 0.085, 1300)
        thanet = [p for p in _grid(rnd, 51.322, 51.400, 1.275, 1.445, 1500) if _thanet_land(*p)]
        thanet = [p for p in thanet if min(float(distance_m(*p, *q)) for q in _MARGATE_INFILL) > 900]
        thanet += list(_MARGATE_INFILL)
        road = _road_points(rnd)
        self.sites: list[Site] = []
        self.cells: list[Cell] = []
        regions = (("london", "LDN", london, 1201, 3201), ("road", "KRD", road, 1305, 3305),
                   ("thanet", "THA", thanet, 1410, 3410))
        for region, prefix, points, lac, tac in regions:
            for k, (lat, lon) in enumerate(points):
                self._add_site(rnd, region, f"{prefix}{k + 1:03d}", round(lat, 6),
                               round(lon, 6), omni=region == "road" and k % 4 == 2,
                               lac=lac + (1 if region == "london" and lon > -0.01 else 0), tac=tac)
        self.site_lat = np.array([s.lat for s in self.sites])
        self.site_lon = np.array([s.lon for s in self.sites])
        self._site_x, self._site_y = to_xy(self.site_lat, self.site_lon)
        self.cell_index = {(c.site, c.sector, c.radio): i for i, c in enumerate(self.cells)}
        self.cameras = _cameras()
        #: one LTE cell re-pointed during the period: (cell index, date, new azimuth)
        repoint_site = next(i for i, s in enumerate(self.sites)
                            if s.region == "road" and not s.omni and i % 3 == 0)
        self.repointed = (self.cell_index[(repoint_site, 1, "LTE")], date(2024, 10, 8), 140)

    def _add_site(self, rnd: random.Random, region: str, site_id: str, lat: float,
                  lon: float, *, omni: bool, lac: int, tac: int) -> None:
        idx = len(self.sites)
        district = _nearest(_DISTRICTS, lat, lon)[0]
        locality = _nearest(_LOCALITIES, lat, lon)[0]
        urban = region != "road"
        site = Site(
            site_id=site_id, name=f"{locality} {rnd.choice(_KINDS)}",
            postcode=f"{district} {rnd.randrange(1, 10)}{rnd.choice(_LETTERS)}{rnd.choice(_LETTERS)}",
            region=region, lat=lat, lon=lon, omni=omni,
            beamwidth=rnd.choice((65, 65, 90)) if urban else 120,
            range_m=(rnd.choice((500, 800, 1000, 1200)) if region == "london" else
                     rnd.choice((1000, 1500, 2000)) if region == "thanet" else
                     rnd.choice((2500, 3000))),
            live=date.fromordinal(date(2012, 1, 1).toordinal() + rnd.randrange(0, 3650)),
            lac=lac, tac=tac, enb=20_000 + idx * 7 + rnd.randrange(0, 7),
            umts_rnc=rnd.randrange(100, 400) if rnd.random() < 0.5 else None)
        self.sites.append(site)
        for sector in range(1 if omni else 3):
            az = None if omni else 120 * sector
            gsm_ci = 20_000 + idx * 10 + sector + 1
            eci = site.enb * 256 + sector + 1
            self.cells.append(Cell(idx, sector, "GSM", f"{MCC}-{MNC}-{lac}-{gsm_ci}",
                                   f"{MCC}-{MNC}-{lac}-{gsm_ci}", az))
            if site.umts_rnc is not None:
                ci = site.umts_rnc * 65536 + idx * 10 + sector + 1
                self.cells.append(Cell(idx, sector, "UMTS", f"{MCC}-{MNC}-{lac}-{ci}",
                                       f"{MCC}-{MNC}-{lac}-{ci}", az))
            self.cells.append(Cell(idx, sector, "LTE", f"{MCC}-{MNC}-{tac}-{eci}",
                                   f"{MCC}-{MNC}-{eci}", az))

    def serving(self, lat: np.ndarray, lon: np.ndarray) -> tuple[np.ndarray, ...]:
        """For each point: (best site, its sector, second-best site, its sector)."""
        x, y = to_xy(np.asarray(lat, dtype=float), np.asarray(lon, dtype=float))
        dx = x[:, None] - self._site_x[None, :]
        dy = y[:, None] - self._site_y[None, :]
        order = np.argsort(dx * dx + dy * dy, axis=1, kind="stable")[:, :2]
        out = []
        for k in (0, 1):
            site = order[:, k]
            sx, sy = self._site_x[site], self._site_y[site]
            bearing = np.degrees(np.arctan2(x - sx, y - sy)) % 360.0
            sector = (((bearing + 60.0) % 360.0) // 120.0).astype(int)
            omni = np.array([self.sites[s].omni for s in site], dtype=bool)
            out += [site, np.where(omni, 0, sector)]
        return tuple(out)

    def cell(self, site: int, sector: int, radio: str) -> Cell:
        return self.cells[self.cell_index[(site, sector, radio)]]

    def cell_at(self, lat: float, lon: float, radio: str) -> Cell:
        """The cell that serves a point best (what a handset there uses most)."""
        site, sector, *_ = self.serving(np.array([lat]), np.array([lon]))
        return self.cell(int(site[0]), int(sector[0]), radio)

    def site_cells(self, site: int, radios=("GSM", "LTE")) -> list[Cell]:
        return [c for c in self.cells if c.site == site and c.radio in radios]

    def road_path(self, a: tuple[float, float], b: tuple[float, float]
                  ) -> tuple[list[tuple[float, float]], list[float]]:
        """Points and speeds from ``a`` to ``b``: by the road when they are more than
        15 km apart and far apart along it, else straight (at the local speed)."""
        def nearest(p):
            return int(np.argmin([(w.lat - p[0]) ** 2 + ((w.lon - p[1]) * 0.62) ** 2
                                  for w in ROUTE]))
        i, j = nearest(a), nearest(b)
        local_a = LOCAL_KMH[region_of(*a)]
        local_b = LOCAL_KMH[region_of(*b)]
        if abs(i - j) <= 1 or float(distance_m(*a, *b)) < 15_000:
            return [b], [local_b]
        step = 1 if j > i else -1
        points, speeds = [(ROUTE[i].lat, ROUTE[i].lon)], [local_a]
        for k in range(i + step, j + step, step):
            points.append((ROUTE[k].lat, ROUTE[k].lon))
            speeds.append(ROUTE[max(k, k - step)].kmh)
        points.append(b)
        speeds.append(local_b)
        return points, speeds


def _cameras() -> list[Camera]:
    """Camera pairs half-way along chosen road stretches, and a few in the towns."""
    on_road = (  # (stretch ending at this waypoint index, force)
        (1, "Met"), (2, "Met"), (5, "Met"), (7, "Met"), (9, "Kent"), (11, "Kent"),
        (13, "Kent"), (16, "Kent"), (18, "Kent"), (20, "Kent"), (22, "Kent"),
        (24, "Kent"), (25, "Kent"))
    cams: list[Camera] = []
    for k, force in on_road:
        a, b = ROUTE[k - 1], ROUTE[k]
        lat, lon = round((a.lat + b.lat) / 2, 6), round((a.lon + b.lon) / 2, 6)
        fwd = float(bearing_deg(a.lat, a.lon, b.lat, b.lon))
        stem = f"{'MPS' if force == 'Met' else 'KNT'}{k:02d}"
        for suffix, brg in (("A", fwd), ("B", (fwd + 180.0) % 360.0)):
            cams.append(Camera(f"{stem}{suffix}", f"{b.name.split(' (')[0]} {_compass(brg)}B",
                               force, lat, lon, brg, _compass(brg), True))
    towns = (("MPS31", "Lewisham Loampit Vale", "Met", 51.4630, -0.0160),
             ("MPS32", "New Cross Road", "Met", 51.4760, -0.0330),
             ("MPS33", "Brockley Road", "Met", 51.4600, -0.0360),
             ("KNT41", "Westwood Cross", "Kent", 51.3610, 1.3960),
             ("KNT42", "Ramsgate Boundary Road", "Kent", 51.3380, 1.4130),
             ("KNT43", "Margate College Road", "Kent", 51.3820, 1.3860),
             ("KNT44", "Northdown Road", "Kent", 51.3885, 1.4100))
    for stem, name, force, lat, lon in towns:
        for suffix, brg in (("N", 0.0), ("S", 180.0), ("E", 90.0), ("W", 270.0)):
            cams.append(Camera(f"{stem}{suffix}", f"{name} {_compass(brg)}B", force, lat,
                               lon, brg, _compass(brg), False))
    return cams


def _compass(bearing: float) -> str:
    return "NESW"[int(((bearing + 45.0) % 360.0) // 90.0)]
