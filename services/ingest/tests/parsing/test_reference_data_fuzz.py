"""Property-based fuzzing: whatever the bytes, each parser gives a report, never a crash.

The documented outcome for any input is a report whose ``rows_read`` equals accepted +
rejected; the parse either succeeded (a table) or failed with file errors (no table).
Inputs hypothesis once found to break a parser live in ``corpus/<parser>/`` and are
replayed by :class:`TestCorpus`.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from linesight_ingest.parsing.anpr import AnprReadsParser
from linesight_ingest.parsing.cell_sites import CellSitesParser
from linesight_ingest.parsing.tower_dump import TowerDumpParser

PARSERS = {"cell_sites": CellSitesParser(), "anpr": AnprReadsParser(),
           "tower_dump": TowerDumpParser()}
HEADERS = {
    "cell_sites": ["CGI,Radio,Latitude,Longitude,NGR,Azimuth,Beamwidth,Valid From,Valid To",
                   ("radio,mcc,net,area,cell,unit,lon,lat,range,samples,changeable,created,"
                   "updated,averageSignal"),
                   "operator,operator_ref,site_ngr,antenna_height,type,band,antenna_type"],
    "anpr": ["VRM,Camera ID,Read Time,Latitude,Longitude,Direction,Confidence",
             "Plate,Camera,Date,Time"],
    "tower_dump": [("Cell ID,Event Date,Event Time,Event Type,A Number,B Number,IMSI,IMEI,"
                   "Duration (s)")],
}
CORPUS = Path(__file__).parent / "corpus"
FUZZ = settings(max_examples=40, deadline=None, derandomize=True, database=None,
                suppress_health_check=[HealthCheck.too_slow])

# field values that look almost right, mixed with arbitrary text
_near = st.sampled_from([
    "", " ", "234-30-10595-6643713", "234-30-0x295B-0xFFFFFFFFF", "0x", "LTE", "4G", "GSM",
    "CDMA", "51.38", "-2.36", "0", "1e308", "nan", "inf", "ST7416064440", "ZZ1234", "360",
    "01/06/2024", "31/02/2024", "27/10/2024 01:30:00", "2024-06-01T12:00:00+01:00",
    "2024-06-01T12:00:00+99:99", "1401125716", "99999999999999", "-1", "AB12 CDE",
    "NOREAD", "MO Voice", "MT SMS", "Data", "07400123456", "Withheld", "+33612345678",
    "234301234567890", "=cmd|' /C calc'!A0", "\"", "a,b", "\u202e", "\ufeff",
])
_field = st.one_of(_near, st.text(max_size=30))


def _parse(kind: str, data: bytes, batch_rows: int = 7) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "in.csv"
        src.write_bytes(data)
        out = PARSERS[kind].parse(src, exhibit_id="e" * 32, out_dir=Path(tmp),
                                  batch_rows=batch_rows)
        report = out.report.to_dict()
        assert report["rows_read"] == report["rows_accepted"] + report["rows_rejected"]
        if out.tables:
            assert report["status"] == "succeeded" and not report["file_errors"]
            assert all(p.exists() for p in out.tables.values())
        else:
            assert report["status"] == "failed" or report["file_errors"] or \
                report["rows_read"] == 0
        return report


def _rows_file(header: str, rows: list[list[str]], crlf: bool) -> bytes:
    import csv
    import io
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n" if crlf else "\n")
    for r in rows:
        w.writerow(r)
    return (header + "\n").encode() + buf.getvalue().encode("utf-8", "surrogatepass")


@pytest.mark.parametrize("kind", sorted(PARSERS))
class TestFuzz:
    @FUZZ
    @given(data=st.binary(max_size=600))
    def test_arbitrary_bytes_give_a_report_whose_counts_add_up(self, kind, data):
        _parse(kind, data)

    @FUZZ
    @given(data=st.data(), crlf=st.booleans())
    def test_arbitrary_rows_under_a_real_header_are_each_accepted_or_rejected(
            self, kind, data, crlf):
        header = data.draw(st.sampled_from(HEADERS[kind]))
        width = header.count(",") + 1
        rows = data.draw(st.lists(st.lists(_field, min_size=width - 1, max_size=width + 1),
                                  max_size=12))
        try:
            body = _rows_file(header, rows, crlf)
        except UnicodeEncodeError:
            return  # lone surrogates cannot be written as UTF-8 at all
        report = _parse(kind, body)
        assert report["rows_read"] <= body.count(b"\n")  # at most one per physical line


class TestCorpus:
    @pytest.mark.parametrize("path", sorted(p for kind in PARSERS for p in
                                            (CORPUS / kind).glob("*") if p.suffix != ".md"),
                             ids=lambda p: p.parent.name + "/" + p.name)
    def test_every_kept_example_still_gives_a_report(self, path):
        _parse(path.parent.name, path.read_bytes())
