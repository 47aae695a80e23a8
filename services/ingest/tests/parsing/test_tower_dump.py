"""Tower dumps through the ``tower_dump`` parser: subject on the mast, rejects, streaming."""

from __future__ import annotations

from datetime import UTC, datetime

import pyarrow.parquet as pq
from linesight_ingest.parsing.registry import parser_for
from linesight_ingest.parsing.tower_dump import TowerDumpParser
from linesight_ingest.samples import tower_dump_generator
from linesight_shared.tables import EVENTS_SCHEMA

P = TowerDumpParser()
HEADER = "Cell ID,Event Date,Event Time,Event Type,A Number,B Number,IMSI,IMEI,Duration (s)"


def ev(cell="234-30-10595-6643713", date="26/10/2024", time="21:15:00", type_="MO Voice",
       a="07400123456", b="07512345678", imsi="234301234567890", imei="356938035643809",
       dur="42"):
    return f"{cell},{date},{time},{type_},{a},{b},{imsi},{imei},{dur}"


class TestEvents:
    def test_the_tower_dump_kind_is_registered(self):
        assert parser_for("tower_dump").name == "uk-tower-dump-v1"

    def test_an_originated_call_has_the_a_number_as_subject_and_the_cell_as_first_cell(
            self, run, csv):
        r = run(P, csv(HEADER, ev()))
        row = r.table.row(0, named=True)
        assert (row["subject"], row["a_party"], row["b_party"]) == (
            "+447400123456", "+447400123456", "+447512345678")
        assert (row["direction"], row["kind"], row["duration_s"]) == ("out", "voice", 42)
        assert row["start_utc"] == datetime(2024, 10, 26, 20, 15, tzinfo=UTC)
        assert (row["first_cell"], row["last_cell"]) == ("234-30-10595-6643713", None)
        assert (row["event_id"], row["source_row"]) == (f"{'f' * 32}:2", 2)

    def test_terminated_and_forwarded_events_have_the_b_number_as_subject(self, run, csv):
        r = run(P, csv(HEADER, ev(type_="MT SMS", dur=""), ev(type_="FWD"),
                       ev(type_="Data", b="", dur="600")))
        assert r.table.select("subject", "direction", "kind").rows() == [
            ("+447512345678", "in", "sms"), ("+447512345678", "forward", "voice"),
            ("+447400123456", "out", "data")]

    def test_a_withheld_caller_leaves_no_subject_but_the_imsi_keeps_the_row(self, run, csv):
        r = run(P, csv(HEADER, ev(type_="MO SMS", a="Withheld"),
                       ev(type_="MO SMS", a="Withheld", imsi="", imei="")))
        assert r.table.select("subject", "imsi").rows() == [(None, "234301234567890")]
        assert r.report["rejects"][0]["line"] == 3

    def test_the_repeated_hour_at_the_end_of_bst_is_flagged(self, run, csv):
        r = run(P, csv(HEADER, ev(date="27/10/2024", time="01:30:00")))
        assert r.table["time_flag"].item() == "ambiguous"

    def test_each_bad_value_is_rejected_with_line_and_column(self, run, csv):
        r = run(P, csv(HEADER, ev(), ev(cell="somewhere"), ev(type_="Fax"),
                       ev(date="30/02/2024"), ev(dur="1.5"), ev(imei="12")))
        got = {(x["line"], x["field"]) for x in r.report["rejects"]}
        assert got == {(3, "Cell ID"), (4, "Event Type"), (5, "Event Date"),
                       (6, "Duration (s)"), (7, "IMEI")}

    def test_a_header_that_is_not_a_tower_dump_fails_naming_the_missing_columns(self, run,
                                                                              csv):
        r = run(P, csv("Cell ID,When", "x,y"))
        assert r.table is None and "Event Date" in r.report["file_errors"][0]["reason"]


class TestGenerated:
    def test_the_generator_is_deterministic_and_its_output_parses_whole(self, run, tmp_path):
        a, b = tmp_path / "a.csv", tmp_path / "b.csv"
        tower_dump_generator.generate(a, 3000, seed=5)
        tower_dump_generator.generate(b, 3000, seed=5)
        assert a.read_bytes() == b.read_bytes()
        r = run(P, a, batch_rows=700)
        assert r.report["rows_read"] == r.report["rows_accepted"] == 3000
        assert r.report["time_flags"]["ambiguous"] > 0

    def test_the_same_file_gives_the_same_parquet_bytes(self, run, tmp_path):
        tower_dump_generator.generate(tmp_path / "d.csv", 2000, seed=9)
        a = run(P, tmp_path / "d.csv", batch_rows=500)
        b = run(P, tmp_path / "d.csv", batch_rows=500)
        assert a.digest() == b.digest()
        assert pq.read_schema(a.path).equals(EVENTS_SCHEMA, check_metadata=False)
        assert pq.ParquetFile(a.path).metadata.num_row_groups == 4  # streamed in batches


class TestHostile:
    def test_empty_and_utf16_files_fail_clearly(self, run):
        assert "empty" in run(P, b"").report["file_errors"][0]["reason"]
        r = run(P, HEADER.encode("utf-16"))
        assert "UTF-16" in r.report["file_errors"][0]["reason"]

    def test_broken_lines_in_the_middle_are_rejected_alone(self, run, csv):
        r = run(P, csv(HEADER, ev(), 'x,"y', ev(a="0740\x00"), "z" * 70_000, ev()))
        assert r.report["rows_accepted"] == 2 and r.report["rows_rejected"] == 3
