"""Cell-site lists through the ``cell_sites`` parser: the three variants, rejects, hostile input."""

from __future__ import annotations

import math
from datetime import UTC, datetime

import openpyxl
import polars as pl
import pyarrow.parquet as pq
import pytest
from linesight_ingest.parsing.cell_sites import CellSitesParser
from linesight_ingest.parsing.cell_sites.grid import to_easting_northing, to_lat_lon
from linesight_ingest.parsing.registry import parser_for
from linesight_ingest.samples import cell_list_generator as gen
from linesight_shared.tables import CELLS_SCHEMA

P = CellSitesParser()
OP_HEADER = "CGI,Technology,Latitude,Longitude,Grid Ref,Azimuth,Beamwidth,Site Name,Postcode,Valid From,Valid To"


def op_row(cgi="234-30-10595-6643713", tech="4G", lat="51.38", lon="-2.36", ngr="",
           az="120", bw="65", name="Widcombe Mast", pc="ba2 4lp", vf="01/06/2024", vt=""):
    return f"{cgi},{tech},{lat},{lon},{ngr},{az},{bw},{name},{pc},{vf},{vt}"


def metres(a: tuple[float, float], b: tuple[float, float]) -> float:
    dlat = (a[0] - b[0]) * 111_320
    dlon = (a[1] - b[1]) * 111_320 * math.cos(math.radians(a[0]))
    return math.hypot(dlat, dlon)


class TestRegistration:
    def test_the_cell_sites_kind_is_served_by_this_parser_once_the_module_is_imported(self):
        assert parser_for("cell_sites").name == "cell-sites-v1"


class TestOpenCellId:
    def test_the_uk_subset_is_read_whole_with_lte_split_into_enodeb_and_sector(
            self, run, shared_kit):
        r = run(P, shared_kit / "datasets/opencellid/uk_mcc234_subset.csv")
        assert (r.report["rows_read"], r.report["rows_accepted"]) == (372, 372)
        assert "'opencellid' (confidence 1.00" in r.report["warnings"][0]["reason"]
        row = r.table.filter(pl.col("source_row") == 3).row(0, named=True)
        assert row["cgi"] == "234-30-10595-6643713"
        assert (row["radio"], row["mcc"], row["mnc"], row["lac"]) == ("LTE", 234, 30, 10595)
        assert (row["enodeb_id"], row["sector"]) == (6643713 >> 8, 6643713 & 0xFF) == (25952, 1)
        assert (row["lat"], row["lon"], row["range_m"]) == (51.104507, -0.183146, 2159.0)
        assert row["valid_from"] == datetime.fromtimestamp(1401125716, UTC)
        assert row["valid_to"] is None and row["azimuth"] is None and row["beamwidth"] is None
        assert r.table["source"].unique().to_list() == ["opencellid"]

    def test_the_worldwide_sample_rejects_only_cdma_and_pads_one_digit_mncs(self, run,
                                                                           shared_kit):
        r = run(P, shared_kit / "datasets/opencellid/sample.csv", batch_rows=10_000)
        assert r.report["rows_read"] == 45_745
        assert list(r.report["rejects_by_reason"]) == [
            "CDMA cell: no GSM-family cell global identity (CDMA is not used in the UK)"]
        assert r.table.filter(pl.col("source_row") == 2)["cgi"].item() == "262-02-852-2521"
        assert r.table.filter(pl.col("radio") == "LTE")["sector"].max() <= 255


class TestSitefinder:
    def test_masts_map_to_site_keys_with_positions_from_the_grid_reference(self, run,
                                                                          shared_kit):
        path = next((shared_kit / "datasets/ofcom-sitefinder-bath").glob("*.csv"))
        r = run(P, path)
        assert r.report["rows_accepted"] == 359
        first = r.table.row(0, named=True)
        assert (first["cgi"], first["radio"], first["grid_ref"]) == (
            "SITE:Airwave:AAS005", "TETRA", "ST7688065500")
        assert first["beamwidth"] == 360.0  # an Omni antenna
        assert metres((first["lat"], first["lon"]), (51.38808, -2.33365)) < 5

    def test_every_position_agrees_with_the_lat_lon_bath_hacked_derived_within_ten_metres(
            self, run, shared_kit):
        path = next((shared_kit / "datasets/ofcom-sitefinder-bath").glob("*.csv"))
        given = pl.read_csv(path, infer_schema=False)["location"].to_list()
        r = run(P, path)
        for (lat, lon), loc in zip(r.table.select("lat", "lon").rows(), given, strict=True):
            want = tuple(float(x) for x in loc.strip("()").split(","))
            assert metres((lat, lon), want) < 10


class TestGrid:
    def test_a_ten_figure_reference_gives_metre_easting_and_northing(self):
        assert to_easting_northing("ST7416064440") == (374160, 164440)
        assert to_easting_northing("st 74160 64440") == (374160, 164440)

    def test_letters_outside_the_grid_and_odd_digit_counts_are_not_references(self):
        assert to_lat_lon(["IA1111", "ST741606444", "ST", "SV1X"]) == [None] * 4

    def test_a_known_point_converts_to_wgs84_within_the_helmert_fit_error(self):
        # Sitefinder's ST7688065500 is published beside (51.38808, -2.33365)
        ((lat, lon),) = to_lat_lon(["ST7688065500"])
        assert metres((lat, lon), (51.38808, -2.33365)) < 5


class TestOperatorList:
    def test_a_row_is_normalised_field_by_field_with_uk_local_dates_in_utc(self, run, csv):
        r = run(P, csv(OP_HEADER, op_row(cgi="234-30-0x295B-0x6560C1", vt="2024-12-01")))
        row = r.table.row(0, named=True)
        assert row["cgi"] == "234-30-10587-6643905"
        assert (row["enodeb_id"], row["sector"]) == (6643905 >> 8, 6643905 & 0xFF)
        assert row["valid_from"] == datetime(2024, 5, 31, 23, tzinfo=UTC)  # BST midnight
        assert row["valid_to"] == datetime(2024, 12, 1, 0, tzinfo=UTC)  # GMT midnight
        assert (row["azimuth"], row["beamwidth"], row["postcode"]) == (120.0, 65.0, "BA2 4LP")
        assert row["source"] == "operator" and row["source_ref"] is None

    def test_split_columns_and_grid_only_rows_are_read(self, run, csv):
        r = run(P, csv("MCC,MNC,LAC,CI,Radio,NGR", "234,30,0x295B,20001,2G,ST7416064440",
                       "234,1,10595,20002,GSM,ST 74160 64440"))
        assert r.table["cgi"].to_list() == ["234-30-10587-20001", "234-01-10595-20002"]
        assert metres(r.table.select("lat", "lon").row(0), to_lat_lon(["ST7416064440"])[0]) < 0.01

    def test_each_bad_value_is_rejected_with_line_column_value_and_reason(self, run, csv):
        r = run(P, csv(OP_HEADER, op_row(), op_row(cgi="234-30-ABC-1"),
                       op_row(tech="6G"), op_row(az="400"), op_row(vf="02/06/2024",
                                                                      vt="01/06/2024"),
                       op_row(tech="2G", cgi="234-30-1-70000"), op_row(lat="", lon=""),
                       op_row(lat="0", lon="0"), op_row(vf="31/02/2024")))
        got = {(x["line"], x["field"], x["value"]) for x in r.report["rejects"]}
        assert got == {(3, "CGI", "234-30-ABC-1"), (4, "Technology", "6G"),
                       (5, "Azimuth", "400"), (6, "Valid To", "01/06/2024"),
                       (7, "CGI", "234-30-1-70000"), (8, "Latitude", ""),
                       (9, "Latitude", "0"), (10, "Valid From", "31/02/2024")}
        assert r.report["rows_accepted"] == 1

    def test_a_formula_is_kept_as_text(self, run, csv):
        r = run(P, csv(OP_HEADER, op_row(name="\"=cmd|' /C calc'!A0\"")))
        assert r.table["site_name"].item() == "=cmd|' /C calc'!A0"

    def test_the_generated_list_round_trips_with_re_pointed_cells_kept_as_periods(self, run,
                                                                                  tmp_path):
        gen.write_csv(gen.generate(7, 20), tmp_path / "g.csv")
        r = run(P, tmp_path / "g.csv")
        assert r.report["rows_rejected"] == 0 and r.report["rows_accepted"] > 180
        twice = r.table.group_by("cgi").len().filter(pl.col("len") > 1)
        assert twice.height > 0 and r.table["lat"].null_count() == 0

    def test_hex_and_decimal_lists_give_the_same_cgis(self, run, tmp_path):
        gen.write_csv(gen.generate(3, 5), tmp_path / "d.csv")
        gen.write_csv(gen.generate(3, 5, hexa=True), tmp_path / "h.csv")
        assert run(P, tmp_path / "d.csv").table["cgi"].to_list() == \
            run(P, tmp_path / "h.csv").table["cgi"].to_list()


class TestXlsx:
    def test_a_workbook_reads_like_the_csv_with_sheet_rows_and_the_sheet_name(self, run,
                                                                             tmp_path):
        rows = gen.generate(5, 4)
        gen.write_csv(rows, tmp_path / "c.csv")
        gen.write_xlsx(rows, tmp_path / "c.xlsx", sheet="EE cells")
        a, b = run(P, tmp_path / "c.csv"), run(P, tmp_path / "c.xlsx")
        cols = [c for c in CELLS_SCHEMA.names if c != "source_ref"]
        assert a.table.select(cols).equals(b.table.select(cols))
        assert b.table["source_ref"].unique().to_list() == ["EE cells"]

    def test_formulas_stay_text_and_row_numbers_count_blank_rows(self, run, tmp_path):
        wb = openpyxl.Workbook()
        ws = wb.active
        ws.title = "Cells"
        ws.append(["CGI", "Latitude", "Longitude", "Site Name"])
        ws.append(["234-30-10595-20001", 51.38, -2.36, "=cmd|' /C calc'!A0"])
        ws.append([])
        ws.append(["234-30-10595-20002", 51.39, -2.35, "=1+1"])
        wb.create_sheet("Notes")
        wb.save(tmp_path / "f.xlsx")
        r = run(P, tmp_path / "f.xlsx")
        assert r.table.select("source_row", "site_name").rows() == [
            (2, "=cmd|' /C calc'!A0"), (4, "=1+1")]
        assert r.report["blank_lines"] == 1
        assert any("'Notes'" in w["reason"] for w in r.report["warnings"])

    def test_a_zip_that_is_not_a_workbook_is_a_file_error(self, run, tmp_path):
        import zipfile
        with zipfile.ZipFile(tmp_path / "z.xlsx", "w") as z:
            z.writestr("hello.txt", "hi")
        r = run(P, tmp_path / "z.xlsx")
        assert r.table is None and "not a readable XLSX" in r.report["file_errors"][0]["reason"]


class TestFileLevel:
    def test_an_unrecognised_header_fails_naming_the_columns_seen(self, run, csv):
        r = run(P, csv("foo,bar", "1,2"))
        assert r.table is None
        assert "Columns seen: 'foo', 'bar'" in r.report["file_errors"][0]["reason"]

    @pytest.mark.parametrize("content,needle", [
        (b"", "empty"), ("CGI,Lat\r\n".encode("utf-16"), "UTF-16"),
        (b"\x00\x01\x02", "NUL")])
    def test_unreadable_files_fail_with_a_clear_reason(self, run, content, needle):
        r = run(P, content)
        assert r.table is None and needle in r.report["file_errors"][0]["reason"]

    def test_broken_lines_in_the_middle_are_rejected_and_the_rest_read(self, run, csv):
        r = run(P, csv(OP_HEADER, op_row(), "only,three,fields", op_row(name="Caf\xe9"),
                       "x" * 100_000, op_row()).replace(b"Caf\xc3\xa9", b"Caf\xe9"))
        reasons = [x["reason"] for x in r.report["rejects"]]
        assert r.report["rows_accepted"] == 2 and len(reasons) == 3
        assert any("100002 bytes long" in x for x in reasons)
        assert r.table["source_row"].to_list() == [2, 6]

    def test_the_same_file_gives_the_same_parquet_bytes(self, run, tmp_path):
        gen.write_csv(gen.generate(11, 10), tmp_path / "g.csv")
        a, b = run(P, tmp_path / "g.csv", batch_rows=50), run(P, tmp_path / "g.csv", batch_rows=50)
        assert a.digest() == b.digest()
        assert pq.read_schema(a.path).equals(CELLS_SCHEMA, check_metadata=False)
