"""A seeded generator of a realistic ETSI TS 102 657 retained-data XML response.

    python -m linesight_ingest.samples.etsi_xml_generator --seed 7 --records 200 \\
        --out ABC-2_retained.xml

The same seed always gives the same bytes. Modelled on the structure of TS 102 657's
ASN.1 in its XER form (``RetainedDataMessage`` → ``rdHeader`` + ``retainedDataPayload``
→ ``responseMessage`` → ``responseRecords`` → ``RetainedDataRecord``), without the
official XSD, which we could not obtain; see ``services/ingest/docs/etsi-ts-102-657.md``.
It holds one target over a fortnight across the end of BST: voice calls both ways, SMS,
unanswered calls, withheld callers, data sessions with charging ids and APNs, GSM CGIs
in hex octets and LTE ECGIs, cell positions in ETSI ``XDDMMSS.SS`` form, a handful of
times written with an offset or as local time, and (``--with-bad``) a few broken records.
Numbers are random valid-looking UK mobiles; any match with a real one is coincidence.
"""

from __future__ import annotations

import argparse
import random
from datetime import UTC, datetime, timedelta
from pathlib import Path
from xml.sax.saxutils import escape

NS = "http://uri.etsi.org/02657/v1.18.1#/RetainedData"
START = datetime(2024, 10, 21, tzinfo=UTC)


def _msisdn(rng: random.Random) -> str:
    return "447" + rng.choice("45789") + "".join(rng.choice("0123456789") for _ in range(8))


def _dms(value: float, latitude: bool) -> str:
    hemi = ("N" if value >= 0 else "S") if latitude else ("E" if value >= 0 else "W")
    v = abs(value)
    d, rem = int(v), (v - int(v)) * 60
    m, s = int(rem), (rem - int(rem)) * 60
    return f"{hemi}{d:0{2 if latitude else 3}d}{m:02d}{s:05.2f}"


def _cells(rng: random.Random) -> list[tuple[str, str, float, float, int]]:
    out = []
    for i in range(8):
        lat, lon = 51.45 + rng.random() * 0.1, -0.2 + rng.random() * 0.2
        if i % 2:
            lac, ci = rng.randint(1000, 60000), rng.randint(1, 65535)
            octets = "32F403" + f"{lac:04X}{ci:04X}"
            out.append(("globalCellID", octets, lat, lon, rng.choice([0, 120, 240])))
        else:
            eci = rng.randint(1 << 16, (1 << 28) - 1)
            out.append(("eCGI", "32F403" + f"{eci:08X}", lat, lon, rng.choice([30, 150, 270])))
    return out


def _location(cell, with_geo: bool) -> str:
    tag, octets, lat, lon, az = cell
    geo = (f"<geoCoordinates><latitude>{_dms(lat, True)}</latitude><longitude>"
           f"{_dms(lon, False)}</longitude><mapDatum><wGS84/></mapDatum><azimuth>{az}"
           "</azimuth></geoCoordinates>") if with_geo else ""
    return f"<location><cellInformation><{tag}>{octets}</{tag}>{geo}</cellInformation></location>"


def _time(rng: random.Random, when: datetime) -> str:
    pick = rng.random()
    if pick < 0.05:  # written with the offset in force in the UK
        off = 1 if when < datetime(2024, 10, 27, 1, tzinfo=UTC) else 0
        return (when + timedelta(hours=off)).strftime("%Y%m%d%H%M%S") + f"+0{off}00"
    return when.strftime("%Y%m%d%H%M%S") + "Z"


def _telephony(rng, target, imsi, imei, cells, when, bad: bool) -> str:
    out = rng.random() < 0.55
    other = rng.choice(["Withheld", ""]) if not out and rng.random() < 0.05 else _msisdn(rng)
    service = "sMS" if rng.random() < 0.35 else "speech"
    cell = rng.choice(cells)
    me = (f"<TelephonyPartyInformation><partyRole><{'originating' if out else 'terminating'}/>"
          f"</partyRole><partyNumber>{target}</partyNumber><imsi>{imsi}</imsi><imei>{imei}"
          f"</imei>{_location(cell, rng.random() < 0.9)}</TelephonyPartyInformation>")
    them = (f"<TelephonyPartyInformation><partyRole><{'terminating' if out else 'originating'}/>"
            f"</partyRole><partyNumber>{escape(other)}</partyNumber></TelephonyPartyInformation>")
    parties = me + them if out else them + me
    dur = 0 if service == "sMS" else rng.choice([0, 8, 25, 40, 65, 120, 300, 900])
    end = f"<duration>{dur}</duration>" if rng.random() < 0.5 else \
        f"<endTime>{(when + timedelta(seconds=dur)).strftime('%Y%m%d%H%M%SZ')}</endTime>"
    start = _time(rng, when)
    if bad:
        start = rng.choice(["20241332250000Z", "yesterday", ""])
    status = "<callStatus><notAnswered/></callStatus>" if dur == 0 and service == "speech" \
        else "<callStatus><answered/></callStatus>"
    return (f"<telephonyRecord><telephonyServiceUsage><partyInformation>{parties}"
            f"</partyInformation><communicationTime><startTime>{start}</startTime>{end}"
            f"</communicationTime><telephonyServiceType><{service}/></telephonyServiceType>"
            f"{status}</telephonyServiceUsage></telephonyRecord>")


def _data(rng, target, imsi, imei, cells, when) -> str:
    dur = rng.randint(60, 7200)
    return (f"<networkAccessRecord><nwAccessServiceUsage><msisdn>{target}</msisdn>"
            f"<imsi>{imsi}</imsi><imei>{imei}</imei><communicationTime><startTime>"
            f"{_time(rng, when)}</startTime><duration>{dur}</duration></communicationTime>"
            f"<gprsInformation><chargingID>{rng.randint(1, 2**32 - 1)}</chargingID>"
            f"<aPN>{rng.choice(['internet', 'mobile.o2.co.uk', 'payandgo.o2.co.uk'])}</aPN>"
            f"<pDPAddress><iPv4Address>10.{rng.randint(0, 255)}.{rng.randint(0, 255)}."
            f"{rng.randint(1, 254)}</iPv4Address></pDPAddress>"
            f"{_location(rng.choice(cells), True)}</gprsInformation>"
            "</nwAccessServiceUsage></networkAccessRecord>")


def generate(seed: int = 7, records: int = 60, with_bad: bool = False) -> bytes:
    rng = random.Random(seed)
    target, cells = _msisdn(rng), _cells(rng)
    imsi = "23430" + "".join(rng.choice("0123456789") for _ in range(10))
    imei = "35" + "".join(rng.choice("0123456789") for _ in range(13))
    when, body = START, []
    for i in range(records):
        when += timedelta(seconds=rng.randint(60, 14 * 86400 // max(records, 1)))
        bad = with_bad and i % 17 == 16
        inner = _data(rng, target, imsi, imei, cells, when) if rng.random() < 0.15 and not bad \
            else _telephony(rng, target, imsi, imei, cells, when, bad)
        body.append(f"      <RetainedDataRecord>{inner}</RetainedDataRecord>\n")
    head = (f'<?xml version="1.0" encoding="UTF-8"?>\n<RetainedDataMessage xmlns="{NS}">\n'
            "  <rdHeader><requestID><countryCode>GB</countryCode><authorizedOrganizationID>"
            f"MPS</authorizedOrganizationID><requestNumber>RDR-{seed}</requestNumber>"
            "</requestID><cSPID>23430</cSPID><timeStampUTC>20241105093000Z</timeStampUTC>"
            "<version><majorVersion>1</majorVersion><minorVersion>18</minorVersion></version>"
            "</rdHeader>\n  <retainedDataPayload><responseMessage><responseStatus>"
            "<responseComplete/></responseStatus>\n    <responseRecords>\n")
    tail = "    </responseRecords>\n  </responseMessage></retainedDataPayload>\n" \
           "</RetainedDataMessage>\n"
    return (head + "".join(body) + tail).encode("utf-8")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--records", type=int, default=60)
    ap.add_argument("--with-bad", action="store_true")
    ap.add_argument("--out", type=Path, required=True)
    args = ap.parse_args()
    args.out.write_bytes(generate(args.seed, args.records, args.with_bad))


if __name__ == "__main__":
    main()
