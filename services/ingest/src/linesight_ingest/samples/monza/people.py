"""Where the deal line, the two suspects' phones and the runner's phone go.

County-lines practice (see ``docs/monza-scenario.md`` for sources and reasoning):

* **The deal line** is a cheap 2G "brick" phone that only uses GSM cells. It is held in
  London by the line holder (suspect 1): it sleeps at his flat in Deptford, spends the
  afternoon and evening at a handful of places nearby, and is driven to Margate two or
  three times a week to re-supply the runner and collect cash (about four trips in ten
  stay overnight at the trap house, a cuckooed flat in Cliftonville).
* **Suspect 1's personal phone** (a smartphone on LTE) is with the line almost all the
  time: he holds it. On the trips he does not make, the line goes with suspect 2; on one
  trip he rides but leaves his personal phone at home.
* **Suspect 2's personal phone** sleeps at his own flat in Brockley; he meets the line
  holder on most other days and rides on fewer trips.
* **The runner** (16) lives at the trap house: out on foot round Thanet from late morning
  to the small hours, meeting the line when it arrives on most trip days and sleeping at
  the trap house with it on overnight trips. He is arrested at Margate station on the
  last afternoon.

The line's car follows the line's track exactly (they travel together).
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from linesight_ingest.samples.monza.plan import Journey, Plan
from linesight_ingest.samples.monza.tracks import (
    DAYS,
    Stay,
    Track,
    TrackBuilder,
    build,
    local,
    merge,
)
from linesight_ingest.samples.monza.world import LOCAL_KMH, PLACES, ROUTE

HOME = PLACES["s1_home"].pos
TRAP = PLACES["trap_house"].pos
LINE_LONDON = ("catford", "peckham", "charlton")
LINE_MARGATE = ("northdown_road", "margate_old_town", "dane_park", "palm_bay")
RUNNER_SPOTS = ("northdown_road", "margate_old_town", "dane_park", "palm_bay", "millmead",
                "margate_station", "garlinge", "westwood_cross")
S2_PLACES = ("peckham_rye", "new_cross", "catford", "lewisham_centre", "camberwell",
             "elephant", "brockley_cross")
S1_PLACES = ("peckham_rye", "new_cross", "catford", "deptford_high_st", "greenwich_market")


@dataclass(frozen=True)
class Leg:
    """One drive between the two areas (the planted journeys)."""

    journey_day: int
    depart: float
    arrive: float
    origin: str
    destination: str
    riders: tuple[str, ...]  # phone keys in the car


@dataclass
class LineLog:
    """What the deal line did, for the people who join it and for the truth file."""

    legs: list[Leg] = field(default_factory=list)
    london_stays: dict[int, list[tuple[float, float, str]]] = field(default_factory=dict)
    arrivals: dict[int, tuple[float, float]] = field(default_factory=dict)  # day → in Margate
    trips: dict[int, tuple[float, float]] = field(default_factory=dict)  # day → away from home


def _route_out() -> tuple[list, list]:
    pts = [(w.lat, w.lon) for w in ROUTE] + [TRAP]
    return pts, [w.kmh for w in ROUTE] + [LOCAL_KMH["thanet"]]


def _route_back() -> tuple[list, list]:
    pts = [(w.lat, w.lon) for w in reversed(ROUTE)] + [HOME]
    speeds = [LOCAL_KMH["thanet"]] + [w.kmh for w in reversed(ROUTE[1:])] + [LOCAL_KMH["london"]]
    return pts, speeds


def _riders(j: Journey) -> tuple[str, ...]:
    return ("deal_line",) + (("s1",) if j.s1_rides and not j.s1_phone_at_home else ()) + \
        (("s2",) if j.s2_rides else ())


class LineBuilder:
    """Builds the deal line's (and its car's) track day by day."""

    def __init__(self, plan: Plan, rnd: random.Random) -> None:
        self.plan, self.rnd = plan, rnd
        self.b = TrackBuilder(local(0, 0), HOME)
        self.log = LineLog()

    def london(self, day: int, leave: float, forced: tuple[str, float, float] | None) -> None:
        """Afternoon and evening round the London places, home late."""
        rnd, b = self.rnd, self.b
        home_at = local(day, rnd.uniform(22.5, 24.5))
        b.stay_until(leave)
        stays: list[tuple[float, float, str]] = []
        if forced is not None:
            name, start, end = forced
            b.stay_until(start - b.travel_time(PLACES[name].pos, LOCAL_KMH["london"]))
            arrived = b.visit(PLACES[name].pos, end, LOCAL_KMH["london"])
            stays.append((arrived, end, name))
        n = rnd.choice((2, 3, 3, 4)) - (1 if forced else 0)
        names = []
        for _ in range(n):
            name = rnd.choice([p for p in LINE_LONDON if not names or p != names[-1]])
            names.append(name)
        weights = [rnd.uniform(0.6, 1.4) for _ in names]
        span = max(0.0, home_at - b.now - 1200)
        for name, w in zip(names, weights, strict=True):
            end = b.now + span * w / sum(weights)
            arrived = b.visit(PLACES[name].pos, end, LOCAL_KMH["london"])
            stays.append((arrived, max(end, arrived), name))
        b.visit(HOME, b.now, LOCAL_KMH["london"])
        self.log.london_stays[day] = stays

    def margate(self, day: int, j: Journey) -> float:
        """Drive down, the trap house, a few stops with the runner; the departure time."""
        rnd, b = self.rnd, self.b
        b.stay_until(local(day, rnd.uniform(11.0, 14.5)))
        depart = b.now
        b.drive(*_route_out(), factor=rnd.uniform(0.85, 1.1))
        arrive = b.now
        self.log.legs.append(Leg(day, depart, arrive, "London", "Margate", _riders(j)))
        b.stay_until(arrive + rnd.uniform(45, 90) * 60)
        for name in rnd.sample(LINE_MARGATE, rnd.randint(1, 3)):
            b.visit(PLACES[name].pos, b.now + rnd.uniform(30, 75) * 60, LOCAL_KMH["thanet"])
        b.visit(TRAP, b.now + rnd.uniform(20, 40) * 60, LOCAL_KMH["thanet"])
        return depart

    def back(self, day: int, j: Journey, leave: float) -> None:
        b = self.b
        b.stay_until(leave)
        depart = b.now
        b.drive(*_route_back(), factor=self.rnd.uniform(0.85, 1.1))
        self.log.legs.append(Leg(j.day, depart, b.now, "Margate", "London", _riders(j)))

    def run(self) -> tuple[Track, LineLog]:
        plan, rnd = self.plan, self.rnd
        dump3 = next(i for i in plan.incidents if i.number == 3)
        day = 0
        while day < DAYS:
            j = plan.journeys.get(day)
            if j is None:
                forced = None
                if day == dump3.day:
                    forced = ("deptford_high_st", local(day, dump3.from_hour - 0.5),
                              local(day, dump3.to_hour + 0.5))
                leave = local(day, rnd.uniform(11.0, 13.5) if forced is None else 11.5)
                self.london(day, leave, forced)
                day += 1
                continue
            out = self.margate(day, j)
            in_margate = self.b.now
            if not j.overnight:
                self.back(day, j, max(local(day, rnd.uniform(19.5, 22.5)), self.b.now + 600))
                self.log.arrivals[day] = (self.log.legs[-2].arrive, self.log.legs[-1].depart)
                self.log.trips[day] = (out, self.log.legs[-1].arrive)
                self.b.stay_until(self.b.now + 600)
                day += 1
                continue
            self.b.stay_until(max(local(day, 19.0), in_margate))
            self.back(day + 1, j, local(day + 1, rnd.uniform(10.5, 13.0)))
            self.log.arrivals[day] = (self.log.legs[-2].arrive, self.log.legs[-1].depart)
            self.log.trips[day] = (out, self.log.legs[-1].arrive)
            self.london(day + 1, self.b.now + 1800, None)
            day += 2
        self.b.stay_until(local(DAYS, 6.0))
        return self.b.build(), self.log


def _days_out(rnd: random.Random, days: range, home: tuple[float, float],
              places: tuple[str, ...], wake: tuple[float, float],
              back: tuple[float, float]) -> list[Stay]:
    """Simple London days: home until late morning, 1-3 places, home late (contiguous
    stays from the first day's midnight to the morning after the last day)."""
    t = local(days.start, 0)
    stays: list[Stay] = []
    for day in days:
        up, home_at = local(day, rnd.uniform(*wake)), local(day, rnd.uniform(*back))
        stays.append(Stay(home, t, up))
        names = rnd.sample(places, rnd.randint(1, 3))
        edges = sorted(rnd.uniform(up, home_at) for _ in range(len(names) - 1))
        for name, a, b in zip(names, [up, *edges], [*edges, home_at], strict=True):
            stays.append(Stay(PLACES[name].pos, a, b))
        t = home_at
    stays.append(Stay(home, t, local(days.stop, 9.0)))
    return stays


def s1_track(plan: Plan, line: Track, log: LineLog, rnd: random.Random) -> Track:
    """With the line except on the trips he does not make (or his phone stays home)."""
    apart: list[tuple[float, float, bool]] = []  # (from, to, phone at home)
    for day, j in plan.journeys.items():
        if not j.s1_rides or j.s1_phone_at_home:
            out, back = log.trips[day]
            apart.append((out - 300, back + 600, j.s1_phone_at_home))
    own: list[Stay] = []
    follows: list[tuple[float, float]] = []
    cursor = local(0, 0)
    for a, z, at_home in sorted(apart):
        follows.append((cursor, a))
        if at_home:
            own.append(Stay(HOME, a, z))
        else:
            first = int((a - local(0, 0)) // 86400)
            days = _days_out(rnd, range(max(0, first - 1), first + 3), HOME, S1_PLACES,
                             (10.5, 12.0), (23.0, 25.0))
            own += [Stay(s.pos, max(s.start, a), min(s.end, z)) for s in days
                    if s.end > a and s.start < z]
        cursor = z
    follows.append((cursor, local(DAYS, 6.0)))
    return build(local(0, 0), HOME, merge(own, follows), line, LOCAL_KMH["london"])


def s2_track(plan: Plan, line: Track, log: LineLog, rnd: random.Random) -> Track:
    """Own days from his flat; with the line on meet days and on the trips he rides."""
    home = PLACES["s2_home"].pos
    own = _days_out(rnd, range(DAYS + 1), home, S2_PLACES, (9.5, 11.5), (22.5, 25.0))
    follows = []
    for d in sorted(plan.s2_meets):
        stays = log.london_stays.get(d, [])
        if stays:
            dump3 = next(i for i in plan.incidents if i.number == 3)
            a, z, _ = stays[0] if d == dump3.day else rnd.choice(stays)
            follows.append((a, z))
    for day, j in plan.journeys.items():
        if j.s2_rides:
            out, back = log.trips[day]
            follows.append((out - 2400, back + 1200))
    return build(local(0, 0), home, merge(own, follows), line, LOCAL_KMH["london"])


def runner_track(plan: Plan, line: Track, log: LineLog, rnd: random.Random) -> Track:
    """Nights at the trap house, days on foot round Thanet, with the line on trip days."""
    robbery = next(i for i in plan.incidents if i.number == 2)
    t, own = local(0, rnd.uniform(10.5, 12.5)), []
    own.append(Stay(TRAP, local(0, 0), t))
    for d in range(DAYS + 1):
        bed = local(d, rnd.uniform(24.0, 26.5))
        while t < bed:
            end = min(bed, t + rnd.uniform(20, 90) * 60)
            own.append(Stay(PLACES[rnd.choice(RUNNER_SPOTS)].pos, t, end))
            t = end
        up = local(d + 1, rnd.uniform(10.5, 12.5))
        own.append(Stay(TRAP, t, up))
        t = up
    station = PLACES["margate_station"].pos
    forced = [Stay(station, local(robbery.day, robbery.from_hour - 0.3),
                   local(robbery.day, robbery.to_hour + 0.2)),
              Stay(station, plan.arrest - 2400, local(DAYS, 6.0))]
    follows = []
    for day, j in plan.journeys.items():
        arrive, leave = log.arrivals[day]
        if j.overnight:
            follows.append((max(arrive, local(day, 19.0)) + 600, leave - 1800))
        if rnd.random() < 0.7 or j.overnight:
            a = arrive + rnd.uniform(5, 20) * 60
            follows.append((a, min(leave - 300, a + rnd.uniform(45, 120) * 60)))
    return build(local(0, 0), TRAP, merge(overlay(own, forced), follows), line, 8.0)


def overlay(stays: list[Stay], forced: list[Stay]) -> list[Stay]:
    """``stays`` with each ``forced`` stay put in, the others cut round it."""
    for f in forced:
        kept: list[Stay] = []
        for s in stays:
            if s.end <= f.start or s.start >= f.end:
                kept.append(s)
                continue
            if f.start - s.start > 60:
                kept.append(Stay(s.pos, s.start, f.start))
            if s.end - f.end > 60:
                kept.append(Stay(s.pos, f.end, s.end))
        stays = sorted([*kept, f], key=lambda s: s.start)
    return stays
