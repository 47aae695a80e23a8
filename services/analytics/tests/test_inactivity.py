"""Inactivity ("where the handset sleeps") on hand-built frames with hand-computed answers."""

from __future__ import annotations

import random
from datetime import UTC, datetime

import numpy as np
import polars as pl
import pytest
import rfc8785
from linesight_analytics.analyses.computed import Inputs
from linesight_analytics.contact_frequency import InvalidEvents
from linesight_analytics.contact_frequency.compute import iso_utc
from linesight_analytics.geo.locate import locate
from linesight_analytics.inactivity import (
    COLUMNS,
    HOME_COLUMNS,
    PLACE_COLUMNS,
    InactivityParameters,
    compute,
)
from linesight_analytics.inactivity import gaps as gaps_module
from linesight_analytics.inactivity import lines as lines_module
from linesight_analytics.inactivity.cells import cell_versions, version_table
from linesight_analytics.inactivity.clock import NightWindow, local_micros
from linesight_analytics.inactivity.gaps import find_gaps
from linesight_analytics.inactivity.lines import lines_per_group
from linesight_analytics.inactivity.rows import encode, iso_utc_of
from linesight_shared.testing.frames import cell, cells_frame, event, events_frame
from pydantic import ValidationError

S, S2, OTHER = "+447700900001", "+447700900002", "+447700900099"
A, B, C, D = "234-10-1-1", "234-10-1-2", "234-10-1-3", "234-10-9-9"  # D is in no cells list
HOUR = 3_600_000_000


def ev(exhibit, row, kind, start, *, duration=None, first=None, last=None, direction="out",
       subject=S):
    e = event(exhibit, row, direction, kind, OTHER, start=start, duration=duration,
              subject=subject)
    e["first_cell"], e["last_cell"] = first, last
    return e


def scenario_events():
    """S in March 2024 (GMT); S2 in July 2024 (BST); one event without a subject."""
    return [
        ev("cdr1", 2, "voice", "2024-03-01T21:00:00", duration=600, first=A, last=B),
        ev("cdr1", 3, "sms", "2024-03-02T07:30:00", first=C),
        ev("cdr1", 4, "data", "2024-03-02T12:00:00", duration=5 * 3600, first=A),
        ev("cdr1", 5, "voice", "2024-03-02T15:00:00", duration=60, first=A, direction="in"),
        ev("cdr1", 6, "sms", "2024-03-02T23:30:00", first=C, direction="in"),
        ev("cdr1", 7, "voice", "2024-03-03T08:00:00", duration=120, first=C),
        ev("cdr1", 8, "sms", "2024-03-03T08:00:00", first=A),
        ev("cdr1", 9, "voice", "2024-03-04T01:00:00", first=D),
        ev("cdr1", 10, "sms", "2024-03-04T09:00:00"),
        ev("cdr1", 11, "data", "2024-03-04T23:00:00", first=A),
        ev("cdr1", 12, "data", "2024-03-05T02:00:00", first=A),
        ev("cdr1", 13, "data", "2024-03-05T03:00:00", first=A),
        ev("cdr1", 14, "sms", "2024-03-05T04:00:00", first=A, subject=None),
        ev("cdr2", 2, "voice", "2024-07-01T21:30:00", first=A, subject=S2),  # 22:30 BST
        ev("cdr2", 3, "sms", "2024-07-02T05:30:00", first=B, subject=S2),    # 06:30 BST
        ev("cdr2", 4, "sms", "2024-07-02T06:30:00", first=B, subject=S2),    # 07:30 BST
    ]


def scenario_cells():
    return [cell(A, 51.5, -0.1, row=2, site_name="ALPHA"), cell(B, 51.6, -0.2, row=3),
            cell(C, 51.7, -0.3, row=4, site_name="CHARLIE")]


def run(events=None, cells=None, **parameters):
    inputs = Inputs(events=events_frame(scenario_events() if events is None else events),
                    cells=cells_frame(scenario_cells() if cells is None else cells))
    return compute(inputs, InactivityParameters(**parameters))


def as_dicts(columns, rows):
    return [dict(zip(columns, r, strict=True)) for r in rows]


def table(result, name):
    found = next(t for t in result.tables if t.name == name)
    return as_dicts(found.columns, found.rows)


class TestGaps:
    def test_overnight_gaps_with_the_cells_either_side(self):
        gaps = as_dicts(COLUMNS, run(subject=S).rows)
        assert [(g["gap_start_utc"], g["gap_end_utc"], g["gap_hours"], g["night_date"])
                for g in gaps] == [
            ("2024-03-01T21:10:00Z", "2024-03-02T07:30:00Z", 10.33, "2024-03-01"),
            ("2024-03-02T17:00:00Z", "2024-03-02T23:30:00Z", 6.5, "2024-03-02"),
            ("2024-03-02T23:30:00Z", "2024-03-03T08:00:00Z", 8.5, "2024-03-02"),
            ("2024-03-03T08:02:00Z", "2024-03-04T01:00:00Z", 16.97, "2024-03-03"),
            ("2024-03-04T01:00:00Z", "2024-03-04T09:00:00Z", 8.0, "2024-03-03"),
            ("2024-03-04T09:00:00Z", "2024-03-04T23:00:00Z", 14.0, "2024-03-04"),
        ]
        assert all(g["overnight"] and g["subject"] == S for g in gaps)
        assert [(g["before_source_row"], g["before_cell_role"], g["before_cgi"],
                 g["after_source_row"], g["after_cgi"], g["same_cell"]) for g in gaps] == [
            (2, "last", B, 3, C, False),
            (4, "first", A, 6, C, False),   # the data session ending at 17:00, not the call
            (6, "first", C, 7, C, True),    # 08:00 twice: the earlier line (7) is taken
            (7, "first", C, 9, D, False),
            (9, "first", D, 10, None, None),
            (10, "first", None, 11, A, None),
        ]

    def test_a_gap_row_traces_both_events_and_both_cells_rows(self):
        first = as_dicts(COLUMNS, run(subject=S).rows)[0]
        assert {k: first[k] for k in COLUMNS if k.startswith("before_")} == {
            "before_exhibit_id": "cdr1", "before_source_row": 2, "before_kind": "voice",
            "before_direction": "out", "before_cell_role": "last", "before_cgi": B,
            "before_site_name": None, "before_lat": 51.6, "before_lon": -0.2,
            "before_cell_exhibit_id": "cells1", "before_cell_source_row": 3,
        }
        assert (first["after_site_name"], first["after_lat"], first["after_cell_source_row"]) == (
            "CHARLIE", 51.7, 4)
        unlocated = as_dicts(COLUMNS, run(subject=S).rows)[3]
        assert (unlocated["after_cgi"], unlocated["after_lat"],
                unlocated["after_cell_source_row"]) == (D, None, None)

    def test_daytime_gaps_are_listed_and_marked_when_not_overnight_only(self):
        gaps = as_dicts(COLUMNS, run(subject=S, overnight_only=False).rows)
        assert len(gaps) == 7
        day = gaps[1]
        assert (day["gap_start_utc"], day["gap_end_utc"], day["gap_hours"], day["overnight"],
                day["night_date"]) == ("2024-03-02T07:30:00Z", "2024-03-02T12:00:00Z", 4.5,
                                       False, None)

    def test_the_minimum_gap_is_inclusive(self):
        hours = [g[3] for g in run(subject=S, overnight_only=False, min_gap_hours=4.5).rows]
        assert 4.5 in hours and len(hours) == 7
        assert len(run(subject=S, overnight_only=False, min_gap_hours=4.51).rows) == 6

    def test_night_is_read_on_the_local_clock(self):
        # S2's gap starts 21:30 UTC = 22:30 BST: inside the night in London, not in UTC
        london = as_dicts(COLUMNS, run(subject=S2).rows)
        utc = as_dicts(COLUMNS, run(subject=S2, timezone="UTC").rows)
        assert [(g["gap_hours"], g["night_date"]) for g in london] == [(8.0, "2024-07-01")]
        assert [(g["gap_hours"], g["night_date"]) for g in utc] == [(8.0, "2024-07-01")]
        assert table(run(subject=S2), "home_methods")[1]["cgi"] == A
        assert table(run(subject=S2, timezone="UTC"), "home_methods")[1]["cgi"] == B


class TestPlaces:
    def test_places_are_ranked_by_nights_then_gaps_then_cell(self):
        places = table(run(subject=S), "places")
        assert [(p["rank"], p["cgi"], p["nights"], p["gaps"], p["last_before"],
                 p["first_after"], p["first_night"], p["last_night"]) for p in places] == [
            (1, C, 3, 4, 2, 3, "2024-03-01", "2024-03-03"),
            (2, A, 2, 2, 1, 1, "2024-03-02", "2024-03-04"),
            (3, D, 1, 2, 1, 1, "2024-03-03", "2024-03-03"),
            (4, B, 1, 1, 1, 0, "2024-03-01", "2024-03-01"),
        ]
        assert list(places[0]) == list(PLACE_COLUMNS)

    def test_the_map_draws_each_located_place_as_mast_and_sector(self):
        result = run(subject=S)
        located = [p for p in table(result, "places") if p["lat"] is not None]
        features = result.geojson["features"]
        masts = [f for f in features if f["properties"]["role"] == "cell"]
        sectors = [f for f in features if f["properties"]["role"] == "sector"]
        assert [f["properties"]["cgi"] for f in masts] == [p["cgi"] for p in located]
        assert len(sectors) == len(masts)
        first = masts[0]
        assert first["geometry"]["coordinates"] == [located[0]["lon"], located[0]["lat"]]
        assert "#1: " in first["properties"]["label"] and "3 nights" in first["properties"]["label"]

    def test_each_place_lists_the_lines_of_the_events_it_counts(self):
        places = {p["cgi"]: p for p in table(run(subject=S), "places")}
        assert places[C]["source_rows"] == {"cdr1": [3, 6, 7]}
        assert places[A]["source_rows"] == {"cdr1": [4, 11]}
        assert places[C]["exhibit_ids"] == ["cdr1"]
        assert (places[C]["site_name"], places[C]["lat"], places[C]["cell_source_row"]) == (
            "CHARLIE", 51.7, 4)
        assert (places[D]["lat"], places[D]["cell_exhibit_id"]) == (None, None)
        assert places[D]["source_rows"] == {"cdr1": [9]}

    def test_a_cells_row_without_position_is_named_but_not_located(self):
        result = run(subject=S, cells=[*scenario_cells(), cell(D, None, None, row=9)])
        places = {p["cgi"]: p for p in table(result, "places")}
        assert (places[D]["lat"], places[D]["cell_source_row"]) == (None, 9)
        assert result.summary["gap_sides_not_located"] == 2
        assert result.summary["night_events_not_located"] == 1

    def test_a_moved_mast_is_two_places(self):
        cells = [cell(A, 51.5, -0.1, row=2, valid_to="2024-03-03T00:00:00"),
                 cell(A, 52.0, -0.1, row=5, valid_from="2024-03-03T00:00:00"),
                 cell(B, 51.6, -0.2, row=3), cell(C, 51.7, -0.3, row=4)]
        places = table(run(subject=S, cells=cells), "places")
        moved = [(p["cgi"], p["lat"], p["cell_source_row"], p["nights"]) for p in places
                 if p["cgi"] == A]
        assert moved == [(A, 51.5, 2, 1), (A, 52.0, 5, 1)]


class TestHomeMethods:
    def test_three_methods_side_by_side(self):
        homes = table(run(subject=S), "home_methods")
        assert list(homes[0]) == list(HOME_COLUMNS)
        assert [(h["method"], h["cgi"], h["score"], h["score_unit"], h["runner_up_cgi"],
                 h["runner_up_score"], h["margin"], h["agrees_with_gaps"]) for h in homes] == [
            ("overnight_gaps", C, 3, "nights", A, 2, 1, None),
            ("night_events", A, 3, "events", C, 1, 2, False),
            ("distinct_nights", A, 1, "nights", C, 1, 0, False),
        ]

    def test_winners_trace_to_the_events_they_count(self):
        homes = table(run(subject=S), "home_methods")
        assert homes[0]["source_rows"] == {"cdr1": [3, 6, 7]}
        assert homes[1]["source_rows"] == homes[2]["source_rows"] == {"cdr1": [11, 12, 13]}
        assert (homes[1]["site_name"], homes[1]["lat"], homes[1]["cell_source_row"]) == (
            "ALPHA", 51.5, 2)

    def test_a_subject_without_night_events_has_no_night_winner(self):
        events = [ev("cdr1", 2, "sms", "2024-03-01T12:00:00", first=A),
                  ev("cdr1", 3, "sms", "2024-03-01T20:00:00", first=A)]
        homes = table(run(events=events), "home_methods")
        assert [(h["method"], h["cgi"], h["score"], h["margin"], h["source_rows"])
                for h in homes] == [
            ("overnight_gaps", None, None, None, {}),
            ("night_events", None, None, None, {}),
            ("distinct_nights", None, None, None, {}),
        ]

    def test_agreement_when_every_method_finds_the_same_cell(self):
        events = [ev("cdr1", 2, "sms", "2024-03-01T22:30:00", first=C),
                  ev("cdr1", 3, "sms", "2024-03-02T08:30:00", first=C)]
        homes = table(run(events=events), "home_methods")
        assert [(h["cgi"], h["agrees_with_gaps"]) for h in homes] == [
            (C, None), (C, True), (C, True)]


class TestSummaryAndInputs:
    def test_every_event_read_is_accounted_for(self):
        summary = run(subject=S).summary
        assert {k: v for k, v in summary.items() if k != "per_subject"} == {
            "events_read": 16, "events_without_subject": 1, "events_other_subjects": 3,
            "events_used": 12, "subjects": 1, "gaps_found": 7, "gaps_overnight": 6,
            "gaps_listed": 6, "gaps_left_out_not_overnight": 1, "gap_sides_without_cell": 2,
            "gap_sides_not_located": 2, "note": None, "night_window_events": 5,
            "night_events_without_first_cell": 0, "night_events_counted": 5,
            "night_events_not_located": 1,
        }
        assert summary["per_subject"] == [{
            "subject": S, "events": 12, "first_event_utc": "2024-03-01T21:00:00Z",
            "last_activity_utc": "2024-03-05T03:00:00Z", "gaps_listed": 6,
            "overnight_gaps": 6, "night_events_counted": 5}]

    def test_every_subject_gets_its_own_rows(self):
        result = run()
        assert [r[0] for r in result.rows] == [S] * 6 + [S2]
        assert [h[0] for h in result.tables[1].rows] == [S] * 3 + [S2] * 3
        assert result.summary["events_used"] == 15 and result.summary["subjects"] == 2

    def test_no_gaps_is_an_answer_with_the_reason(self):
        events = [ev("cdr1", 2, "sms", "2024-03-01T12:00:00", first=A)]
        result = run(events=events)
        assert result.rows == [] and result.tables[0].rows == []
        assert result.summary["note"] == "no overnight gaps of at least 4 h found"

    def test_no_events_at_all_gives_empty_tables(self):
        result = run(events=[], cells=[])
        assert (result.rows, result.tables[0].rows, result.tables[1].rows) == ([], [], [])
        assert result.summary["events_read"] == 0

    def test_a_subject_absent_from_the_inputs_is_refused(self):
        with pytest.raises(InvalidEvents, match=r"subject \+447700900077: no events"):
            run(subject="+447700900077")

    def test_a_line_pinned_twice_is_refused_with_its_exhibit_and_line(self):
        events = scenario_events()
        with pytest.raises(InvalidEvents, match="exhibit cdr1 line 5: the same line"):
            run(events=[*events, events[3]])

    def test_a_cells_line_pinned_twice_is_refused(self):
        cells = scenario_cells()
        with pytest.raises(InvalidEvents, match="cells exhibit cells1 line 3: the same line"):
            run(cells=[*cells, cells[1]])

    def test_a_negative_duration_is_refused(self):
        events = scenario_events()
        events[2]["duration_s"] = -5
        with pytest.raises(InvalidEvents, match="exhibit cdr1 line 4: duration_s -5"):
            run(events=events)

    def test_shuffled_inputs_give_identical_canonical_output(self):
        events, cells = scenario_events(), scenario_cells()
        baseline = run(events=events, cells=cells)
        random.Random(7).shuffle(events)
        random.Random(8).shuffle(cells)
        shuffled = run(events=events, cells=cells)
        def document(r):
            return rfc8785.dumps({"rows": r.rows, "summary": r.summary,
                                  "tables": [t.document() for t in r.tables]})
        assert document(shuffled) == document(baseline)


class TestParameters:
    @pytest.mark.parametrize("bad", [
        {"subject": "07700900001"}, {"timezone": "Europe/Londres"}, {"min_gap_hours": 0},
        {"night_start": "25:00"}, {"night_start": "07:00", "night_end": "07:00"},
        {"colour": "red"},
    ])
    def test_bad_parameters_are_refused(self, bad):
        with pytest.raises(ValidationError):
            InactivityParameters(**bad)

    def test_defaults(self):
        p = InactivityParameters()
        assert (p.subject, p.min_gap_hours, p.night_start, p.night_end, p.timezone,
                p.overnight_only) == (None, 4.0, "22:00", "07:00", "Europe/London", True)


def brute_force_gaps(rows, min_gap):
    """Per subject, events in start order; the gap before each is its start minus the
    latest end so far."""
    out = []
    for subject in sorted({r[0] for r in rows}):
        mine = sorted((s, e) for code, s, e in rows if code == subject)
        latest = mine[0][1]
        for start, end in mine[1:]:
            if start - latest >= min_gap:
                out.append((subject, latest, start))
            latest = max(latest, end)
    return out


class TestEngines:
    @pytest.mark.parametrize("key_bits", [62, 40])
    def test_gaps_match_a_brute_force_count(self, monkeypatch, key_bits):
        monkeypatch.setattr(gaps_module, "KEY_BITS", key_bits)  # 40: several batches
        rng = random.Random(3)
        rows = []
        for _ in range(400):
            start = rng.randrange(0, 200) * HOUR // 4
            rows.append((rng.randrange(0, 9), start, start + rng.choice([0, 0, HOUR, 5 * HOUR])))
        frame = pl.DataFrame(rows, schema={"subject_code": pl.UInt32, "start_us": pl.Int64,
                                           "end_us": pl.Int64}, orient="row")
        for min_gap in (HOUR, 4 * HOUR, 9 * HOUR):
            found = find_gaps(frame, 9, min_gap).gaps.rows()
            assert found == brute_force_gaps(rows, min_gap)

    def test_cell_versions_follow_the_locate_rule(self):
        cells = [cell(A, 51.0, 0.0, row=2),
                 cell(A, 52.0, 0.0, row=3, valid_from="2024-03-02T00:00:00",
                      valid_to="2024-03-04T00:00:00"),
                 cell(A, 53.0, 0.0, row=4, valid_from="2024-03-03T00:00:00"),
                 cell(B, 54.0, 0.0, row=5, valid_to="2024-03-02T12:00:00"),
                 cell(C, 55.0, 0.0, row=6)]
        rng = random.Random(5)
        events = [ev("cdr1", row, "sms", f"2024-03-0{rng.randrange(1, 6)}T"
                     f"{rng.randrange(0, 24):02d}:00:00", first=rng.choice([A, B, C, D]))
                  for row in range(2, 200)]
        frame, table_ = events_frame(events), cells_frame(cells)
        expected = {r["source_row"]: r["cell_source_row"] for r in locate(frame, table_).to_dicts()}
        codes, cgis = encode(frame.get_column("first_cell"))
        points = pl.DataFrame({"cgi_code": codes,
                               "t_us": frame.get_column("start_utc").dt.epoch("us")})
        versions = version_table(table_)
        found = cell_versions(points, cgis, versions)
        rows_of = versions.get_column("cell_source_row")
        got = {row: (None if v is None else rows_of[v])
               for row, v in zip(frame.get_column("source_row"), found, strict=True)}
        assert got == expected

    def test_lines_are_the_same_by_either_sort(self, monkeypatch):
        rng = np.random.default_rng(2)
        group = pl.Series(rng.integers(0, 5, 300), dtype=pl.UInt32)
        exhibit = pl.Series(rng.integers(0, 3, 300), dtype=pl.UInt32)
        line = pl.Series(rng.integers(2, 50, 300), dtype=pl.Int64)
        fast = lines_per_group(group, exhibit, line, ["a", "b", "c"], 5)
        monkeypatch.setattr(lines_module, "_BITS", 3)
        slow = lines_per_group(group, exhibit, line, ["a", "b", "c"], 5)
        assert fast == slow
        g0 = {(e, r) for g, e, r in zip(group, exhibit, line, strict=True) if g == 0}
        assert fast[0] == {x: sorted({r for e, r in g0 if "abc"[e] == x})
                           for x in sorted({"abc"[e] for e, _ in g0})}


class TestClock:
    def test_local_time_crosses_the_clock_changes(self):
        instants = [datetime(2024, 3, 31, 0, 59, 59, tzinfo=UTC),
                    datetime(2024, 3, 31, 1, 0, tzinfo=UTC),
                    datetime(2024, 10, 27, 0, 30, tzinfo=UTC),
                    datetime(2024, 10, 27, 1, 30, tzinfo=UTC)]
        local = local_micros(pl.Series(instants).dt.epoch("us"), "Europe/London")
        as_text = local.cast(pl.Datetime("us")).dt.strftime("%H:%M:%S").to_list()
        assert as_text == ["00:59:59", "02:00:00", "01:30:00", "01:30:00"]

    def test_offsets_changing_inside_a_quarter_hour_are_converted_one_by_one(self):
        # Amsterdam moved from +00:19:32 to +00:20 on 1937-07-01
        utc = pl.datetime_range(datetime(1937, 6, 30, tzinfo=UTC),
                                datetime(1937, 7, 2, tzinfo=UTC), "7m", eager=True)
        direct = (utc.dt.convert_time_zone("Europe/Amsterdam").dt.replace_time_zone(None)
                  .cast(pl.Int64))
        assert local_micros(utc.dt.epoch("us"), "Europe/Amsterdam").to_list() == direct.to_list()

    def test_a_night_window_that_does_not_cross_midnight(self):
        window = NightWindow.parse("00:00", "06:00")
        frame = pl.DataFrame({"s": [datetime(2024, 3, 1, 23, 0), datetime(2024, 3, 2, 3, 0),
                                    datetime(2024, 3, 2, 7, 0)],
                              "e": [datetime(2024, 3, 2, 0, 30), datetime(2024, 3, 2, 9, 0),
                                    datetime(2024, 3, 2, 23, 0)]}).cast(pl.Datetime("us"))
        local = frame.select(s=pl.col("s").cast(pl.Int64), e=pl.col("e").cast(pl.Int64))
        night = local.select(window.first_night_overlapped(pl.col("s"), pl.col("e"))).to_series()
        inside = local.select(window.contains(pl.col("s"))).to_series()
        # 1 March 23:00 -> 2 March 00:30 overlaps the night of 2 March; 07:00 -> 23:00 none
        assert night.cast(pl.Date).to_list()[:2] == [datetime(2024, 3, 2).date()] * 2
        assert night.to_list()[2] is None
        assert inside.to_list() == [False, True, False]

    def test_iso_text_matches_the_contact_frequency_formatter(self):
        values = [datetime(2024, 3, 1, 10, tzinfo=UTC),
                  datetime(2024, 3, 5, 7, 0, 0, 250000, tzinfo=UTC)]
        micros = pl.DataFrame({"t": pl.Series(values).dt.epoch("us")})
        assert micros.select(iso_utc_of(pl.col("t"))).to_series().to_list() == [
            iso_utc(v) for v in values]
