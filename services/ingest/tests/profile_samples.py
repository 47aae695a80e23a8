"""Small, realistic files in each built-in profile's layout (modelled, not operators' own).

Each generator returns the bytes of a file with a handful of events of one target,
including the awkward cases a real return has: a withheld caller, a data session with a
charging id, a BST-ambiguous hour (UK-local layouts) and one bad row. The committed
samples under ``data/profiles/`` were written by this module's ``__main__`` (an XLSX
holds its creation time, so a rewrite is never byte-identical; the tests read the
committed files).
"""

from __future__ import annotations

import io
from pathlib import Path

SAMPLES = Path(__file__).parent / "data" / "profiles"

VF_HEADER = ["MSISDN", "Event Date/Time", "Call Direction", "Service Type", "A Number",
             "B Number", "Duration", "IMEI", "IMSI", "Start Cell", "End Cell",
             "GPRS Charging ID"]
VF_ROWS = [
    ["07400123456", "01/06/2024 09:15:02", "Originating", "Telephony", "07400123456",
     "07512345678", "00:01:05", "356938035643809", "234150123456789", "234-15-1021-3301",
     "234-15-1021-3302", ""],
    ["07400123456", "01/06/2024 09:20:40", "Terminating", "SMS-MT", "Withheld",
     "07400123456", "00:00:00", "356938035643809", "234150123456789", "234-15-1021-3301",
     "", ""],
    ["07400123456", "27/10/2024 01:30:00", "Terminating", "Telephony", "",
     "07400123456", "00:12:10", "356938035643809", "234150123456789", "234-15-1021-3301",
     "234-15-1021-3301", ""],
    ["07400123456", "02/06/2024 23:59:59", "Originating", "GPRS", "07400123456", "",
     "01:00:00", "356938035643809", "234150123456789", "234-15-2044-77", "", "8F1A22C0"],
    ["07400123456", "31/06/2024 10:00:00", "Originating", "Telephony", "07400123456",
     "07512345678", "1:5", "356938035643809", "234150123456789", "", "", ""],
]

THREE_HEADER = ["Event Reference", "Subscriber Number", "Start Time (UTC)", "Call Direction",
                "Event Type", "Other Party", "Duration Seconds", "IMEI", "IMSI",
                "Serving Cell Start", "Serving Cell End", "Charging Identifier"]
THREE_ROWS = [
    ["E-0001", "447400123456", "2024-06-01T08:15:02Z", "Outgoing", "Voice Call",
     "447512345678", "65", "356938035643809", "234200123456789", "234-20-88112233",
     "234-20-88112234", ""],
    ["E-0002", "447400123456", "2024-06-01T08:20:40Z", "Incoming", "Text", "Private", "0",
     "356938035643809", "234200123456789", "234-20-88112233", "", ""],
    ["E-0003", "447400123456", "2024-10-27T00:30:00Z", "Incoming", "Voice Call", "",
     "730", "356938035643809", "234200123456789", "234-20-88112233", "", ""],
    ["E-0004", "447400123456", "2024-06-02T22:59:59Z", "Outgoing", "Data Session", "",
     "3600", "356938035643809", "234200123456789", "234-20-88112299", "", "C0FFEE01"],
    ["E-0005", "447400123456", "2024-06-03 10:00:00", "Sideways", "Voice Call",
     "447512345678", "12", "356938035643809", "234200123456789", "", "", ""],
]

O2_PREAMBLE = [["Telefonica UK Ltd - Call Data Records"], ["Target MSISDN:", "07400 123456"],
               ["Date Range:", "01/06/2024 - 30/10/2024"], []]
O2_HEADER = ["Seq No", "Date", "Time", "Call Direction", "Call Type", "Originating Number",
             "Terminating Number", "Duration (Secs)", "IMEI", "IMSI", "First Cell Global Id",
             "Last Cell Global Id", "Charging Id"]
O2_ROWS = [
    ["1", "01/06/2024", "09:15:02", "Outgoing", "Voice", "07400123456", "07512345678", "65",
     "356938035643809", "234100123456789", "234-10-1021-3301", "234-10-1021-3302", ""],
    ["2", "01/06/2024", "09:20:40", "Incoming", "SMS", "Withheld", "07400123456", "0",
     "356938035643809", "234100123456789", "234-10-1021-3301", "", ""],
    ["3", "27/10/2024", "01:30:00", "Incoming", "Voice", "", "07400123456", "730",
     "356938035643809", "234100123456789", "234-10-1021-3301", "", ""],
    ["4", "02/06/2024", "23:59:59", "Outgoing", "Voice", "07400123456",
     '=HYPERLINK("http://example.invalid","07512345678")', "12", "356938035643809",
     "234100123456789", "", "", ""],
    ["5", "02/06/2024", "25:00:00", "Outgoing", "Voice", "07400123456", "07512345678", "12",
     "356938035643809", "234100123456789", "", "", ""],
]


def _delimited(header: list[str], rows: list[list[str]], sep: str, encoding: str) -> bytes:
    lines = [sep.join(header), *(sep.join(r) for r in rows)]
    return ("\r\n".join(lines) + "\r\n").encode(encoding)


def vf_csv() -> bytes:
    """Vodafone-style: cp1252 CSV, one date-time column, hh:mm:ss durations."""
    rows = [[*r, site] for r, site in zip(VF_ROWS, ["Café Royal £", "", "", "", ""],
                                               strict=True)]
    return _delimited([*VF_HEADER, "Site Name"], rows, ",", "cp1252")


def three_tsv() -> bytes:
    """Three-style: UTF-8 TSV, ISO timestamps in UTC, one 'Other Party' column."""
    return _delimited(THREE_HEADER, THREE_ROWS, "\t", "utf-8")


def o2_xlsx() -> bytes:
    """O2-style: a workbook with the target in a header block above the table."""
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Call Data"
    for row in [*O2_PREAMBLE, O2_HEADER, *O2_ROWS]:
        ws.append(row)
    wb.create_sheet("Notes").append(["Produced under RIPA/IPA authorisation"])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


GENERATORS = {"uk-vf-style-v1": ("vf_style.csv", vf_csv),
              "uk-three-style-v1": ("three_style.tsv", three_tsv),
              "uk-o2-style-xlsx-v1": ("o2_style.xlsx", o2_xlsx)}


if __name__ == "__main__":
    SAMPLES.mkdir(parents=True, exist_ok=True)
    for name, make in GENERATORS.values():
        (SAMPLES / name).write_bytes(make())
