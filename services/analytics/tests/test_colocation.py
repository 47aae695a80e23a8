"""Co-location on hand-built frames with hand-computed answers.

The masts stand on one meridian (0.1 W) or one parallel (51.5 N), so their distances are
easy to check: 0.01 degree of latitude is 1,112 m on the WGS 84 mean sphere.
"""

from __future__ import annotations

import itertools
import random
import re

import numpy as np
import pytest
import rfc8785
from linesight_analytics.analyses.computed import Inputs
from linesight_analytics.colocation import (
    EVENT_PAIR_COLUMNS,
    PAIR_SUMMARY_COLUMNS,
    PERIOD_COLUMNS,
    RANKING_COLUMNS,
    ColocationParameters,
    compute,
)
from linesight_analytics.colocation.cells import CellBook
from linesight_analytics.colocation.points import details, event_arrays, place, points_of
from linesight_analytics.contact_frequency import InvalidEvents
from linesight_analytics.geo.locate import locate
from linesight_shared.testing.frames import cell, cells_frame, event, events_frame
from pydantic import ValidationError

S1, S2, S3 = "+447700900001", "+447700900002", "+447700900003"
T, C, D, X = "+447700900010", "+447700900011", "+447700900012", "+447700900013"
OTHER = "+447700900999"

A, A2, B, CC, G, F = ("234-15-1-1", "234-15-1-2", "234-15-1-3", "234-15-1-4", "234-15-1-5",
                      "234-15-1-6")
E, K = "234-15-1-7", "234-15-1-8"
CELLS = [
    cell(A, 51.50, -0.10, row=2, radio="GSM", range_m=1000, site_name="HOME ROAD"),
    cell(A2, 51.50, -0.10, row=3, radio="GSM", range_m=1000),  # another sector, same mast
    cell(B, 51.51, -0.10, row=4, radio="GSM", range_m=1000),  # 1,112 m north of A
    cell(CC, 51.53, -0.10, row=5, radio="GSM", range_m=1000),  # 3,336 m
    cell(G, 51.61, -0.10, row=6, radio="GSM", range_m=12000),  # 12,231 m, but wide
    cell(F, 51.70, -0.10, row=7, radio="GSM", range_m=1000),  # 22,239 m
    cell(E, 51.50, 0.20, row=8, radio="GSM", range_m=1000),  # 20.8 km east of A
    cell(K, 51.80, -0.10, row=9, radio="GSM", range_m=1000),  # 33,359 m
]
EXHIBIT = {S1: "s1", S2: "s2", S3: "s3", T: "t", C: "c", D: "d", X: "x"}


def ev(subject, row, start, first, *, last=None, kind="voice", duration=None):
    e = event(EXHIBIT.get(subject, "misc"), row, "out", kind, OTHER, subject=subject,
              start=start, duration=duration)
    e["first_cell"], e["last_cell"] = first, last
    return e


def run(events, cells=CELLS, **parameters):
    return compute(Inputs(events=events_frame(events), cells=cells_frame(cells)),
                   ColocationParameters(**parameters))


def table(result, name):
    found = next(t for t in result.tables if t.name == name)
    return [dict(zip(found.columns, r, strict=True)) for r in found.rows]


def as_dicts(result):
    return [dict(zip(result.columns, r, strict=True)) for r in result.rows]


# The pairwise scenario (1 March 2024: GMT, so local time is UTC):
#   10:00 S1 at A / 10:05 S2 at B       together (1,112 m)
#   10:40 S1 at A2 / 10:30 S2 at A      together (same mast), 25 min after: one period
#   13:00 S1 at A / 12:50 S2 at F       apart (22,239 m, beyond both ranges)
#   15:30 S1 at A / 15:40 S2 at CC      undetermined (3,336 m)
#   18:00 S1 at A / 18:05 S2 at B       together ...
#                 / 18:08 S2 at F       ... and apart at once: conflicting
#                 / 18:10 S2 at G       undetermined (12,231 m < 1,000 + 12,000 m of range)
def pairwise_events():
    day = "2024-03-01T"
    return [
        ev(S1, 2, day + "10:00:00", A), ev(S1, 3, day + "10:40:00", A2),
        ev(S1, 4, day + "13:00:00", A), ev(S1, 5, day + "15:30:00", A),
        ev(S1, 6, day + "18:00:00", A),
        ev(S2, 2, day + "10:05:00", B), ev(S2, 3, day + "10:30:00", A),
        ev(S2, 4, day + "12:50:00", F), ev(S2, 5, day + "15:40:00", CC),
        ev(S2, 6, day + "18:05:00", B), ev(S2, 7, day + "18:08:00", F),
        ev(S2, 8, day + "18:10:00", G),
    ]


class TestParameters:
    def test_exactly_one_mode_is_asked_for(self):
        with pytest.raises(ValidationError, match="either subjects"):
            ColocationParameters(subjects=[S1, S2], target=S3)
        with pytest.raises(ValidationError, match="either subjects"):
            ColocationParameters()

    def test_bad_values_are_refused_with_a_reason(self):
        with pytest.raises(ValidationError, match="repeat"):
            ColocationParameters(subjects=[S1, S1])
        with pytest.raises(ValidationError, match="at least max_distance_m"):
            ColocationParameters(target=S1, max_distance_m=5000, apart_min_distance_m=4000)
        with pytest.raises(ValidationError, match="unknown time zone"):
            ColocationParameters(target=S1, timezone="Mars/Olympus")
        with pytest.raises(ValidationError):
            ColocationParameters(subjects=[S1])  # a pair needs two
        with pytest.raises(ValidationError):
            ColocationParameters(target="07700900001")  # not E.164
        with pytest.raises(ValidationError):
            ColocationParameters(target=S1, radius=5)  # unknown name

    def test_defaults_are_those_of_the_method(self):
        p = ColocationParameters(target=S1)
        assert (p.max_distance_m, p.time_tolerance_minutes, p.apart_min_distance_m,
                p.min_gap_minutes, p.timezone, p.mode) == (
            2000, 15, 10000, 60, "Europe/London", "ranking")


class TestPairwise:
    def test_periods_join_pairs_and_show_conflicting_evidence(self):
        result = run(pairwise_events(), subjects=[S2, S1])
        assert result.columns == PERIOD_COLUMNS
        assert as_dicts(result) == [
            {"subject_a": S1, "subject_b": S2, "period": 1, "kind": "together",
             "start_utc": "2024-03-01T10:00:00Z", "end_utc": "2024-03-01T10:40:00Z",
             "hours": 0.67, "together_pairs": 2, "apart_pairs": 0, "min_distance_m": 0,
             "max_distance_m": 1112, "cells_a": [A, A2], "cells_b": [A, B],
             "exhibit_ids": ["s1", "s2"], "source_rows_a": {"s1": [2, 3]},
             "source_rows_b": {"s2": [2, 3]}, "cell_source_rows": {"cells1": [2, 3, 4]}},
            {"subject_a": S1, "subject_b": S2, "period": 2, "kind": "apart",
             "start_utc": "2024-03-01T12:50:00Z", "end_utc": "2024-03-01T13:00:00Z",
             "hours": 0.17, "together_pairs": 0, "apart_pairs": 1, "min_distance_m": 22239,
             "max_distance_m": 22239, "cells_a": [A], "cells_b": [F],
             "exhibit_ids": ["s1", "s2"], "source_rows_a": {"s1": [4]},
             "source_rows_b": {"s2": [4]}, "cell_source_rows": {"cells1": [2, 7]}},
            {"subject_a": S1, "subject_b": S2, "period": 3, "kind": "conflicting",
             "start_utc": "2024-03-01T18:00:00Z", "end_utc": "2024-03-01T18:08:00Z",
             "hours": 0.13, "together_pairs": 1, "apart_pairs": 1, "min_distance_m": 1112,
             "max_distance_m": 22239, "cells_a": [A], "cells_b": [B, F],
             "exhibit_ids": ["s1", "s2"], "source_rows_a": {"s1": [6]},
             "source_rows_b": {"s2": [6, 7]}, "cell_source_rows": {"cells1": [2, 4, 7]}},
        ]

    def test_every_event_pair_is_listed_with_both_lines(self):
        pairs = table(run(pairwise_events(), subjects=[S1, S2]), "event_pairs")
        assert [(p["kind"], p["period"], p["source_row_a"], p["source_row_b"],
                 p["distance_m"], p["seconds_apart"]) for p in pairs] == [
            ("together", 1, 2, 2, 1112, 300),
            ("together", 1, 3, 3, 0, 600),
            ("apart", 2, 4, 4, 22239, 600),
            ("undetermined", None, 5, 5, 3336, 600),
            ("together", 3, 6, 6, 1112, 300),
            ("apart", 3, 6, 7, 22239, 480),
            ("undetermined", None, 6, 8, 12231, 600),
        ]
        first = pairs[0]
        assert list(first) == list(EVENT_PAIR_COLUMNS)
        assert (first["time_a_utc"], first["cgi_b"], first["time_basis_a"], first["radius_b_m"],
                first["cell_exhibit_id_b"], first["cell_source_row_b"]) == (
            "2024-03-01T10:00:00Z", B, "at", 1000, "cells1", 4)

    def test_pair_summary_adds_up_the_periods(self):
        summary = table(run(pairwise_events(), subjects=[S1, S2]), "pair_summary")
        assert summary == [dict(zip(PAIR_SUMMARY_COLUMNS, [
            S1, S2, 7, 3, 2, 2, 1, 1, 1, 0.67, 0.17, 0.13, 1, 1, 1,
            "2024-03-01T10:00:00Z", "2024-03-01T10:40:00Z", ["s1", "s2"],
            {"s1": [2, 3, 4, 5, 6]}, {"s2": [2, 3, 4, 5, 6, 7, 8]}], strict=True))]

    def test_every_pair_of_the_numbers_has_a_summary_row(self):
        events = [ev(S1, 2, "2024-03-01T10:00:00", A), ev(S2, 2, "2024-03-01T10:01:00", CC),
                  ev(S3, 2, "2024-03-01T10:01:00", A)]
        result = run(events, subjects=[S3, S2, S1])
        summary = table(result, "pair_summary")
        assert [(r["subject_a"], r["subject_b"], r["together_pairs"], r["undetermined_pairs"],
                 r["hours_together"]) for r in summary] == [
            (S1, S2, 0, 1, 0.0), (S1, S3, 1, 0, 0.02), (S2, S3, 0, 1, 0.0)]
        assert [(r[0], r[1], r[3]) for r in result.rows] == [(S1, S3, "together")]

    def test_a_longer_gap_splits_a_period(self):
        result = run(pairwise_events(), subjects=[S1, S2], min_gap_minutes=20)
        assert [(r[3], r[4], r[5]) for r in result.rows][:2] == [
            ("together", "2024-03-01T10:00:00Z", "2024-03-01T10:05:00Z"),
            ("together", "2024-03-01T10:30:00Z", "2024-03-01T10:40:00Z")]

    def test_periods_of_a_pair_never_overlap(self):
        rng = random.Random(7)
        cells = [A, B, CC, G, F]
        events = [ev(s, row, f"2024-03-01T{rng.randrange(8, 20):02d}:{rng.randrange(60):02d}:00",
                     rng.choice(cells)) for s in (S1, S2) for row in range(2, 40)]
        rows = run(events, subjects=[S1, S2], min_gap_minutes=30).rows
        spans = sorted((r[4], r[5]) for r in rows)
        assert len(spans) > 3
        assert all(earlier[1] < later[0] for earlier, later in itertools.pairwise(spans))

    def test_the_last_cell_is_placed_at_the_end_of_the_call(self):
        events = [ev(S1, 2, "2024-03-01T20:00:00", K, last=F, duration=600),
                  ev(S2, 2, "2024-03-01T20:22:00", F)]
        pairs = table(run(events, subjects=[S1, S2]), "event_pairs")
        # the first cell (20:00) is 22 minutes away; the last (20:10) is within 15
        assert [(p["cell_role_a"], p["time_basis_a"], p["time_a_utc"], p["kind"])
                for p in pairs] == [("last", "at_end", "2024-03-01T20:10:00Z", "together")]

    def test_a_travel_allowance_can_make_apart_undetermined(self):
        events = [ev(S1, 2, "2024-03-01T13:00:00", A), ev(S2, 2, "2024-03-01T12:50:00", F)]
        kinds = {speed: table(run(events, subjects=[S1, S2], apart_travel_speed_kmh=speed),
                              "event_pairs")[0]["kind"] for speed in (0, 100, 130)}
        # beyond both ranges by 22,239 - 2,000 m; 100 km/h covers 16,667 m in 10 minutes,
        # 130 km/h 21,667 m
        assert kinds == {0: "apart", 100: "apart", 130: "undetermined"}

    def test_days_are_local_days(self):
        # 22:30 and 23:30 UTC on 1 July are 23:30 on 1 July and 00:30 on 2 July in London
        events = [ev(S1, 2, "2024-07-01T22:30:00", A), ev(S2, 2, "2024-07-01T22:31:00", A),
                  ev(S1, 3, "2024-07-01T23:30:00", A), ev(S2, 3, "2024-07-01T23:31:00", A)]
        london = table(run(events, subjects=[S1, S2]), "pair_summary")[0]
        utc = table(run(events, subjects=[S1, S2], timezone="UTC"), "pair_summary")[0]
        assert (london["days_together"], utc["days_together"]) == (2, 1)
        assert london["hours_together"] == 1.02

    def test_the_map_shows_the_events_of_periods_at_their_masts(self):
        geo = run(pairwise_events(), subjects=[S1, S2]).geojson
        roles = [f["properties"]["role"] for f in geo["features"]]
        masts = [f for f in geo["features"] if f["properties"]["role"] == "cell"]
        points = [f for f in geo["features"] if f["properties"]["role"] == "event"]
        # the masts of A, A2, B and F; S1's lines 2, 3, 4, 6 and S2's 2, 3, 4, 6, 7
        assert roles == ["cell"] * 4 + ["event"] * 9
        assert [m["properties"]["cgi"] for m in masts] == [A, A2, B, F]
        assert masts[0]["properties"]["label"] == "HOME ROAD"
        assert masts[0]["geometry"]["coordinates"] == [-0.1, 51.5]
        first = points[0]["properties"]
        assert (first["subject"], first["source_row"], first["group"], first["time_utc"]) == (
            S1, 2, S1, "2024-03-01T10:00:00Z")
        assert "1,000 m" in first["uncertainty"]


class TestAccounting:
    def test_every_event_read_is_accounted_for(self):
        events = pairwise_events() + [
            ev(S1, 7, "2024-03-01T09:00:00", None),  # names no cell
            ev(S1, 8, "2024-03-01T09:05:00", "234-15-9-9"),  # cell in no list
            ev(S3, 2, "2024-03-01T10:00:00", A),  # another number
            ev(None, 9, "2024-03-01T10:00:00", A),  # no subject
            ev(S1, 10, "2024-03-02T10:00:00", A),  # after the window
            ev(S2, 9, "2024-03-01T11:00:00", A, kind="data"),  # a data session
        ]
        s = run(events, subjects=[S1, S2], to_utc="2024-03-02T00:00:00Z",
                use_data_sessions=False).summary
        assert {k: s[k] for k in (
            "events_read", "events_without_subject", "events_outside_window",
            "events_other_subjects", "data_sessions_left_out", "events_naming_no_cell",
            "events_used", "points", "points_located", "points_not_located")} == {
            "events_read": 18, "events_without_subject": 1, "events_outside_window": 1,
            "events_other_subjects": 1, "data_sessions_left_out": 1,
            "events_naming_no_cell": 1, "events_used": 13, "points": 13,
            "points_located": 12, "points_not_located": 1}
        assert s["subjects"][0] == {"subject": S1, "events_used": 6, "points": 6,
                                    "points_located": 5, "points_not_located": 1}
        assert s["pairs_by_kind"] == {"together": 3, "apart": 2, "undetermined": 2}

    def test_a_number_with_no_events_is_refused(self):
        with pytest.raises(InvalidEvents, match=re.escape(S3)):
            run(pairwise_events(), subjects=[S1, S3])

    def test_no_cells_list_is_refused(self):
        with pytest.raises(InvalidEvents, match="cells list"):
            run(pairwise_events(), cells=[], subjects=[S1, S2])

    def test_no_located_event_is_a_valid_empty_answer(self):
        events = [ev(S1, 2, "2024-03-01T10:00:00", "234-15-9-9"),
                  ev(S2, 2, "2024-03-01T10:00:00", A)]
        result = run(events, subjects=[S1, S2])
        assert result.rows == []
        assert result.summary["notes"][0].startswith(S1)
        assert table(result, "pair_summary")[0]["simultaneous_pairs"] == 0


# The ranking scenario, 4 to 6 March 2024. Each day the target T is at home (A) at 01:00
# and 22:00, at E at 10:00 and at F at 14:00. The companion C is with it at E and F (and
# sleeps at K, far away); the decoy D shares its home cell at night but is at F when T
# is at E and at E when T is at F; X is never near in time.
def ranking_events():
    events, rows = [], {T: 2, C: 2, D: 2, X: 2}

    def add(subject, start, cgi):
        events.append(ev(subject, rows[subject], start, cgi))
        rows[subject] += 1

    for day in ("2024-03-04", "2024-03-05", "2024-03-06"):
        add(T, f"{day}T01:00:00", A), add(T, f"{day}T10:00:00", E)
        add(T, f"{day}T14:00:00", F), add(T, f"{day}T22:00:00", A)
        add(C, f"{day}T01:00:00", K), add(C, f"{day}T10:05:00", E)
        add(C, f"{day}T14:05:00", F)
        add(D, f"{day}T01:05:00", A), add(D, f"{day}T10:05:00", F)
        add(D, f"{day}T14:05:00", E), add(D, f"{day}T22:05:00", A2)
    add(X, "2024-03-04T12:00:00", K)
    return events


class TestRanking:
    def test_a_companion_ranks_above_a_decoy_sharing_the_home_cell(self):
        result = run(ranking_events(), target=T)
        assert result.columns == RANKING_COLUMNS
        rows = as_dicts(result)
        assert [(r["rank"], r["candidate"], r["score"], r["places"]) for r in rows] == [
            (1, C, 2, [2, 3]), (2, D, 1, [1]), (3, X, 0, [])]
        companion, decoy, stranger = rows
        assert companion == {
            "rank": 1, "candidate": C, "score": 2, "places": [2, 3], "multi_place_days": 3,
            "days_together": 3, "distinct_hours_together": 6, "together_pairs": 6,
            "simultaneous_events": 9, "co_located_events": 6, "together_share": 0.6667,
            "apart_pairs": 3, "days_apart": 3, "undetermined_pairs": 0,
            "first_together_utc": "2024-03-04T10:00:00Z",
            "last_together_utc": "2024-03-06T14:00:00Z", "exhibit_ids": ["c", "t"],
            "source_rows": {"c": [3, 4, 6, 7, 9, 10], "t": [3, 4, 7, 8, 11, 12]}}
        assert (decoy["days_together"], decoy["multi_place_days"], decoy["together_pairs"],
                decoy["apart_pairs"], decoy["days_apart"], decoy["together_share"]) == (
            3, 0, 6, 6, 3, 0.5)
        assert (stranger["simultaneous_events"], stranger["together_share"],
                stranger["first_together_utc"], stranger["source_rows"]) == (0, None, None, {})

    def test_the_target_places_are_listed_commonest_first(self):
        places = table(run(ranking_events(), target=T), "target_places")
        assert [(p["place"], p["lat"], p["lon"], p["cells"], p["target_points"],
                 p["target_days"]) for p in places] == [
            (1, 51.5, -0.1, [A], 6, 3), (2, 51.5, 0.2, [E], 3, 3), (3, 51.7, -0.1, [F], 3, 3)]
        assert places[0]["source_rows"] == {"t": [2, 5, 6, 9, 10, 13]}
        assert places[0]["cell_source_rows"] == {"cells1": [2]}

    def test_the_map_draws_the_places_as_circles(self):
        features = run(ranking_events(), target=T).geojson["features"]
        assert [(f["properties"]["role"], f["properties"]["place"]) for f in features] == [
            ("area", 1), ("area", 2), ("area", 3)]
        ring = features[0]["geometry"]["coordinates"][0]
        assert len(ring) == 65 and ring[0] == ring[-1]

    def test_the_summary_accounts_for_the_points(self):
        s = run(ranking_events(), target=T).summary
        assert s["target"] == {"events_used": 12, "points": 12, "points_located": 12,
                               "points_not_located": 0, "local_days": 3, "places": 3}
        assert (s["candidates"], s["candidate_points"], s["candidate_points_outside_tolerance"],
                s["candidate_points_located"]) == (3, 22, 1, 21)
        assert s["pairs_by_kind"] == {"together": 12, "apart": 9, "undetermined": 0}

    def test_a_target_with_no_events_is_refused(self):
        with pytest.raises(InvalidEvents, match=re.escape(S3)):
            run(ranking_events(), target=S3)


class TestPlacing:
    def test_points_are_placed_as_geo_locate_places_them(self):
        lte = "234-30-10595-6643713"
        cells = CELLS + [
            cell("234-15-2-1", 52.0, 0.0, row=20, radio="GSM", valid_to="2024-03-01T12:00:00"),
            cell("234-15-2-1", 52.5, 0.0, row=21, radio="GSM",
                 valid_from="2024-03-01T12:00:00"),
            cell(lte, 53.0, 0.5, row=22, range_m=700),
            cell("234-15-3-1", 54.0, 0.0, row=23, radio="GSM",
                 valid_from="2024-03-02T00:00:00"),
        ]
        events = [
            ev(S1, 2, "2024-03-01T11:59:00", "234-15-2-1", last="234-15-2-1", duration=120),
            ev(S1, 3, "2024-03-01T10:00:00", "234-30-6643713"),  # ECGI without the TAC
            ev(S1, 4, "2024-03-01T10:00:00", "234-15-3-1"),  # not yet valid
            ev(S1, 5, "2024-03-01T10:00:00", "234-15-9-9", last=A, duration=5),
            ev(S2, 2, "2024-03-01T10:00:00", B, kind="data"),
        ]
        frame, book = events_frame(events), CellBook(cells_frame(cells), 2000)
        arrays = event_arrays(frame, book)
        mine = details(place(points_of(arrays, np.ones(frame.height, dtype=bool)), book, frame),
                       book, frame)
        theirs = locate(frame, cells_frame(cells))
        columns = ["exhibit_id", "source_row", "cell_role", "t_utc", "time_basis", "cgi",
                   "located", "lat", "lon", "radius_m", "cell_source_row"]
        assert mine.select(columns).sort(columns[:3]).to_dicts() == \
            theirs.select(columns).sort(columns[:3]).to_dicts()
        versions = mine.filter((mine["exhibit_id"] == "s1") & (mine["source_row"] == 2))
        assert versions.sort("cell_role")["lat"].to_list() == [52.0, 52.5]


class TestDeterminism:
    def test_shuffled_inputs_give_the_same_canonical_result(self):
        def document(events, cells, **parameters):
            r = compute(Inputs(events=events_frame(events), cells=cells_frame(cells)),
                        ColocationParameters(**parameters))
            return rfc8785.dumps({
                "columns": list(r.columns), "rows": r.rows, "summary": r.summary,
                "definitions": r.definitions, "method": list(r.method),
                "tables": [t.document() for t in r.tables], "geojson": r.geojson})

        rng = random.Random(3)
        for events, parameters in ((pairwise_events(), {"subjects": [S1, S2]}),
                                   (ranking_events(), {"target": T})):
            shuffled_events, shuffled_cells = events[:], CELLS[:]
            rng.shuffle(shuffled_events)
            rng.shuffle(shuffled_cells)
            assert document(events, CELLS, **parameters) == document(
                shuffled_events, shuffled_cells, **parameters)
