"""ANPR reads through the ``anpr`` parser: VRMs, times, positions, rejects, the Bath sample."""

from __future__ import annotations

from datetime import UTC, datetime

import pyarrow.parquet as pq
import pytest
from linesight_ingest.parsing.anpr import AnprReadsParser
from linesight_ingest.parsing.registry import parser_for
from linesight_ingest.samples import anpr_generator
from linesight_shared.tables import ANPR_READS_SCHEMA

P = AnprReadsParser()
HEADER = "VRM,Camera ID,Read Time,Latitude,Longitude,Direction,Confidence"
SAMPLE_NAME = "anpr_bath_reads.csv"


def read(vrm="ab12 cde", cam="BANES-1", when="01/06/2024 12:00:00", lat="51.41",
         lon="-2.39", direction="Northbound", conf="0.93"):
    return f"{vrm},{cam},{when},{lat},{lon},{direction},{conf}"


class TestReads:
    def test_the_anpr_kind_is_registered(self):
        assert parser_for("anpr").name == "anpr-reads-v1"

    def test_a_read_is_normalised_field_by_field(self, run, csv):
        r = run(P, csv(HEADER, read()))
        row = r.table.row(0, named=True)
        assert (row["vrm"], row["vrm_raw"], row["camera_id"]) == ("AB12CDE", "ab12 cde",
                                                                  "BANES-1")
        assert row["read_utc"] == datetime(2024, 6, 1, 11, tzinfo=UTC)
        assert (row["source_tz"], row["time_flag"]) == ("Europe/London", None)
        assert (row["lat"], row["lon"], row["direction"], row["confidence"]) == (
            51.41, -2.39, "N", 0.93)
        assert (row["source_row"], row["source_ref"]) == (2, None)

    def test_an_iso_time_with_an_offset_is_exact_and_keeps_its_offset(self, run, csv):
        r = run(P, csv(HEADER, read(when="2024-10-27T01:30:00+01:00"),
                       read(when="27/10/2024 01:30:00")))
        assert r.table.select("source_tz", "time_flag").rows() == [
            ("+01:00", None), ("Europe/London", "ambiguous")]
        assert r.table["read_utc"].to_list() == [datetime(2024, 10, 27, 0, 30, tzinfo=UTC)] * 2

    def test_split_date_and_time_columns_and_missing_positions_are_accepted(self, run, csv):
        r = run(P, csv("Plate,Camera,Date,Time", "X1,CAM 7,05/01/2024,09:00:00"))
        row = r.table.row(0, named=True)
        assert (row["vrm"], row["lat"], row["lon"]) == ("X1", None, None)
        assert row["read_utc"] == datetime(2024, 1, 5, 9, tzinfo=UTC)

    def test_a_percentage_confidence_is_read_as_a_fraction(self, run, csv):
        assert run(P, csv(HEADER, read(conf="87"))).table["confidence"].item() == 0.87

    def test_obviously_invalid_values_are_rejected_with_their_reasons(self, run, csv):
        r = run(P, csv(HEADER, read(), read(vrm="NOREAD"), read(vrm="AB1?CDE"),
                       read(vrm="ABCDEFGHIJKL"), read(vrm=" "), read(cam=""),
                       read(when="2024-13-01 00:00:00"), read(lat="91"),
                       read(lon=""), read(conf="150")))
        got = {(x["line"], x["field"]) for x in r.report["rejects"]}
        assert got == {(3, "VRM"), (4, "VRM"), (5, "VRM"), (6, "VRM"), (7, "Camera ID"),
                       (8, "Read Time"), (9, "Latitude"), (10, "Latitude"),
                       (11, "Confidence")}
        assert r.report["rows_accepted"] == 1

    def test_a_file_without_the_needed_columns_fails_naming_what_is_missing(self, run, csv):
        r = run(P, csv("Plate,When", "AB12CDE,01/01/2024 00:00:00"))
        reason = r.report["file_errors"][0]["reason"]
        assert r.table is None and "missing camera_id" in reason and "'Plate'" in reason

    def test_a_formula_in_the_camera_id_is_kept_as_text(self, run, csv):
        r = run(P, csv(HEADER, read(cam="\"=cmd|' /C calc'!A0\"")))
        assert r.table["camera_id"].item() == "=cmd|' /C calc'!A0"


class TestBathSample:
    def test_the_committed_sample_is_what_the_generator_makes_from_the_bath_sites(
            self, shared_kit):
        from pathlib import Path
        sites = shared_kit / "datasets/bath-anpr-2017/sites_from_BathHacked-ANPR-Air.csv"
        data = anpr_generator.generate(2017, 1500, anpr_generator.load_sites(sites))
        committed = Path(__file__).parents[1] / "data" / SAMPLE_NAME
        assert data == committed.read_bytes()

    def test_the_sample_parses_with_its_three_planted_defects_rejected(self, run):
        from pathlib import Path
        r = run(P, Path(__file__).parents[1] / "data" / SAMPLE_NAME, batch_rows=400)
        assert (r.report["rows_read"], r.report["rows_rejected"]) == (1500, 3)
        assert r.report["time_flags"].get("ambiguous", 0) > 0
        assert r.table["lat"].null_count() > 0 and r.table["lat"].null_count() < 300

    def test_the_same_file_gives_the_same_parquet_bytes(self, run):
        from pathlib import Path
        path = Path(__file__).parents[1] / "data" / SAMPLE_NAME
        a, b = run(P, path, batch_rows=300), run(P, path, batch_rows=300)
        assert a.digest() == b.digest()
        assert pq.read_schema(a.path).equals(ANPR_READS_SCHEMA, check_metadata=False)


class TestHostile:
    @pytest.mark.parametrize("content,needle", [
        (b"", "empty"), ("VRM\r\n".encode("utf-16"), "UTF-16"), (b"\n\n", "blank")])
    def test_unreadable_files_fail_with_a_clear_reason(self, run, content, needle):
        r = run(P, content)
        assert r.table is None and needle in r.report["file_errors"][0]["reason"]

    def test_broken_rows_in_the_middle_and_a_huge_field_are_rejected_alone(self, run, csv):
        body = csv(HEADER, read(), "a,b", read(vrm="Z" * 70_000), read()) + b"\xff\xfe,x\r\n"
        r = run(P, body)
        assert r.report["rows_accepted"] == 2 and r.report["rows_rejected"] == 3
        assert r.table["source_row"].to_list() == [2, 5]
