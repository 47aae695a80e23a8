"""Maps drawn offline from a result's GeoJSON, and the optional tile background."""

from __future__ import annotations

import hashlib
import http.server
import io
import json
import math
import re
import struct
import threading
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest
import rfc8785
from linesight_reporting.rendering import AnalysisSection, render_html, render_pdf
from linesight_reporting.rendering.maps import OFFLINE, TileSource, fetch_background, map_figure
from linesight_reporting.rendering.maps.features import read_features
from linesight_reporting.rendering.maps.projection import (
    BRITISH_NATIONAL_GRID,
    WEB_MERCATOR,
    choose_projection,
    distance_label,
    fit,
    ground_mm_per_m,
    scale_bar_m,
)
from linesight_reporting.rendering.maps.svg import OTHER_GROUPS, PALETTE, POINT_LIMIT
from linesight_reporting.rendering.maps.tiles import MAX_TILES, tile_bounds, tiles_covering
from linesight_reporting.reports.gather import gather, tile_source_of
from linesight_reporting.reports.schemas import Report
from linesight_reporting.reports.service import peers_as
from linesight_reporting.settings import ReportingSettings
from linesight_shared.errors import Conflict
from linesight_shared.testing.fixtures import principal
from pypdf import PdfReader
from pypdf.generic import IndirectObject

DOCS = Path(__file__).resolve().parents[3] / "docs" / "settings.md"

# -- GeoJSON as the analyses write it ------------------------------------------------------

SITES = [("Deptford", -0.0255, 51.4780), ("Lewisham", -0.0137, 51.4615),
         ("New Cross", -0.0333, 51.4745), ("Blackheath", 0.0098, 51.4660)]
PHONE_1, PHONE_2 = "+447700900001", "+447700900002"


def feature(geometry_type: str, coordinates, **properties) -> dict:
    return {"type": "Feature", "geometry": {"type": geometry_type, "coordinates": coordinates},
            "properties": properties}


def offset(lon: float, lat: float, bearing_deg: float, metres: float) -> list[float]:
    a = math.radians(bearing_deg)
    return [round(lon + metres * math.sin(a) / (111_320 * math.cos(math.radians(lat))), 6),
            round(lat + metres * math.cos(a) / 111_320, 6)]


def wedge(lon: float, lat: float, azimuth: float, beamwidth: float, radius_m: float) -> list:
    arc = [offset(lon, lat, azimuth - beamwidth / 2 + beamwidth * i / 16, radius_m)
           for i in range(17)]
    return [[[lon, lat], *arc, [lon, lat]]]


def ring(lon: float, lat: float, radius_m: float) -> list:
    points = [offset(lon, lat, 360 * i / 64, radius_m) for i in range(64)]
    return [[*points, points[0]]]


def collection(*features: dict) -> dict:
    return {"type": "FeatureCollection", "features": list(features)}


def sample_geojson(n_events: int = 6) -> dict:
    """Four sites with three sectors each, events of two phones, a route, an ANPR read and
    an area: 25 features of every role."""
    out = [feature("Polygon", ring(-0.02, 51.47, 1200), role="area", name="Home area",
                   label="Home area")]
    for name, lon, lat in SITES:
        for k, azimuth in enumerate((0, 120, 240)):
            out.append(feature("Polygon", wedge(lon, lat, azimuth, 90, 900), role="sector",
                               cgi=f"234-30-{name}-{k}", azimuth=azimuth, beamwidth=90,
                               radius_m=900, label=f"{name} {k}"))
        out.append(feature("Point", [lon, lat], role="cell", cgi=f"234-30-{name}",
                           site_name=name, label=name))
    for i in range(n_events):
        name, lon, lat = SITES[i % 4]
        phone = PHONE_1 if i % 3 else PHONE_2
        out.append(feature("Point", [lon, lat], role="event", subject=phone, group=phone,
                           time_utc=f"2024-03-01T10:0{i % 10}:00Z", label=f"event {i}"))
    out.append(feature("LineString", [[lon, lat] for _, lon, lat in SITES], role="route",
                       subject=PHONE_1, group=PHONE_1, label="route of " + PHONE_1))
    out.append(feature("Point", [-0.005, 51.472], role="anpr_read", vrm="AB12CDE",
                       camera_id="CAM1", group="AB12CDE", label="AB12CDE 10:02"))
    return collection(*out)


def elements(svg: str, layer: str) -> list[str]:
    """The elements drawn in one layer of the map."""
    body = re.search(rf'<g id="[^"]*-layer-{layer}"[^>]*>(.*?)</g>', svg)
    return re.findall(r"<(?:circle|polygon|rect|path|polyline|text)\b[^>]*>", body.group(1)) \
        if body else []


# -- a tile server on the loopback interface ------------------------------------------------

def png(width: int, height: int, rgb: tuple[int, int, int]) -> bytes:
    """A plain-colour RGB PNG, written by hand."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))

    raw = b"".join(b"\x00" + bytes(rgb) * width for _ in range(height))
    return (b"\x89PNG\r\n\x1a\n"
            + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


@dataclass
class TileServer:
    """Serves ``/{z}/{x}/{y}.png`` (a PNG whose colour depends on the tile) on 127.0.0.1."""

    port: int = 0
    status: int = 200
    body: bytes | None = None          # served instead of the PNG when set
    paths: list[str] = field(default_factory=list)

    @property
    def template(self) -> str:
        return f"http://127.0.0.1:{self.port}/{{z}}/{{x}}/{{y}}.png"

    @staticmethod
    def tile(z: int, x: int, y: int) -> bytes:
        return png(8, 8, ((x * 37) % 256, (y * 53) % 256, (z * 11) % 256))


@pytest.fixture
def tile_server() -> Iterator[TileServer]:
    server_state = TileServer()

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            server_state.paths.append(self.path)
            match = re.fullmatch(r"/(\d+)/(\d+)/(\d+)\.png", self.path)
            if server_state.status != 200 or match is None:
                self.send_response(server_state.status if match else 404)
                self.end_headers()
                return
            body = server_state.body or TileServer.tile(*map(int, match.groups()))
            self.send_response(200)
            self.send_header("Content-Type", "image/png")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args) -> None:
            pass

    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server_state.port = httpd.server_address[1]
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield server_state
    httpd.shutdown()
    httpd.server_close()
    thread.join()


# -- a section with a map, and PDF/A checks --------------------------------------------------

def with_map(section: AnalysisSection, geojson: dict | None, background=None) -> AnalysisSection:
    """``section`` as a format /2 result carrying ``geojson`` (bytes and hash made again)."""
    doc = json.loads(section.result_bytes)
    doc.update(format="linesight.analysis-result/2", tables=[], geojson=geojson)
    data = rfc8785.dumps(doc)
    return replace(section, geojson=geojson, map_background=background, result_bytes=data,
                   result_sha256=hashlib.sha256(data).hexdigest())


def _fonts(resources, seen: set) -> Iterator:
    resources = resources.get_object() if resources is not None else {}
    for font in (resources.get("/Font") or {}).values():
        yield font.get_object()
    for xobject in (resources.get("/XObject") or {}).values():
        ref = (xobject.idnum if isinstance(xobject, IndirectObject) else id(xobject))
        if ref in seen:
            continue
        seen.add(ref)
        obj = xobject.get_object()
        if obj.get("/Subtype") == "/Form":
            yield from _fonts(obj.get("/Resources"), seen)


def assert_pdfa_3b(pdf: bytes) -> None:
    """The PDF/A-3b markers a validator looks for first: the XMP identification, an
    output intent, every font embedded, and no JavaScript."""
    reader = PdfReader(io.BytesIO(pdf))
    root = reader.trailer["/Root"]
    xmp = root["/Metadata"].get_object().get_data().decode()
    assert 'pdfaid:part="3"' in xmp and 'pdfaid:conformance="B"' in xmp
    [intent] = root["/OutputIntents"]
    assert intent.get_object()["/S"] == "/GTS_PDFA1"
    assert "/JavaScript" not in (root.get("/Names") or {})
    seen: set = set()
    fonts = [f for page in reader.pages for f in _fonts(page.get("/Resources"), seen)]
    assert fonts
    for font in fonts:
        descendants = [d.get_object() for d in font.get("/DescendantFonts", [])] or [font]
        for d in descendants:
            descriptor = d["/FontDescriptor"].get_object()
            assert {"/FontFile", "/FontFile2", "/FontFile3"} & set(descriptor), d


def pages_of(pdf: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages]


# -- the tests -----------------------------------------------------------------------------

def dms(degrees: int, minutes: int, seconds: float) -> float:
    return degrees + minutes / 60 + seconds / 3600


class TestProjection:
    def test_the_grid_matches_the_ordnance_survey_worked_example(self):
        # OS "A guide to coordinate systems in Great Britain": Caister Water Tower,
        # E 651409.903 N 313177.270, at 52°39′28.723″N 1°42′57.787″E (ETRS89/WGS 84).
        [(e, n)] = BRITISH_NATIONAL_GRID.forward([(dms(1, 42, 57.787), dms(52, 39, 28.723))])
        assert abs(e - 651409.903) < 1.0 and abs(n - 313177.270) < 1.0

    def test_big_ben_lands_on_its_grid_reference(self):
        # The Elizabeth Tower, 51.500729 N 0.124625 W, is at about E 530268 N 179640;
        # the Helmert transformation is good to a few metres (the position to ~0.1 m).
        [(e, n)] = BRITISH_NATIONAL_GRID.forward([(-0.124625, 51.500729)])
        assert abs(e - 530268) < 5 and abs(n - 179640) < 5

    def test_the_grid_goes_there_and_back_within_a_centimetre(self):
        points = [(-0.124625, 51.500729), (-3.188267, 55.953252), (1.386, 51.389)]
        back = BRITISH_NATIONAL_GRID.inverse(BRITISH_NATIONAL_GRID.forward(points))
        for (lon, lat), (lon2, lat2) in zip(points, back, strict=True):
            assert abs(lon - lon2) < 1e-7 and abs(lat - lat2) < 1e-7

    def test_web_mercator_puts_the_antimeridian_at_the_edge_of_its_square(self):
        [(x0, y0), (x180, _)] = WEB_MERCATOR.forward([(0.0, 0.0), (180.0, 0.0)])
        assert (round(x0, 6), round(y0, 6)) == (0.0, 0.0)
        assert round(x180, 3) == 20037508.343

    def test_british_positions_get_the_grid_and_others_web_mercator(self):
        london, paris = (-0.12, 51.5), (2.35, 48.86)
        assert choose_projection([london]) is BRITISH_NATIONAL_GRID
        assert choose_projection([london, paris]) is WEB_MERCATOR
        assert choose_projection([london], tiles=True) is WEB_MERCATOR

    def test_the_frame_holds_every_point_with_a_margin_at_one_scale(self):
        points = [(1000.0, 2000.0), (11000.0, 4000.0)]
        frame = fit(points, 200, 140)
        for x, y in points:
            px, py = frame.to_page(x, y)
            assert 5 < px < 195 and 5 < py < 135
        assert math.isclose((frame.x1 - frame.x0) * frame.mm_per_m, 200)
        assert math.isclose((frame.y1 - frame.y0) * frame.mm_per_m, 140)

    @pytest.mark.parametrize(("mm_per_m", "longest_mm", "metres", "label"), [
        (0.02, 50, 2000, "2 km"), (0.001, 50, 50_000, "50 km"), (0.2, 50, 200, "200 m"),
        (0.0045, 50, 10_000, "10 km"), (0.011, 50, 2000, "2 km"), (20, 50, 2, "2 m"),
    ])
    def test_the_scale_bar_is_a_round_length_that_fits(self, mm_per_m, longest_mm, metres,
                                                       label):
        assert scale_bar_m(mm_per_m, longest_mm) == metres
        assert distance_label(metres) == label
        assert metres * mm_per_m <= longest_mm

    def test_the_scale_is_measured_on_the_ground(self):
        # Web Mercator's east-west scale on the WGS 84 ellipsoid is sqrt(1 - e² sin² φ) /
        # cos φ: at 60° N a ground metre is about twice a projected metre on the page.
        points = WEB_MERCATOR.forward([(10.0, 59.99), (10.02, 60.01)])
        frame = fit(points)
        e2, phi = 0.00669437999014, math.radians(60.0)
        expected = frame.mm_per_m * math.sqrt(1 - e2 * math.sin(phi) ** 2) / math.cos(phi)
        assert math.isclose(ground_mm_per_m(WEB_MERCATOR, frame), expected, rel_tol=1e-4)
        grid = fit(BRITISH_NATIONAL_GRID.forward([(-2.0, 52.0), (-1.98, 52.02)]))
        assert math.isclose(ground_mm_per_m(BRITISH_NATIONAL_GRID, grid), grid.mm_per_m,
                            rel_tol=0.001)


class TestMapFigure:
    def test_every_layer_the_legend_scale_bar_and_north_arrow_are_drawn(self):
        figure = map_figure(sample_geojson(), id_prefix="m")
        for part in ("layer-area", "layer-sector", "layer-route", "layer-cell",
                     "layer-event", "layer-anpr_read", "m-legend", "m-scale-bar",
                     "m-north-arrow"):
            assert f'id="m-{part}"' in figure.svg or f'id="{part}"' in figure.svg
        for text in ("Legend", "Cell masts", "Cell sectors", "Routes", "ANPR reads", "Areas",
                     "grid north", PHONE_1, "AB12CDE"):
            assert text in figure.svg
        assert len(elements(figure.svg, "sector")) == 12
        assert "stroke-dasharray" in elements(figure.svg, "area")[0]

    def test_the_caption_states_projection_count_scale_and_that_no_tiles_were_used(self):
        figure = map_figure(sample_geojson())
        caption = " ".join(figure.caption)
        assert "25 of 25 features drawn" in caption
        assert "British National Grid (EPSG:27700)" in caption and "grid north" in caption
        assert f"Scale bar {distance_label(figure.scale_bar_m)}" in caption
        assert figure.scale_bar_m in (500, 1000, 2000)
        assert caption.endswith(OFFLINE)

    def test_colours_follow_the_groups_in_order_of_first_appearance(self):
        figure = map_figure(sample_geojson())
        # The first event is PHONE_2's (i = 0), so PHONE_2 has the first colour.
        events = elements(figure.svg, "event")
        assert f'fill="{PALETTE[0]}"' in events[0]
        assert all(f'fill="{PALETTE[1]}"' in e for e in events[1:3])
        assert PALETTE[1] in elements(figure.svg, "route")[0]
        assert f'fill="{PALETTE[2]}"' in elements(figure.svg, "anpr_read")[0]

    def test_groups_past_the_palette_share_a_grey_the_legend_counts(self):
        points = [feature("Point", [-0.01 * i, 51.5], role="event", group=f"phone {i}")
                  for i in range(len(PALETTE) + 3)]
        svg = map_figure(collection(*points)).svg
        assert all(OTHER_GROUPS in e for e in elements(svg, "event")[-3:])
        assert "3 further groups" in svg

    def test_a_route_has_arrowheads_pointing_the_way_it_runs(self):
        # East along many short steps, then back west: every arrow points the way it runs.
        steps = [[round(-0.10 + 0.001 * i, 6), 51.5] for i in range(51)]
        there_and_back = feature("LineString", [*steps, [-0.10, 51.49]], role="route")
        [line, *arrows] = elements(map_figure(collection(there_and_back)).svg, "route")
        assert line.startswith("<polyline") and len(arrows) >= 8
        heads = [[tuple(map(float, p.split(",")))
                  for p in re.search(r'points="([^"]+)"', a)[1].split()] for a in arrows]
        east = [tip[0] > left[0] and tip[0] > right[0] for tip, left, right in heads]
        assert east[0] and not east[-1] and east == sorted(east, reverse=True)

    def test_no_geojson_or_no_features_draws_no_map(self):
        assert map_figure(None) is None
        assert map_figure(collection()) is None
        assert map_figure({"type": "Feature"}) is None

    def test_features_that_cannot_be_drawn_are_counted_with_the_reason(self):
        figure = map_figure(collection(
            feature("Point", [-0.1, 51.5], role="cell", label="ok"),
            feature("Point", [-0.1, 51.5], role="camera"),
            feature("Polygon", ring(-0.1, 51.5, 100), role="event"),
            feature("Point", [-0.1, 95.0], role="event"),
            {"type": "Feature", "geometry": None, "properties": {"role": "cell"}}))
        caption = " ".join(figure.caption)
        assert (figure.features_drawn, figure.features_total) == (1, 5)
        assert "1 of 5 features drawn" in caption
        assert "Not drawn: 4 features" in caption
        for reason in ("role “camera” is not one the map draws: 1",
                       "a Polygon geometry does not fit the role “event”: 1",
                       "no geometry: 1", "a coordinate is not a longitude/latitude pair"):
            assert reason in caption

    def test_a_collection_with_nothing_drawable_says_so_instead_of_a_map(self):
        figure = map_figure(collection(feature("Point", [-0.1, 51.5], role="camera"),
                                       feature("Point", [-0.1, 51.5], role="camera")))
        assert figure.svg == "" and figure.features_drawn == 0
        assert figure.caption[0] == "No map: none of the result's 2 features can be drawn."
        assert "Not drawn: 2 features (role “camera” is not one the map draws: 2)." in \
            figure.caption

    def test_points_past_the_limit_are_left_out_and_counted(self):
        n = POINT_LIMIT + 250
        points = [feature("Point", [-0.5 + (i % 100) * 0.01, 51.0 + (i // 100) * 0.01],
                          role="event") for i in range(n)]
        figure = map_figure(collection(*points))
        assert len(elements(figure.svg, "event")) == POINT_LIMIT
        assert figure.features_drawn == POINT_LIMIT
        assert "250 features (events: 250)" in " ".join(figure.caption)
        assert "5,000 point symbols" in " ".join(figure.caption)

    def test_events_at_the_same_mast_are_drawn_once_and_said_to_be(self):
        figure = map_figure(sample_geojson(n_events=400))
        assert len(elements(figure.svg, "event")) == 8   # both phones at each of 4 masts
        assert figure.features_drawn == figure.features_total == 419
        assert "400 events at 8 places" in " ".join(figure.caption)

    def test_two_phones_on_one_mast_are_drawn_side_by_side_not_on_top(self):
        mast = [-0.0255, 51.4780]
        figure = map_figure(collection(
            *[feature("Point", mast, role="event", group=phone) for phone in (PHONE_1, PHONE_2)],
            feature("Point", [-0.0137, 51.4615], role="event", group=PHONE_1)))
        first, second, _alone = (re.search(r'cx="([^"]+)" cy="([^"]+)"', e).groups()
                                for e in elements(figure.svg, "event"))
        assert first != second
        assert math.dist(map(float, first), map(float, second)) == pytest.approx(2.0, abs=0.02)
        assert "drawn side by side, 1 mm around it (events at 1 place)" in \
            " ".join(figure.caption)

    def test_a_map_outside_great_britain_is_web_mercator_with_true_north(self):
        paris = collection(feature("Point", [2.3522, 48.8566], role="cell", label="Paris"))
        figure = map_figure(paris)
        assert figure.projection is WEB_MERCATOR
        assert "Web Mercator projection (EPSG:3857)" in figure.caption[0]
        assert "points to north" in figure.caption[0] and "grid north" not in figure.svg

    def test_text_from_the_document_is_escaped(self):
        svg = map_figure(collection(feature("Point", [-0.1, 51.5], role="cell",
                                            label="<script>x</script>"))).svg
        assert "<script>" not in svg and "&lt;script&gt;x" in svg

    def test_the_same_document_draws_the_same_svg_with_fixed_decimals(self):
        first, second = map_figure(sample_geojson()), map_figure(sample_geojson())
        assert first.svg == second.svg and first.caption == second.caption
        numbers = re.findall(r'(?<![-\w])(?:x|y|cx|cy|r|width|height|font-size)="([^"]+)"', first.svg)
        numbers += [n for p in re.findall(r'\b(?:points|d)="([^"]+)"', first.svg)
                    for n in re.split(r"[ ,]", p) if n not in ("M", "Z")]
        assert len(numbers) > 500
        assert all(re.fullmatch(r"-?\d+\.\d\d(mm)?", n) for n in numbers)

    def test_reading_keeps_document_order_and_first_appearance_of_groups(self):
        features = read_features(sample_geojson())
        assert [s.index for s in features.shapes] == list(range(25))
        assert features.groups == (PHONE_2, PHONE_1, "AB12CDE")


class TestPdfWithAMap:
    def test_a_section_with_a_map_renders_a_pdf_a_3b_with_the_map_and_its_caption(
            self, make_report_data):
        data = make_report_data()
        data = replace(data, analyses=[with_map(data.analyses[0], sample_geojson())])
        out = render_pdf(data)
        assert_pdfa_3b(out.pdf)
        pages = pages_of(out.pdf)
        [page] = [" ".join(p.split()) for p in pages if "Legend" in p]
        for text in ("Map", "Cell masts", "grid north", "25 of 25 features drawn",
                     "no map tiles", "Deptford"):
            assert text in page
        assert all(f"Page {i} of {out.pages}" in p for i, p in enumerate(pages, start=1))
        [content] = PdfReader(io.BytesIO(out.pdf)).attachments["analysis-a1.json"]
        assert json.loads(content)["geojson"]["features"][0]["properties"]["role"] == "area"

    def test_the_map_is_the_same_bytes_on_every_render(self, make_report_data):
        data = make_report_data()
        data = replace(data, analyses=[with_map(data.analyses[0], sample_geojson())])
        assert render_pdf(data).pdf == render_pdf(data).pdf

    def test_a_section_without_geojson_has_no_map(self, make_report_data):
        data = make_report_data()
        for geojson in (None, collection()):
            html = render_html(replace(data, analyses=[with_map(data.analyses[0], geojson)]))
            assert "<h2>Map</h2>" not in html and "<svg" not in html


class TestTiles:
    def test_the_tiles_cover_the_frame_at_a_bounded_count(self):
        frame = fit(WEB_MERCATOR.forward([(-0.0333, 51.4615), (0.0098, 51.4780)]))
        z, columns, rows = tiles_covering(frame)
        assert 10 <= z <= 19 and len(columns) * len(rows) <= MAX_TILES
        west, _, _, north = tile_bounds(z, columns[0], rows[0])
        _, south, east, _ = tile_bounds(z, columns[-1], rows[-1])
        assert west <= frame.x0 and east >= frame.x1 and south <= frame.y0 and north >= frame.y1

    def test_tiles_are_fetched_with_their_urls_and_hashes(self, tile_server):
        source = TileSource(tile_server.template, attribution="Test tiles")
        background = fetch_background(source, sample_geojson())
        assert background.failure is None and background.tiles
        assert len(tile_server.paths) == len(background.tiles)
        for tile in background.tiles:
            assert tile.url == f"http://127.0.0.1:{tile_server.port}/{tile.z}/{tile.x}/{tile.y}.png"
            assert tile.sha256 == hashlib.sha256(TileServer.tile(tile.z, tile.x, tile.y)).hexdigest()
            assert tile.z == background.zoom and tile.media_type == "image/png"

    def test_the_map_draws_the_tiles_under_the_features_in_web_mercator(self, tile_server):
        background = fetch_background(TileSource(tile_server.template, "Test tiles"),
                                      sample_geojson())
        figure = map_figure(sample_geojson(), background, id_prefix="m")
        assert figure.projection is WEB_MERCATOR
        assert figure.svg.count('href="data:image/png;base64,') == len(background.tiles)
        assert figure.svg.index("data:image/png") < figure.svg.index('id="m-layer-area"')
        caption = " ".join(figure.caption)
        assert f"{len(background.tiles)} map tiles at zoom {background.zoom}" in caption
        assert tile_server.template in caption and "Test tiles" in caption
        assert OFFLINE not in caption

    def test_the_pdf_lists_each_tile_and_stays_the_same_bytes(self, tile_server,
                                                              make_report_data):
        background = fetch_background(TileSource(tile_server.template, "Test tiles"),
                                      sample_geojson())
        data = make_report_data()
        data = replace(data, analyses=[with_map(data.analyses[0], sample_geojson(),
                                                background)])
        out = render_pdf(data)
        assert_pdfa_3b(out.pdf)
        text = "".join("".join(pages_of(out.pdf)).split())
        for tile in background.tiles:
            assert tile.sha256 in text and f"/{tile.z}/{tile.x}/{tile.y}.png" in text
        assert render_pdf(data).pdf == out.pdf

    @pytest.mark.parametrize(("status", "body", "reason"), [
        (404, None, "answered with HTTP 404"),
        (200, b"<html>not a tile</html>", "is not a PNG or JPEG image"),
        (200, png(400, 400, (1, 2, 3)) + bytes(3_000_000), "is larger than 2,000,000 bytes"),
    ])
    def test_a_failed_fetch_draws_the_map_without_tiles_and_says_why(
            self, tile_server, status, body, reason, make_report_data):
        tile_server.status, tile_server.body = status, body
        background = fetch_background(TileSource(tile_server.template), sample_geojson())
        assert background.tiles == () and reason in background.failure
        figure = map_figure(sample_geojson(), background)
        assert figure.projection is BRITISH_NATIONAL_GRID and "<image" not in figure.svg
        assert "without the configured map tiles" in figure.caption[-1]
        data = make_report_data()
        data = replace(data, analyses=[with_map(data.analyses[0], sample_geojson(),
                                                background)])
        assert reason in "".join(pages_of(render_pdf(data).pdf)).replace("\n", " ")

    def test_an_unreachable_tile_server_is_a_recorded_failure(self, tile_server):
        source = TileSource("http://127.0.0.1:9/{z}/{x}/{y}.png", timeout_s=2.0)
        background = fetch_background(source, sample_geojson())
        assert background.tiles == () and "could not be fetched" in background.failure

    def test_nothing_is_fetched_for_a_document_without_features(self, tile_server):
        assert fetch_background(TileSource(tile_server.template), collection()) is None
        assert tile_server.paths == []


class TestTileSetting:
    def test_the_tile_source_is_off_unless_configured(self, base_env):
        assert ReportingSettings(**base_env).map_tile_source() is None
        source = ReportingSettings(**base_env, map_tile_url="http://127.0.0.1:1/{z}/{x}/{y}.png",
                                   map_tile_attribution="Test tiles").map_tile_source()
        assert (source.url_template, source.attribution) == (
            "http://127.0.0.1:1/{z}/{x}/{y}.png", "Test tiles")

    @pytest.mark.parametrize("template", ["http://tiles/{z}/{x}.png", "file:///{z}/{x}/{y}"])
    def test_a_template_without_the_tile_numbers_or_http_is_refused(self, base_env, template):
        with pytest.raises(ValueError, match="LINESIGHT_REPORTING_MAP_TILE_URL"):
            ReportingSettings(**base_env, map_tile_url=template)

    def test_the_settings_page_names_the_reporting_settings(self):
        doc = DOCS.read_text()
        for name, info in ReportingSettings.model_fields.items():
            aliases = getattr(info.validation_alias, "choices", None) or [f"LINESIGHT_{name}"]
            assert f"`{aliases[0].upper()}`" in doc, name


def _gather(reporting, tokens, tile_source=None):
    report = Report(id="r1", case_id="c" * 32, case_reference="OP-MONZA", title="Maps",
                    analysis_ids=list(reporting.analytics.analyses), job_id="j1",
                    created_by="a.analyst", created_at=datetime(2024, 3, 11, tzinfo=UTC))
    ingest, analytics = peers_as(reporting.runtime, principal(tokens))
    return gather(ingest, analytics, report, generated_at=report.created_at,
                  code_version="test", tile_source=tile_source)


class TestGather:
    def test_a_format_2_result_brings_its_tables_geojson_and_input_tables(self, reporting,
                                                                          tokens):
        reporting.analytics.add("a1", _result_v2())
        [section] = _gather(reporting, tokens).analyses
        [table] = section.tables
        assert (table.name, table.title, table.columns, table.rows) == (
            "cells", "Cells used", ["cgi", "events"], [["234-30-Deptford", 7]])
        assert table.definitions["events"] == "Events it served."
        assert section.geojson == _result_v2()["geojson"]
        assert [i.table for i in section.inputs] == ["events", "cells"]
        assert section.map_background is None

    def test_a_format_1_result_still_reads_with_no_tables_and_no_map(self, reporting, tokens):
        reporting.analytics.add("a1")
        [section] = _gather(reporting, tokens).analyses
        assert (section.tables, section.geojson) == ([], None)
        assert [i.table for i in section.inputs] == ["events"]

    def test_an_unknown_result_format_is_refused_by_name(self, reporting, tokens):
        reporting.analytics.add("a1", {**_result_v2(), "format": "linesight.analysis-result/9"})
        with pytest.raises(Conflict, match="analysis-result/9"):
            _gather(reporting, tokens)

    def test_tiles_are_fetched_when_gathering_only_for_sections_with_a_map(
            self, reporting, tokens, tile_server):
        reporting.analytics.add("a1", _result_v2())
        reporting.analytics.add("a2")
        source = TileSource(tile_server.template, "Test tiles")
        with_map_, without = _gather(reporting, tokens, source).analyses
        assert with_map_.map_background.tiles and without.map_background is None
        assert len(tile_server.paths) == len(with_map_.map_background.tiles)

    def test_the_tile_source_comes_from_the_reporting_settings(self, base_env):
        settings = ReportingSettings(**base_env, map_tile_url="http://127.0.0.1:1/{z}/{x}/{y}")
        assert tile_source_of(settings).url_template == "http://127.0.0.1:1/{z}/{x}/{y}"
        assert tile_source_of(ReportingSettings(**base_env)) is None


@pytest.mark.anyio
class TestReportThroughTheApi:
    async def test_a_configured_tile_server_is_drawn_under_the_map(
            self, make_reporting, base_env, tile_server, analyst_headers):
        reporting = make_reporting(**base_env, map_tile_url=tile_server.template,
                                   map_tile_attribution="Test tiles")
        doc = json.loads(rfc8785.dumps(_result_v2()))
        reporting.analytics.add("a1", doc)
        transport = httpx.ASGITransport(app=reporting.app)
        async with httpx.AsyncClient(transport=transport, base_url="http://r") as client:
            r = await client.post("/v1/cases/OP-MONZA/reports",
                                  json={"analysis_ids": ["a1"]}, headers=analyst_headers)
            assert r.status_code == 202, r.text
            reporting.run_queued_jobs()
            pdf = await client.get(f"/v1/reports/{r.json()['report']['id']}/pdf",
                                   headers=analyst_headers)
        assert pdf.status_code == 200
        text = "".join("".join(pages_of(pdf.content)).split())
        assert tile_server.paths and "Testtiles" in text
        first = tile_server.paths[0]
        assert hashlib.sha256(TileServer.tile(*map(int, re.findall(r"\d+", first)))).hexdigest() \
            in text


def _result_v2() -> dict:
    """A small /2 result with a map and a further table, as analytics writes it."""
    return {
        "format": "linesight.analysis-result/2", "kind": "cell_timeline",
        "parameters": {"subject": PHONE_1},
        "inputs": [{"dataset_id": "d1", "exhibit_id": "ex1", "exhibit_reference": "ABC/1",
                    "table": "events", "sha256": "1a" * 32, "rows": 12},
                   {"dataset_id": "d2", "exhibit_id": "ex2", "exhibit_reference": "ABC/2",
                    "table": "cells", "sha256": "2b" * 32, "rows": 4}],
        "code_version": "linesight-analytics 0.1.0+gabc",
        "columns": ["subject", "cgi"], "definitions": {"subject": "The phone.",
                                                       "cgi": "The cell."},
        "method": ["Each event is placed at its serving mast."],
        "rows": [[PHONE_1, "234-30-Deptford"]], "summary": {"events_read": 12},
        "tables": [{"name": "cells", "title": "Cells used", "columns": ["cgi", "events"],
                    "definitions": {"cgi": "The cell.", "events": "Events it served."},
                    "rows": [["234-30-Deptford", 7]]}],
        "geojson": sample_geojson(),
    }
