"""A seeded generator of a realistic ``uk-operator-cdr-v1`` file: a county-lines "deal line".

    python -m linesight_ingest.samples.cdr_generator --seed 20241027 \\
        --out samples/op-monza/ABC-1_deal-line_cdr.csv

The same seed always gives the same bytes. The file holds one target number over eight
weeks (Monday 30 September to Sunday 24 November 2024, UK local time), so it spans the
end of British Summer Time on Sunday 27 October 2024, with events inside the repeated
hour 01:00-01:59. What it contains, and why:

* a controller, two runners and a supplier who dominate the voice traffic;
* ~150 customers calling in briefly (15-60 s), a few regulars calling daily;
* bulk "flare" SMS bursts from the deal line to dozens of customers within minutes;
* withheld callers (``Withheld``, ``Private``, blank), missed calls, voicemail deposits,
  forwarded calls, mobile data sessions with charging ids, short codes 150 and 901;
* the same contacts written as ``07…``, ``+44…`` and ``44…``;
* a handset change (new IMEI, same SIM) in week five;
* cells as 2G/3G CGIs and 4G ECGIs, the handset sleeping on "home" cells at night.

The people are invented. Mobile numbers are drawn at random from ranges that
``phonenumbers`` accepts as valid UK mobiles (so the parser treats them as real
numbers); any match with a number in service is coincidence. Landlines use Ofcom's
drama ranges. Do not dial any of them.
"""

from __future__ import annotations

import argparse
import csv
import io
import random
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import phonenumbers

from linesight_ingest.parsing.layout import COLUMNS

DEFAULT_SEED = 20241027
LONDON = ZoneInfo("Europe/London")
START = datetime(2024, 9, 30, tzinfo=LONDON)
DAYS = 56
HANDSET_CHANGE_DAY = 31
#: relative activity of a deal line by local hour (quiet 03:00-08:00, busy afternoon/evening)
HOURLY = [3, 2, 1, 1, 0.5, 0.5, 1, 2, 3, 4, 5, 6, 7, 7, 7, 8, 8, 9, 9, 9, 8, 7, 6, 4]


@dataclass(frozen=True)
class Contact:
    nsn: str  # national significant number, e.g. 7400123456
    role: str
    weight: float


def _valid_mobile(rng: random.Random) -> str:
    while True:
        nsn = rng.choice(["74", "75", "77", "78", "79"]) + "".join(
            rng.choice("0123456789") for _ in range(8))
        num = phonenumbers.parse("+44" + nsn, None)
        if phonenumbers.is_valid_number(num) and phonenumbers.region_code_for_number(num) == "GB":
            return nsn


def _imei(rng: random.Random) -> str:
    body = "35" + "".join(rng.choice("0123456789") for _ in range(12))
    total = 0
    for i, d in enumerate(int(c) for c in body):
        d = d * 2 if i % 2 else d
        total += d - 9 if d > 9 else d
    return body + str((10 - total % 10) % 10)


def _shape(nsn: str, rng: random.Random) -> str:
    """A UK number written the way different operator systems write it."""
    r = rng.random()
    return "0" + nsn if r < 0.6 else ("+44" + nsn if r < 0.85 else "44" + nsn)


class DealLine:
    """The invented world: the target, its contacts, cells and handsets."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.target = _valid_mobile(rng)
        key = [Contact(_valid_mobile(rng), role, w) for role, w in
               (("controller", 30), ("runner", 14), ("runner", 10), ("supplier", 4))]
        customers = [Contact(_valid_mobile(rng), "customer", 1 / (i + 1) ** 0.8)
                     for i in range(150)]
        landlines = [Contact(n, "landline", 1) for n in ("2079460321", "1174960112")]
        self.key, self.customers, self.landlines = key, customers, landlines
        self.imsi = "23430" + "".join(rng.choice("0123456789") for _ in range(10))
        self.imeis = (_imei(rng), _imei(rng))
        self.home = [f"234-30-{rng.randint(1000, 9999)}-{rng.randint(1000, 65000)}"
                     for _ in range(3)]
        self.trap = [f"234-30-{rng.randint(1_000_000, 99_999_999)}" for _ in range(5)]
        self.road = [f"234-30-{rng.randint(1000, 9999)}-{rng.randint(1000, 65000)}"
                     for _ in range(6)]

    def cell(self, local: datetime) -> str:
        rng = self.rng
        if local.hour < 8:
            return rng.choice(self.home)
        if local.weekday() in (1, 4) and 10 <= local.hour < 14:  # county runs
            return rng.choice(self.road)
        return rng.choice(self.trap)

    def customer(self) -> Contact:
        return self.rng.choices(self.customers, weights=[c.weight for c in self.customers])[0]


def _events(world: DealLine) -> list[dict]:
    rng = world.rng
    events: list[dict] = []

    def add(when_utc: datetime, direction: str, ctype: str, other: str, duration: int | str,
            *, called: str | None = None) -> None:
        events.append({"utc": when_utc, "direction": direction, "type": ctype,
                       "other": other, "duration": duration, "called": called})

    start_utc = START.astimezone(UTC)
    for hour in range(DAYS * 24 + 1):  # +1: the repeated hour makes one day 25 hours long
        slot = start_utc + timedelta(hours=hour)
        if slot >= (START + timedelta(days=DAYS)).astimezone(UTC):
            break
        local = slot.astimezone(LONDON)
        rate = HOURLY[local.hour] * 0.5
        for _ in range(_poisson(rng, rate)):
            when = slot + timedelta(seconds=rng.randint(0, 3599))
            r = rng.random()
            if r < 0.30:
                c = world.customer()
                add(when, "MT", "Voice", _shape(c.nsn, rng), rng.randint(15, 60))
            elif r < 0.45:
                add(when, "MT", "SMS", _shape(world.customer().nsn, rng), "")
            elif r < 0.62:
                k = rng.choices(world.key, weights=[c.weight for c in world.key])[0]
                add(when, rng.choice(["MO", "MT"]), "Voice", _shape(k.nsn, rng),
                    rng.randint(60, 900))
            elif r < 0.72:
                k = rng.choices(world.key, weights=[c.weight for c in world.key])[0]
                add(when, rng.choice(["MO", "MT"]), "SMS", _shape(k.nsn, rng), "")
            elif r < 0.77:
                add(when, "MT", "Voice", rng.choice(["Withheld", "Private", ""]),
                    rng.randint(10, 120))
            elif r < 0.83:
                add(when, "MT", "Missed", _shape(world.customer().nsn, rng), 0)
            elif r < 0.86:
                add(when, "MT", "Voicemail", _shape(world.customer().nsn, rng),
                    rng.randint(8, 40))
            elif r < 0.88:
                add(when, "FWD", "Voice", _shape(world.customer().nsn, rng),
                    rng.randint(10, 90), called=_shape(world.key[1].nsn, rng))
            elif r < 0.90:
                add(when, "MO", "Voice", "0" + rng.choice(world.landlines).nsn,
                    rng.randint(30, 400))
            else:
                add(when, "MO", "Data", "", rng.randint(120, 3600))
    for day in range(0, DAYS, 3):  # flare SMS to the customer list, every third day
        t0 = (START + timedelta(days=day, hours=rng.randint(10, 16))).astimezone(UTC)
        for i, c in enumerate(rng.sample(world.customers, rng.randint(35, 70))):
            add(t0 + timedelta(seconds=4 * i + rng.randint(0, 3)), "MO", "SMS",
                _shape(c.nsn, rng), "")
    for day in (3, 24, 45):
        add(start_utc + timedelta(days=day, hours=11), "MO", "Voice", "150", rng.randint(60, 400))
    for day in (1, 15, 29, 43):
        add(start_utc + timedelta(days=day, hours=9), "MT", "SMS", "901", "")
    # Both readings of 01:00-01:59 on 27 October 2024 (BST first, then GMT).
    for minute in (5, 20, 41, 58):
        for utc_hour in (0, 1):
            add(datetime(2024, 10, 27, utc_hour, minute, rng.randint(0, 59), tzinfo=UTC),
                "MT", "Voice", _shape(world.key[0].nsn, rng), rng.randint(20, 300))
    events.sort(key=lambda e: (e["utc"], e["direction"], e["other"]))
    return events


def _poisson(rng: random.Random, lam: float) -> int:
    n, p, limit = 0, 1.0, pow(2.718281828459045, -lam)
    while True:
        p *= rng.random()
        if p <= limit:
            return n
        n += 1


#: defects real operator exports carry, left in the sample so a run shows them rejected:
#: (after which event, the row as served)
DEFECTS = (
    (1200, ["CDR0001200X", "07778631643", "31/09/2024", "14:02:11", "MT", "SMS",
            "07700900461", "447778631643", "0", "", "", "", "", ""]),  # no 31 September
    (2600, ["CDR0002600X", "07778631643", "02/11/2024", "09:15:40", "MO", "Voice",
            "447778631643", "07700900"]),  # a record cut short by the export
)
TRAILER = "*** END OF REPORT ***"


def generate(seed: int = DEFAULT_SEED, *, defects: bool = True) -> bytes:
    """The whole file as bytes (UTF-8, CRLF line endings, header first).

    With ``defects`` (the bundled sample) two broken records and the operator's trailer
    line are written as real exports have them; the parser must reject each with its
    line and reason and keep every other row."""
    rng = random.Random(seed)
    world = DealLine(rng)
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\r\n")
    w.writerow([c.header for c in COLUMNS])
    target_written = "0" + world.target
    for i, e in enumerate(_events(world), start=1):
        local = e["utc"].astimezone(LONDON)
        me = "44" + world.target
        calling, called = (me, e["other"]) if e["direction"] == "MO" else (e["other"], me)
        if e["called"] is not None:
            called = e["called"]
        first = world.cell(local)
        last = first if e["type"] in ("SMS", "Missed") or rng.random() < 0.7 else world.cell(local)
        data = e["type"] == "Data"
        imei = world.imeis[0 if (local - START).days < HANDSET_CHANGE_DAY else 1]
        w.writerow([
            f"CDR{i:07d}", target_written, local.strftime("%d/%m/%Y"),
            local.strftime("%H:%M:%S"), e["direction"], e["type"], calling,
            "" if data else called, e["duration"], imei, world.imsi, first,
            "" if e["type"] in ("SMS", "Missed") else last,
            f"{rng.getrandbits(32):08X}" if data else "",
        ])
        for after, broken in DEFECTS if defects else ():
            if i == after:
                w.writerow(broken)
    if defects:
        out.write(TRAILER + "\r\n")
    return out.getvalue().encode("utf-8")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args(argv)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    data = generate(args.seed)
    args.out.write_bytes(data)
    events = data.count(b"\n") - 1
    print(f"wrote {args.out} ({len(data)} bytes, {events} events, seed {args.seed})")


if __name__ == "__main__":
    main()
