"""Sector wedges and circles: distances from the mast, arc spacing, closure, orientation."""

from __future__ import annotations

import numpy as np
import pytest
from linesight_analytics.geo.geojson import (
    ROLE_ORDER,
    area_feature,
    cell_feature,
    feature_collection,
    route_feature,
    sector_feature,
)
from linesight_analytics.geo.sectors import (
    CIRCLE_POINTS,
    circle_ring,
    sector_ring,
    shape_of,
    signed_area,
    wedge_ring,
)
from pyproj import Geod

GEOD = Geod(ellps="WGS84")
LAT, LON = 51.46, -0.02


def distances_m(ring, lat=LAT, lon=LON):
    lons = np.array([p[0] for p in ring])
    lats = np.array([p[1] for p in ring])
    _, _, d = GEOD.inv(np.full(len(ring), lon), np.full(len(ring), lat), lons, lats)
    return d


def bearings(ring, lat=LAT, lon=LON):
    lons = np.array([p[0] for p in ring])
    lats = np.array([p[1] for p in ring])
    az, _, _ = GEOD.inv(np.full(len(ring), lon), np.full(len(ring), lat), lons, lats)
    return np.mod(az, 360)


class TestWedge:
    def test_ring_starts_and_ends_at_the_mast(self):
        ring = wedge_ring(LAT, LON, 120, 65, 1500)
        assert ring[0] == ring[-1] == [LON, LAT]

    def test_every_arc_point_is_the_radius_from_the_mast_to_under_a_metre(self):
        ring = wedge_ring(LAT, LON, 120, 65, 1500)
        assert np.all(np.abs(distances_m(ring[1:-1]) - 1500) < 1.0)

    def test_the_arc_spans_the_beam_with_a_point_at_least_every_5_degrees(self):
        ring = wedge_ring(LAT, LON, 120, 65, 1500)
        arc = bearings(ring[1:-1])
        # from the anticlockwise edge (152.5) down to the clockwise edge (87.5)
        assert arc[0] == pytest.approx(152.5, abs=0.01)
        assert arc[-1] == pytest.approx(87.5, abs=0.01)
        steps = -np.diff(arc)
        # 65 / 13 = 5 degrees a step; rounding to 6 dp moves a bearing by under 0.01 degree
        assert np.all(steps > 0) and np.all(steps <= 5.01)
        assert len(arc) == 14  # ceil(65 / 5) = 13 steps, 14 points

    def test_a_wedge_across_north_wraps_correctly(self):
        ring = wedge_ring(LAT, LON, 0, 90, 1000)
        arc = bearings(ring[1:-1])
        assert arc[0] == pytest.approx(45, abs=0.01) and arc[-1] == pytest.approx(315, abs=0.01)
        assert all(p[1] > LAT for p in ring[1:-1])  # every arc point is north of the mast

    def test_the_ring_runs_anticlockwise(self):
        for azimuth in (0, 90, 200, 350):
            assert signed_area(wedge_ring(LAT, LON, azimuth, 120, 2000)) > 0

    def test_coordinates_have_at_most_six_decimal_places(self):
        for lon, lat in wedge_ring(LAT, LON, 33.3, 47, 1234):
            assert round(lon, 6) == lon and round(lat, 6) == lat


class TestCircle:
    def test_a_circle_has_64_points_plus_the_closing_one(self):
        ring = circle_ring(LAT, LON, 2000)
        assert len(ring) == CIRCLE_POINTS + 1 and ring[0] == ring[-1]

    def test_every_point_is_the_radius_from_the_centre(self):
        assert np.all(np.abs(distances_m(circle_ring(LAT, LON, 2000)) - 2000) < 1.0)

    def test_the_circle_runs_anticlockwise(self):
        assert signed_area(circle_ring(LAT, LON, 2000)) > 0

    def test_unknown_facing_gives_a_circle(self):
        assert shape_of(None, 65) == ("circle", "azimuth unknown")
        assert shape_of(120, None) == ("circle", "beamwidth unknown")
        assert shape_of(120, 360) == ("circle", "omnidirectional")
        assert shape_of(120, 0) == ("circle", "beamwidth not usable")
        assert shape_of(120, 65) == ("wedge", None)
        assert sector_ring(LAT, LON, None, 65, 500) == circle_ring(LAT, LON, 500)
        assert sector_ring(LAT, LON, 10, 65, 500) == wedge_ring(LAT, LON, 10, 65, 500)

    def test_a_radius_of_zero_is_refused(self):
        with pytest.raises(ValueError, match="more than 0 m"):
            circle_ring(LAT, LON, 0)


class TestFeatures:
    def test_features_are_ordered_by_role_keeping_their_order_within_a_role(self):
        cell_a = cell_feature(cgi="A", lat=LAT, lon=LON, site_name=None, label="A")
        cell_b = cell_feature(cgi="B", lat=LAT, lon=LON, site_name=None, label="B")
        sector = sector_feature(cgi="A", lat=LAT, lon=LON, azimuth=None, beamwidth=None,
                                radius_m=100.4, label="A")
        route = route_feature(positions=[[0, 0], [1, 1]], subject="s", label="r",
                              from_utc="x", to_utc="y")
        area = area_feature(name="home", lat=LAT, lon=LON, radius_m=500, label="home")
        fc = feature_collection([cell_a, route, cell_b, sector, area])
        assert [f["properties"]["role"] for f in fc["features"]] == [
            "area", "sector", "route", "cell", "cell"]
        assert [f["properties"]["cgi"] for f in fc["features"][3:]] == ["A", "B"]
        assert sector["properties"]["radius_m"] == 100
        assert list(ROLE_ORDER) == ["area", "sector", "route", "cell", "event", "anpr_read"]

    def test_positions_are_lon_lat_rounded(self):
        cell = cell_feature(cgi="A", lat=51.123456789, lon=-0.987654321, site_name="x",
                            label="A")
        assert cell["geometry"]["coordinates"] == [-0.987654, 51.123457]
