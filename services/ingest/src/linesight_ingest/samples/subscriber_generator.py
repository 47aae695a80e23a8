"""A seeded generator of a realistic UK CSP subscriber-check return (CSV).

    python -m linesight_ingest.samples.subscriber_generator --seed 11 --rows 24 \\
        --out services/ingest/tests/data/subscriber_sample.csv

The same seed always gives the same bytes. Each line attributes an MSISDN, usually with
its SIM's IMSI and the last handset's IMEI, to a subscriber: pay-monthly contracts with
name, address (sometimes over two lines inside quotes), postcode and date of birth;
unregistered prepaid SIMs with no name; business accounts; some numbers disconnected
and reconnected to a new subscriber (two attribution windows for one number); a
broadband-style line with an account number only. Names, addresses and numbers are
invented (numbers from ranges ``phonenumbers`` accepts as valid UK mobiles: do not dial
them; postcodes are well-formed but chosen at random).
"""

from __future__ import annotations

import argparse
import csv
import io
import random
from datetime import date, timedelta
from pathlib import Path

from linesight_ingest.samples.ip_log_generator import _FIRST, _LAST, _mobile

HEADER = ["MSISDN", "IMSI", "IMEI", "Account Number", "Subscriber Name", "Address",
          "Postcode", "Date of Birth", "Account Type", "Connection Date",
          "Disconnection Date", "Network"]
_STREETS = ["High Street", "Station Road", "Church Lane", "Mill Road", "Park Avenue"]
_TOWNS = [("Leeds", "LS"), ("Bradford", "BD"), ("York", "YO"), ("Hull", "HU")]


def _d(day: date) -> str:
    return day.strftime("%d/%m/%Y")


def generate(seed: int, rows: int) -> bytes:
    rng = random.Random(seed)
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\r\n")
    w.writerow(HEADER)
    base = date(2022, 1, 1)
    for n in range(rows):
        msisdn = _mobile(rng)
        imsi = f"23415{rng.randrange(10**10):010d}"
        imei = f"35{rng.randrange(10**13):013d}"
        town, area = rng.choice(_TOWNS)
        address = f"{rng.randrange(1, 200)} {rng.choice(_STREETS)}"
        address += ("\n" if rng.random() < 0.3 else ", ") + town
        post = f"{area}{rng.randrange(1, 20)} {rng.randrange(1, 10)}{rng.choice('ABDEFGHJ')}" \
               f"{rng.choice('LNPQRSTUWXYZ')}"
        connected = base + timedelta(days=rng.randrange(700))
        kind = rng.choices(["Contract", "Prepaid", "Business", "account"], [6, 3, 1, 1])[0]
        name = f"{rng.choice(_FIRST)} {rng.choice(_LAST)}"
        dob = _d(date(1960, 1, 1) + timedelta(days=rng.randrange(15000)))
        if kind == "Prepaid":
            name, address, post, dob = "", "", "", ""
        if kind == "Business":
            name, dob = f"{rng.choice(_LAST)} Logistics Ltd", ""
        account = f"{rng.randrange(10**8):08d}"
        if kind == "account":
            w.writerow(["", "", "", account, name, address, post, dob, "Contract",
                        _d(connected), "", "Example Mobile Ltd"])
            continue
        ended = connected + timedelta(days=rng.randrange(30, 400))
        if rng.random() < 0.3:  # the number moved on to a new subscriber
            w.writerow([msisdn, imsi, imei, account, name, address, post, dob, kind,
                        _d(connected), _d(ended), "Example Mobile Ltd"])
            name2 = f"{rng.choice(_FIRST)} {rng.choice(_LAST)}"
            w.writerow([msisdn, f"23415{rng.randrange(10**10):010d}", "",
                        f"{rng.randrange(10**8):08d}", name2, "", "", "", "Prepaid",
                        _d(ended + timedelta(days=90)), "", "Example Mobile Ltd"])
        else:
            w.writerow([msisdn, imsi, imei if rng.random() < 0.8 else "", account, name,
                        address, post, dob, kind, _d(connected), "", "Example Mobile Ltd"])
    return out.getvalue().encode("utf-8")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seed", type=int, default=11)
    ap.add_argument("--rows", type=int, default=24)
    ap.add_argument("--out", type=Path, required=True)
    args = ap.parse_args()
    args.out.write_bytes(generate(args.seed, args.rows))


if __name__ == "__main__":
    main()
