"""The subscriber-check parser (kind ``subscriber``): one row per identifier, windows in UTC."""

from __future__ import annotations

import io

import openpyxl
import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from linesight_ingest.parsing.registry import parser_for
from linesight_ingest.parsing.subscribers import parse_subscriber_check
from linesight_ingest.samples.subscriber_generator import generate

from .rowparse_support import DATA, check_contract, corpus, make_runner


@pytest.fixture
def run_parser(tmp_path):
    return make_runner(tmp_path)

T = "subscribers"
HEAD = ("MSISDN,IMSI,IMEI,Account Number,Subscriber Name,Address,Postcode,Date of Birth,"
        "Account Type,Connection Date,Disconnection Date,Provider")
FULL = ('07400123456,234300123456789,35-693803-564380-9,ACC1,John Smith,"1 High Street\r\n'
        'Leeds",ls11aa,01/02/1990,Pay Monthly,01/06/2023,10/03/2024,EE')


def csv_bytes(*rows: str, head: str = HEAD) -> bytes:
    return "\r\n".join((head, *rows)).encode() + b"\r\n"


def xlsx(*sheets: tuple[str, list[list]]) -> bytes:
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for title, rows in sheets:
        ws = wb.create_sheet(title)
        for r in rows:
            ws.append(r)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


class TestSubscriberParser:
    def test_is_registered_for_subscriber(self):
        assert parser_for("subscriber").name == "csp-subscriber-check-v1"

    def test_one_line_gives_one_row_per_identifier_sharing_the_attribution(self, run_parser):
        run = run_parser(parse_subscriber_check, T, csv_bytes(FULL, ",,,ACC9,Acme Ltd,,,,"
                                                              "business,2024-01-01,,EE"))
        df = run.df
        assert run.report["rows_accepted"] == 2 and df.height == 4
        assert df.select("identifier_kind", "identifier").rows() == [
            ("msisdn", "+447400123456"), ("imsi", "234300123456789"),
            ("imei", "356938035643809"), ("account", "ACC9")]
        first = df.row(0, named=True)
        assert df["source_row"].to_list() == [2, 2, 2, 4]
        assert first["address"] == "1 High Street\nLeeds" and first["postcode"] == "LS1 1AA"
        assert (first["date_of_birth"], first["account_type"]) == ("1990-02-01", "contract")
        assert df["identifier_raw"][2] == "35-693803-564380-9"

    def test_a_date_window_is_uk_local_days_with_an_exclusive_end(self, run_parser):
        row = run_parser(parse_subscriber_check, T, csv_bytes(FULL)).df.row(0, named=True)
        assert row["valid_from"].isoformat() == "2023-05-31T23:00:00+00:00"  # BST midnight
        assert row["valid_to"].isoformat() == "2024-03-11T00:00:00+00:00"  # day after

    @pytest.mark.parametrize("row,field,reason", [
        (",,,,Nobody,,,,,,,", "MSISDN", "no identifier"),
        ("7400123456,,,,X,,,,,,,", "MSISDN", "leading 0"),
        ("07400123456,123,,,X,,,,,,,", "IMSI", "IMSI is not"),
        ("07400123456,,12345,,X,,,,,,,", "IMEI", "IMEI is not"),
        ("07400123456,,,,X,,,31/02/1990,,,,", "Date of Birth", "not a date of birth"),
        ("07400123456,,,,X,,,,gold,,,", "Account Type", "unknown account type"),
        ("07400123456,,,,X,,,,,soon,,", "Connection Date", "not a date"),
        ("07400123456,,,,X,,,,,02/02/2024,01/01/2024,", "Disconnection Date", "before"),
    ])
    def test_a_bad_value_rejects_the_whole_line(self, run_parser, row, field, reason):
        run = run_parser(parse_subscriber_check, T, csv_bytes(FULL, row, FULL))
        assert run.df["source_row"].unique().to_list() == [2, 5]
        assert [(r["line"], r["field"]) for r in run.rejects] == [(4, field)]
        assert reason in run.rejects[0]["reason"]

    def test_a_wrong_encoding_line_in_the_middle_is_rejected_alone(self, run_parser):
        data = csv_bytes(FULL, "07400123456,,,,Ren\xe9e,,,,,,,", FULL)
        data = data.replace("Ren\xe9e".encode(), b"Ren\xe9e")
        run = run_parser(parse_subscriber_check, T, data)
        assert [r["line"] for r in run.rejects] == [4]
        assert "not valid UTF-8" in run.rejects[0]["reason"]

    def test_an_xlsx_return_reads_text_and_never_evaluates_formulas(self, run_parser):
        data = xlsx(("Return", [HEAD.split(","),
                                [447400123456, None, None, "A1", '=HYPERLINK("http://x")',
                                 None, None, None, "Prepaid", None, None, "EE"],
                                [7400123456, None, None, "A2", "Y", None, None, None, None,
                                 None, None, "EE"]]),
                    ("Notes", [["Served under RIPA; see covering letter"]]))
        run = run_parser(parse_subscriber_check, T, data, name="return.xlsx")
        row = run.df.row(0, named=True)
        assert (row["source_ref"], row["source_row"]) == ("Return", 2)
        assert row["identifier"] == "+447400123456"
        assert row["name"] == '=HYPERLINK("http://x")'
        assert "formula" in run.report["warnings"][-1]["reason"]
        assert [r["line"] for r in run.rejects] == [3]  # 07400… stored as a number

    def test_an_xlsx_with_data_on_two_sheets_is_refused(self, run_parser):
        rows = [HEAD.split(","), ["07400123456"] + [None] * 11]
        run = run_parser(parse_subscriber_check, T, xlsx(("A", rows), ("B", rows)))
        assert "data on 2 sheets (A, B)" in run.report["file_errors"][0]["reason"]

    @pytest.mark.parametrize("data,message", [
        (b"", "empty"),
        (b"Name,Address\r\nx,y\r\n", "none of the columns"),
        (b"PK\x03\x04broken", "none of the columns"),
    ])
    def test_an_unreadable_file_fails(self, run_parser, data, message):
        run = run_parser(parse_subscriber_check, T, data)
        assert run.path is None and message in str(run.report["file_errors"])

    def test_the_generated_sample_parses_whole(self, run_parser):
        sample = DATA / "subscriber_sample.csv"
        assert sample.read_bytes() == generate(11, 24)
        run = run_parser(parse_subscriber_check, T, sample)
        r = run.report
        assert (r["rows_read"], r["rows_accepted"], r["rows_rejected"]) == (35, 35, 0)
        df = run.df
        assert dict(df.group_by("identifier_kind").len().iter_rows()) == {
            "msisdn": 34, "imsi": 34, "imei": 19, "account": 1}
        moved = df.filter(pl.col("identifier") == "+447787789328").sort("valid_from")
        assert moved.height == 2 and moved["valid_to"][0] < moved["valid_from"][1]

    def test_parsing_twice_gives_identical_bytes(self, run_parser):
        a = run_parser(parse_subscriber_check, T, DATA / "subscriber_sample.csv", batch_rows=5)
        b = run_parser(parse_subscriber_check, T, DATA / "subscriber_sample.csv", batch_rows=5)
        assert a.path.read_bytes() == b.path.read_bytes()


_cells = st.sampled_from(["07400123456", "234300123456789", "356938035643809", "ACC1",
                          "01/02/1990", "31/02/1990", "prepaid", "", '"', '"a\r\nb"', "=1",
                          "\xff", ",", "\r\n", "27/10/2024 01:30:00", "MSISDN"])


class TestFuzz:
    @settings(max_examples=150, deadline=None,
              suppress_health_check=[HealthCheck.function_scoped_fixture])
    @given(lines=st.lists(st.lists(_cells, max_size=13).map(",".join), max_size=8))
    def test_arbitrary_rows_give_a_report_never_a_crash(self, run_parser, lines):
        run_parser(parse_subscriber_check, T, csv_bytes(*lines))

    @settings(max_examples=60, deadline=None,
              suppress_health_check=[HealthCheck.function_scoped_fixture])
    @given(data=st.binary(max_size=300))
    def test_arbitrary_bytes_give_a_report_never_a_crash(self, run_parser, data):
        run_parser(parse_subscriber_check, T, data)

    @pytest.mark.parametrize("path", corpus("subscriber"), ids=lambda p: p.name)
    def test_the_regression_corpus_parses(self, run_parser, path):
        check_contract(run_parser(parse_subscriber_check, T, path))
