"""The email-headers parser on crafted mail: mbox, single messages, hostile headers, archives."""

from __future__ import annotations

import hashlib
import io
import tarfile
import zipfile

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from linesight_ingest.parsing.email_headers import parse_email_file
from linesight_ingest.parsing.email_headers.sources import MAX_HEADER_BYTES

from .rowparse_support import check_contract, corpus, make_runner


@pytest.fixture
def run_parser(tmp_path):
    return make_runner(tmp_path)

T = "email_headers"


def msg(*headers: str, body: str = "Hello.\n") -> bytes:
    return ("\n".join(headers) + "\n\n" + body).encode()


GOOD = msg("From: Alice <Alice@Example.COM>", "To: bob@example.org, \"Carol, C\" <carol@x.net>",
           "Date: Mon, 01 Jul 2024 10:00:00 +0100", "Message-ID: <m1@example.com>",
           "Subject: Meet")


def mbox(*messages: bytes) -> bytes:
    return b"".join(b"From sender@example.com Mon Jul  1 10:00:00 2024\n" + m + b"\n"
                    for m in messages)


def tar_of(files: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w:gz") as tf:
        for name, data in files.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tf.addfile(info, io.BytesIO(data))
    return buf.getvalue()


class TestSingleMessage:
    def test_fields_are_normalised(self, run_parser):
        row = run_parser(parse_email_file, T, GOOD, name="a.eml").df.to_dicts()[0]
        assert row["from_addr"] == "alice@example.com"
        assert row["to_addrs"] == ["bob@example.org", "carol@x.net"]
        assert row["date_utc"].isoformat() == "2024-07-01T09:00:00+00:00"
        assert row["subject_sha256"] == hashlib.sha256(b"Meet").hexdigest()
        assert (row["source_row"], row["source_ref"], row["mailbox"]) == (1, None, None)

    def test_received_ips_are_read_oldest_first(self, run_parser):
        m = msg("Received: from b.example (b.example [2001:DB8:0:0::1]) by c.example",
                "Received: from a.example (HELO a) ([192.0.2.7]:25) by b.example; x",
                "Received: from x ([IPv6:2001:db8::2] 10.0.0.300 999.1.1.1)",
                "From: a@example.com")
        row = run_parser(parse_email_file, T, m).df.to_dicts()[0]
        assert row["received_ips"] == ["2001:db8::2", "192.0.2.7", "2001:db8::1"]

    def test_encoded_subject_is_hashed_decoded(self, run_parser):
        m = msg("From: a@example.com", "Subject: =?utf-8?q?caf=C3=A9?=")
        row = run_parser(parse_email_file, T, m).df.to_dicts()[0]
        assert row["subject_sha256"] == hashlib.sha256("café".encode()).hexdigest()


class TestDates:
    @pytest.mark.parametrize("header,flag", [
        (None, "date_missing"),
        ("Date: Mon, 01 Jul 2024 10:00:00", "date_no_zone"),
        ("Date: yesterday teatime", "date_unparseable"),
        ("Date: Mon, 01 Jul 2024 10:00:00 -0000", "date_minus_0000"),
    ])
    def test_a_date_that_is_not_one_instant_is_flagged_not_guessed(self, run_parser, header,
                                                                   flag):
        heads = ["From: a@example.com"] + ([header] if header else [])
        run = run_parser(parse_email_file, T, msg(*heads))
        row = run.df.to_dicts()[0]
        assert run.report["time_flags"] == {flag: 1}
        assert row["date_raw"] == (header.split(": ", 1)[1] if header else None)
        if flag == "date_minus_0000":
            assert row["date_utc"].isoformat() == "2024-07-01T10:00:00+00:00"
        else:
            assert row["date_utc"] is None


class TestMbox:
    def test_messages_split_at_from_lines_and_keep_their_line(self, run_parser):
        body = "line\n>From the escaped body\nFrom: not a header\n"
        data = mbox(GOOD, msg("From: b@example.com", body=body), GOOD)
        run = run_parser(parse_email_file, T, data, name="inbox.mbox")
        df = run.df
        assert df["source_row"].to_list() == [1, 2, 3]
        assert df["source_ref"].to_list() == ["line 1", "line 10", "line 17"]
        assert df["mailbox"].to_list() == ["inbox.mbox"] * 3
        assert df["from_addr"].to_list()[1] == "b@example.com"

    def test_a_huge_header_line_is_rejected_and_the_next_message_read(self, run_parser):
        huge = msg("From: a@example.com", "X-Junk: " + "A" * (MAX_HEADER_BYTES + 10))
        run = run_parser(parse_email_file, T, mbox(GOOD, huge, GOOD))
        assert run.report["rows_accepted"] == 2
        assert run.rejects[0]["line"] == 2
        assert run.rejects[0]["value"] == "line 10"
        assert "header block larger than" in run.rejects[0]["reason"]

    def test_binary_junk_in_the_middle_is_rejected_with_its_ordinal(self, run_parser):
        junk = b"\x00\x01\x02garbage\xff\n\n"
        run = run_parser(parse_email_file, T, mbox(GOOD, junk, GOOD))
        assert [r["line"] for r in run.rejects] == [2]
        assert "NUL byte" in run.rejects[0]["reason"]


class TestHostileHeaders:
    def test_an_address_smuggled_in_an_encoded_word_is_not_a_recipient(self, run_parser):
        m = msg("From: a@example.com",
                "Bcc: =?utf-8?q?x=0D=0ABcc:_evil@attacker.example?= <real@example.com>",
                "To: =?utf-8?q?evil@attacker.example?= <bob@example.com>")
        row = run_parser(parse_email_file, T, m).df.to_dicts()[0]
        assert row["bcc_addrs"] == ["real@example.com"]
        assert row["to_addrs"] == ["bob@example.com"]

    def test_an_injected_line_is_read_as_the_header_it_is_and_flagged(self, run_parser):
        m = b"From: a@example.com\r\nTo: b@example.com\rBcc: c@example.com\r\nFrom: x@y.z\r\n\r\n"
        run = run_parser(parse_email_file, T, m)
        row = run.df.to_dicts()[0]
        assert row["to_addrs"] == ["b@example.com"] and row["bcc_addrs"] == ["c@example.com"]
        assert row["from_addr"] == "a@example.com"
        assert any("from appears more than once" in w["reason"]
                   for w in run.report["warnings"])

    def test_junk_that_is_not_an_address_is_left_out_and_flagged(self, run_parser):
        run = run_parser(parse_email_file, T, msg("From: a@example.com", "To: foo bar, b@c.d"))
        assert run.df["to_addrs"].to_list() == [["b@c.d"]]
        assert "to: a value that is not an address" in run.report["warnings"][0]["reason"]

    def test_invalid_utf8_is_kept_visible_and_flagged(self, run_parser):
        m = b"From: \xff\xfe <a@example.com>\nSubject: caf\xe9\n\n"
        run = run_parser(parse_email_file, T, m)
        row = run.df.to_dicts()[0]
        assert row["from_addr"] == "a@example.com"
        assert row["subject_sha256"] == hashlib.sha256(b"caf\\xe9").hexdigest()
        reasons = " ".join(w["reason"] for w in run.report["warnings"])
        assert "header from holds bytes that are not UTF-8" in reasons
        assert "header subject holds bytes" in reasons


class TestFileErrors:
    def test_an_empty_file_fails(self, run_parser):
        run = run_parser(parse_email_file, T, b"")
        assert run.report["file_errors"][0]["reason"] == "the file is empty (0 bytes)"

    def test_a_file_that_is_no_message_fails_with_its_reject(self, run_parser):
        run = run_parser(parse_email_file, T, b"just some text\nwithout headers\n")
        assert run.report["rows_rejected"] == 1
        assert "no record could be read" in run.report["file_errors"][0]["reason"]

    def test_a_traversing_archive_is_refused_whole(self, run_parser):
        data = tar_of({"maildir/a/inbox/1.": GOOD, "../../etc/evil": GOOD})
        run = run_parser(parse_email_file, T, data)
        assert run.path is None
        assert "path escapes the archive" in run.report["file_errors"][0]["reason"]

    def test_a_zip_bomb_is_refused(self, run_parser):
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
            zf.writestr("maildir/a/cur/1.", b"From: a@b.c\n\n" + b"\0" * 50_000_000)
        run = run_parser(parse_email_file, T, buf.getvalue())
        assert run.path is None and "zip bomb" in run.report["file_errors"][0]["reason"]

    def test_a_zip_maildir_uses_the_folder_above_cur(self, run_parser):
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w") as zf:
            zf.writestr("Maildir/.Sent/cur/1.host:2,S", GOOD)
            zf.writestr("Maildir/new/2.host", GOOD)
        df = run_parser(parse_email_file, T, buf.getvalue()).df
        assert df["mailbox"].to_list() == ["Maildir/.Sent", "Maildir"]
        assert df["source_ref"].to_list() == ["Maildir/.Sent/cur/1.host:2,S",
                                              "Maildir/new/2.host"]


class TestDeterminism:
    def test_the_same_mbox_gives_the_same_bytes(self, run_parser):
        data = mbox(*([GOOD] * 30))
        a = run_parser(parse_email_file, T, data, batch_rows=7)
        b = run_parser(parse_email_file, T, data, batch_rows=7)
        assert a.path.read_bytes() == b.path.read_bytes()


_header_text = st.lists(st.sampled_from(
    [b"From: ", b"To: ", b"Cc: ", b"Date: ", b"Received: ", b"Subject: ", b"\n", b"\r\n",
     b" ", b"\t", b"<", b">", b"@", b",", b"[", b"]", b"(", b")", b"=?utf-8?q?", b"?=",
     b"From ", b"\xff", b"\x00", b"1.2.3.4", b"::1", b"a", b"b.c", b"Mon, 1 Jul 2024"]),
    max_size=60).map(b"".join)


class TestFuzz:
    @settings(max_examples=150, deadline=None,
              suppress_health_check=[HealthCheck.function_scoped_fixture])
    @given(data=st.one_of(_header_text, st.binary(max_size=400)))
    def test_arbitrary_bytes_give_a_report_never_a_crash(self, run_parser, data):
        run_parser(parse_email_file, T, data)  # run_parser checks the contract

    @pytest.mark.parametrize("path", corpus("email"), ids=lambda p: p.name)
    def test_the_regression_corpus_parses(self, run_parser, path):
        check_contract(run_parser(parse_email_file, T, path))
