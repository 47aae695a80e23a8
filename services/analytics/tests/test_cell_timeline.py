"""The cell-site timeline on hand-built events and cells with hand-computed answers."""

from __future__ import annotations

import random
from datetime import UTC, datetime

import polars as pl
import pytest
import rfc8785
from linesight_analytics.analyses.computed import Inputs
from linesight_analytics.cell_timeline import (
    CELLS_COLUMNS,
    COLUMNS,
    DEFINITIONS,
    CellTimelineParameters,
    compute,
    iso_utc_expr,
    uncertainty,
)
from linesight_analytics.contact_frequency import InvalidEvents
from linesight_analytics.contact_frequency.compute import iso_utc
from linesight_shared.testing.frames import SUBJECT, cell, cells_frame, event, events_frame
from pydantic import ValidationError

A = "234-30-10595-6643713"  # LTE ECGI with its TAC
A_NO_TAC = "234-30-6643713"  # the same cell as many CDRs write it
G = "234-15-1001-2002"  # GSM, no azimuth, no range
M = "234-30-20-30"  # moved at noon; omnidirectional
N = "234-30-20-40"  # only listed from June
P = "234-30-20-50"  # listed without a position
UNKNOWN = "234-30-9-9"
OTHER = "+447700900002"


def ev(row, kind="voice", direction="out", start="2024-03-01T10:00:00", duration=None,
       first=A, last=None, exhibit="cdr1", subject=SUBJECT):
    e = event(exhibit, row, direction, kind, OTHER if kind != "data" else None,
              "e164" if kind != "data" else "absent", start=start, duration=duration,
              subject=subject)
    e["first_cell"], e["last_cell"] = first, last
    return e


CELLS = [
    cell(A, 51.5, -0.1, row=2, azimuth=120, beamwidth=65, range_m=1500, site_name="Mast A"),
    cell(G, 51.6, -0.2, row=3, radio="GSM"),
    cell(M, 51.0, 0.0, row=4, azimuth=10, beamwidth=360, range_m=800,
         valid_to="2024-03-01T12:00:00"),
    cell(M, 52.0, 0.0, row=5, azimuth=10, beamwidth=360, range_m=800,
         valid_from="2024-03-01T12:00:00"),
    cell(N, 51.2, 0.1, row=6, valid_from="2024-06-01T00:00:00"),
    cell(P, None, None, row=7),
]
EVENTS = [
    ev(2, duration=90, last=G),
    ev(12, kind="sms", start="2024-03-01T10:30:00"),
    ev(3, kind="data", start="2024-03-01T11:00:00", first=A_NO_TAC),
    ev(4, kind="sms", direction="in", start="2024-03-01T11:59:59", first=M),
    ev(5, kind="sms", start="2024-03-01T12:00:00", first=M),
    ev(6, direction="in", start="2024-03-01T13:00:00", first=N),
    ev(7, start="2024-03-01T14:00:00", first=UNKNOWN),
    ev(8, kind="missed", direction="in", start="2024-03-01T15:00:00", first=P),
    ev(9, start="2024-03-01T16:00:00", first=None),
    ev(10, start="2024-03-05T10:00:00"),  # outside the window
    ev(11, subject=None),
    ev(2, exhibit="cdr2", subject="+447700900009"),
]
WINDOW = {"from_utc": "2024-03-01T00:00:00Z", "to_utc": "2024-03-02T00:00:00Z"}
WEDGE_A = "within a 65° sector of radius 1,500 m facing 120° from the mast"
CIRCLE_G = "within 2,000 m of the mast (azimuth unknown; default radius)"
OMNI_M = "within 800 m of the mast (omnidirectional)"


def run(events=EVENTS, cells=CELLS, **parameters):
    params = CellTimelineParameters(subject=SUBJECT, **{**WINDOW, **parameters})
    return compute(Inputs(events=events_frame(events), cells=cells_frame(cells)), params)


def table(result):
    return [dict(zip(result.columns, r, strict=True)) for r in result.rows]


class TestTimeline:
    def test_points_are_in_time_order_with_role_basis_and_position(self):
        rows = table(run())
        assert [(r["time_utc"], r["source_row"], r["cell_role"], r["time_basis"], r["lat"])
                for r in rows] == [
            ("2024-03-01T10:00:00Z", 2, "first", "at", 51.5),
            ("2024-03-01T10:01:30Z", 2, "last", "at_end", 51.6),
            ("2024-03-01T10:30:00Z", 12, "first", "at", 51.5),
            ("2024-03-01T11:00:00Z", 3, "first", "at_or_before", 51.5),
            ("2024-03-01T11:59:59Z", 4, "first", "at", 51.0),
            ("2024-03-01T12:00:00Z", 5, "first", "at", 52.0),
            ("2024-03-01T13:00:00Z", 6, "first", "at", None),
            ("2024-03-01T14:00:00Z", 7, "first", "at", None),
            ("2024-03-01T15:00:00Z", 8, "first", "at", None),
        ]

    def test_a_located_row_carries_the_cell_and_both_traces(self):
        first = table(run())[0]
        assert first == {
            "time_utc": "2024-03-01T10:00:00Z", "kind": "voice", "direction": "out",
            "other_party": OTHER, "cell_role": "first", "time_basis": "at", "cgi": A,
            "located": True, "site_name": "Mast A", "lat": 51.5, "lon": -0.1,
            "azimuth": 120.0, "beamwidth": 65.0, "radius_m": 1500, "uncertainty": WEDGE_A,
            "exhibit_id": "cdr1", "source_row": 2, "cell_exhibit_id": "cells1",
            "cell_source_row": 2,
        }

    def test_the_uncertainty_is_stated_for_every_point(self):
        assert [r["uncertainty"] for r in table(run())] == [
            WEDGE_A, CIRCLE_G, WEDGE_A, WEDGE_A, OMNI_M, OMNI_M,
            "cell not in any list valid at this time: no position",
            "cell not in any cell list: no position",
            "cell listed without a position: no position",
        ]

    def test_the_version_of_a_moved_cell_valid_at_each_time_is_used(self):
        rows = {r["source_row"]: r for r in table(run())}
        assert (rows[4]["lat"], rows[4]["cell_source_row"]) == (51.0, 4)
        assert (rows[5]["lat"], rows[5]["cell_source_row"]) == (52.0, 5)

    def test_unlocated_points_keep_no_radius_or_facing(self):
        row = {r["source_row"]: r for r in table(run())}[8]
        assert (row["located"], row["radius_m"], row["azimuth"], row["cell_source_row"]) == (
            False, None, None, 7)

    def test_the_summary_accounts_for_every_event_and_point(self):
        s = run().summary
        assert {k: s[k] for k in (
            "events_read", "events_without_subject", "events_other_subjects",
            "subject_events", "events_outside_window", "events_without_cell",
            "events_with_cell", "points", "located", "unlocated")} == {
            "events_read": 12, "events_without_subject": 1, "events_other_subjects": 1,
            "subject_events": 10, "events_outside_window": 1, "events_without_cell": 1,
            "events_with_cell": 8, "points": 9, "located": 6, "unlocated": 3}
        assert s["unlocated_by_reason"] == {
            "cell_not_in_any_list": 1, "no_list_valid_at_this_time": 1,
            "cell_listed_without_position": 1}
        assert s["points_by_role"] == {"first": 8, "last": 1}
        assert s["points_by_time_basis"] == {"at": 7, "at_end": 1, "at_or_before": 1}
        assert (s["located_with_default_radius"], s["located_as_circle"], s["cells_used"]) == (
            1, 3, 4)
        assert (s["from_utc"], s["to_utc"], s["route_vertices"], s["note"]) == (
            "2024-03-01T00:00:00Z", "2024-03-02T00:00:00Z", 5, None)

    def test_the_window_includes_its_start_and_excludes_its_end(self):
        events = [ev(2, start="2024-03-01T00:00:00"), ev(3, start="2024-03-02T00:00:00")]
        result = run(events)
        assert [r["source_row"] for r in table(result)] == [2]
        assert result.summary["events_outside_window"] == 1

    def test_a_stated_radius_equal_to_the_default_is_not_called_default(self):
        cells = [cell(A, 51.5, -0.1, range_m=2000)]
        assert table(run([ev(2)], cells))[0]["uncertainty"] == (
            "within 2,000 m of the mast (azimuth unknown)")

    def test_a_nan_azimuth_counts_as_unknown(self):
        cells = [cell(A, 51.5, -0.1, azimuth=float("nan"), beamwidth=65, range_m=900)]
        row = table(run([ev(2)], cells))[0]
        assert (row["azimuth"], row["uncertainty"]) == (
            None, "within 900 m of the mast (azimuth unknown)")

    def test_the_default_radius_is_a_parameter(self):
        rows = table(run(default_radius_m=3500))
        assert rows[1]["radius_m"] == 3500 and "3,500 m" in rows[1]["uncertainty"]

    def test_columns_and_definitions_match(self):
        result = run()
        assert result.columns == COLUMNS and set(DEFINITIONS) == set(COLUMNS)
        assert all(len(r) == len(COLUMNS) for r in result.rows)


class TestCellsTable:
    def test_each_cell_as_written_with_its_list_row_counts_and_lines(self):
        (cells,) = run().tables
        assert cells.name == "cells" and cells.columns == CELLS_COLUMNS
        rows = [dict(zip(CELLS_COLUMNS, r, strict=True)) for r in cells.rows]
        assert [(r["cgi"], r["cell_source_row"], r["points"]) for r in rows] == [
            (A, 2, 2), (G, 3, 1), (M, 4, 1), (M, 5, 1), (N, None, 1), (P, 7, 1),
            (A_NO_TAC, 2, 1), (UNKNOWN, None, 1)]
        a = rows[0]
        assert (a["events"], a["first_utc"], a["last_utc"], a["source_rows"]) == (
            2, "2024-03-01T10:00:00Z", "2024-03-01T10:30:00Z", {"cdr1": [2, 12]})
        assert (a["uncertainty"], a["radius_m"], a["located"]) == (WEDGE_A, 1500, True)
        assert rows[4]["located"] is False and rows[4]["lat"] is None

    def test_an_event_with_both_cells_on_one_cell_counts_its_line_once(self):
        (cells,) = run([ev(2, duration=60, last=A)]).tables
        row = dict(zip(CELLS_COLUMNS, cells.rows[0], strict=True))
        assert (row["points"], row["events"], row["source_rows"]) == (2, 1, {"cdr1": [2]})


class TestGeoJSON:
    def test_one_cell_and_sector_per_version_then_the_route_and_the_events(self):
        fc = run().geojson
        roles = [f["properties"]["role"] for f in fc["features"]]
        assert roles == ["sector"] * 4 + ["route"] + ["cell"] * 4 + ["event"] * 6
        cells = [f["properties"] for f in fc["features"] if f["properties"]["role"] == "cell"]
        assert [(c["cgi"], c["cell_source_row"], c["written_as"]) for c in cells] == [
            (G, 3, [G]), (A, 2, [A, A_NO_TAC]), (M, 4, [M]), (M, 5, [M])]
        assert cells[1]["label"] == f"{A} (Mast A)"

    def test_sectors_are_wedges_or_circles_as_the_list_says(self):
        fc = run().geojson
        sectors = {(f["properties"]["cgi"], f["properties"]["cell_exhibit_id"],
                    f["properties"]["cell_source_row"]): f
                   for f in fc["features"] if f["properties"]["role"] == "sector"}
        wedge = sectors[(A, "cells1", 2)]
        assert wedge["geometry"]["coordinates"][0][0] == [-0.1, 51.5]  # starts at the mast
        assert len(wedge["geometry"]["coordinates"][0]) == 13 + 1 + 2  # 13 steps of 5 degrees
        assert len(sectors[(G, "cells1", 3)]["geometry"]["coordinates"][0]) == 65
        assert sectors[(A, "cells1", 2)]["properties"]["radius_m"] == 1500

    def test_event_points_sit_at_the_mast_with_the_stated_properties(self):
        fc = run().geojson
        events = [f for f in fc["features"] if f["properties"]["role"] == "event"]
        second = events[1]
        assert second["geometry"] == {"type": "Point", "coordinates": [-0.2, 51.6]}
        props = second["properties"]
        assert {k: props[k] for k in ("subject", "time_utc", "cell_role", "time_basis",
                                      "uncertainty", "exhibit_id", "source_row", "group",
                                      "label")} == {
            "subject": SUBJECT, "time_utc": "2024-03-01T10:01:30Z", "cell_role": "last",
            "time_basis": "at_end", "uncertainty": CIRCLE_G, "exhibit_id": "cdr1",
            "source_row": 2, "group": SUBJECT,
            "label": "2024-03-01T10:01:30Z voice out (end cell)"}

    def test_the_route_joins_masts_in_time_order_without_repeats(self):
        fc = run().geojson
        route = next(f for f in fc["features"] if f["properties"]["role"] == "route")
        assert route["geometry"]["coordinates"] == [
            [-0.1, 51.5], [-0.2, 51.6], [-0.1, 51.5], [0.0, 51.0], [0.0, 52.0]]
        assert (route["properties"]["from_utc"], route["properties"]["to_utc"]) == (
            "2024-03-01T10:00:00Z", "2024-03-01T12:00:00Z")

    def test_one_mast_only_draws_no_route(self):
        fc = run([ev(2), ev(3, start="2024-03-01T11:00:00")]).geojson
        assert "route" not in {f["properties"]["role"] for f in fc["features"]}


class TestEmptyAndRefused:
    def test_a_subject_with_no_events_is_refused(self):
        with pytest.raises(InvalidEvents, match=r"no events of subject \+447700900001"):
            run([ev(2, subject="+447700900009")])

    def test_no_event_in_the_window_is_an_empty_answer(self):
        result = run([ev(2, start="2024-04-01T10:00:00")])
        assert result.rows == [] and result.tables[0].rows == []
        assert result.summary["note"] == "no event of the subject starts within the window"
        assert result.geojson == {"type": "FeatureCollection", "features": []}

    def test_no_cells_list_is_refused(self):
        with pytest.raises(InvalidEvents, match="needs a cells list"):
            run([ev(2)], cells=[])

    def test_cells_that_place_nothing_leave_every_point_unlocated(self):
        result = run([ev(2)], cells=[cell(G, 51.6, -0.2)])
        assert result.summary["unlocated_by_reason"]["cell_not_in_any_list"] == 1
        assert result.summary["note"].startswith("no cell named")

    def test_a_cell_of_range_zero_is_refused_naming_its_line(self):
        with pytest.raises(InvalidEvents, match="cells exhibit cells1 line 2"):
            run([ev(2)], cells=[cell(A, 51.5, -0.1, range_m=0)])

    @pytest.mark.parametrize("bad", [
        {"subject": "07700900001"},
        {"subject": SUBJECT, "from_utc": "2024-03-02T00:00:00Z", "to_utc": "2024-03-01T00:00:00Z"},
        {"subject": SUBJECT, "from_utc": "2024-03-01T00:00:00"},  # no time zone
        {"subject": SUBJECT, "default_radius_m": 0},
        {"subject": SUBJECT, "colour": "red"},
    ])
    def test_bad_parameters_are_refused(self, bad):
        with pytest.raises(ValidationError):
            CellTimelineParameters(**bad)

    def test_window_times_are_taken_to_utc(self):
        p = CellTimelineParameters(subject=SUBJECT, from_utc="2024-07-01T01:00:00+01:00")
        assert p.from_utc == datetime(2024, 7, 1, tzinfo=UTC)


class TestDeterminism:
    def test_shuffled_input_gives_the_same_result(self):
        first = run()
        shuffled = EVENTS[:]
        random.Random(7).shuffle(shuffled)
        cells = CELLS[::-1]
        second = run(shuffled, cells)
        assert rfc8785.dumps(first.rows) == rfc8785.dumps(second.rows)
        assert rfc8785.dumps([t.document() for t in first.tables]) == rfc8785.dumps(
            [t.document() for t in second.tables])
        assert rfc8785.dumps(first.geojson) == rfc8785.dumps(second.geojson)
        assert first.summary == second.summary

    def test_the_result_is_canonical_json(self):
        result = run()
        rfc8785.dumps({"rows": result.rows, "summary": result.summary,
                       "tables": [t.document() for t in result.tables],
                       "geojson": result.geojson})

    def test_the_vectorised_time_format_matches_iso_utc(self):
        times = [datetime(2024, 3, 1, 10, 0, 0, tzinfo=UTC),
                 datetime(2024, 3, 1, 10, 0, 0, 250000, tzinfo=UTC),
                 datetime(2024, 3, 1, 10, 0, 0, 5, tzinfo=UTC)]
        frame = pl.DataFrame({"t": times}, schema={"t": pl.Datetime("us", "UTC")})
        assert frame.select(iso_utc_expr("t")).to_series().to_list() == [
            iso_utc(t) for t in times]

    def test_the_uncertainty_sentence_names_the_default_radius_on_a_wedge(self):
        assert uncertainty(None, 90.5, 60, 2000, False) == (
            "within a 60° sector of radius 2,000 m facing 90.5° from the mast (default radius)")
