"""A seeded generator of a realistic operator cell list (there is no public sample).

    python -m linesight_ingest.samples.cell_list_generator --seed 7 --sites 40 \\
        --out cells.csv [--xlsx] [--hex]

The same seed always gives the same bytes. Sites sit around Bath; each has 2G, 3G and 4G
cells on three sectors (azimuths roughly 120 degrees apart, beamwidth 65), as a UK
operator's disclosure cell list would: ``Site ID, Site Name, Postcode, Technology, CGI,
Grid Ref, Latitude, Longitude, Azimuth, Beamwidth, Valid From, Valid To``. Some sites
give only the grid reference, some only latitude/longitude. A few cells were re-pointed
(azimuth changed at a date: two rows, consecutive periods) and a few were switched off
(a ``Valid To``). ``--hex`` writes LAC/TAC and CI/ECI as ``0x`` hex, as some operators do.
Site names and postcodes are invented.
"""

from __future__ import annotations

import argparse
import csv
import io
import random
from datetime import date, timedelta
from pathlib import Path

from pyproj import Transformer

HEADER = ["Site ID", "Site Name", "Postcode", "Technology", "CGI", "Grid Ref", "Latitude",
          "Longitude", "Azimuth", "Beamwidth", "Valid From", "Valid To"]
_NAMES = ("Lansdown", "Widcombe", "Oldfield Park", "Larkhall", "Combe Down", "Twerton",
          "Bathwick", "Weston", "Odd Down", "Southdown", "Batheaston", "Bear Flat")
_TO_GRID = Transformer.from_crs("EPSG:4326", "EPSG:27700", always_xy=True)


def grid_ref(lat: float, lon: float) -> str:
    """WGS84 → a 10-figure OS grid reference (two letters, 5+5 digits)."""
    e, n = _TO_GRID.transform(lon, lat)
    e, n = int(e), int(n)
    e100, n100 = e // 100_000, n // 100_000
    l1 = (19 - n100) - (19 - n100) % 5 + (e100 + 10) // 5
    l2 = ((19 - n100) * 5) % 25 + e100 % 5
    letters = "".join(chr(ord("A") + (x + (x > 7))) for x in (l1, l2))
    return f"{letters}{e % 100_000:05d}{n % 100_000:05d}"


def _when(d: date | None, rnd: random.Random) -> str:
    if d is None:
        return ""
    return d.strftime("%d/%m/%Y") if rnd.random() < 0.7 else d.isoformat()


def _num(v: int, hexa: bool) -> str:
    return f"0x{v:X}" if hexa else str(v)


def generate(seed: int, sites: int, hexa: bool = False) -> list[list[str]]:
    rnd = random.Random(seed)
    rows: list[list[str]] = []
    lac, tac = rnd.randrange(10_000, 12_000), rnd.randrange(10_000, 12_000)
    for s in range(sites):
        lat = round(51.38 + rnd.uniform(-0.04, 0.04), 6)
        lon = round(-2.36 + rnd.uniform(-0.06, 0.06), 6)
        site_id = f"BA{1000 + s}"
        name = f"{rnd.choice(_NAMES)} {rnd.choice(('Mast', 'Rooftop', 'Water Tower', 'Church'))}"
        postcode = f"BA{rnd.randrange(1, 3)} {rnd.randrange(1, 9)}{rnd.choice('ABDEFGHJLNPQRSTUWXYZ')}{rnd.choice('ABDEFGHJLNPQRSTUWXYZ')}"
        ngr = grid_ref(lat, lon)
        show = rnd.choice(("both", "both", "grid", "latlon"))
        live = date(2015, 1, 1) + timedelta(days=rnd.randrange(0, 2500))
        enb = rnd.randrange(20_000, 60_000)
        base = rnd.uniform(0, 120)
        for sector in range(3):
            az = round((base + 120 * sector + rnd.uniform(-10, 10)) % 360)
            for tech in ("2G", "3G", "4G"):
                if tech == "4G":
                    ci, area = enb * 256 + sector + 1, tac
                elif tech == "3G":
                    ci, area = rnd.randrange(1, 4095) * 65536 + 10 * s + sector, lac
                else:
                    ci, area = 10 * s + sector + 1 + 20_000, lac
                cgi = f"234-30-{_num(area, hexa)}-{_num(ci, hexa)}"
                periods = [(live, None, az)]
                roll = rnd.random()
                if roll < 0.08:  # re-pointed: a new azimuth from a later date
                    moved = live + timedelta(days=rnd.randrange(200, 1500))
                    periods = [(live, moved, az), (moved, None, (az + rnd.choice((-30, 30))) % 360)]
                elif roll < 0.11:  # switched off
                    periods = [(live, live + timedelta(days=rnd.randrange(300, 2000)), az)]
                for start, end, azimuth in periods:
                    rows.append([
                        site_id, name, postcode, tech, cgi,
                        ngr if show in ("both", "grid") else "",
                        f"{lat:.6f}" if show in ("both", "latlon") else "",
                        f"{lon:.6f}" if show in ("both", "latlon") else "",
                        str(azimuth), "65", _when(start, rnd), _when(end, rnd)])
    return rows


def write_csv(rows: list[list[str]], out: Path) -> None:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow(HEADER)
    w.writerows(rows)
    out.write_bytes(buf.getvalue().encode("utf-8"))


def write_xlsx(rows: list[list[str]], out: Path, sheet: str = "Cell List") -> None:
    """The same rows as an XLSX sheet (numbers as numbers, as a spreadsheet holds them)."""
    from datetime import datetime

    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = sheet
    ws.append(HEADER)
    for r in rows:
        ws.append([float(v) if i in (6, 7) and v else (int(v) if i in (8, 9) else v)
                   for i, v in enumerate(r)])
    wb.properties.created = wb.properties.modified = datetime(2024, 1, 1)
    wb.save(out)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--sites", type=int, default=40)
    parser.add_argument("--hex", action="store_true", help="LAC/CI as 0x hex")
    parser.add_argument("--xlsx", action="store_true", help="write an XLSX workbook")
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args(argv)
    rows = generate(args.seed, args.sites, args.hex)
    (write_xlsx if args.xlsx else write_csv)(rows, args.out)


if __name__ == "__main__":
    main()
