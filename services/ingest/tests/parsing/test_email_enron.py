"""The email-headers parser on real mail: 2,195 Enron messages in a maildir tar.gz."""

from __future__ import annotations

import hashlib
import tarfile
from collections import Counter
from pathlib import Path

import polars as pl
import pytest
from linesight_ingest.parsing.email_headers import parse_email_file

from .rowparse_support import make_runner


@pytest.fixture
def run_parser(tmp_path):
    return make_runner(tmp_path)


MEMBER = "maildir/carson-m/inbox/102."


@pytest.fixture
def enron(shared_kit) -> Path:
    path = shared_kit / "datasets" / "enron" / "maildir_2195_msgs.tar.gz"
    assert path.is_file(), f"{path} is missing from the team kit"
    return path


@pytest.fixture
def members(enron) -> list[str]:
    """The archive's regular members in archive order, read with tarfile directly."""
    with tarfile.open(enron) as tf:
        return [m.name for m in tf if m.isfile()]


@pytest.fixture
def parsed(run_parser, enron):
    return run_parser(parse_email_file, "email_headers", enron)


class TestEnronMaildir:
    def test_every_message_is_read_and_none_is_dropped(self, parsed, members):
        r = parsed.report
        assert len(members) == 2195
        assert (r["rows_read"], r["rows_accepted"], r["rows_rejected"]) == (2195, 2195, 0)
        assert parsed.df.height == 2195

    def test_rows_follow_archive_order_with_member_paths(self, parsed, members):
        df = parsed.df
        assert df["source_row"].to_list() == list(range(1, 2196))
        assert df["source_ref"].to_list() == members

    def test_mailbox_is_the_maildir_folder(self, parsed, members):
        expected = Counter(m.rsplit("/", 1)[0] for m in members)
        got = dict(parsed.df.group_by("mailbox").len().iter_rows())
        assert got == dict(expected)
        assert len(got) == 73
        assert got["maildir/carson-m/inbox"] == 106

    def test_a_known_message_is_read_field_by_field(self, parsed):
        row = parsed.df.filter(pl.col("source_ref") == MEMBER).to_dicts()[0]
        assert row["message_id"] == "<17434130.1075853151242.JavaMail.evans@thyme>"
        assert row["date_raw"] == "Fri, 26 Oct 2001 11:20:25 -0700 (PDT)"
        assert row["date_utc"].isoformat() == "2001-10-26T18:20:25+00:00"
        assert row["from_addr"] == "karen.buckley@enron.com"
        assert len(row["to_addrs"]) == 27
        assert row["to_addrs"][0] == "k..allen@enron.com"
        assert row["to_addrs"][-1] == "andy.zipper@enron.com"
        assert row["cc_addrs"] == ["john.lavorato@enron.com", "adrianne.engler@enron.com",
                                   "felicia.solis@enron.com"]
        assert row["bcc_addrs"] == row["cc_addrs"]
        assert row["subject_sha256"] == hashlib.sha256(
            b"Reminder:Interivews Thursday Trading Track").hexdigest()
        assert row["in_reply_to"] is None and row["received_ips"] == []

    def test_an_obsolete_quoted_local_part_is_kept(self, parsed):
        rows = parsed.df.filter(pl.col("to_addrs").list.contains('walker"."blair@enron.com'))
        assert rows.height == 3
        assert not parsed.report["warnings"]

    def test_every_message_has_a_utc_date_and_a_unique_id(self, parsed):
        df = parsed.df
        assert df["date_utc"].null_count() == 0
        assert df["message_id"].n_unique() == 2195
        assert parsed.report["time_flags"] == {}

    def test_no_subject_text_is_stored(self, parsed, enron):
        with tarfile.open(enron) as tf:
            head = tf.extractfile(MEMBER).read()
        assert b"Interivews" in head
        assert b"Interivews" not in parsed.path.read_bytes()

    def test_parsing_twice_gives_identical_bytes(self, run_parser, enron, parsed):
        again = run_parser(parse_email_file, "email_headers", enron)
        assert again.path.read_bytes() == parsed.path.read_bytes()
