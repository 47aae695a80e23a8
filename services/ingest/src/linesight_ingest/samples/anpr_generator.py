"""A seeded generator of realistic ANPR reads at the real Bath camera sites.

    python -m linesight_ingest.samples.anpr_generator --seed 2017 --rows 1500 \\
        --sites ../shared/datasets/bath-anpr-2017/sites_from_BathHacked-ANPR-Air.csv \\
        --out services/ingest/tests/data/anpr_bath_reads.csv

The sites file is read at generation time (the Bath & North East Somerset 2017 survey
sites, OGL v3.0: ``id,name,description,location_id,direction,...,longitude,latitude``);
each camera's id is ``BANES-<id>`` and its position and direction are written on every
read that carries a position (most do; some exports leave them blank). Vehicles make
journeys past consecutive cameras a few minutes apart over the week around the end of
British Summer Time (Sunday 27 October 2024), so some reads fall in the repeated hour.
Times are mostly ``dd/mm/yyyy HH:MM:SS`` UK local, some ISO 8601 with an offset. Two
vehicles travel together (one a minute behind the other). A few rows are defective on
purpose: a no-read, a VRM with a ``?``, an impossible date.

VRMs are invented in the current (``AB12 CDE``) and prefix (``A123 BCD``) formats; any
match with a real vehicle is coincidence.
"""

from __future__ import annotations

import argparse
import csv
import io
import random
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

HEADER = ["VRM", "Camera ID", "Read Time", "Latitude", "Longitude", "Direction", "Confidence"]
LONDON = ZoneInfo("Europe/London")
_LETTERS = "ABCDEFGHJKLMNOPRSTUVWXY"
START = datetime(2024, 10, 23, tzinfo=UTC)


def load_sites(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as f:
        return [{"camera_id": f"BANES-{r['id']}", "lat": r["latitude"], "lon": r["longitude"],
                 "direction": r["direction"]} for r in csv.DictReader(f)]


def vrm(rnd: random.Random) -> str:
    if rnd.random() < 0.85:
        return (f"{rnd.choice(_LETTERS)}{rnd.choice(_LETTERS)}{rnd.choice((17, 18, 19, 67, 68, 69, 70, 20, 21, 71, 72))}"
                f" {''.join(rnd.choice(_LETTERS) for _ in range(3))}")
    return f"{rnd.choice(_LETTERS)}{rnd.randrange(1, 999)} {''.join(rnd.choice(_LETTERS) for _ in range(3))}"


def _stamp(t: datetime, rnd: random.Random) -> str:
    if rnd.random() < 0.8:
        return t.astimezone(LONDON).strftime("%d/%m/%Y %H:%M:%S")
    return t.astimezone(LONDON).isoformat(timespec="seconds")


def generate(seed: int, rows: int, sites: list[dict[str, str]]) -> bytes:
    rnd = random.Random(seed)
    fleet = [vrm(rnd) for _ in range(max(10, rows // 12))]
    reads: list[tuple[datetime, list[str]]] = []
    while len(reads) < rows - 3:
        plate = rnd.choice(fleet)
        t = START + timedelta(seconds=rnd.randrange(0, 7 * 86_400))
        if rnd.random() < 0.02:  # into the repeated hour 01:00-01:59 on 27/10/2024
            t = datetime(2024, 10, 27, 0, 0, tzinfo=UTC) + timedelta(seconds=rnd.randrange(7200))
        i = rnd.randrange(len(sites))
        followers = [fleet[0], fleet[1]] if plate == fleet[0] else [plate]
        for _ in range(rnd.randrange(1, 5)):
            site = sites[i % len(sites)]
            for lag, p in enumerate(followers):
                when = t + timedelta(seconds=60 * lag + rnd.randrange(0, 20))
                positioned = rnd.random() < 0.9
                reads.append((when, [
                    p if rnd.random() < 0.7 else p.replace(" ", ""), site["camera_id"],
                    _stamp(when, rnd), site["lat"] if positioned else "",
                    site["lon"] if positioned else "", site["direction"],
                    f"{rnd.uniform(0.55, 0.99):.2f}"]))
            t += timedelta(seconds=rnd.randrange(90, 600))
            i += rnd.choice((1, 2))
    reads = sorted(reads, key=lambda r: (r[0], r[1][1], r[1][0]))[: rows - 3]
    s = sites[0]
    defects = [["NOREAD", s["camera_id"], "24/10/2024 08:15:02", s["lat"], s["lon"], "N", "0.10"],
               ["AB1?XYZ", s["camera_id"], "24/10/2024 08:16:40", s["lat"], s["lon"], "N", "0.31"],
               ["KX19 LMN", s["camera_id"], "31/02/2024 09:00:00", s["lat"], s["lon"], "N", "0.90"]]
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow(HEADER)
    for n, (_, row) in enumerate(reads):
        w.writerow(row)
        if n in (len(reads) // 4, len(reads) // 2, 3 * len(reads) // 4):
            w.writerow(defects.pop(0))
    return buf.getvalue().encode("utf-8")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seed", type=int, default=2017)
    parser.add_argument("--rows", type=int, default=1500)
    parser.add_argument("--sites", type=Path, required=True, help="Bath ANPR sites CSV")
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args(argv)
    data = generate(args.seed, args.rows, load_sites(args.sites))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_bytes(data)
    reads = data.count(b"\n") - 1
    print(f"wrote {args.out} ({len(data)} bytes, {reads} rows, seed {args.seed})")


if __name__ == "__main__":
    main()
