"""ETSI TS 102 657 retained-data XML → events and cells."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from linesight_ingest.parsing.etsi_xml import parse_retained_data
from linesight_ingest.parsing.registry import parser_for
from linesight_ingest.samples.etsi_xml_generator import generate
from linesight_shared.tables import TABLES

DATA = Path(__file__).parents[1] / "data"
SAMPLE = DATA / "etsi_retained_sample.xml"
HEAD = ('<RetainedDataMessage xmlns="http://uri.etsi.org/02657/v1.18.1#/RetainedData">'
        "<retainedDataPayload><responseMessage><responseRecords>\n")
TAIL = "\n</responseRecords></responseMessage></retainedDataPayload></RetainedDataMessage>"
GEO = ("<location><cellInformation><globalCellID>32F403296319F3</globalCellID>"
       "<geoCoordinates><latitude>N513026.00</latitude><longitude>W0000739.00</longitude>"
       "<azimuth>120</azimuth></geoCoordinates></cellInformation></location>")


class Contract:
    """What every parse must satisfy, and readers of its output."""

    @staticmethod
    def check(out) -> None:
        r = out.report
        assert r.rows_read == r.rows_accepted + r.rows_rejected
        for name, path in out.tables.items():
            table = pq.read_table(path)
            assert table.schema.remove_metadata() == TABLES[name].remove_metadata(), name
            assert table.column("source_row").null_count == 0

    @staticmethod
    def digests(out) -> dict[str, str]:
        return {n: hashlib.sha256(Path(p).read_bytes()).hexdigest()
                for n, p in out.tables.items()}

    @staticmethod
    def rows(out, table: str) -> list[dict]:
        return pq.read_table(out.tables[table]).to_pylist()


@pytest.fixture
def contract() -> type[Contract]:
    return Contract


def party(role: str, number: str, extra: str = "") -> str:
    return (f"<TelephonyPartyInformation><partyRole><{role}/></partyRole>"
            f"<partyNumber>{number}</partyNumber>{extra}</TelephonyPartyInformation>")


def call(start="20240601120000Z", service="<speech/>", me="originating",
         other="07512345678", loc="", extra="<duration>65</duration>", status="") -> str:
    mine = party(me, "447400123456", f"<imsi>234300123456789</imsi>{loc}")
    theirs = party("terminating" if me == "originating" else "originating", other)
    parties = mine + theirs if me == "originating" else theirs + mine
    return ("<RetainedDataRecord><telephonyRecord><telephonyServiceUsage><partyInformation>"
            f"{parties}</partyInformation><communicationTime><startTime>{start}"
            f"</startTime>{extra}</communicationTime><telephonyServiceType>{service}"
            f"</telephonyServiceType>{status}</telephonyServiceUsage></telephonyRecord>"
            "</RetainedDataRecord>")


def doc(*records: str) -> bytes:
    return (HEAD + "\n".join(records) + TAIL).encode()


def run(tmp_path: Path, data: bytes, contract, batch_rows: int = 7):
    n = len(list(tmp_path.iterdir()))
    src = tmp_path / f"in{n}.xml"
    src.write_bytes(data)
    out_dir = tmp_path / f"out{n}"
    out_dir.mkdir()
    out = parse_retained_data(src, exhibit_id="EX", out_dir=out_dir, batch_rows=batch_rows)
    contract.check(out)
    return out


class TestRetainedDataXml:
    def test_the_parser_is_registered_for_its_kind(self):
        assert parser_for("retained_data_xml").name == "etsi-ts-102-657-xml"

    def test_an_outgoing_call_becomes_one_event_from_the_served_party(self, tmp_path, contract):
        out = run(tmp_path, doc(call(loc=GEO)), contract)
        (ev,) = contract.rows(out, "events")
        assert (ev["subject"], ev["a_party"], ev["b_party"]) == (
            "+447400123456", "+447400123456", "+447512345678")
        assert (ev["direction"], ev["kind"], ev["duration_s"]) == ("out", "voice", 65)
        assert ev["first_cell"] == "234-30-10595-6643" and ev["imsi"] == "234300123456789"
        assert ev["event_id"] == "EX:1" and ev["start_utc"].isoformat() == "2024-06-01T12:00:00+00:00"

    def test_a_cell_with_coordinates_becomes_a_cells_row(self, tmp_path, contract):
        out = run(tmp_path, doc(call(loc=GEO), call(loc=GEO, start="20240602120000Z")), contract)
        (cell,) = contract.rows(out, "cells")
        assert cell["cgi"] == "234-30-10595-6643" and cell["azimuth"] == 120.0
        assert abs(cell["lat"] - 51.5072222) < 1e-6 and abs(cell["lon"] + 0.1275) < 1e-6
        assert cell["valid_to"].isoformat() == "2024-06-02T12:00:00+00:00"
        assert cell["source_ref"].endswith("RetainedDataRecord[1]//location")

    def test_an_incoming_unanswered_call_with_a_blank_caller_is_missed_and_withheld(
            self, tmp_path, contract):
        rec = call(me="terminating", other="", status="<callStatus><notAnswered/></callStatus>")
        (ev,) = contract.rows(run(tmp_path, doc(rec), contract), "events")
        assert (ev["direction"], ev["kind"], ev["withheld"]) == ("in", "missed", True)

    def test_end_time_gives_the_duration_and_an_offset_is_turned_to_utc(self, tmp_path, contract):
        rec = call(start="20240601130000+0100", extra="<endTime>20240601120130Z</endTime>")
        (ev,) = contract.rows(run(tmp_path, doc(rec), contract), "events")
        assert ev["duration_s"] == 90 and ev["source_tz"] == "UTC+01:00"
        assert ev["start_utc"].hour == 12

    def test_a_local_time_in_the_repeated_bst_hour_is_flagged(self, tmp_path, contract):
        (ev,) = contract.rows(run(tmp_path, doc(call(start="20241027013000")), contract),
                              "events")
        assert ev["time_flag"] == "ambiguous" and ev["source_tz"] == "Europe/London"
        assert ev["start_utc"].isoformat() == "2024-10-27T00:30:00+00:00"

    def test_a_bad_record_is_rejected_with_its_ordinal_line_and_element(self, tmp_path, contract):
        out = run(tmp_path, doc(call(), call(start="20241301000000Z"), call()), contract)
        (rej,) = out.report.all_rejects
        assert rej.line == 2 and rej.value == "20241301000000Z"
        assert rej.field == "communicationTime/startTime @ line 3"
        assert [e["source_row"] for e in contract.rows(out, "events")] == [1, 3]

    def test_an_unknown_record_choice_is_rejected_not_dropped(self, tmp_path, contract):
        out = run(tmp_path, doc("<RetainedDataRecord><messageRecord/></RetainedDataRecord>"),
                  contract)
        assert out.report.rows_rejected == 1 and out.report.all_rejects[0].value == "messageRecord"

    def test_the_committed_sample_parses_with_its_two_planted_rejects(self, tmp_path, contract):
        out = run(tmp_path, SAMPLE.read_bytes(), contract, batch_rows=10)
        assert not out.report.failed and out.report.rows_read == 40 and out.report.rows_rejected == 2
        kinds = {e["kind"] for e in contract.rows(out, "events")}
        assert {"voice", "sms", "data"} <= kinds
        assert any(e["charging_id"] for e in contract.rows(out, "events"))

    def test_the_generator_is_seeded_and_the_sample_is_its_output(self):
        assert generate(7, 40, True) == generate(7, 40, True) == SAMPLE.read_bytes()

    def test_parsing_twice_gives_identical_parquet_bytes(self, tmp_path, contract):
        data = SAMPLE.read_bytes()
        assert contract.digests(run(tmp_path, data, contract)) == \
            contract.digests(run(tmp_path, data, contract))


class TestHostileRetainedData:
    def test_an_empty_file_is_a_file_error(self, tmp_path, contract):
        out = run(tmp_path, b"", contract)
        assert out.tables == {} and "line 1" in out.report.file_errors[0].reason

    def test_a_truncated_file_fails_but_keeps_the_records_before_the_break(
            self, tmp_path, contract):
        data = doc(call(), call(), call())
        out = run(tmp_path, data[: data.rindex(b"<RetainedDataRecord>") + 40], contract)
        assert out.report.failed and out.report.file_errors[0].line == 4
        assert [e["source_row"] for e in contract.rows(out, "events")] == [1, 2]
        assert out.report.rows_read == 2

    def test_billion_laughs_is_refused_with_no_tables(self, tmp_path, contract):
        bomb = (b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
                b'<!ENTITY lol2 "&lol;&lol;&lol;&lol;">]><RetainedDataMessage>&lol2;'
                b"</RetainedDataMessage>")
        out = run(tmp_path, bomb, contract)
        assert out.tables == {} and "DTD" in out.report.file_errors[0].reason

    def test_an_external_entity_is_refused(self, tmp_path, contract):
        xxe = (b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
               b"<r>&x;</r>")
        out = run(tmp_path, xxe, contract)
        assert out.tables == {} and out.report.file_errors

    def test_a_huge_text_node_is_refused_not_loaded(self, tmp_path, contract):
        huge = doc(call(other="7" * 1_500_000))
        out = run(tmp_path, huge, contract)
        assert out.tables == {} and "text node" in out.report.file_errors[0].reason

    def test_latin1_bytes_in_a_utf8_document_are_a_positioned_file_error(
            self, tmp_path, contract):
        data = doc(call(), call(other="Jos\xe9")).replace("José".encode(), b"Jos\xe9")
        out = run(tmp_path, data, contract)
        assert out.report.failed and out.report.file_errors[0].line == 3
        assert out.report.rows_read == 1

    def test_a_utf16_document_with_a_bom_is_read(self, tmp_path, contract):
        text = '<?xml version="1.0" encoding="UTF-16"?>' + doc(call()).decode()
        out = run(tmp_path, text.encode("utf-16"), contract)
        assert not out.report.failed and out.report.rows_accepted == 1
