"""A seeded generator of a realistic UK tower dump (``uk-tower-dump-v1``), any size.

    python -m linesight_ingest.samples.tower_dump_generator --rows 1000000 --out dump.csv

The same seed and size always give the same bytes. Six cells of one city-centre site
(three 2G/3G CGIs, three 4G ECGIs as ``MCC-MNC-TAC-ECI``) are dumped from 18:00 on
Saturday 26 October 2024 for ``--hours`` hours (default 12), so the window crosses the
end of British Summer Time and some events fall in the repeated hour. A population of
handsets (a few "regulars" who are on the site all evening, many passers-by) makes MO/MT
voice, SMS, MMS and data events, with withheld callers, international callers and short
codes; each handset keeps its IMSI and IMEI. Written in chunks, so a million rows need
little memory. Numbers are drawn from valid UK mobile ranges (any match with a number in
service is coincidence); do not dial them.
"""

from __future__ import annotations

import argparse
import csv
import random
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from linesight_ingest.samples.cdr_generator import _imei, _valid_mobile

HEADER = ["Cell ID", "Event Date", "Event Time", "Event Type", "A Number", "B Number",
          "IMSI", "IMEI", "Duration (s)"]
LONDON = ZoneInfo("Europe/London")
START_LOCAL = datetime(2024, 10, 26, 18, 0, tzinfo=LONDON)
CELLS = ("234-30-10595-20811", "234-30-10595-20812", "234-30-10595-20813",
         "234-30-10595-6643713", "234-30-10595-6643714", "234-30-10595-6643715")
TYPES = (("MO Voice", 0.16), ("MT Voice", 0.16), ("MO SMS", 0.14), ("MT SMS", 0.18),
         ("MO MMS", 0.01), ("MT MMS", 0.01), ("Data", 0.30), ("Missed", 0.03),
         ("Voicemail", 0.01))


def _handsets(rnd: random.Random, n: int) -> list[tuple[str, str, str]]:
    return [("0" + _valid_mobile(rnd), f"23430{rnd.randrange(10**9, 10**10)}", _imei(rnd))
            for _ in range(n)]


def generate(out: Path, rows: int, seed: int = 20241026, hours: int = 12) -> int:
    rnd = random.Random(seed)
    people = _handsets(rnd, max(50, min(rows // 20, 50_000)))
    others = ["0" + _valid_mobile(rnd) for _ in range(500)]
    regulars = people[: max(5, len(people) // 100)]
    names, weights = zip(*TYPES, strict=True)
    start = START_LOCAL.astimezone(UTC)
    span = hours * 3600
    stamps = sorted(rnd.randrange(span * 1000) for _ in range(rows))
    with out.open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\r\n")
        w.writerow(HEADER)
        chunk: list[list[str]] = []
        for ms in stamps:
            msisdn, imsi, imei = rnd.choice(regulars) if rnd.random() < 0.2 else rnd.choice(people)
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
                a, b = ("" if other == "Withheld" and rnd.random() < 0.5 else other), msisdn
                dur = str(rnd.randrange(1, 900)) if kind == "MT Voice" else ""
            local = (start + timedelta(milliseconds=ms)).astimezone(LONDON)
            chunk.append([rnd.choice(CELLS), local.strftime("%d/%m/%Y"),
                          local.strftime("%H:%M:%S"), kind, a, b, imsi, imei, dur])
            if len(chunk) >= 50_000:
                w.writerows(chunk)
                chunk = []
        w.writerows(chunk)
    return rows


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=20241026)
    parser.add_argument("--hours", type=int, default=12)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args(argv)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    n = generate(args.out, args.rows, args.seed, args.hours)
    print(f"wrote {args.out} ({args.out.stat().st_size} bytes, {n} events, seed {args.seed})")


if __name__ == "__main__":
    main()
