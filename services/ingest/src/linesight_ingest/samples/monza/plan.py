"""The calendar of the operation: which days the line travels, who rides, the incidents.

* **Journeys**: two or three a week (never on consecutive days), London → Margate and
  back; about four in ten stay overnight at the trap house and come back the next day.
  Suspect 1 (the line holder) rides on most, suspect 2 on fewer, at least one of them on
  each; once suspect 1 rides but leaves his personal phone at home (so that day is not a
  "companion" day for his phone, though he travelled).
* **Meet days**: suspect 2 meets the line holder in London on about 60% of the other days.
* **Incidents** (tower dumps): a stabbing near the trap house on the evening of an
  overnight journey, a robbery near Margate station on a day the line is in London, and
  a disturbance in Deptford High Street while the line is there.
* **The arrest**: the runner is stopped at Margate station on the last afternoon; his
  phone makes no events after that.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from itertools import pairwise

from linesight_ingest.samples.monza.tracks import DAYS, local


@dataclass(frozen=True)
class Journey:
    day: int  # day of the period the outbound leg leaves
    overnight: bool
    s1_rides: bool
    s2_rides: bool
    s1_phone_at_home: bool  # s1 rides but his personal phone stays at home


@dataclass(frozen=True)
class Incident:
    number: int
    name: str
    place: str  # a key of world.PLACES
    day: int
    from_hour: float  # UK local
    to_hour: float

    @property
    def window(self) -> tuple[float, float]:
        return local(self.day, self.from_hour), local(self.day, self.to_hour)


@dataclass(frozen=True)
class Plan:
    journeys: dict[int, Journey]
    s2_meets: frozenset[int]
    incidents: tuple[Incident, ...]
    arrest: float  # epoch seconds: the runner's phone is seized


def make_plan(seed: int) -> Plan:
    rnd = random.Random(seed * 31 + 7)
    days: list[int] = []
    for week in range(0, DAYS, 7):
        want = rnd.choice((2, 3, 3))
        for _ in range(200):
            pick = sorted(rnd.sample(range(week, min(week + 7, DAYS - 1)), want))
            if all(b - a > 1 for a, b in pairwise(pick)) and \
                    (not days or pick[0] - days[-1] > 1):
                days += pick
                break
    journeys: dict[int, Journey] = {}
    for d in days:
        overnight = rnd.random() < 0.4 and d + 1 not in days and d + 1 < DAYS - 1
        s1, s2 = rnd.random() < 0.8, rnd.random() < 0.4
        if not (s1 or s2):
            s1 = True
        journeys[d] = Journey(d, overnight, s1, s2, False)
    overnights = [d for d in days if journeys[d].overnight and d >= 14]
    stab = overnights[0] if overnights else days[len(days) // 3]
    j = journeys[stab]
    journeys[stab] = Journey(stab, True, True, j.s2_rides, False)
    left = next(d for d in days if d != stab and d > 20 and journeys[d].s1_rides)
    j = journeys[left]
    journeys[left] = Journey(left, j.overnight, True, j.s2_rides, True)

    def london_day(d: int) -> bool:
        return d not in journeys and not (d - 1 in journeys and journeys[d - 1].overnight)

    robbery = next(d for d in range(36, DAYS) if london_day(d))
    deptford = next(d for d in range(44, DAYS) if london_day(d) and d != robbery)
    meets = {d for d in range(DAYS) if london_day(d) and rnd.random() < 0.6} | {deptford}
    incidents = (
        Incident(1, "stabbing, Cliftonville (near the trap house)", "northdown_road", stab,
                 20.5, 22.5),
        Incident(2, "robbery, Margate station approach", "margate_station", robbery,
                 15.0, 16.5),
        Incident(3, "disturbance, Deptford High Street", "deptford_high_st", deptford,
                 13.0, 16.0),
    )
    return Plan(journeys, frozenset(meets), incidents, arrest=local(DAYS - 1, 16.33))
