"""The bulk generator of large CDR files, and the fast v1 parse of what it makes."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pyarrow as pa
import pytest
from linesight_ingest.parsing.cdr import parse_cdr_file
from linesight_ingest.parsing.cdr_v1 import parse_v1_file
from linesight_ingest.parsing.parquet import DatasetWriter
from linesight_ingest.samples.cdr_bulk import DEFECTS, main, write

ROWS = 5_000


@pytest.fixture(scope="module")
def bulk(tmp_path_factory) -> Path:
    return write(ROWS, tmp_path_factory.mktemp("bulk") / "bulk.csv", seed=7)


@pytest.fixture(scope="module")
def parsed(bulk, tmp_path_factory):
    out = tmp_path_factory.mktemp("bulk-out") / "v1.parquet"
    result = parse_v1_file(bulk, exhibit_id="b" * 32, out_path=out, batch_rows=1_000)
    return result.report.to_dict(), pl.read_parquet(out), out


class TestGenerator:
    def test_the_same_seed_gives_the_same_bytes_and_another_seed_other_bytes(self, bulk,
                                                                              tmp_path):
        assert write(ROWS, tmp_path / "again.csv", seed=7).read_bytes() == bulk.read_bytes()
        assert write(ROWS, tmp_path / "other.csv", seed=8).read_bytes() != bulk.read_bytes()

    def test_every_row_is_one_physical_line_after_the_header(self, bulk):
        assert bulk.read_bytes().count(b"\r\n") == ROWS + 1

    def test_the_command_line_writes_the_rows_asked_for(self, tmp_path, capsys):
        main(["--rows", "10", "--out", str(tmp_path / "ten.csv")])
        assert (tmp_path / "ten.csv").read_bytes().count(b"\r\n") == 11
        assert "10 rows" in capsys.readouterr().out

    def test_the_rows_are_varied_like_a_real_return(self, parsed):
        report, df, _ = parsed
        assert len(report["subjects"]) > 300
        assert set(report["party_kinds"]) == {"e164", "withheld", "short_code", "invalid",
                                              "absent"}
        assert set(report["time_flags"]) == {"ambiguous", "nonexistent"}
        assert set(df["kind"].unique()) == {"voice", "sms", "mms", "data", "missed",
                                            "voicemail"}

    def test_each_planted_defect_is_rejected_and_quoted_lines_are_accepted(self, bulk,
                                                                            parsed):
        report, df, _ = parsed
        lines = bulk.read_bytes().split(b"\r\n")
        quoted = [n for n, line in enumerate(lines, start=1) if line.startswith(b'"CDR')]
        assert quoted and set(quoted) <= set(df["source_row"])
        by = report["rejects_by_reason"]
        assert by["line contains a NUL byte"] == 1
        assert by["line is not valid UTF-8 (it may be Latin-1 or Windows-1252)"] == 1
        assert sum(v for k, v in by.items() if k.startswith("malformed CSV quoting")) == 1
        assert report["blank_lines"] == 1
        assert report["rows_read"] == ROWS - report["blank_lines"]
        broken = len(DEFECTS) - 2  # a blank line is not a row; a quoted line is fine
        assert report["rows_rejected"] == broken
        assert report["rows_accepted"] == ROWS - 1 - broken


class TestTheTwoEngines:
    def test_the_v1_fast_path_and_the_profile_engine_write_the_same_bytes(self, bulk, parsed,
                                                                          tmp_path):
        report, _, v1_out = parsed
        out = tmp_path / "profile.parquet"
        result = parse_cdr_file(bulk, exhibit_id="b" * 32, out_path=out, batch_rows=1_000)
        assert out.read_bytes() == v1_out.read_bytes()
        theirs = result.report.to_dict()
        theirs.pop("profile", None)
        assert theirs == report


class TestDatasetWriter:
    def test_a_failed_background_write_is_raised_not_lost(self, tmp_path):
        schema = pa.schema([("a", pa.int64())])
        writer = DatasetWriter(tmp_path / "x.parquet", schema)
        writer.write(pa.table({"b": pa.array(["not", "a"])}))
        with pytest.raises(ValueError, match="schema does not match"):
            writer.close()
