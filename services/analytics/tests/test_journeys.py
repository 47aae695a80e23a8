"""Journeys between areas: stays, departures and arrivals, routes, groups, derived areas."""

from __future__ import annotations

import random

import pytest
import rfc8785
from linesight_analytics.analyses.computed import Inputs
from linesight_analytics.contact_frequency import InvalidEvents
from linesight_analytics.geo.sectors import signed_area
from linesight_analytics.journeys import (
    COLUMNS,
    GROUP_COLUMNS,
    GROUPS_TABLE,
    JourneysParameters,
    compute,
)
from linesight_analytics.journeys.tables import typical_minute_of_day
from linesight_shared.testing.frames import SUBJECT, cell, cells_frame, event, events_frame
from pydantic import ValidationError

# masts: two in London, one on the M2 between, two in Canterbury, one in Chelmsford
SOHO, BANK, M2, CANT, CANT_N, CHELM = ("234-10-1-1", "234-10-1-2", "234-10-2-1",
                                       "234-10-3-1", "234-10-3-2", "234-10-4-1")
CELLS = [
    cell(SOHO, 51.51, -0.12, row=2, site_name="Soho"),
    cell(BANK, 51.50, -0.10, row=3, site_name="Bank"),
    cell(M2, 51.40, 0.50, row=4, site_name="M2 Services"),
    cell(CANT, 51.28, 1.08, row=5, site_name="Canterbury"),
    cell(CANT_N, 51.29, 1.07, row=6, site_name="Canterbury North"),
    cell(CHELM, 51.73, 0.47, row=7, site_name="Chelmsford"),
]
LONDON = {"name": "London", "lat": 51.5, "lon": -0.12, "radius_km": 15}
KENT = {"name": "Kent", "lat": 51.28, "lon": 1.08, "radius_km": 10}
ESSEX = {"name": "Essex", "lat": 51.73, "lon": 0.47, "radius_km": 10}


def ev(row: int, start: str, first: str | None, *, last: str | None = None,
       duration: int | None = None, subject: str | None = SUBJECT, kind: str = "voice") -> dict:
    e = event("cdr1", row, "out", kind, "+447700900002", start=start, duration=duration,
              subject=subject)
    e["first_cell"], e["last_cell"] = first, last
    return e


def run(events: list[dict], cells: list[dict] = CELLS, **parameters):
    inputs = Inputs(events=events_frame(events), cells=cells_frame(cells))
    return compute(inputs, JourneysParameters(subject=SUBJECT, **parameters))


def out_and_back() -> list[dict]:
    day = "2024-03-01T"
    return [ev(2, day + "08:00:00", SOHO), ev(3, day + "08:30:00", BANK),
            ev(4, day + "09:00:00", M2), ev(5, day + "10:00:00", CANT),
            ev(6, day + "11:00:00", CANT_N), ev(7, day + "18:00:00", CANT),
            ev(8, day + "19:00:00", M2), ev(9, day + "20:00:00", SOHO)]


def col(result, name: str, row: int = 0):
    return result.rows[row][COLUMNS.index(name)]


class TestJourneys:
    def test_out_and_back_between_given_areas(self):
        result = run(out_and_back(), areas=[LONDON, KENT])
        assert [(r[0], r[2], r[3], r[5], r[7], r[8], r[9], r[10], r[11]) for r in result.rows] == [
            (1, "London", "Kent", "2024-03-01T08:30:00Z", "2024-03-01T10:00:00Z", 90.0,
             BANK, CANT, 1),
            (2, "Kent", "London", "2024-03-01T18:00:00Z", "2024-03-01T20:00:00Z", 120.0,
             CANT, SOHO, 1),
        ]
        assert col(result, "route") == [{
            "time_utc": "2024-03-01T09:00:00Z", "cgi": M2, "site_name": "M2 Services",
            "lat": 51.4, "lon": 0.5, "area": None, "kind": "voice", "cell_role": "first",
            "time_basis": "at", "exhibit_id": "cdr1", "source_row": 4,
            "cell_exhibit_id": "cells1", "cell_source_row": 4}]
        assert col(result, "group") == "London->Kent"
        assert col(result, "source_rows") == {"cdr1": [3, 4, 5]}
        assert col(result, "source_rows", 1) == {"cdr1": [7, 8, 9]}
        assert col(result, "cell_source_rows", 1) == {"cells1": [2, 4, 5]}
        assert col(result, "departure_local") == "2024-03-01T08:30:00+00:00"
        assert len(result.rows[0]) == len(COLUMNS)

    def test_summary_accounts_for_every_row(self):
        events = [*out_and_back(),
                  ev(20, "2024-03-01T12:00:00", "234-10-9-9"),             # cell in no list
                  ev(21, "2024-03-01T12:30:00", None),                     # no cell
                  ev(22, "2024-03-01T12:40:00", SOHO, subject="+447700900777"),
                  ev(23, "2024-03-01T13:00:00", CANT, last=M2, duration=600)]
        s = run(events, areas=[LONDON, KENT]).summary
        assert (s["events_read"], s["events_other_subjects"], s["events_of_subject"],
                s["events_without_cell"]) == (12, 1, 11, 1)
        assert (s["points"], s["points_unlocated"], s["points_located"]) == (11, 1, 10)
        assert (s["points_in_areas"], s["points_outside_areas"]) == (7, 3)
        assert [(a["name"], a["points_inside"]) for a in s["areas"]] == [("London", 3),
                                                                          ("Kent", 4)]
        # the last cell of row 23 (M2 at 13:10) sits inside the Kent stay: no journey
        assert (s["points_on_journeys"], s["points_not_on_journeys"], s["journeys"]) == (
            6, 4, 2)

    def test_short_stay_is_passing_through(self):
        # London, one Canterbury point, then Chelmsford: with a 15-minute minimum stay the
        # Canterbury point is a route point of a London -> Essex journey
        events = [ev(2, "2024-03-02T08:00:00", SOHO), ev(3, "2024-03-02T08:20:00", BANK),
                  ev(4, "2024-03-02T10:00:00", CANT), ev(5, "2024-03-02T12:00:00", CHELM),
                  ev(6, "2024-03-02T12:30:00", CHELM)]
        every = run(events, areas=[LONDON, KENT, ESSEX])
        assert [(r[2], r[3], r[5], r[7]) for r in every.rows] == [
            ("London", "Kent", "2024-03-02T08:20:00Z", "2024-03-02T10:00:00Z"),
            # the single Canterbury point is the arrival of one journey and the departure
            # of the next
            ("Kent", "Essex", "2024-03-02T10:00:00Z", "2024-03-02T12:00:00Z")]
        filtered = run(events, areas=[LONDON, KENT, ESSEX], min_stay_minutes=15)
        assert [(r[2], r[3], r[5], r[7], r[8]) for r in filtered.rows] == [
            ("London", "Essex", "2024-03-02T08:20:00Z", "2024-03-02T12:00:00Z", 220.0)]
        assert [(p["cgi"], p["area"]) for p in col(filtered, "route")] == [(CANT, "Kent")]
        s = filtered.summary
        assert (s["runs_in_areas"], s["runs_set_aside_as_passing_through"],
                s["points_in_runs_set_aside"], s["stays"]) == (3, 1, 1, 2)

    def test_set_aside_stay_joins_the_stays_around_it(self):
        events = [ev(2, "2024-03-02T08:00:00", SOHO), ev(3, "2024-03-02T08:30:00", BANK),
                  ev(4, "2024-03-02T09:00:00", CANT), ev(5, "2024-03-02T10:00:00", SOHO),
                  ev(6, "2024-03-02T10:30:00", BANK)]
        assert len(run(events, areas=[LONDON, KENT]).rows) == 2
        result = run(events, areas=[LONDON, KENT], min_stay_minutes=1)
        assert result.rows == [] and result.summary["stays"] == 1
        assert result.summary["result"] == "no journeys: the subject's stays are all in one area"

    def test_a_mast_in_two_areas_belongs_to_the_nearer_centre(self):
        west = {"name": "West", "lat": 51.5, "lon": 0.0, "radius_km": 20}
        east = {"name": "East", "lat": 51.5, "lon": 0.2, "radius_km": 20}
        cells = [cell("234-10-5-1", 51.5, 0.08, row=2), cell("234-10-5-2", 51.5, 0.21, row=3)]
        events = [ev(2, "2024-03-01T08:00:00", "234-10-5-1"),
                  ev(3, "2024-03-01T09:00:00", "234-10-5-2")]
        result = run(events, cells, areas=[west, east])
        assert [(r[2], r[3]) for r in result.rows] == [("West", "East")]

    def test_groups_use_local_time_across_midnight(self):
        # BST: 22:50Z is 23:50 local on 1 July; 23:10Z on 2 July is 00:10 local on 3 July
        events = [ev(2, "2024-07-01T22:00:00", SOHO), ev(3, "2024-07-01T22:50:00", BANK),
                  ev(4, "2024-07-01T23:40:00", CANT), ev(5, "2024-07-02T20:00:00", CANT),
                  ev(6, "2024-07-02T21:30:00", SOHO), ev(7, "2024-07-02T23:10:00", SOHO),
                  ev(8, "2024-07-03T00:30:00", CANT)]
        result = run(events, areas=[LONDON, KENT])
        assert [(r[0], r[6], r[8]) for r in result.rows] == [
            (1, "2024-07-01T23:50:00+01:00", 50.0), (2, "2024-07-02T21:00:00+01:00", 90.0),
            (3, "2024-07-03T00:10:00+01:00", 80.0)]
        (groups,) = result.tables
        assert groups.name == GROUPS_TABLE and groups.columns == GROUP_COLUMNS
        assert groups.rows == [
            ["London->Kent", "London", "Kent", 2, [1, 3], "00:00", 1, 0, 0, 1, 65.0, 50.0, 80.0,
             ["2024-07-01", "2024-07-03"], 2, "2024-07-01T22:50:00Z", "2024-07-02T23:10:00Z",
             ["cdr1"], {"cdr1": [3, 4, 7, 8]}],
            ["Kent->London", "Kent", "London", 1, [2], "21:00", 0, 0, 0, 1, 90.0, 90.0, 90.0,
             ["2024-07-02"], 1, "2024-07-02T20:00:00Z", "2024-07-02T20:00:00Z",
             ["cdr1"], {"cdr1": [5, 6]}],
        ]

    def test_typical_departure_is_a_circular_median(self):
        assert typical_minute_of_day([600]) == 600
        assert typical_minute_of_day([1430, 10]) == 0
        assert typical_minute_of_day([1430, 10, 20]) == 10
        assert typical_minute_of_day([480, 500, 540]) == 500
        assert typical_minute_of_day([480, 481]) == 480  # the middle is rounded down

    def test_derived_areas_are_the_busiest_places_far_apart(self):
        # Soho/Bank (3 points, 2 of them Bank) and Canterbury (3) are far apart; Chelmsford
        # (2) is taken as well only when three areas are asked for
        events = out_and_back()[:6] + [ev(30, "2024-03-03T09:00:00", CHELM),
                                       ev(31, "2024-03-03T09:10:00", CHELM),
                                       ev(32, "2024-03-03T09:20:00", BANK)]
        result = run(events)
        areas = result.summary["areas"]
        assert [(a["name"], a["busiest_cgi"], a["square_points"], a["origin"])
                for a in areas] == [("Bank", BANK, 3, "derived"),
                                    ("Canterbury", CANT, 3, "derived")]
        assert (areas[0]["lat"], areas[0]["lon"], areas[0]["radius_km"]) == (
            51.503333, -0.106667, 10.0)
        assert result.summary["area_selection"] == "derived"
        three = run(events, auto_areas=3).summary["areas"]
        assert [a["name"] for a in three] == ["Bank", "Canterbury", "Chelmsford"]

    def test_derived_areas_skip_squares_too_close(self):
        # two London squares ~12 km apart: the second is within 30 km of the first
        cells = [*CELLS, cell("234-10-6-1", 51.55, 0.05, row=8, site_name="Ilford")]
        events = [ev(2, "2024-03-01T08:00:00", SOHO), ev(3, "2024-03-01T08:10:00", SOHO),
                  ev(4, "2024-03-01T08:20:00", "234-10-6-1"),
                  ev(5, "2024-03-01T08:30:00", "234-10-6-1"),
                  ev(6, "2024-03-01T12:00:00", CANT)]
        result = run(events, cells)
        assert [a["name"] for a in result.summary["areas"]] == ["Soho", "Canterbury"]
        assert result.summary["area_derivation"]["squares"] == 3
        lonely = run(events[:4], cells)
        assert lonely.rows == [] and lonely.summary["result"].startswith(
            "no journeys: fewer than two areas")

    def test_map_has_areas_routes_and_route_cells(self):
        result = run(out_and_back(), areas=[LONDON, KENT])
        features = result.geojson["features"]
        assert [f["properties"]["role"] for f in features] == [
            "area", "area", "route", "route", "cell", "cell", "cell", "cell"]
        ring = features[0]["geometry"]["coordinates"][0]
        assert ring[0] == ring[-1] and len(ring) == 65 and signed_area(ring) > 0
        route = features[2]
        assert route["geometry"]["coordinates"] == [[-0.1, 51.5], [0.5, 51.4], [1.08, 51.28]]
        assert (route["properties"]["group"], route["properties"]["from_utc"]) == (
            "London->Kent", "2024-03-01T08:30:00Z")
        assert [f["properties"]["cgi"] for f in features[4:]] == [SOHO, BANK, M2, CANT]

    def test_shuffled_rows_give_the_same_bytes(self):
        events = out_and_back()
        expected = run(events, areas=[LONDON, KENT])
        shuffled = events[:]
        random.Random(7).shuffle(shuffled)
        cells = CELLS[::-1]
        for parameters in ({"areas": [LONDON, KENT]}, {}):
            a, b = run(events, **parameters), run(shuffled, cells, **parameters)
            assert rfc8785.dumps([a.rows, a.summary, [t.rows for t in a.tables], a.geojson]) == (
                rfc8785.dumps([b.rows, b.summary, [t.rows for t in b.tables], b.geojson]))
        assert expected.rows


class TestRefusals:
    def test_no_events_of_the_subject(self):
        with pytest.raises(InvalidEvents, match="no events of subject"):
            run([ev(2, "2024-03-01T08:00:00", SOHO, subject="+447700900777")])

    def test_no_cells(self):
        with pytest.raises(InvalidEvents, match="cells list"):
            run(out_and_back(), [])

    def test_nothing_located_is_an_empty_answer(self):
        result = run([ev(2, "2024-03-01T08:00:00", "234-10-9-9")], areas=[LONDON, KENT])
        assert result.rows == [] and result.summary["points_unlocated"] == 1
        assert result.summary["result"].startswith("no journeys: none of the subject's points")

    @pytest.mark.parametrize(("parameters", "message"), [
        ({"areas": [LONDON]}, "at least 2"),
        ({"areas": [LONDON, {**KENT, "name": "London"}]}, "unique"),
        ({"areas": [LONDON, {**KENT, "radius_km": 0}]}, "greater than 0"),
        ({"timezone": "Mars/Olympus"}, "unknown time zone"),
        ({"subject": "07700900001"}, "pattern"),
        ({"min_stay_minutes": -1}, "greater than or equal"),
        ({"colour": "red"}, "Extra inputs"),
    ])
    def test_bad_parameters(self, parameters, message):
        with pytest.raises(ValidationError, match=message):
            JourneysParameters(**{"subject": SUBJECT, **parameters})
