"""A seeded generator of a realistic ``csp-ip-resolution-v1`` return (CSV).

    python -m linesight_ingest.samples.ip_log_generator --seed 7 --rows 40 \\
        --out services/ingest/tests/data/ip_log_sample.csv

The same seed always gives the same bytes. A mobile CSP behind carrier-grade NAT: a few
public IPv4 addresses each shared by many subscribers in 1,024-port blocks
(``49152-50175``, ``50176-51199``, …), sessions of minutes to hours, some still open (no
end), and IPv6 sessions with one address per customer. Times are written half as ISO
8601 with an offset and half as UK local ``dd/mm/yyyy HH:MM:SS``, over the end of BST
on Sunday 27 October 2024 (so some fall in the repeated hour). Public addresses come
from the documentation ranges (RFC 5737 ``203.0.113.0/24``, RFC 3849 ``2001:db8::/32``),
so the parser flags them as not global; subscribers and numbers are invented (numbers
are drawn from ranges ``phonenumbers`` accepts as valid UK mobiles: do not dial them).
"""

from __future__ import annotations

import argparse
import csv
import io
import random
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import phonenumbers

HEADER = ["Public IP", "Port Range", "Session Start", "Session End", "Private IP", "MSISDN",
          "IMSI", "Account Ref", "Subscriber Name", "Provider"]
_UK = ZoneInfo("Europe/London")
_FIRST = ["Aisha", "Ben", "Chloe", "Dev", "Ella", "Finn", "Grace", "Harry", "Isla", "Jack"]
_LAST = ["Ahmed", "Brown", "Clarke", "Davies", "Evans", "Green", "Hughes", "Khan", "Patel"]


def _mobile(rng: random.Random) -> str:
    while True:
        national = "07" + "".join(rng.choice("0123456789") for _ in range(9))
        if phonenumbers.is_valid_number(phonenumbers.parse(national, "GB")):
            return national


def _when(rng: random.Random, t: datetime) -> str:
    if rng.random() < 0.5:
        return t.isoformat(timespec="seconds")
    return t.astimezone(_UK).strftime("%d/%m/%Y %H:%M:%S")


def generate(seed: int, rows: int) -> bytes:
    rng = random.Random(seed)
    people = [(f"{rng.choice(_FIRST)} {rng.choice(_LAST)}", _mobile(rng),
               f"23430{rng.randrange(10**10):010d}", f"ACC{rng.randrange(10**7):07d}")
              for _ in range(max(3, rows // 4))]
    start = datetime(2024, 10, 26, 18, 0, tzinfo=UTC)
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\r\n")
    w.writerow(HEADER)
    for _ in range(rows):
        name, msisdn, imsi, account = rng.choice(people)
        begin = start + timedelta(seconds=rng.randrange(0, 16 * 3600))
        end = begin + timedelta(seconds=rng.randrange(60, 4 * 3600))
        if rng.random() < 0.8:
            block = rng.randrange(16)
            public = f"203.0.113.{rng.randrange(1, 5)}"
            ports = f"{49152 + 1024 * block}-{49152 + 1024 * block + 1023}"
            private = f"100.64.{rng.randrange(256)}.{rng.randrange(1, 255)}"
        else:
            public = f"2001:db8:{rng.randrange(0x10000):x}:{rng.randrange(0x10000):x}::1"
            ports, private = "", ""
        ending = "" if rng.random() < 0.1 else _when(rng, end)
        w.writerow([public, ports, _when(rng, begin), ending, private, msisdn, imsi, account,
                    name, "Example Mobile Ltd"])
    return out.getvalue().encode("utf-8")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--rows", type=int, default=40)
    ap.add_argument("--out", type=Path, required=True)
    args = ap.parse_args()
    args.out.write_bytes(generate(args.seed, args.rows))


if __name__ == "__main__":
    main()
