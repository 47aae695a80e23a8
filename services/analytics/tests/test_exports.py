"""Exports: GeoJSON -> KML 2.2, a table -> CSV, a result document -> XLSX."""

from __future__ import annotations

import csv
import io
import random
import time
import xml.etree.ElementTree as ET
import zipfile

import openpyxl
import pytest
import rfc8785
from linesight_analytics.exports import FORMULA_NOTE, document_xlsx, geojson_kml, table_csv
from linesight_analytics.exports.text import value_text
from linesight_analytics.exports.xlsx import MAX_CELL_CHARS
from linesight_analytics.geo.geojson import (
    anpr_read_feature,
    cell_feature,
    event_feature,
    feature_collection,
    route_feature,
    sector_feature,
)

NS = {"k": "http://www.opengis.net/kml/2.2"}


def collection():
    return feature_collection([
        event_feature(lat=51.5, lon=-0.1, subject="+447700900001",
                      time_utc="2024-03-01T10:00:00Z", kind="voice", direction="out",
                      cgi="234-30-1-1", cell_role="first", time_basis="at",
                      uncertainty="within 2,000 m", exhibit_id="cdr1", source_row=2,
                      label="10:00 <voice> & \"out\"\x07", group="+447700900001"),
        cell_feature(cgi="234-30-1-1", lat=51.5, lon=-0.1, site_name="Mast A",
                     label="Mast A", cell_source_row=2, written_as=["234-30-1-1"]),
        sector_feature(cgi="234-30-1-1", lat=51.5, lon=-0.1, azimuth=120, beamwidth=65,
                       radius_m=1500, label="wedge"),
        route_feature(positions=[[-0.1, 51.5], [0.25, 51.75]], subject="+447700900001",
                      label="route", from_utc="2024-03-01T10:00:00Z",
                      to_utc="2024-03-01T12:00:00Z"),
        anpr_read_feature(lat=51.7, lon=0.2, vrm="AB12CDE", camera_id="CAM1",
                          time_utc="2024-03-01T11:00:00Z", label="AB12CDE"),
    ])


def kml_tree(fc=None):
    return ET.fromstring(geojson_kml(fc or collection(), name="Timeline of +447700900001"))


def placemarks(root, folder):
    (f,) = [f for f in root.iterfind(".//k:Folder", NS) if f.findtext("k:name", None, NS) == folder]
    return f.findall("k:Placemark", NS)


class TestKml:
    def test_it_parses_back_as_kml_22_with_one_folder_per_role_in_drawing_order(self):
        root = kml_tree()
        assert root.tag == "{http://www.opengis.net/kml/2.2}kml"
        assert [f.findtext("k:name", None, NS) for f in root.iterfind(".//k:Folder", NS)] == [
            "Sectors", "Routes", "Cells", "Events", "ANPR reads"]
        assert root.findtext("k:Document/k:name", None, NS) == "Timeline of +447700900001"

    def test_coordinates_are_written_lon_then_lat(self):
        (cell,) = placemarks(kml_tree(), "Cells")
        assert cell.findtext("k:Point/k:coordinates", None, NS) == "-0.1,51.5"
        (route,) = placemarks(kml_tree(), "Routes")
        assert route.findtext("k:LineString/k:coordinates", None, NS) == "-0.1,51.5 0.25,51.75"

    def test_a_sector_is_a_closed_polygon_ring(self):
        (sector,) = placemarks(kml_tree(), "Sectors")
        ring = sector.findtext(".//k:outerBoundaryIs/k:LinearRing/k:coordinates", None, NS)
        points = ring.split(" ")
        assert points[0] == points[-1] == "-0.1,51.5" and len(points) == 16

    def test_names_are_labels_escaped_and_control_characters_replaced(self):
        (ev,) = placemarks(kml_tree(), "Events")
        assert ev.findtext("k:name", None, NS) == "10:00 <voice> & \"out\"\ufffd"

    def test_properties_travel_in_extended_data(self):
        (ev,) = placemarks(kml_tree(), "Events")
        data = {d.get("name"): d.findtext("k:value", None, NS)
                for d in ev.iterfind("k:ExtendedData/k:Data", NS)}
        assert (data["exhibit_id"], data["source_row"], data["time_basis"]) == ("cdr1", "2", "at")
        assert "label" not in data and data["role"] == "event"
        (cell,) = placemarks(kml_tree(), "Cells")
        written = [d for d in cell.iterfind("k:ExtendedData/k:Data", NS)
                   if d.get("name") == "written_as"]
        assert written[0].findtext("k:value", None, NS) == '["234-30-1-1"]'

    def test_events_and_reads_have_a_timestamp_routes_a_timespan_cells_none(self):
        root = kml_tree()
        assert placemarks(root, "Events")[0].findtext("k:TimeStamp/k:when", None, NS) == (
            "2024-03-01T10:00:00Z")
        assert placemarks(root, "ANPR reads")[0].findtext("k:TimeStamp/k:when", None, NS) == (
            "2024-03-01T11:00:00Z")
        assert placemarks(root, "Routes")[0].findtext("k:TimeSpan/k:end", None, NS) == (
            "2024-03-01T12:00:00Z")
        assert placemarks(root, "Cells")[0].find("k:TimeStamp", NS) is None

    def test_each_placemark_uses_its_roles_style(self):
        root = kml_tree()
        styles = {s.get("id") for s in root.iterfind(".//k:Style", NS)}
        for pm in root.iterfind(".//k:Placemark", NS):
            assert pm.findtext("k:styleUrl", None, NS).lstrip("#") in styles

    def test_the_same_collection_gives_the_same_bytes(self):
        assert geojson_kml(collection(), name="x") == geojson_kml(collection(), name="x")

    def test_multi_geometries_are_written_as_multigeometry(self):
        fc = {"type": "FeatureCollection", "features": [{
            "type": "Feature", "properties": {"role": "area", "label": "two"},
            "geometry": {"type": "MultiPolygon", "coordinates": [
                [[[0, 0], [1, 0], [1, 1], [0, 0]]], [[[2, 2], [3, 2], [3, 3], [2, 2]]]]}}]}
        (area,) = placemarks(kml_tree(fc), "Areas")
        assert len(area.findall("k:MultiGeometry/k:Polygon", NS)) == 2

    def test_an_unknown_role_is_refused(self):
        fc = {"type": "FeatureCollection", "features": [{
            "type": "Feature", "properties": {"role": "ufo"},
            "geometry": {"type": "Point", "coordinates": [0, 0]}}]}
        with pytest.raises(ValueError, match="'ufo'"):
            geojson_kml(fc, name="x")


class TestValueText:
    def test_numbers_are_spelled_exactly_as_rfc8785_writes_them(self):
        rng = random.Random(11)
        values = [0.0, -0.0, 1.0, 120.0, 51.5, -0.1, 1e-4, 9.99e15, 1e16, 1e21, 1e-7, 2**53 - 1,
                  -(2**53 - 1), 0, 7, *(rng.uniform(-180, 180) for _ in range(2000)),
                  *(rng.uniform(-1, 1) * 10 ** rng.randint(-8, 20) for _ in range(2000))]
        for v in values:
            assert value_text(v) == rfc8785.dumps(v).decode(), v

    def test_null_booleans_text_and_objects(self):
        assert [value_text(v) for v in (None, True, False, "x y", {"b": 1, "a": [1.0]})] == [
            "", "true", "false", "x y", '{"a":[1],"b":1}']


class TestCsv:
    COLUMNS = ("party", "lat", "note", "sources", "flag", "empty")

    def test_rfc4180_quoting_and_crlf(self):
        data = table_csv(self.COLUMNS, [["a,b", 1.5, 'say "hi"\nbye', {"x": [2, 3]}, True, None]])
        assert data == (b"party,lat,note,sources,flag,empty\r\n"
                        b'"a,b",1.5,"say ""hi""\nbye","{""x"":[2,3]}",true,\r\n')

    def test_it_is_plain_utf8_without_a_bom(self):
        data = table_csv(("site",), [["Café ±"]])
        assert not data.startswith(b"\xef\xbb\xbf") and data.decode("utf-8") == "site\r\nCafé ±\r\n"

    def test_text_that_a_spreadsheet_would_run_gets_an_apostrophe(self):
        rows = [["=HYPERLINK(\"x\")", "+447700900001", "-1", "@SUM(A1)", "\tx", "safe"]]
        parsed = list(csv.reader(io.StringIO(table_csv(self.COLUMNS, rows).decode())))
        assert parsed[1] == ["'=HYPERLINK(\"x\")", "'+447700900001", "'-1", "'@SUM(A1)",
                             "'\tx", "safe"]
        assert "apostrophe" in FORMULA_NOTE

    def test_numbers_are_never_prefixed_and_spelled_as_in_the_json(self):
        data = table_csv(("lon", "azimuth", "n"), [[-0.1, 120.0, -3]])
        assert data.decode().splitlines()[1] == "-0.1,120,-3"

    def test_a_row_of_the_wrong_width_is_refused(self):
        with pytest.raises(ValueError, match="row 1 has 2 values for 6 columns"):
            table_csv(self.COLUMNS, [[1, 2]])


def document(rows=None):
    return {
        "format": "linesight.analysis-result/2", "kind": "cell_timeline",
        "parameters": {"subject": "+447700900001", "default_radius_m": 2000},
        "inputs": [{"dataset_id": "ds1", "exhibit_id": "cdr1", "exhibit_reference": "MONZA/1",
                    "table": "events", "sha256": "ab" * 32, "rows": 3}],
        "code_version": "abc123",
        "columns": ["time_utc", "other_party", "lat", "located", "source_rows"],
        "definitions": {"time_utc": "When.", "other_party": "Who.", "lat": "Where.",
                        "located": "Found.", "source_rows": "Lines."},
        "method": ["First step.", "Second step."],
        "rows": rows if rows is not None else [
            ["2024-03-01T10:00:00Z", "=1+1", 51.5, True, {"cdr1": [2, 3]}],
            ["2024-03-01T11:00:00Z", None, None, False, {"cdr1": [4]}]],
        "summary": {"points": 2, "unlocated_by_reason": {"x": 1}},
        "tables": [{"name": "cells", "title": "Cells used", "columns": ["cgi", "points"],
                    "definitions": {"cgi": "Cell.", "points": "Count."},
                    "rows": [["234-30-1-1", 2]]}],
        "geojson": None,
    }


def load(data):
    return openpyxl.load_workbook(io.BytesIO(data))


class TestXlsx:
    def test_one_sheet_per_table_main_first_then_method(self):
        wb = load(document_xlsx(document()))
        assert wb.sheetnames == ["cell_timeline", "cells", "method"]
        main = wb["cell_timeline"]
        assert [c.value for c in main[1]] == document()["columns"]
        assert [c.value for c in wb["cells"][2]] == ["234-30-1-1", 2]

    def test_values_keep_their_types_and_text_is_never_a_formula(self):
        main = load(document_xlsx(document()))["cell_timeline"]
        _time, party, lat, located, sources = main[2]
        assert (lat.value, lat.data_type, located.value) == (51.5, "n", True)
        assert (party.value, party.data_type) == ("=1+1", "s")
        assert sources.value == '{"cdr1":[2,3]}'
        assert [c.value for c in main[3]][1:3] == [None, None]

    def test_the_method_sheet_states_method_definitions_inputs_and_summary(self):
        method = load(document_xlsx(document()))["method"]
        values = [[c.value for c in row] for row in method.iter_rows()]
        assert [1, "First step."] in [v[:2] for v in values]
        assert ["cells", "points", "Count."] in [v[:3] for v in values]
        assert ["MONZA/1", "cdr1", "ds1", "events", "ab" * 32, 3] in [v[:6] for v in values]
        assert ["unlocated_by_reason", '{"x":1}'] in [v[:2] for v in values]
        assert ["Code version", "abc123"] in [v[:2] for v in values]

    def test_two_runs_at_different_times_give_the_same_bytes(self, monkeypatch):
        first = document_xlsx(document())
        later = time.time() + 86_400 * 400
        monkeypatch.setattr(time, "time", lambda: later)
        second = document_xlsx(document())
        assert first == second
        for info in zipfile.ZipFile(io.BytesIO(first)).infolist():
            assert info.date_time == (1980, 1, 1, 0, 0, 0)
        core = zipfile.ZipFile(io.BytesIO(first)).read("docProps/core.xml").decode()
        assert "1980-01-01T00:00:00Z" in core

    def test_a_value_over_excels_cell_limit_is_cut_with_a_note(self):
        huge = {"cdr1": list(range(20_000))}
        main = load(document_xlsx(document(rows=[["t", "p", 1.0, True, huge]])))["cell_timeline"]
        value = main.cell(row=2, column=5).value
        assert len(value) == MAX_CELL_CHARS and value.endswith("the JSON result and the CSV]")

    def test_sheet_names_are_made_safe_and_unique(self):
        doc = document()
        doc["tables"] = [dict(doc["tables"][0], name="a/b:c" + "x" * 40),
                         dict(doc["tables"][0], name="Method")]
        assert load(document_xlsx(doc)).sheetnames == [
            "cell_timeline", "a_b_c" + "x" * 26, "Method", "method (2)"]
