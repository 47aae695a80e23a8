"""Seeded generators of realistic handset downloads: UFED report.xml / .ufdr and XRY text.

    python -m linesight_ingest.samples.handset_generator --format ufed --out report.xml
    python -m linesight_ingest.samples.handset_generator --format ufdr --out phone.ufdr
    python -m linesight_ingest.samples.handset_generator --format xry --out phone.txt

No public samples of either tool's output can be shared, so these follow the structure
the tools document and examiners describe (see ``services/ingest/docs/handset-*.md``):
a UFED ``project`` with ``metadata`` sections and ``decodedData/modelType`` of ``Call``,
``SMS``, ``Chat`` (``InstantMessage``), ``Contact`` and ``CellTower`` models with parties,
deleted records, times with offsets and some without; an XRY UTF-16LE text report with
``General Information``, ``Calls``, ``SMS Messages`` and ``Contacts`` sections. The same
seed gives the same bytes (the .ufdr zip has fixed member times). People are invented.
"""

from __future__ import annotations

import argparse
import io
import random
import zipfile
import zlib
from datetime import datetime, timedelta
from pathlib import Path
from xml.sax.saxutils import escape

START = datetime(2024, 10, 20, 9, 0)
WORDS = ["ok", "on", "way", "need", "2", "more", "bits", "be", "there", "10", "mins", "same", "place", "cash", "only", "yes", "no", "later"]


def _mobile(rng: random.Random) -> str:
    return "07" + rng.choice("45789") + "".join(rng.choice("0123456789") for _ in range(8))


def _people(rng: random.Random) -> list[tuple[str, str]]:
    names = ["Jay", "Mo", "T", "Bex", "Unc", "Kez", "Dani", "Rico"]
    return [(n, _mobile(rng)) for n in names]


def _f(name: str, value: str, vtype: str = "String") -> str:
    return (f'<field name="{name}" type="{vtype}"><value type="{vtype}"><![CDATA[{value}]]>'
            "</value></field>")


def _party(ident: str, role: str, name: str = "", owner: bool = False) -> str:
    return (f'<model type="Party" id="p{zlib.crc32(f"{ident}|{role}".encode())}" '
            f'deleted_state="Intact">{_f("Identifier", ident)}{_f("Role", role)}'
            f'{_f("Name", name)}{_f("IsPhoneOwner", str(owner), "Boolean")}</model>')


def _stamp(rng: random.Random, when: datetime) -> str:
    if rng.random() < 0.1:
        return when.strftime("%Y-%m-%dT%H:%M:%S")  # no offset: device-local
    off = "+01:00" if when < datetime(2024, 10, 27, 2) else "+00:00"
    return when.strftime("%Y-%m-%dT%H:%M:%S.000") + off


def ufed_xml(seed: int = 11, records: int = 30) -> bytes:
    rng = random.Random(seed)
    people, owner = _people(rng), _mobile(rng)
    imei = "35" + "".join(rng.choice("0123456789") for _ in range(13))
    calls, sms, msgs, when = [], [], [], START
    for i in range(records):
        when += timedelta(minutes=rng.randint(5, 600))
        name, num = rng.choice(people)
        d = rng.choice(["Outgoing", "Incoming", "Missed"])
        state = "Deleted" if rng.random() < 0.1 else "Intact"
        role = "To" if d == "Outgoing" else "From"
        party = "" if d == "Missed" and rng.random() < 0.2 else _party(num, role, name)
        calls.append(f'<model type="Call" id="c{i}" deleted_state="{state}" '
                     f'decoding_confidence="High">{_f("Source", "Phone")}'
                     f'{_f("Direction", d, "CallDirection")}'
                     f'{_f("Status", "Missed" if d == "Missed" else "Established")}'
                     f'{_f("TimeStamp", _stamp(rng, when), "TimeStamp")}'
                     f'{_f("Duration", "00:00:00" if d == "Missed" else f"00:{rng.randint(0, 9):02d}:{rng.randint(0, 59):02d}", "TimeSpan")}'
                     f'<multiModelField name="Parties" type="Party">{party}</multiModelField>'
                     "</model>")
        out = rng.random() < 0.5
        body = escape(" ".join(rng.choice(WORDS) for _ in range(rng.randint(2, 8))))
        sms.append(f'<model type="SMS" id="s{i}" deleted_state="{"Deleted" if rng.random() < 0.1 else "Intact"}">'
                   f'{_f("Folder", "Sent" if out else "Inbox")}{_f("Body", body)}'
                   f'{_f("TimeStamp", _stamp(rng, when + timedelta(seconds=30)), "TimeStamp")}'
                   f'<multiModelField name="Parties" type="Party">'
                   f'{_party(num, "To" if out else "From", name)}</multiModelField></model>')
        if i % 3 == 0:
            frm = _party(owner, "From", "", True) if out else _party(num, "From", name)
            msgs.append(f'<model type="InstantMessage" id="m{i}" deleted_state="Intact">'
                        f'{_f("Source", "WhatsApp")}{_f("Body", body)}'
                        f'{_f("TimeStamp", _stamp(rng, when), "TimeStamp")}'
                        f'<modelField name="From" type="Party">{frm}</modelField></model>')
    contacts = [f'<model type="Contact" id="k{i}" deleted_state="Intact">{_f("Name", n)}'
                f'<multiModelField name="Entries" type="ContactEntry"><model type="PhoneNumber"'
                f' id="e{i}">{_f("Value", num)}{_f("Category", "Mobile")}</model>'
                "</multiModelField></model>" for i, (n, num) in enumerate(people)]
    towers = [f'<model type="CellTower" id="t{i}" deleted_state="Intact">{_f("MCC", "234")}'
              f'{_f("MNC", "30")}{_f("LAC", str(rng.randint(1000, 9000)))}'
              f'{_f("CID", str(rng.randint(1, 65000)))}<modelField name="Position" '
              f'type="Coordinate"><model type="Coordinate" id="g{i}">'
              f'{_f("Latitude", f"{51.4 + rng.random() / 5:.6f}", "Double")}'
              f'{_f("Longitude", f"{-0.3 + rng.random() / 5:.6f}", "Double")}</model>'
              "</modelField></model>" for i in range(3)]
    chat = (f'<model type="Chat" id="chat1" deleted_state="Intact">{_f("Source", "WhatsApp")}'
            f'<multiModelField name="Participants" type="Party">'
            f'{_party(owner, "", "", True)}{_party(people[0][1], "", people[0][0])}'
            f'</multiModelField><multiModelField name="Messages" type="InstantMessage">'
            f'{"".join(msgs)}</multiModelField></model>')
    iccid = "8944" + "".join(rng.choice("0123456789") for _ in range(15))
    items = [("DeviceInfoDetectedManufacturer", "Samsung"), ("DeviceInfoDetectedModel",
             "SM-A125F Galaxy A12"), ("IMEI", imei), ("IMSI", "234301234567890"),
             ("ICCID", iccid), ("MSISDN", owner)]
    device = "".join(f'<item name="{k}" sourceExtraction="0"><![CDATA[{v}]]></item>'
                     for k, v in items)
    return ('<?xml version="1.0" encoding="utf-8"?>\n'
            '<project id="3d7a" name="ABC-3 Samsung" reportVersion="7.60.0.42" '
            'xmlns="http://pa.cellebrite.com/report/2.0">\n'
            '<sourceExtractions><extractionInfo id="0" name="Logical" type="Logical" '
            'index="0"/></sourceExtractions>\n'
            '<metadata section="Additional Fields"><item name="UFED_PA_Version">'
            "<![CDATA[UFED Physical Analyzer 7.60.0.42]]></item></metadata>\n"
            '<metadata section="Extraction Data"><item name="DeviceInfoExtractionStartDateTime">'
            "<![CDATA[05/11/2024 10:13:45(UTC+0)]]></item></metadata>\n"
            f'<metadata section="Device Info">{device}</metadata>\n<decodedData>\n'
            f'<modelType type="Call">\n{chr(10).join(calls)}\n</modelType>\n'
            f'<modelType type="SMS">\n{chr(10).join(sms)}\n</modelType>\n'
            f'<modelType type="Chat">\n{chat}\n</modelType>\n'
            f'<modelType type="Contact">\n{chr(10).join(contacts)}\n</modelType>\n'
            f'<modelType type="CellTower">\n{chr(10).join(towers)}\n</modelType>\n'
            '<modelType type="WebBookmark"><model type="WebBookmark" id="w1">'
            f'{_f("URL", "https://example.org/")}</model></modelType>\n'
            "</decodedData>\n<taggedFiles><file fs=\"/\" path=\"/data/x.jpg\"/></taggedFiles>"
            "\n</project>\n").encode()


def ufdr(seed: int = 11, records: int = 30) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in [("report.xml", ufed_xml(seed, records)),
                           ("files/Image/photo1.jpg", bytes(range(256)) * 4),
                           ("Manifest.xml", b"<manifest/>")]:
            info = zipfile.ZipInfo(name, date_time=(2024, 11, 5, 10, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            zf.writestr(info, data)
    return buf.getvalue()


def xry_text(seed: int = 11, records: int = 20, bom: bool = True) -> bytes:
    rng = random.Random(seed)
    people, owner = _people(rng), _mobile(rng)
    imei = "35" + "".join(rng.choice("0123456789") for _ in range(13))
    out = ["General Information", "", "Device:\tApple iPhone 11 (A2221)", f"IMEI:\t{imei}",
           "IMSI:\t234159876543210", f"ICCID:\t8944{rng.randint(10**14, 10**15 - 1)}",
           f"MSISDN:\t{owner}", "Extraction tool:\tXRY 10.1.0",
           "Examination date:\t05/11/2024 11:02:10 UTC+00:00", "", "Calls", ""]
    when = START
    for _ in range(records):
        when += timedelta(minutes=rng.randint(5, 900))
        name, num = rng.choice(people)
        t = rng.choice(["Dialled", "Received", "Missed"])
        clock = rng.choice(["(Device)", "(Network)"])
        out += [f"Type:\t{t}", f"Number:\t{num}", f"Name:\t{name}",
                f"Time:\t{when:%d/%m/%Y %H:%M:%S} {clock}",
                f"Duration:\t00:{rng.randint(0, 9):02d}:{rng.randint(0, 59):02d}"]
        out += ["Deleted:\tYes"] if rng.random() < 0.1 else []
        out += [""]
    out += ["SMS Messages", ""]
    for _ in range(records):
        when += timedelta(minutes=rng.randint(5, 300))
        name, num = rng.choice(people)
        sent = rng.random() < 0.5
        text = " ".join(rng.choice(WORDS) for _ in range(rng.randint(2, 8)))
        out += [f"Folder:\t{'Sent' if sent else 'Inbox'}",
                f"{'To' if sent else 'From'}:\t{num}", f"Name:\t{name}",
                f"Time:\t{when:%d/%m/%Y %H:%M:%S} (Network)", f"Text:\t{text}", ""]
    out += ["Contacts", ""]
    for name, num in people:
        out += [f"Name:\t{name}", f"Mobile:\t{num}", ""]
    out += ["Web History", "", "URL:\thttps://example.org/", ""]
    body = "\r\n".join(out).encode("utf-16-le")
    return (b"\xff\xfe" if bom else b"") + body


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--format", choices=["ufed", "ufdr", "xry"], required=True)
    ap.add_argument("--seed", type=int, default=11)
    ap.add_argument("--records", type=int, default=30)
    ap.add_argument("--out", type=Path, required=True)
    a = ap.parse_args()
    make = {"ufed": ufed_xml, "ufdr": ufdr, "xry": xry_text}[a.format]
    a.out.write_bytes(make(a.seed, a.records))


if __name__ == "__main__":
    main()
