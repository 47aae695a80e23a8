"""Everyone in the scenario, with their tracks and their events (no files yet).

``make_cast(seed, scale)`` builds, in this order (each step seeded from ``seed`` alone, so
the result never depends on anything else): the world, the calendar, the deal line's track
(and so its car's), the suspects' and runner's tracks, the decoys, the phone numbers and
handsets, the traffic, and the cell of every event.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from linesight_ingest.samples.anpr_generator import vrm
from linesight_ingest.samples.monza import comms
from linesight_ingest.samples.monza.comms import Ev, Numbers, Phone, talk, times
from linesight_ingest.samples.monza.decoys import decoy_cars, decoy_people
from linesight_ingest.samples.monza.people import (
    HOME,
    TRAP,
    LineBuilder,
    LineLog,
    runner_track,
    s1_track,
    s2_track,
)
from linesight_ingest.samples.monza.plan import Plan, make_plan
from linesight_ingest.samples.monza.tracks import DAYS, Track, local
from linesight_ingest.samples.monza.world import PLACES, World

#: invented people (any match with a real person is coincidence)
SUSPECT_NAMES = {"s1": "Ryan ASHDOWN", "s2": "Leon MARSH"}
CAR_KEEPER = "Kerry MARSH (suspect 2's partner)"
RUNNER_NAME = "Child R (16; name withheld)"
THANET_CUSTOMERS = ("decoy_25", "decoy_27")  # two decoys who buy from the line


@dataclass(frozen=True)
class Car:
    key: str
    vrm: str
    role: str  # "suspect" or "decoy"
    label: str
    track: Track
    driver: str | None  # phone key of a decoy who drives it


@dataclass
class Cast:
    seed: int
    scale: float
    world: World
    plan: Plan
    log: LineLog
    phones: dict[str, Phone]
    cars: list[Car]
    customers: list[str]  # national numbers, heaviest buyers first


def make_cast(seed: int, scale: float = 1.0) -> Cast:
    world = World(seed)
    plan = make_plan(seed)
    line, log = LineBuilder(plan, random.Random(seed + 101)).run()
    tracks = {"deal_line": line,
              "s1": s1_track(plan, line, log, random.Random(seed + 102)),
              "s2": s2_track(plan, line, log, random.Random(seed + 103)),
              "runner": runner_track(plan, line, log, random.Random(seed + 104))}
    people = decoy_people(world, plan, log, random.Random(seed + 105))
    numbers = Numbers(random.Random(seed + 106))

    def phone(key, role, label, radio, track, home, profile, end=None) -> Phone:
        return Phone(key, role, label, numbers.new(), radio, numbers.imsi(),
                     [(0.0, numbers.imei())], track, home, profile, end)

    phones = {
        "deal_line": phone("deal_line", "deal_line", "the deal line (a 2G burner handset)",
                           "GSM", line, HOME, "line_in"),
        "runner": phone("runner", "runner", f"the runner's phone ({RUNNER_NAME})", "LTE",
                        tracks["runner"], TRAP, "night_owl", plan.arrest),
        "s1": phone("s1", "suspect", f"personal phone of {SUSPECT_NAMES['s1']}", "LTE",
                    tracks["s1"], HOME, "night_owl"),
        "s2": phone("s2", "suspect", f"personal phone of {SUSPECT_NAMES['s2']}", "LTE",
                    tracks["s2"], PLACES["s2_home"].pos, "night_owl"),
    }
    phones["deal_line"].imeis.append((local(33, 12.0), numbers.imei()))  # handset churn
    for p in people:
        phones[p.key] = phone(p.key, "decoy", p.label, "LTE", p.track, p.home,
                              "night_shift" if p.night_worker else "day")
    rnd = random.Random(seed + 107)
    customers = [numbers.new() for _ in range(148)]
    customers[5:5] = [phones[k].nsn for k in THANET_CUSTOMERS]
    _traffic(phones, customers, numbers, rnd, scale, plan)
    cell_rnd = random.Random(seed + 108)
    for key in sorted(phones):
        phones[key].events.sort(key=lambda e: (e.t, e.direction, e.ctype, e.other))
        comms.cells_for(phones[key], world, cell_rnd)
    cars = _cars(world, plan, people, line, random.Random(seed + 109))
    return Cast(seed, scale, world, plan, log, phones, cars, customers)


def _weighted_sample(rnd: random.Random, items: list[str], weights: list[float], k: int):
    keyed = sorted(((rnd.random() ** (1.0 / w), i) for i, w in enumerate(weights)), reverse=True)
    return [items[i] for _, i in keyed[:k]]


def _traffic(phones: dict[str, Phone], customers: list[str], numbers: Numbers,
             rnd: random.Random, scale: float, plan: Plan) -> None:
    line, runner, s1, s2 = (phones[k] for k in ("deal_line", "runner", "s1", "s2"))
    by_nsn = {p.nsn: p for p in phones.values()}
    weights = [1.0 / (i + 1) ** 0.8 for i in range(len(customers))]
    L = line.nsn

    def pick() -> str:
        return rnd.choices(customers, weights)[0]

    # bulk "menu" texts: morning, afternoon, evening, sometimes late
    for d in range(DAYS):
        for p, lo, hi in ((0.9, 10.25, 11.5), (0.9, 14.5, 16.5), (0.8, 19.0, 20.5),
                          (0.5, 22.75, 23.75)):
            if rnd.random() >= p:
                continue
            t = local(d, rnd.uniform(lo, hi))
            for c in _weighted_sample(rnd, customers, weights, round(rnd.uniform(35, 65) * scale)):
                t += rnd.uniform(2, 6)
                talk(line, by_nsn.get(c), t, rnd, a_nsn=L, b_nsn=c, kind="SMS")
    # customers asking for drugs
    for t in times(rnd, "line_in", 70 * scale):
        c, r = pick(), rnd.random()
        if r < 0.45:
            talk(by_nsn.get(c), line, t, rnd, a_nsn=c, b_nsn=L, kind="Voice",
                 duration=rnd.randint(15, 60))
        elif r < 0.85:
            talk(by_nsn.get(c), line, t, rnd, a_nsn=c, b_nsn=L, kind="SMS")
        elif r < 0.93:
            talk(by_nsn.get(c), line, t, rnd, a_nsn=c, b_nsn=L, kind="Missed")
        elif r < 0.97:
            line.events.append(Ev(t, "MT", "Voice", rnd.choice(("Withheld", "Private")),
                                  rnd.randint(10, 60), False))
        else:
            line.events.append(Ev(t, "MT", "Voicemail", c, rnd.randint(8, 30)))
    for t in times(rnd, "line_in", 12 * scale):  # the line answering customers
        c = pick()
        talk(line, by_nsn.get(c), t, rnd, a_nsn=L, b_nsn=c,
             kind="SMS" if rnd.random() < 0.7 else "Voice")
    for t in times(rnd, "line_in", 12 * scale, plan.arrest):  # directing the runner
        kind = "Voice" if rnd.random() < 0.5 else "SMS"
        dur = rnd.randint(30, 180) if kind == "Voice" else None
        if rnd.random() < 0.6:
            talk(line, runner, t, rnd, a_nsn=L, b_nsn=runner.nsn, kind=kind, duration=dur)
        else:
            talk(runner, line, t, rnd, a_nsn=runner.nsn, b_nsn=L, kind=kind, duration=dur)
    supplier = numbers.new()
    for t in times(rnd, "line_in", 0.45 * scale):
        if rnd.random() < 0.5:
            line.events.append(Ev(t, "MO", "Voice", supplier, rnd.randint(60, 300)))
        else:
            line.events.append(Ev(t, "MT", "Voice", supplier, rnd.randint(60, 300)))
    for t in times(rnd, "line_in", 3 * scale):
        line.events.append(Ev(t, "MO", "Data", "", rnd.randint(60, 1200), False))
    for d in range(3, DAYS, 7):  # checking the prepaid balance
        line.events.append(Ev(local(d, rnd.uniform(11.0, 13.0)), "MO", "Voice", "150",
                              rnd.randint(60, 200), False))
    for t in times(rnd, "night_owl", 0.5 * scale):  # suspect 2 checking on the line
        talk(s2, line, t, rnd, a_nsn=s2.nsn, b_nsn=L, kind="Voice")
    for d in (10, 37):  # suspect 1's slips: texts from his own phone
        talk(s1, line, local(d, rnd.uniform(14.0, 17.0)), rnd, a_nsn=s1.nsn, b_nsn=L,
             kind="SMS")
    for t in times(rnd, "night_owl", 2 * scale):
        talk(s1, s2, t, rnd, a_nsn=s1.nsn, b_nsn=s2.nsn,
             kind="Voice" if rnd.random() < 0.5 else "SMS")
    for t in times(rnd, "night_owl", 2 * scale, plan.arrest):  # the runner finding customers
        c = pick()
        talk(runner, by_nsn.get(c), t, rnd, a_nsn=runner.nsn, b_nsn=c, kind="Voice",
             duration=rnd.randint(10, 60))
    own = {"runner": (6, 10, 8), "s1": (8, 14, 6), "s2": (8, 12, 6)}
    for key, phone in sorted(phones.items()):
        if key == "deal_line":
            continue
        n, per_day, data = own.get(key, (rnd.randint(8, 15), rnd.uniform(8, 16),
                                         rnd.uniform(3, 8)))
        comms.personal(phone, comms.contacts(numbers, rnd, n), per_day, data, rnd, scale)


def _cars(world: World, plan: Plan, people, line: Track, rnd: random.Random) -> list[Car]:
    plates: set[str] = set()

    def plate() -> str:
        while True:
            p = vrm(rnd)
            if p not in plates:
                plates.add(p)
                return p

    cars = [Car("car", plate(), "suspect", f"the line's car (registered keeper {CAR_KEEPER})",
                line, None)]
    for p in people:
        if p.drives:
            cars.append(Car(f"car_{p.key}", plate(), "decoy", f"car of the {p.label}", p.track,
                            p.key))
    for k, (label, track) in enumerate(decoy_cars(world, plan, rnd)):
        cars.append(Car(f"car_other_{k + 1:02d}", plate(), "decoy", label, track, None))
    return cars
