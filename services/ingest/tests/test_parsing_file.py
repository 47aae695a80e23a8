"""Whole files through ``parse_cdr_file``: output, rejects, encodings and file-level failures."""

from __future__ import annotations

import hashlib
import time
from pathlib import Path

import polars as pl
import pyarrow.parquet as pq
import pytest
from linesight_ingest.parsing import parse_cdr_file
from linesight_ingest.parsing.report import MAX_LISTED_REJECTS, MAX_LOGGED_REJECTS
from linesight_shared.tables import EVENTS_SCHEMA
from structlog.testing import capture_logs

DATA = Path(__file__).parent / "data"
EXHIBIT = "e" * 32


@pytest.fixture
def parse(tmp_path):
    """``parse(bytes_or_path)`` → (report dict, DataFrame or None)."""
    counter = iter(range(1_000_000))

    def run(content: bytes | Path, **kw):
        n = next(counter)
        src = content if isinstance(content, Path) else tmp_path / f"in{n}.csv"
        if not isinstance(content, Path):
            src.write_bytes(content)
        out = tmp_path / f"out{n}.parquet"
        result = parse_cdr_file(src, exhibit_id=EXHIBIT, out_path=out, **kw)
        df = pl.read_parquet(out) if result.dataset_path else None
        assert result.dataset_path is None or result.dataset_path == out
        return result.report.to_dict(), df

    return run


class TestOutput:
    def test_rows_carry_exhibit_id_and_physical_line_with_header_as_line_one(
            self, parse, make_cdr, make_row):
        _, df = parse(make_cdr(make_row(1), make_row(2)))
        assert df.select("event_id", "exhibit_id", "source_row").rows() == [
            (f"{EXHIBIT}:2", EXHIBIT, 2), (f"{EXHIBIT}:3", EXHIBIT, 3)]

    def test_the_parquet_has_exactly_the_events_schema(self, parse, make_cdr, make_row,
                                                        tmp_path):
        src = tmp_path / "x.csv"
        src.write_bytes(make_cdr(make_row(1)))
        parse_cdr_file(src, exhibit_id=EXHIBIT, out_path=tmp_path / "x.parquet")
        schema = pq.read_schema(tmp_path / "x.parquet")
        assert schema.equals(EVENTS_SCHEMA, check_metadata=False)
        assert schema.metadata[b"linesight.parser"] == b"uk-operator-cdr-v1"

    def test_an_outgoing_voice_call_is_normalised_field_by_field(self, parse, make_cdr,
                                                                 make_row):
        _, df = parse(make_cdr(make_row(1, first="234-30-010595-06643")))
        got = df.row(0, named=True)
        assert (got["subject"], got["a_party"], got["b_party"]) == (
            "+447400123456", "+447400123456", "+447512345678")
        assert (got["direction"], got["kind"], got["duration_s"]) == ("out", "voice", 65)
        assert got["start_utc"].isoformat() == "2024-06-01T11:00:00+00:00"
        assert (got["start_local_raw"], got["source_tz"]) == ("01/06/2024 12:00:00",
                                                              "Europe/London")
        assert (got["first_cell"], got["last_cell"]) == ("234-30-10595-6643",
                                                         "234-30-10595-6644")
        assert (got["imei"], got["imsi"], got["withheld"]) == ("356938035643809",
                                                               "234300123456789", False)

    def test_a_blank_caller_is_withheld_on_an_incoming_call_and_absent_on_an_outgoing_one(
            self, parse, make_cdr, make_row):
        _, df = parse(make_cdr(make_row(1, direction="MT", calling=""),
                               make_row(2, direction="MO", type_="Data", called="")))
        assert df.select("a_party_kind", "withheld").rows() == [("withheld", True),
                                                                ("e164", False)]
        assert df["b_party_kind"].to_list() == ["e164", "absent"]

    def test_a_formula_is_kept_as_text_and_never_read_as_a_number(self, parse):
        _, df = parse(DATA / "broken_rows.csv")
        row = df.filter(pl.col("source_row") == 9).row(0, named=True)
        assert (row["b_party"], row["b_party_kind"]) == (None, "invalid")
        assert row["b_party_raw"] == "=cmd|' /C calc'!A0"

    def test_the_bst_flags_reach_the_rows_and_the_report(self, parse, make_cdr, make_row):
        report, df = parse(make_cdr(make_row(1, date="27/10/2024", time="01:30:00"),
                                    make_row(2, date="31/03/2024", time="01:30:00")))
        assert df["time_flag"].to_list() == ["ambiguous", "nonexistent"]
        assert report["time_flags"] == {"ambiguous": 1, "nonexistent": 1}

    def test_lf_line_endings_read_the_same_as_crlf(self, parse, make_cdr, make_row):
        _, crlf = parse(make_cdr(make_row(1), make_row(2)))
        _, lf = parse(make_cdr(make_row(1), make_row(2), newline="\n"))
        assert crlf.equals(lf)

    def test_header_names_match_whatever_their_case_and_spacing(self, parse, make_cdr,
                                                                make_row):
        from linesight_ingest.parsing.layout import COLUMNS

        header = ",".join(f"  {c.header.upper()} " for c in COLUMNS)
        report, df = parse(make_cdr(make_row(1), header=header))
        assert report["status"] == "succeeded" and df.height == 1

    def test_optional_columns_may_be_absent_and_unknown_ones_are_named(self, parse, make_cdr):
        header = ("Target Number,Call Date,Call Time,Direction,Call Type,Calling Number,"
                  "Called Number,Duration (s),Cell Site Address")
        report, df = parse(make_cdr(
            "07400123456,01/06/2024,12:00:00,MO,SMS,07400123456,07512345678,,1 High St",
            header=header))
        assert df.select("imei", "first_cell", "duration_s").row(0) == (None, None, None)
        assert report["warnings"][0]["reason"] == (
            "columns not in the layout were ignored: Cell Site Address")


class TestDeterminism:
    def test_the_same_input_gives_byte_identical_parquet_at_another_time(self, tmp_path):
        src = Path(__file__).parents[3] / "samples" / "op-monza" / "ABC-1_deal-line_cdr.csv"
        digests = []
        for n in range(2):
            out = tmp_path / f"{n}.parquet"
            parse_cdr_file(src, exhibit_id=EXHIBIT, out_path=out, batch_rows=1000)
            digests.append(hashlib.sha256(out.read_bytes()).hexdigest())
            time.sleep(1.1)  # a wall-clock value anywhere in the file would now differ
        assert digests[0] == digests[1]

    def test_file_metadata_holds_only_input_and_version_facts(self, tmp_path, make_cdr,
                                                              make_row):
        src = tmp_path / "x.csv"
        src.write_bytes(make_cdr(make_row(1)))
        parse_cdr_file(src, exhibit_id=EXHIBIT, out_path=tmp_path / "x.parquet")
        keys = set(pq.read_schema(tmp_path / "x.parquet").metadata) - {b"ARROW:schema"}
        assert {k.decode() for k in keys} == {
            "linesight.table", "linesight.schema_version", "linesight.exhibit_id",
            "linesight.parser", "linesight.parser_version", "linesight.source_tz",
            "linesight.library.phonenumbers", "linesight.library.polars",
            "linesight.library.pyarrow"}


class TestBrokenRows:
    def test_each_broken_row_is_rejected_with_line_field_value_and_reason(self, parse):
        report, _ = parse(DATA / "broken_rows.csv")
        assert [(r["line"], r["field"], r["value"], r["reason"]) for r in report["rejects"]] == [
            (3, None, ("R2,07400123456,01/06/2024,09:20:40,MT,SMS,+447512345678,447400123456,,"
                       "356938035643809"), "wrong number of fields: expected 14, found 10"),
            (5, "Call Date", "31/02/2024", "not a calendar date in dd/mm/yyyy form"),
            (6, "Duration (s)", "1m20s", "duration is not a whole number of seconds"),
            (7, "Direction", "XX", "unknown direction (expected MO, MT or FWD)"),
        ]

    def test_every_good_row_around_them_is_kept_and_the_job_succeeds(self, parse):
        report, df = parse(DATA / "broken_rows.csv")
        assert report["status"] == "succeeded"
        assert df["source_row"].to_list() == [2, 4, 8, 9, 10]

    def test_rows_read_is_exactly_accepted_plus_rejected(self, parse):
        report, df = parse(DATA / "broken_rows.csv")
        assert (report["rows_read"], report["rows_accepted"], report["rows_rejected"]) == (9, 5, 4)
        assert report["rows_read"] == report["rows_accepted"] + report["rows_rejected"]
        assert df.height == report["rows_accepted"]

    def test_a_row_with_several_problems_is_one_rejected_row_with_each_problem_listed(
            self, parse, make_cdr, make_row):
        report, _ = parse(make_cdr(make_row(1), make_row(2, direction="??", imei="12",
                                                         duration="-4")))
        assert report["rows_rejected"] == 1
        assert sorted(r["field"] for r in report["rejects"]) == ["Direction", "Duration (s)",
                                                                 "IMEI"]

    def test_blank_lines_are_counted_apart_from_rows(self, parse, make_cdr, make_row):
        report, _ = parse(make_cdr(make_row(1), "", "  ", make_row(2)))
        assert (report["rows_read"], report["blank_lines"], report["rows_accepted"]) == (2, 2, 2)

    def test_a_stray_quote_spoils_only_its_own_line(self, parse, make_cdr, make_row):
        report, df = parse(make_cdr(make_row(1), make_row(2, called='"07512345678'),
                                    make_row(3)))
        assert [r["line"] for r in report["rejects"]] == [3]
        assert report["rejects"][0]["reason"].startswith("malformed CSV quoting")
        assert df["source_row"].to_list() == [2, 4]

    def test_each_reject_is_logged_without_its_value_and_the_log_is_capped(
            self, parse, make_cdr, make_row):
        rows = [make_row(i, direction="XX") for i in range(MAX_LOGGED_REJECTS + 20)]
        with capture_logs() as logs:
            parse(make_cdr(make_row(0), *rows))
        rejected = [e for e in logs if e["event"] == "exhibit.parse.rejected_row"]
        assert len(rejected) == MAX_LOGGED_REJECTS
        assert rejected[0] == {"event": "exhibit.parse.rejected_row", "line": 3,
                               "field": "Direction", "reason": rejected[0]["reason"],
                               "log_level": "info"}
        assert any(e["event"] == "exhibit.parse.rejected_row.log_capped" for e in logs)

    def test_the_report_lists_the_first_thousand_rejects_and_says_it_was_cut(
            self, parse, make_cdr, make_row):
        rows = [make_row(i, time="25:00:00") for i in range(MAX_LISTED_REJECTS + 5)]
        report, _ = parse(make_cdr(make_row(0), *rows))
        assert len(report["rejects"]) == MAX_LISTED_REJECTS
        assert (report["rejects_total"], report["rejects_truncated"]) == (1005, True)
        assert report["rejects_by_reason"] == {"not a time in HH:MM:SS form": 1005}

    def test_a_file_whose_every_row_is_rejected_fails(self, parse, make_cdr, make_row):
        report, df = parse(make_cdr(make_row(1, target="nobody"), make_row(2, date="")))
        assert df is None and report["status"] == "failed"
        assert report["file_errors"][0]["reason"].startswith("no row could be read: all 2")


class TestEncoding:
    def test_a_few_latin1_lines_are_rejected_naming_the_byte_and_its_offset(self, parse):
        data = (DATA / "latin1_lines.csv").read_bytes()
        report, df = parse(DATA / "latin1_lines.csv")
        assert report["status"] == "succeeded"
        e_acute, pound = data.index(b"\xe9"), data.index(b"\xa3")
        assert [(r["line"], r["value"]) for r in report["rejects"]] == [
            (3, f"byte 0xE9 at byte offset {e_acute}"),
            (5, f"byte 0xA3 at byte offset {pound}"),
        ]
        assert report["rejects"][0]["reason"].startswith("line is not valid UTF-8")
        assert df["source_row"].to_list() == [2, 4, 6]

    def test_a_utf16_file_fails_as_a_whole_naming_the_encoding(self, parse):
        report, df = parse(DATA / "utf16_bom.csv")
        assert df is None and report["status"] == "failed"
        assert report["file_errors"] == [{
            "line": 1, "field": None,
            "reason": "the file is encoded as UTF-16 (little-endian) (byte order mark FF FE at "
                      "byte offset 0); uk-operator-cdr-v1 files must be UTF-8"}]

    def test_utf16_without_a_byte_order_mark_fails_on_its_nul_bytes(self, parse, make_cdr,
                                                                     make_row):
        report, _ = parse(make_cdr(make_row(1)).decode().encode("utf-16-le"))
        assert report["status"] == "failed"
        assert "NUL byte" in report["file_errors"][0]["reason"]
        assert "UTF-16" in report["file_errors"][0]["reason"]

    def test_a_utf8_byte_order_mark_is_skipped_and_noted(self, parse, make_cdr, make_row):
        report, df = parse(b"\xef\xbb\xbf" + make_cdr(make_row(1)))
        assert df.height == 1
        assert "byte order mark" in report["warnings"][0]["reason"]


class TestFileLevelFailures:
    def test_an_empty_file_fails_saying_it_is_empty(self, parse):
        report, df = parse(b"")
        assert df is None
        assert report["file_errors"] == [{"line": None, "field": None,
                                          "reason": "the file is empty (0 bytes)"}]
        assert (report["rows_read"], report["rows_accepted"], report["rows_rejected"]) == (0, 0, 0)

    def test_missing_required_columns_are_named(self, parse, make_cdr):
        report, _ = parse(make_cdr("x,y", header="Target Number,Call Date"))
        assert report["status"] == "failed"
        assert report["file_errors"][0]["reason"].startswith(
            "missing required columns: Call Time, Direction, Call Type, Calling Number, "
            "Called Number, Duration (s)")

    def test_a_column_given_twice_is_refused(self, parse, make_cdr, make_row):
        from linesight_ingest.parsing.layout import COLUMNS

        header = ",".join(c.header for c in COLUMNS) + ",IMEI"
        report, _ = parse(make_cdr(make_row(1) + ",", header=header))
        assert "'IMEI' appears twice (columns 10 and 15)" in report["file_errors"][0]["reason"]

    def test_a_header_with_no_rows_succeeds_empty_with_a_warning(self, parse, make_cdr):
        report, df = parse(make_cdr())
        assert report["status"] == "succeeded" and df.height == 0
        assert report["warnings"][0]["reason"].startswith("the file has a header and no data")
