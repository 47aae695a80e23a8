"""Who calls and texts whom, when: the events each phone's CDR will hold.

Every communication is made once and written into the CDR of each party that has one
(the deal line calling the runner is an ``MO Voice`` row in the line's CDR and an ``MT
Voice`` row in the runner's, at the same second), so the exhibits agree with each other.

Rates follow a 24-hour profile per kind of user (the deal line is busy from late morning
to the small hours and nearly silent 03:00-08:30, so it has a clear "sleep" gap; office
workers are quiet after about 22:00). Per day, at ``scale`` 1:

* **deal line**: three or four bulk "menu" texts to 35-65 customers each (a few seconds
  apart, as a bulk-SMS app sends them), ~70 customer calls and texts in (short calls,
  missed calls, the odd withheld caller and voicemail), ~12 replies, ~12 calls and texts
  with the runner, a few GPRS data sessions, a weekly call to the operator's short code
  150 and the supplier's calls; suspect 2's personal phone calls it now and then, suspect
  1's only twice (a slip);
* **personal phones** (suspects, runner, decoys): 8-16 calls and texts a day with their
  own contacts, and data sessions (fewer at home: smartphones use Wi-Fi there).

Which cell each event used comes afterwards, from the phone's track (``cells_for``).
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass, field
from functools import cache

import numpy as np

from linesight_ingest.samples.cdr_generator import _imei, _valid_mobile
from linesight_ingest.samples.monza.tracks import DAYS, Track, local
from linesight_ingest.samples.monza.world import World, distance_m

#: relative activity by UK local hour
PROFILES = {
    "line_in": [4, 3, 2, 0.1, 0.05, 0.05, 0.1, 0.1, 0.2, 1, 4, 5, 5, 5, 5, 6, 7, 8, 8, 8, 7, 6,
                5, 5],
    "night_owl": [3, 2.5, 1.5, 0.4, 0.1, 0, 0, 0, 0, 0.3, 1, 2, 3, 3, 3, 3, 3, 3.5, 4, 4, 4, 4,
                  3.5, 3.5],
    "day": [0.1, 0, 0, 0, 0, 0, 0.5, 2, 2, 2, 2, 2.5, 3, 2.5, 2, 2, 2.5, 3, 3, 2.5, 1.5, 0.6,
            0.2, 0.05],
    "night_shift": [3, 3, 2.5, 2, 2, 2, 2, 1.5, 0.5, 0, 0, 0, 0, 0, 0.3, 1, 1.5, 2, 2.5, 3, 3,
                    3, 3, 3],
}


@dataclass(frozen=True)
class Ev:
    """One event as the phone's own CDR sees it."""

    t: float
    direction: str  # MO or MT
    ctype: str  # Voice, SMS, Data, Missed, Voicemail
    other: str  # a national number ("7…"), or a label written as is ("Withheld", "150")
    duration: int | None
    other_is_number: bool = True


@dataclass
class Phone:
    key: str
    role: str  # deal_line, runner, suspect, decoy
    label: str
    nsn: str
    radio: str  # GSM (the burner) or LTE (smartphones)
    imsi: str
    imeis: list[tuple[float, str]]  # (from epoch seconds, IMEI)
    track: Track
    home: tuple[float, float]
    profile: str
    end: float | None = None  # seized: no events after
    events: list[Ev] = field(default_factory=list)
    #: per event, filled by ``cells_for``: first and last cell ids as CDRs write them
    first: list[str] = field(default_factory=list)
    last: list[str | None] = field(default_factory=list)

    def imei_at(self, t: float) -> str:
        return [imei for since, imei in self.imeis if since <= t][-1]


class Numbers:
    """Unique, valid UK mobile numbers (national significant numbers, ``7…``)."""

    def __init__(self, rnd: random.Random) -> None:
        self.rnd, self.used = rnd, set()

    def new(self) -> str:
        while True:
            nsn = _valid_mobile(self.rnd)
            if nsn not in self.used:
                self.used.add(nsn)
                return nsn

    def imsi(self) -> str:
        return f"23430{self.rnd.randrange(10**9, 10**10)}"

    def imei(self) -> str:
        return _imei(self.rnd)


def poisson(rnd: random.Random, lam: float) -> int:
    if lam <= 0:
        return 0
    n, p, limit = 0, 1.0, math.exp(-lam)
    while True:
        p *= rnd.random()
        if p <= limit:
            return n
        n += 1


@cache
def hour_start(day: int, hour: int) -> float:
    return local(day, hour)


def times(rnd: random.Random, profile: str, per_day: float, end: float | None = None,
          days: range = range(DAYS)) -> list[float]:
    """Event times over the period: ``per_day`` on average, spread by the hourly profile."""
    weights = PROFILES[profile]
    total = sum(weights)
    out = []
    for d in days:
        for h, w in enumerate(weights):
            a, b = hour_start(d, h), hour_start(d, h + 1)
            out += [rnd.uniform(a, b) for _ in range(poisson(rnd, per_day * w / total))]
    return sorted(t for t in out if end is None or t < end)


def voice_s(rnd: random.Random, lo: int = 15, hi: int = 900) -> int:
    return int(min(hi, max(lo, rnd.lognormvariate(math.log(90), 0.9))))


def talk(a: Phone | None, b: Phone | None, t: float, rnd: random.Random, *, a_nsn: str,
         b_nsn: str, kind: str, duration: int | None = None) -> None:
    """``a`` contacts ``b`` at ``t`` (either may have no CDR: None); written into each CDR."""
    if kind == "Voice" and duration is None:
        duration = voice_s(rnd)
    if a is not None:
        a.events.append(Ev(t, "MO", kind if kind != "Missed" else "Voice",
                           b_nsn, 0 if kind == "Missed" else duration))
    if b is not None:
        b.events.append(Ev(t, "MT", kind, a_nsn, duration if kind != "Missed" else 0))


def personal(phone: Phone, contacts: list[tuple[str, float]], per_day: float,
             data_per_day: float, rnd: random.Random, scale: float) -> None:
    """A person's ordinary calls, texts and data sessions with their own contacts."""
    nums, weights = zip(*contacts, strict=True)
    for t in times(rnd, phone.profile, per_day * scale, phone.end):
        other = rnd.choices(nums, weights)[0]
        r = rnd.random()
        kind = "Voice" if r < 0.42 else "SMS" if r < 0.9 else "Missed" if r < 0.97 else "Voicemail"
        if rnd.random() < 0.5 and kind in ("Voice", "SMS"):
            phone.events.append(Ev(t, "MO", kind, other, voice_s(rnd) if kind == "Voice" else None))
        elif rnd.random() < 0.02:
            phone.events.append(Ev(t, "MT", "Voice", "Withheld", voice_s(rnd), False))
        else:
            dur = voice_s(rnd) if kind == "Voice" else (0 if kind == "Missed" else
                                                        rnd.randint(8, 40) if kind == "Voicemail"
                                                        else None)
            phone.events.append(Ev(t, "MT", kind, other, dur))
    for t in times(rnd, phone.profile, data_per_day * scale, phone.end):
        at_home = distance_m(*phone.track.pos(t), *phone.home) < 150
        if phone.radio == "LTE" and at_home and rnd.random() < 0.7:
            continue  # on the home Wi-Fi
        phone.events.append(Ev(t, "MO", "Data", "", rnd.randint(60, 3600), False))


def contacts(numbers: Numbers, rnd: random.Random, n: int) -> list[tuple[str, float]]:
    return [(numbers.new(), 1.0 / (i + 1) ** 0.9) for i in range(n)]


def cells_for(phone: Phone, world: World, rnd: random.Random) -> None:
    """Fill ``first``/``last``: the cell serving the phone's position at the start and at
    the end of each event; one time in twelve the second-best site ("ping-pong"). Texts,
    missed calls and voicemail have no last cell."""
    if not phone.events:
        return
    starts = np.array([e.t for e in phone.events])
    ends = np.array([e.t + (e.duration or 0) for e in phone.events])
    has_last = np.array([e.ctype in ("Voice", "Data") and bool(e.duration) for e in phone.events])
    firsts, lasts = [], []
    for ts, out in ((starts, firsts), (ends, lasts)):
        lat, lon = phone.track.at(ts)
        site, sector, site2, sector2 = world.serving(lat, lon)
        for k in range(len(ts)):
            second = rnd.random() < 0.08
            s, z = (int(site2[k]), int(sector2[k])) if second else (int(site[k]), int(sector[k]))
            out.append(world.cell(s, z, phone.radio).cdr_id)
    phone.first = firsts
    phone.last = [c if keep else None for c, keep in zip(lasts, has_last, strict=True)]
