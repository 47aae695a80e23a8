"""The IP-resolution log parser (kind ``ip_log``) and the IP-to-subscriber resolver."""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta, timezone

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from linesight_ingest.parsing.ip_logs import parse_ip_log
from linesight_ingest.parsing.ip_resolve import resolve
from linesight_ingest.parsing.registry import parser_for
from linesight_ingest.samples.ip_log_generator import generate

from .rowparse_support import DATA, check_contract, corpus, make_runner


@pytest.fixture
def run_parser(tmp_path):
    return make_runner(tmp_path)

T = "ip_sessions"
HEAD = "Public IP,Port,Session Start,Session End,Private IP,MSISDN,IMSI,Account Ref,Subscriber"
GOOD = "81.2.69.160,49152-50175,2024-07-01T10:00:00+01:00,2024-07-01T12:00:00+01:00,100.64.1.2,07400123456,234300123456789,ACC1,\"Smith, John\""


def csv_bytes(*rows: str, head: str = HEAD) -> bytes:
    return "\r\n".join((head, *rows)).encode() + b"\r\n"


class TestIpLogParser:
    def test_is_registered_for_ip_log(self):
        assert parser_for("ip_log").name == "csp-ip-resolution-v1"

    def test_a_row_is_normalised(self, run_parser):
        row = run_parser(parse_ip_log, T, csv_bytes(GOOD)).df.to_dicts()[0]
        assert (row["public_ip"], row["port_from"], row["port_to"]) == ("81.2.69.160", 49152,
                                                                         50175)
        assert row["start_utc"].isoformat() == "2024-07-01T09:00:00+00:00"
        assert row["end_utc"].isoformat() == "2024-07-01T11:00:00+00:00"
        assert (row["private_ip"], row["msisdn"], row["imsi"]) == (
            "100.64.1.2", "+447400123456", "234300123456789")
        assert (row["account_ref"], row["subscriber"], row["source_row"]) == (
            "ACC1", "Smith, John", 2)

    def test_ipv6_is_stored_in_canonical_form_and_uk_local_time_converted(self, run_parser):
        run = run_parser(parse_ip_log, T, csv_bytes(
            "2A00:23C4:0001:0002:0000:0000:0000:0005,443,01/12/2024 10:00:00,,,,,,"))
        row = run.df.to_dicts()[0]
        assert row["public_ip"] == "2a00:23c4:1:2::5" and row["port_from"] == 443
        assert row["start_utc"].isoformat() == "2024-12-01T10:00:00+00:00"
        assert row["end_utc"] is None
        assert run.report["time_flags"] == {"gmt": 1}

    def test_a_time_in_the_repeated_hour_is_read_as_bst_and_flagged(self, run_parser):
        run = run_parser(parse_ip_log, T, csv_bytes("81.2.69.160,,27/10/2024 01:30:00,,,,,,"))
        assert run.df["start_utc"][0].isoformat() == "2024-10-27T00:30:00+00:00"
        assert run.report["time_flags"] == {"ambiguous": 1}
        assert "clock-change hour (ambiguous): 1 rows (first: 2)" in \
            run.report["warnings"][0]["reason"]

    @pytest.mark.parametrize("cell,field,reason", [
        ("999.1.1.1,,2024-07-01T10:00:00Z,,,,,,", "Public IP", "not an IPv4 or IPv6"),
        ("010.1.1.1,,2024-07-01T10:00:00Z,,,,,,", "Public IP", "not an IPv4 or IPv6"),
        ("fe80::1%eth0,,2024-07-01T10:00:00Z,,,,,,", "Public IP", "not an IPv4 or IPv6"),
        (",,2024-07-01T10:00:00Z,,,,,,", "Public IP", "required value is blank"),
        ("81.2.69.160,50175-49152,2024-07-01T10:00:00Z,,,,,,", "Port", "runs backwards"),
        ("81.2.69.160,70000,2024-07-01T10:00:00Z,,,,,,", "Port", "not a port"),
        ("81.2.69.160,,31/02/2024 10:00:00,,,,,,", "Session Start", "not a date and time"),
        ("81.2.69.160,,2024-07-01T10:00:00Z,2024-07-01T09:00:00Z,,,,,", "Session End",
         "ends before it starts"),
        ("81.2.69.160,,2024-07-01T10:00:00Z,,,7400123456,,,", "MSISDN", "leading 0"),
        ("81.2.69.160,,2024-07-01T10:00:00Z,,,,12345,,", "IMSI", "IMSI is not"),
    ])
    def test_a_bad_value_rejects_its_line_and_keeps_the_others(self, run_parser, cell, field,
                                                               reason):
        run = run_parser(parse_ip_log, T, csv_bytes(GOOD, cell, GOOD))
        assert run.df["source_row"].to_list() == [2, 4]
        assert [(r["line"], r["field"]) for r in run.rejects] == [(3, field)]
        assert reason in run.rejects[0]["reason"]

    def test_broken_rows_in_the_middle_spoil_only_themselves(self, run_parser):
        data = csv_bytes(GOOD, 'x,"open quote', GOOD, "a,b", GOOD)
        data = data.replace(b"a,b", b"81.2.69.160,\xe9,2024-07-01T10:00:00Z,,,,,,")
        run = run_parser(parse_ip_log, T, data)
        assert run.df["source_row"].to_list() == [2, 4, 6]
        assert [r["line"] for r in run.rejects] == [3, 5]
        assert "quote is left open" in run.rejects[0]["reason"]
        assert "not valid UTF-8" in run.rejects[1]["reason"]

    def test_a_formula_is_kept_as_text_and_flagged(self, run_parser):
        run = run_parser(parse_ip_log, T, csv_bytes(GOOD.replace('"Smith, John"',
                                                                 '"=HYPERLINK(""x"")"')))
        assert run.df["subscriber"][0] == '=HYPERLINK("x")'
        assert "formula" in run.report["warnings"][0]["reason"]

    @pytest.mark.parametrize("data,message", [
        (b"", "empty"),
        ("Public IP,Session Start\r\n".encode("utf-16"), "UTF-16"),
        (b"Foo,Bar\r\n1,2\r\n", "no Public IP, Session Start column"),
        (b"Public IP,IP,Session Start\r\n", "appears twice"),
    ])
    def test_an_unreadable_file_fails_with_a_file_error(self, run_parser, data, message):
        run = run_parser(parse_ip_log, T, data)
        assert run.path is None
        assert message in run.report["file_errors"][0]["reason"]

    def test_a_header_alone_is_a_nil_return(self, run_parser):
        run = run_parser(parse_ip_log, T, csv_bytes())
        assert run.df.height == 0 and "nil return" in run.report["warnings"][-1]["reason"]

    def test_an_xlsx_return_reads_values_as_text_and_names_its_sheet(self, run_parser):
        wb = openpyxl.Workbook()
        ws = wb.active
        ws.title = "Results"
        ws.append(HEAD.split(","))
        ws.append(["81.2.69.160", "49152-50175", datetime(2024, 7, 1, 10, 0), None, None,
                   447400123456, None, "=A2&B2", "Jane"])
        buf = io.BytesIO()
        wb.save(buf)
        run = run_parser(parse_ip_log, T, buf.getvalue(), name="return.xlsx")
        row = run.df.to_dicts()[0]
        assert (row["source_ref"], row["source_row"]) == ("Results", 2)
        assert row["start_utc"].isoformat() == "2024-07-01T09:00:00+00:00"
        assert row["msisdn"] == "+447400123456" and row["account_ref"] == "=A2&B2"

    def test_the_generated_sample_parses_with_its_known_reject(self, run_parser):
        sample = DATA / "ip_log_sample.csv"
        assert sample.read_bytes() == generate(7, 40)
        run = run_parser(parse_ip_log, T, sample)
        r = run.report
        assert (r["rows_read"], r["rows_accepted"], r["rows_rejected"]) == (40, 39, 1)
        # a session ending in the repeated hour, read as BST, ends before it starts
        assert run.rejects[0]["reason"] == "session ends before it starts"
        assert r["time_flags"]["ambiguous"] == 7

    def test_parsing_twice_gives_identical_bytes(self, run_parser):
        a = run_parser(parse_ip_log, T, DATA / "ip_log_sample.csv", batch_rows=8)
        b = run_parser(parse_ip_log, T, DATA / "ip_log_sample.csv", batch_rows=8)
        assert a.path.read_bytes() == b.path.read_bytes()


@pytest.fixture
def sessions(run_parser):
    rows = [
        "81.2.69.160,49152-50175,2024-07-01T10:00:00Z,2024-07-01T12:00:00Z,,,,A,",
        "81.2.69.160,50176-51199,2024-07-01T10:00:00Z,2024-07-01T12:00:00Z,,,,B,",
        "81.2.69.161,,2024-07-01T10:00:00Z,,,,,C,",
        "2a00:23c4:1:2::5,,2024-07-01T10:00:00Z,2024-07-01T11:00:00Z,,,,D,",
    ]
    return run_parser(parse_ip_log, T, csv_bytes(*rows)).df


AT = datetime(2024, 7, 1, 11, 0, tzinfo=UTC)


class TestResolve:
    def test_a_port_inside_one_block_is_one_match(self, sessions):
        answer = resolve(sessions, "81.2.69.160", 50200, AT)
        assert answer.message == "match: 1 session"
        assert answer.sessions[0]["account_ref"] == "B"

    def test_no_port_on_a_shared_address_is_ambiguous_and_says_why(self, sessions):
        answer = resolve(sessions, "81.2.69.160", None, AT)
        assert answer.message == "ambiguous: 2 sessions"
        assert [s["account_ref"] for s in answer.sessions] == ["A", "B"]
        assert "carrier-grade NAT" in answer.notes[0]

    def test_times_are_inclusive_and_outside_is_no_match(self, sessions):
        end = datetime(2024, 7, 1, 12, 0, tzinfo=UTC)
        assert resolve(sessions, "81.2.69.160", 49152, end).status == "match"
        assert resolve(sessions, "81.2.69.160", 49152,
                       end + timedelta(seconds=1)).message == "no match"

    def test_an_offset_query_time_is_compared_as_utc(self, sessions):
        bst = datetime(2024, 7, 1, 12, 30, tzinfo=timezone(timedelta(hours=1)))
        assert resolve(sessions, "81.2.69.160", 49999, bst).sessions[0]["account_ref"] == "A"

    def test_an_open_session_matches_later_times_with_a_note(self, sessions):
        answer = resolve(sessions, "81.2.69.161", None, AT + timedelta(days=30))
        assert answer.status == "match" and "open session" in answer.notes[-1]

    def test_ipv6_by_prefix_only_when_asked(self, sessions):
        assert resolve(sessions, "2a00:23c4:1:2::99", None, AT).status == "no_match"
        wide = resolve(sessions, "2A00:23C4:1:2::99", None, AT, ipv6_prefix=64)
        assert wide.sessions[0]["account_ref"] == "D" and "/64" in wide.notes[0]

    def test_a_naive_query_time_is_refused(self, sessions):
        with pytest.raises(ValueError, match="time zone"):
            resolve(sessions, "81.2.69.160", None, datetime(2024, 7, 1, 11, 0))


_cells = st.sampled_from(["81.2.69.160", "::1", "1-2", "49152-50175", "27/10/2024 01:30:00",
                          "2024-07-01T10:00:00Z", "", '"', '""', "=1+1", "07400123456", "é",
                          "\x00", ",", "\r", "\n", "99999", "Public IP", "Session Start"])


class TestFuzz:
    @settings(max_examples=150, deadline=None,
              suppress_health_check=[HealthCheck.function_scoped_fixture])
    @given(lines=st.lists(st.lists(_cells, max_size=10).map(",".join), max_size=8),
           junk=st.binary(max_size=60))
    def test_arbitrary_rows_give_a_report_never_a_crash(self, run_parser, lines, junk):
        data = csv_bytes(*lines).replace(b"\x00", junk[:1] or b"\x00")
        run_parser(parse_ip_log, T, data)

    @pytest.mark.parametrize("path", corpus("ip_log"), ids=lambda p: p.name)
    def test_the_regression_corpus_parses(self, run_parser, path):
        check_contract(run_parser(parse_ip_log, T, path))
