"""Handset downloads (UFED report.xml, .ufdr, XRY text) → events, messages, contacts,
handsets and cells."""

from __future__ import annotations

import hashlib
import io
import zipfile
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from linesight_ingest.parsing.handset import detect, parse_handset
from linesight_ingest.parsing.handset.common import handset_id
from linesight_ingest.parsing.registry import parser_for
from linesight_ingest.samples import handset_generator as gen
from linesight_shared.tables import TABLES

DATA = Path(__file__).parents[1] / "data"


def check(out) -> None:
    r = out.report
    assert r.rows_read == r.rows_accepted + r.rows_rejected
    for name, path in out.tables.items():
        table = pq.read_table(path)
        assert table.schema.remove_metadata() == TABLES[name].remove_metadata(), name
        assert table.column("source_row").null_count == 0


def rows(out, table: str) -> list[dict]:
    return pq.read_table(out.tables[table]).to_pylist()


def digests(out) -> dict[str, str]:
    return {n: hashlib.sha256(Path(p).read_bytes()).hexdigest() for n, p in out.tables.items()}


def run(tmp_path: Path, data: bytes, name: str = "in.bin", batch_rows: int = 5):
    n = len(list(tmp_path.iterdir()))
    src = tmp_path / f"{n}-{name}"
    src.write_bytes(data)
    out_dir = tmp_path / f"out{n}"
    out_dir.mkdir()
    out = parse_handset(src, exhibit_id="EX", out_dir=out_dir, batch_rows=batch_rows)
    check(out)
    return out


def ufed(*models: str, device: str = '<item name="MSISDN">07400123456</item>'
         '<item name="IMEI">356938035643809</item>') -> bytes:
    return ('<?xml version="1.0" encoding="utf-8"?>\n<project xmlns="http://pa.cellebrite.com'
            f'/report/2.0">\n<metadata section="Device Info">{device}</metadata>\n'
            '<decodedData><modelType type="Call">\n' + "\n".join(models) +
            "\n</modelType></decodedData>\n</project>").encode()


def call(direction="Outgoing", when="2024-06-01T13:00:00.000+01:00", party="07512345678",
         state="Intact", source="Phone", duration="00:01:05") -> str:
    role = "To" if direction == "Outgoing" else "From"
    p = (f'<model type="Party"><field name="Identifier"><value>{party}</value></field>'
         f'<field name="Role"><value>{role}</value></field></model>') if party else ""
    return (f'<model type="Call" id="c1" deleted_state="{state}">'
            f'<field name="Source"><value>{source}</value></field>'
            f'<field name="Direction"><value>{direction}</value></field>'
            f'<field name="TimeStamp"><value>{when}</value></field>'
            f'<field name="Duration"><value>{duration}</value></field>'
            f'<multiModelField name="Parties">{p}</multiModelField></model>')


def ufdr(members: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            zf.writestr(zipfile.ZipInfo(name, (2024, 1, 1, 0, 0, 0)), data,
                        compress_type=zipfile.ZIP_DEFLATED)
    return buf.getvalue()


class TestUfedReport:
    def test_the_parser_is_registered_and_formats_are_detected_by_content(self):
        assert parser_for("handset_download").name == "handset-download"
        assert detect(DATA / "handset_sample.xml") == "ufed_xml"
        assert detect(DATA / "handset_sample.ufdr") == "ufdr"
        assert detect(DATA / "handset_sample.txt") == "xry"

    def test_an_outgoing_call_is_an_event_from_the_handsets_own_number(self, tmp_path):
        out = run(tmp_path, ufed(call()))
        (ev,) = rows(out, "events")
        assert (ev["subject"], ev["a_party"], ev["b_party"]) == (
            "+447400123456", "+447400123456", "+447512345678")
        assert (ev["direction"], ev["kind"], ev["duration_s"]) == ("out", "voice", 65)
        assert ev["start_utc"].isoformat() == "2024-06-01T12:00:00+00:00"
        assert ev["imei"] == "356938035643809" and ev["source_row"] == 2

    def test_the_handset_row_carries_the_identity_and_a_stable_id(self, tmp_path):
        (hs,) = rows(run(tmp_path, ufed(call())), "handsets")
        assert hs["handset_id"] == handset_id("EX") and hs["msisdn"] == "+447400123456"
        assert hs["source_row"] == 1 and hs["source_ref"] == "/project/metadata[1]"

    def test_a_missed_call_with_no_party_is_withheld(self, tmp_path):
        (ev,) = rows(run(tmp_path, ufed(call(direction="Missed", party=""))), "events")
        assert (ev["direction"], ev["kind"], ev["withheld"]) == ("in", "missed", True)

    def test_a_device_local_time_is_read_as_uk_local_and_flagged(self, tmp_path):
        (ev,) = rows(run(tmp_path, ufed(call(when="2024-10-27T01:30:00"))), "events")
        assert ev["time_flag"] == "assumed_uk_local;ambiguous"
        assert ev["start_utc"].isoformat() == "2024-10-27T00:30:00+00:00"

    def test_deleted_and_app_calls_and_bad_times_are_rejected_not_dropped(self, tmp_path):
        out = run(tmp_path, ufed(call(state="Deleted"), call(source="WhatsApp"),
                                 call(when="31/02/2024 10:00:00"), call()))
        reasons = sorted(r.field.split(" @")[0] for r in out.report.all_rejects)
        assert reasons == ["Source", "TimeStamp", "deleted_state"]
        assert [e["source_row"] for e in rows(out, "events")] == [5]

    def test_the_sample_fills_every_table_and_parses_to_identical_bytes(self, tmp_path):
        data = (DATA / "handset_sample.xml").read_bytes()
        first, second = run(tmp_path, data), run(tmp_path, data)
        assert set(first.tables) == {"events", "messages", "contacts", "handsets", "cells"}
        assert digests(first) == digests(second)
        apps = {m["app"] for m in rows(first, "messages")}
        assert apps == {"sms", "whatsapp"}
        assert any(m["deleted"] for m in rows(first, "messages"))

    def test_generators_are_seeded(self):
        assert gen.ufed_xml(11, 20) == (DATA / "handset_sample.xml").read_bytes()
        assert gen.ufdr(11, 20) == (DATA / "handset_sample.ufdr").read_bytes()
        assert gen.xry_text(11, 20) == (DATA / "handset_sample.txt").read_bytes()


class TestUfdrArchive:
    def test_the_report_inside_a_ufdr_gives_the_same_rows_with_the_member_named(self, tmp_path):
        plain = run(tmp_path, (DATA / "handset_sample.xml").read_bytes())
        zipped = run(tmp_path, (DATA / "handset_sample.ufdr").read_bytes())
        strip = lambda rs: [{k: v for k, v in r.items() if k != "source_ref"} for r in rs]
        assert strip(rows(plain, "messages")) == strip(rows(zipped, "messages"))
        assert rows(zipped, "messages")[0]["source_ref"].startswith("report.xml!/project/")

    def test_path_traversal_is_a_file_error_and_nothing_is_read(self, tmp_path):
        out = run(tmp_path, ufdr({"report.xml": ufed(call()), "../../evil.txt": b"x"}))
        assert out.tables == {} and "escapes" in out.report.file_errors[0].reason

    def test_a_zip_bomb_is_a_file_error(self, tmp_path):
        out = run(tmp_path, ufdr({"report.xml": b"<project>" + b" " * 50_000_000}))
        assert out.tables == {} and "zip bomb" in out.report.file_errors[0].reason

    def test_a_ufdr_without_a_report_is_a_file_error(self, tmp_path):
        out = run(tmp_path, ufdr({"files/a.jpg": b"jpg"}))
        assert out.tables == {} and "no report.xml" in out.report.file_errors[0].reason


class TestHostileHandset:
    def test_an_empty_or_unknown_file_is_a_file_error(self, tmp_path):
        for data in (b"", b"hello,world\n"):
            out = run(tmp_path, data)
            assert out.tables == {} and out.report.file_errors

    def test_a_truncated_report_keeps_the_records_before_the_break(self, tmp_path):
        data = ufed(call(), call(), call())
        out = run(tmp_path, data[: data.rindex(b'<model type="Call"') + 30])
        assert out.report.failed and out.report.file_errors[0].line == 7
        assert len(rows(out, "events")) == 2 and out.report.rows_read == 3

    def test_entity_expansion_is_refused(self, tmp_path):
        bomb = (b'<?xml version="1.0"?><!DOCTYPE project [<!ENTITY a "aaaa">]>'
                b"<project>&a;</project>")
        out = run(tmp_path, bomb)
        assert out.tables == {} and "DTD" in out.report.file_errors[0].reason

    def test_a_huge_body_is_refused(self, tmp_path):
        out = run(tmp_path, ufed(call(party="1" * 2_000_000)))
        assert out.tables == {} and "text node" in out.report.file_errors[0].reason


class TestXryText:
    def test_the_sample_reads_calls_messages_contacts_and_the_handset(self, tmp_path):
        out = run(tmp_path, (DATA / "handset_sample.txt").read_bytes())
        assert {"events", "messages", "contacts", "handsets"} <= set(out.tables)
        (hs,) = rows(out, "handsets")
        assert hs["extraction_tool"] == "XRY 10.1.0" and hs["source_row"] == 3
        flags = {e["time_flag"] for e in rows(out, "events")}
        assert flags <= {"device_clock;assumed_uk_local", "network_clock;assumed_uk_local"}

    def test_without_a_bom_the_same_rows_come_out(self, tmp_path):
        with_bom = run(tmp_path, gen.xry_text(3, 5, bom=True))
        without = run(tmp_path, gen.xry_text(3, 5, bom=False))
        assert digests(with_bom) == digests(without)

    def test_an_offset_time_is_utc_and_the_clock_is_recorded(self, tmp_path):
        text = ("General Information\r\n\r\nMSISDN:\t07400123456\r\n\r\nCalls\r\n\r\n"
                "Type:\tDialled\r\nNumber:\t07512345678\r\n"
                "Time:\t01/06/2024 13:00:00 UTC+01:00 (Network)\r\nDuration:\t00:00:10\r\n")
        out = run(tmp_path, text.encode("utf-16-le"))
        (ev,) = rows(out, "events")
        assert ev["time_flag"] == "network_clock" and ev["start_utc"].hour == 12
        assert ev["source_row"] == 7 and ev["b_party"] == "+447512345678"

    def test_a_bad_block_is_rejected_with_its_line(self, tmp_path):
        text = "Calls\n\nType:\tDialled\nNumber:\t1\nTime:\tsoon (Device)\n"
        out = run(tmp_path, text.encode("utf-16-le"))
        (rej,) = out.report.all_rejects
        assert (rej.line, rej.field, rej.value) == (3, "Time", "soon (Device)")

    def test_bytes_that_are_not_utf16_after_good_blocks_keep_those_blocks(self, tmp_path):
        good = ("Contacts\n\nName:\tA\nMobile:\t07512345678\n\n").encode("utf-16-le")
        out = run(tmp_path, good + b"\x00\xd8\x41\x00")  # a lone surrogate
        assert out.report.failed and out.report.rows_accepted == 1
        assert len(rows(out, "contacts")) == 1


@pytest.mark.parametrize("name", ["handset_sample.xml", "handset_sample.txt"])
def test_parsing_twice_gives_identical_parquet(tmp_path, name):
    data = (DATA / name).read_bytes()
    assert digests(run(tmp_path, data)) == digests(run(tmp_path, data))
