"""Pattern of life (7x24 grid, top cells by day and night, kinds) on hand-built frames."""

from __future__ import annotations

import random

import pytest
import rfc8785
from linesight_analytics.analyses.computed import Inputs
from linesight_analytics.contact_frequency import InvalidEvents
from linesight_analytics.pattern_of_life import (
    BY_KIND_COLUMNS,
    COLUMNS,
    TOP_COLUMNS,
    PatternOfLifeParameters,
    compute,
)
from linesight_shared.testing.frames import cell, cells_frame, event, events_frame
from pydantic import ValidationError

S, S2, OTHER = "+447700900001", "+447700900002", "+447700900099"
A, B, C, D = "234-10-1-1", "234-10-1-2", "234-10-1-3", "234-10-9-9"  # D is in no cells list


def ev(exhibit, row, kind, start, *, first=None, direction="out", subject=S):
    e = event(exhibit, row, direction, kind, OTHER, start=start, subject=subject)
    e["first_cell"] = first
    return e


def scenario_events():
    """S: 4 March 2024 is a Monday (GMT); 7 July 2024 23:30 UTC is Monday 00:30 BST."""
    return [
        ev("cdr1", 2, "voice", "2024-03-04T09:15:00", first=A),
        ev("cdr1", 3, "sms", "2024-03-04T09:45:00", first=A),
        ev("cdr1", 4, "data", "2024-03-04T23:10:00", first=C),
        ev("cdr1", 5, "sms", "2024-03-05T02:00:00", first=C, direction="in"),
        ev("cdr1", 6, "voice", "2024-03-05T12:00:00", first=B, direction="in"),
        ev("cdr1", 7, "missed", "2024-03-06T12:30:00", direction="in"),
        ev("cdr1", 8, "voice", "2024-07-07T23:30:00", first=C),
        ev("cdr1", 9, "voice", "2024-03-10T10:00:00", first=A, direction="forward"),
        ev("cdr1", 10, "sms", "2024-03-11T09:05:00", first=A),
        ev("cdr2", 2, "data", "2024-03-05T03:00:00", first=D),
        ev("cdr3", 2, "sms", "2024-03-05T03:00:00", first=A, subject=S2),
        ev("cdr1", 11, "sms", "2024-03-05T03:00:00", first=A, subject=None),
    ]


def scenario_cells():
    return [cell(A, 51.5, -0.1, row=2, site_name="ALPHA"), cell(B, 51.6, -0.2, row=3),
            cell(C, 51.7, -0.3, row=4, site_name="CHARLIE")]


def run(events=None, cells=None, **parameters):
    inputs = Inputs(events=events_frame(scenario_events() if events is None else events),
                    cells=cells_frame(scenario_cells() if cells is None else cells))
    return compute(inputs, PatternOfLifeParameters(**parameters))


def table(result, name):
    found = next(t for t in result.tables if t.name == name)
    return [dict(zip(found.columns, r, strict=True)) for r in found.rows]


def grid(result):
    """{(subject, weekday): {hour column: count}} without the zeros."""
    out = {}
    for row in result.rows:
        named = dict(zip(COLUMNS, row, strict=True))
        out[(named["subject"], named["weekday"])] = (
            {k: v for k, v in named.items() if k.startswith("h") and v}, named["total"])
    return out


class TestGrid:
    def test_events_are_counted_by_local_weekday_and_hour(self):
        result = run(subject=S)
        assert [r[1] for r in result.rows] == ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
        assert grid(result) == {
            (S, "Mon"): ({"h00": 1, "h09": 3, "h23": 1}, 5),
            (S, "Tue"): ({"h02": 1, "h03": 1, "h12": 1}, 3),
            (S, "Wed"): ({"h12": 1}, 1),
            (S, "Thu"): ({}, 0), (S, "Fri"): ({}, 0), (S, "Sat"): ({}, 0),
            (S, "Sun"): ({"h10": 1}, 1),
        }

    def test_the_clock_is_a_parameter(self):
        # 2024-07-07T23:30Z is Monday 00:30 in London but Sunday 23:30 in UTC
        result = grid(run(subject=S, timezone="UTC"))
        assert result[(S, "Mon")] == ({"h09": 3, "h23": 1}, 4)
        assert result[(S, "Sun")] == ({"h10": 1, "h23": 1}, 2)

    def test_each_subject_has_seven_rows_and_its_total_in_the_summary(self):
        result = run()
        assert [r[0] for r in result.rows] == [S] * 7 + [S2] * 7
        per_subject = result.summary["per_subject"]
        assert [(p["subject"], p["events"], p["grid_total"]) for p in per_subject] == [
            (S, 10, 10), (S2, 1, 1)]
        assert sum(r[-1] for r in result.rows) == result.summary["events_used"] == 11


class TestTopCells:
    def test_top_cells_by_day(self):
        day = table(run(subject=S), "top_cells_day")
        assert list(day[0]) == list(TOP_COLUMNS)
        assert [(c["rank"], c["cgi"], c["events"], c["distinct_days"], c["share"],
                 c["first_seen_utc"], c["last_seen_utc"], c["source_rows"]) for c in day] == [
            (1, A, 4, 3, 0.8, "2024-03-04T09:15:00Z", "2024-03-11T09:05:00Z",
             {"cdr1": [2, 3, 9, 10]}),
            (2, B, 1, 1, 0.2, "2024-03-05T12:00:00Z", "2024-03-05T12:00:00Z", {"cdr1": [6]}),
        ]
        assert (day[0]["site_name"], day[0]["lat"], day[0]["lon"], day[0]["cell_exhibit_id"],
                day[0]["cell_source_row"]) == ("ALPHA", 51.5, -0.1, "cells1", 2)

    def test_top_cells_by_night_count_nights_by_the_date_they_start(self):
        night = table(run(subject=S), "top_cells_night")
        assert [(c["rank"], c["cgi"], c["events"], c["distinct_days"], c["share"], c["lat"],
                 c["exhibit_ids"], c["source_rows"]) for c in night] == [
            (1, C, 3, 2, 0.75, 51.7, ["cdr1"], {"cdr1": [4, 5, 8]}),
            (2, D, 1, 1, 0.25, None, ["cdr2"], {"cdr2": [2]}),
        ]

    def test_top_n_limits_the_rows_per_subject_and_window(self):
        result = run(top_n=1)
        assert [(c["subject"], c["cgi"]) for c in table(result, "top_cells_day")] == [(S, A)]
        assert [(c["subject"], c["cgi"]) for c in table(result, "top_cells_night")] == [
            (S, C), (S2, A)]

    def test_a_moved_mast_is_two_rows(self):
        cells = [cell(A, 51.5, -0.1, row=2, valid_to="2024-03-08T00:00:00"),
                 cell(A, 52.0, -0.1, row=5, valid_from="2024-03-08T00:00:00")]
        day = table(run(subject=S, cells=cells), "top_cells_day")
        # two events each: the newer position was seen on two days, the older on one
        assert [(c["cgi"], c["lat"], c["events"], c["distinct_days"], c["source_rows"])
                for c in day] == [
            (A, 52.0, 2, 2, {"cdr1": [9, 10]}), (A, 51.5, 2, 1, {"cdr1": [2, 3]}),
            (B, None, 1, 1, {"cdr1": [6]})]


class TestKindsAndSummary:
    def test_events_by_kind(self):
        kinds = table(run(subject=S), "by_kind")
        assert list(kinds[0]) == list(BY_KIND_COLUMNS)
        assert [list(k.values())[1:] for k in kinds] == [
            ["voice", 4, 2, 1, 1, 3, 1, {"cdr1": 4}],
            ["sms", 3, 2, 1, 0, 2, 1, {"cdr1": 3}],
            ["data", 2, 2, 0, 0, 0, 2, {"cdr1": 1, "cdr2": 1}],
            ["missed", 1, 0, 1, 0, 1, 0, {"cdr1": 1}],
        ]

    def test_every_event_read_is_accounted_for(self):
        summary = run(subject=S).summary
        assert {k: v for k, v in summary.items() if k != "per_subject"} == {
            "events_read": 12, "events_without_subject": 1, "events_other_subjects": 1,
            "events_used": 10, "subjects": 1, "events_without_first_cell": 1,
            "events_first_cell_not_located": 1, "day_events_with_first_cell": 5,
            "night_events_with_first_cell": 4,
        }
        assert summary["per_subject"] == [{
            "subject": S, "events": 10, "grid_total": 10, "day_events": 6, "night_events": 4,
            "events_without_first_cell": 1}]

    def test_an_unknown_kind_is_refused_with_its_exhibit_and_line(self):
        events = scenario_events()
        events[4]["kind"] = "telex"
        with pytest.raises(InvalidEvents, match="exhibit cdr1 line 6: kind 'telex'"):
            run(events=events)

    def test_a_subject_absent_from_the_inputs_is_refused(self):
        with pytest.raises(InvalidEvents, match="no events of this subject"):
            run(subject="+447700900077")

    def test_no_events_gives_empty_tables(self):
        result = run(events=[], cells=[])
        assert result.rows == [] and all(t.rows == [] for t in result.tables)
        assert result.summary["events_read"] == 0

    def test_shuffled_inputs_give_identical_canonical_output(self):
        events, cells = scenario_events(), scenario_cells()
        baseline = run(events=events, cells=cells)
        random.Random(3).shuffle(events)
        random.Random(4).shuffle(cells)
        shuffled = run(events=events, cells=cells)
        def document(r):
            return rfc8785.dumps({"rows": r.rows, "summary": r.summary,
                                  "tables": [t.document() for t in r.tables]})
        assert document(shuffled) == document(baseline)

    @pytest.mark.parametrize("bad", [{"top_n": 0}, {"timezone": "Mars/Olympus"},
                                     {"night_end": "7:00"}, {"subject": "+44"}])
    def test_bad_parameters_are_refused(self, bad):
        with pytest.raises(ValidationError):
            PatternOfLifeParameters(**bad)
