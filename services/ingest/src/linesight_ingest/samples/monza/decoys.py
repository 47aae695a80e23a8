"""The decoys: 30 phones and 40 cars that share cells, roads or cameras with the line,
but not its pattern.

A decoy is someone ordinary whose phone or car an investigation would also see:

* **neighbours** of suspect 1 (4) and of the trap house (2), whose homes are served by the
  very same cell, so they share "where the handset sleeps"; by day they are at work
  elsewhere, and at home their smartphones mostly use Wi-Fi;
* **London residents** (7) a few kilometres from Deptford and from where the line spends
  its afternoons, one of them a night-shift worker who sleeps by day in Surrey Quays;
* **road users** (8): daily commuters from Gravesend, Dartford and Chatham, a weekly
  commuter between Westgate and a flat in Surrey Quays, a sales rep on the M2, a Herne Bay
  commuter, and one Lee resident who drives to Westgate on two of the line's trip
  days at about the same time (the hardest decoy: two matching days, not twenty);
* **Thanet residents** (9), including a Ramsgate taxi driver; two of them buy drugs from
  the line (they are on its customer list, which does not make them companions).

Cars: the drivers above (9) and 31 cars without a phone in the case: London and Medway
commuters through the A2 cameras, Thanet locals, five that drive to Thanet on the line's
trip days at other times, and two that make random long trips.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from linesight_ingest.samples.monza.people import LineLog, overlay
from linesight_ingest.samples.monza.plan import Plan
from linesight_ingest.samples.monza.tracks import DAYS, Stay, Track, build, local
from linesight_ingest.samples.monza.world import LOCAL_KMH, PLACES, World, region_of

WEEKDAYS = frozenset(range(5))


@dataclass(frozen=True)
class Person:
    """A decoy: where they live, how their day goes, whether they drive."""

    key: str
    label: str
    home: tuple[float, float]
    track: Track
    drives: bool  # their phone travels in their car (the car has their track)
    night_worker: bool = False


def P(name: str) -> tuple[float, float]:
    return PLACES[name].pos


def routine(rnd: random.Random, home, work, *, workdays=WEEKDAYS, start=8.0, end=17.5,
            evening: tuple[str, ...] = (), evening_prob=0.2, weekend: tuple[str, ...] = (),
            weekend_start=(10.0, 14.0), jitter=0.5) -> list[Stay]:
    """Contiguous stays: home, work on work days, sometimes an evening out, outings on
    days off."""
    t, stays = local(0, 0), []
    for d in range(DAYS + 1):
        if work is not None and d % 7 in workdays:
            leave = local(d, start + rnd.uniform(-jitter, jitter))
            off = local(d, end + rnd.uniform(-jitter, jitter))
            stays += [Stay(home, t, leave), Stay(work, leave, off)]
            t = off
            if evening and rnd.random() < evening_prob:
                z = t + rnd.uniform(1.5, 3.0) * 3600
                stays.append(Stay(P(rnd.choice(evening)), t, z))
                t = z
        elif weekend and rnd.random() < 0.8:
            a = local(d, rnd.uniform(*weekend_start))
            stays.append(Stay(home, t, a))
            t = a
            for name in rnd.sample(weekend, min(len(weekend), rnd.randint(1, 2))):
                z = t + rnd.uniform(1.0, 3.0) * 3600
                stays.append(Stay(P(name), t, z))
                t = z
    stays.append(Stay(home, t, local(DAYS + 1, 0)))
    return stays


def near(world: World, base: tuple[float, float], rnd: random.Random, *,
         same_cell: bool) -> tuple[float, float]:
    """A home 80-250 m from ``base``; with ``same_cell``, one served by the same GSM and
    LTE cells as ``base`` (a neighbour)."""
    cells = (world.cell_at(*base, "GSM").cgi, world.cell_at(*base, "LTE").cgi)
    for _ in range(200):
        r = rnd.uniform(80, 250) / 111_000
        dx, dy = rnd.uniform(-1, 1), rnd.uniform(-1, 1)
        pos = (round(base[0] + r * dy, 6), round(base[1] + r * dx * 1.6, 6))
        if not same_cell or (world.cell_at(*pos, "GSM").cgi,
                             world.cell_at(*pos, "LTE").cgi) == cells:
            return pos
    raise RuntimeError(f"no home served by the same cells as {base} in 200 tries")


def _track(world: World, stays: list[Stay], drives: bool) -> Track:
    home = stays[0].pos
    pieces = [("stay", s.pos, s.end) for s in stays]
    kmh = LOCAL_KMH[region_of(*home)]
    return build(stays[0].start, home, pieces, None, kmh,
                 path_for=world.road_path if drives else None)


def _taxi(rnd: random.Random) -> list[Stay]:
    spots = ("ramsgate", "ramsgate_port", "broadstairs", "st_peters", "westwood_cross",
             "manston", "minster", "margate_station", "ramsgate", "broadstairs")
    t, stays, home = local(0, 0), [], P("ramsgate")
    for d in range(DAYS + 1):
        if d % 7 == 6:
            continue
        start = local(d, rnd.uniform(6.5, 8.0))
        stays.append(Stay(home, t, start))
        t, end = start, local(d, rnd.uniform(18.0, 20.0))
        while t < end:
            base = P(rnd.choice(spots))
            pos = (base[0] + rnd.uniform(-0.004, 0.004), base[1] + rnd.uniform(-0.006, 0.006))
            z = t + rnd.uniform(10, 30) * 60
            stays.append(Stay(pos, t, z))
            t = z
    stays.append(Stay(home, t, local(DAYS + 1, 0)))
    return stays


def _weekly(rnd: random.Random) -> list[Stay]:
    """Westgate from Thursday evening to Monday dawn; the City and a flat in Surrey
    Quays Monday to Thursday."""
    t, stays = local(0, 0), []
    home, flat, work = P("westgate"), P("surrey_quays"), P("city")
    for d in range(DAYS + 1):
        wd = d % 7
        if wd > 3:
            continue
        if wd == 0:
            leave = local(d, rnd.uniform(5.0, 5.75))
            stays.append(Stay(home, t, leave))
            t = leave
        off = local(d, rnd.uniform(17.5, 18.5))
        stays.append(Stay(work, t, off))
        t = off
        if wd < 3:
            t = local(d + 1, rnd.uniform(7.3, 7.8))
            stays.append(Stay(flat, off, t))
    stays.append(Stay(home, t, local(DAYS + 1, 0)))
    return stays


def _sales(rnd: random.Random) -> list[Stay]:
    clients = ("dartford", "gravesend", "chatham", "herne_bay", "westwood_cross",
               "lewisham_centre", "whitstable", "faversham")
    t, stays, home = local(0, 0), [], P("sittingbourne")
    for d in range(DAYS + 1):
        if d % 7 >= 5:
            continue
        leave = local(d, rnd.uniform(8.0, 9.0))
        stays.append(Stay(home, t, leave))
        t = leave
        for name in rnd.sample(clients, rnd.randint(2, 3)):
            z = t + rnd.uniform(1.5, 2.5) * 3600
            stays.append(Stay(P(name), t, z))
            t = z
    stays.append(Stay(home, t, local(DAYS + 1, 0)))
    return stays


def _coincidence(rnd: random.Random, plan: Plan, log: LineLog) -> list[Stay]:
    """A Lee resident who visits his sister in Westgate: on two of the line's trip days
    he sets off within a quarter of an hour of it, and on two other days off."""
    home = P("lee_green")
    stays = routine(rnd, home, P("canary_wharf"), start=8.0, end=17.5,
                    weekend=("blackheath", "north_greenwich"))
    trips = sorted(d for d, j in plan.journeys.items() if not j.overnight)
    visits = []
    for d in (trips[1], trips[len(trips) // 2]):
        leave = log.legs[[leg.journey_day for leg in log.legs].index(d)].depart
        leave += rnd.uniform(-15, 15) * 60
        visits.append(Stay(P("westgate"), leave, leave + rnd.uniform(5.0, 6.5) * 3600))
    for d in (12, 40):
        if d not in plan.journeys:
            a = local(d, rnd.uniform(9.0, 10.0))
            visits.append(Stay(P("westgate"), a, a + 7 * 3600))
    return overlay(stays, visits)


def decoy_people(world: World, plan: Plan, log: LineLog, rnd: random.Random) -> list[Person]:
    people: list[Person] = []

    def add(label: str, stays: list[Stay], drives=False, night=False):
        key = f"decoy_{len(people) + 1:02d}"
        people.append(Person(key, label, stays[0].pos, _track(world, stays, drives), drives,
                             night))

    s1_home, trap = P("s1_home"), P("trap_house")
    for work in ("city", "canary_wharf", "elephant", "north_greenwich"):
        add(f"neighbour of suspect 1, works at {work}", routine(
            rnd, near(world, s1_home, rnd, same_cell=True), P(work), start=7.7, end=18.0,
            evening=("elephant", "blackheath", "north_greenwich"), evening_prob=0.15,
            weekend=("north_greenwich", "canary_wharf", "blackheath", "city"),
            weekend_start=(8.5, 10.0)))
    add("neighbour of the trap house, bar work at Westwood Cross", routine(
        rnd, near(world, trap, rnd, same_cell=True), P("westwood_cross"),
        workdays=frozenset((2, 3, 4, 5, 6)), start=12.0, end=23.3,
        weekend=("broadstairs", "ramsgate"), weekend_start=(11.0, 13.0)))
    add("neighbour of the trap house, care worker on late shifts in Broadstairs", routine(
        rnd, near(world, trap, rnd, same_cell=True), P("broadstairs"),
        workdays=frozenset((0, 1, 2, 3, 6)), start=13.5, end=22.2,
        weekend=("westwood_cross", "ramsgate"), weekend_start=(10.0, 12.0)))
    for home, work in (("lee", "city"), ("grove_park", "canary_wharf"),
                       ("sydenham", "elephant"), ("eltham", "north_greenwich"),
                       ("herne_hill", "elephant"), ("forest_hill", "city")):
        add(f"London resident ({home}), works at {work}", routine(
            rnd, near(world, P(home), rnd, same_cell=False), P(work), start=8.3, end=17.7,
            evening=("blackheath", "elephant", "north_greenwich", "city"),
            weekend=("blackheath", "canary_wharf", "elephant", "north_greenwich")))
    add("night-shift worker living in Surrey Quays", routine(
        rnd, near(world, P("surrey_quays"), rnd, same_cell=False), P("guys_hospital"),
        workdays=frozenset(range(4)), start=19.5, end=32.0,
        weekend=("canary_wharf", "elephant")), night=True)
    for home, work in (("gravesend", "city"), ("gravesend", "canary_wharf"),
                       ("chatham", "elephant"), ("dartford", "north_greenwich")):
        add(f"commuter by car from {home} to {work}", routine(
            rnd, near(world, P(home), rnd, same_cell=False), P(work), start=7.2, end=17.8,
            weekend=(home,) if home != "chatham" else ("sittingbourne",)), drives=True)
    add("weekly commuter by car between Westgate and a flat in Surrey Quays", _weekly(rnd),
        drives=True)
    add("sales rep by car from Sittingbourne", _sales(rnd), drives=True)
    add("commuter by car from Herne Bay to Manston", routine(
        rnd, P("herne_bay"), P("manston"), start=7.5, end=16.0, weekend=("whitstable",)),
        drives=True)
    add("Lee resident visiting family in Westgate by car", _coincidence(rnd, plan, log),
        drives=True)
    add("Ramsgate taxi driver", _taxi(rnd), drives=True)
    thanet = (("broadstairs", "westwood_cross"), ("westgate", "manston"),
              ("birchington", "westwood_cross"), ("minster", "ramsgate_port"),
              ("st_peters", "broadstairs"), ("garlinge", "westwood_cross"),
              ("ramsgate", "manston"), ("broadstairs", "ramsgate"))
    for home, work in thanet:
        add(f"Thanet resident ({home}), works at {work}", routine(
            rnd, near(world, P(home), rnd, same_cell=False), P(work), start=8.5, end=17.3,
            evening=("margate_old_town", "broadstairs", "ramsgate", "westwood_cross"),
            evening_prob=0.1, weekend=("westwood_cross", "broadstairs", "ramsgate",
                                       "margate_old_town", "minster")))
    return people


def decoy_cars(world: World, plan: Plan, rnd: random.Random) -> list[tuple[str, Track]]:
    """The 31 cars with no phone in the case: (description, track)."""
    cars: list[tuple[str, Track]] = []

    def add(label: str, stays: list[Stay]) -> None:
        cars.append((label, _track(world, stays, True)))

    def jitter(name: str) -> tuple[float, float]:
        lat, lon = P(name)
        return (round(lat + rnd.uniform(-0.01, 0.01), 6), round(lon + rnd.uniform(-0.015, 0.015), 6))

    for k in range(10):
        home = jitter(("eltham", "lee", "blackheath", "eltham", "lee")[k % 5])
        home = (home[0], home[1] + 0.03 + 0.01 * (k % 4))  # out along the A2
        work = ("city", "elephant", "canary_wharf", "lewisham_centre", "north_greenwich")[k % 5]
        add(f"London commuter via the A2 to {work}",
            routine(rnd, home, P(work), start=7.5 + 0.2 * (k % 5), end=17.5))
    for k in range(6):
        home = jitter(("gravesend", "chatham", "dartford")[k % 3])
        work = ("city", "canary_wharf", "lewisham_centre")[k % 3]
        add(f"commuter from Kent to {work}", routine(rnd, home, P(work), start=7.0, end=18.0))
    for k in range(8):
        home = jitter(("westgate", "birchington", "ramsgate", "broadstairs")[k % 4])
        work = ("westwood_cross", "margate_old_town", "manston", "ramsgate_port")[(k + 1) % 4]
        add(f"Thanet local driving to {work}",
            routine(rnd, home, P(work), start=8.0 + 0.3 * (k % 3), end=17.0,
                    weekend=("westwood_cross", "broadstairs", "margate_old_town")))
    trips = sorted(plan.journeys)
    for k in range(5):
        home = jitter(("lee", "eltham", "blackheath", "catford", "sydenham")[k])
        dest = P(("westgate", "broadstairs", "ramsgate", "birchington", "westwood_cross")[k])
        stays = routine(rnd, home, None)
        visits = []
        for d in trips[k::3] + [3 + 7 * k]:
            out = local(d, rnd.uniform(6.5, 9.0))
            visits.append(Stay(dest, out, local(d + 1, rnd.uniform(6.0, 8.0))))
        add("driver to Thanet on some of the same days, at other times", overlay(stays, visits))
    for k in range(2):
        home = jitter(("faversham", "whitstable")[k])
        stays = routine(rnd, home, None)
        visits = []
        for d in range(k, DAYS, 4):
            a = local(d, rnd.uniform(8.0, 16.0))
            dest = jitter(("lewisham_centre", "city", "chatham", "herne_bay", "westgate")[d % 5])
            visits.append(Stay(dest, a, a + rnd.uniform(2.0, 4.0) * 3600))
        add("occasional long trips", overlay(stays, visits))
    return cars
