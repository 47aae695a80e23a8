"""ANPR co-travel: matching reads to phone points in time and place, and the ranking."""

from __future__ import annotations

import math
import random
from datetime import UTC, datetime, timedelta

import polars as pl
import pytest
import rfc8785
from linesight_analytics.analyses.computed import Inputs
from linesight_analytics.anpr_cotravel import (
    COLUMNS,
    MATCH_COLUMNS,
    MATCHES_TABLE,
    AnprCotravelParameters,
    compute,
)
from linesight_analytics.anpr_cotravel.pairs import time_pairs
from linesight_analytics.contact_frequency import InvalidEvents
from linesight_shared.testing.frames import (
    SUBJECT,
    anpr_frame,
    anpr_read,
    cell,
    cells_frame,
    event,
    events_frame,
)
from pydantic import ValidationError

OTHER = "+447700900555"
SOHO, M2, CANT, FAR = "234-10-1-1", "234-10-2-1", "234-10-3-1", "234-10-9-1"
CELLS = [cell(SOHO, 51.51, -0.12, row=2, site_name="Soho", range_m=1000),
         cell(M2, 51.40, 0.50, row=3, site_name="M2 Services", range_m=2000),
         cell(CANT, 51.28, 1.08, row=4, site_name="Canterbury", range_m=1500),
         cell(FAR, 52.50, -1.90, row=5, site_name="Birmingham", range_m=1500)]
DAYS = ("2024-03-01", "2024-03-05", "2024-03-09")
#: metres per degree of latitude on the mean-radius sphere
M_PER_DEGREE = 6_371_008.8 * math.pi / 180


def ev(row: int, start: str, first: str | None, *, subject: str | None = SUBJECT,
       kind: str = "voice") -> dict:
    e = event("cdr1", row, "out", kind, "+447700900002", start=start, subject=subject)
    e["first_cell"] = first
    return e


def run(events, reads, cells=CELLS, **parameters):
    inputs = Inputs(events=events_frame(events), cells=cells_frame(cells),
                    anpr_reads=anpr_frame(reads))
    return compute(inputs, AnprCotravelParameters(**parameters))


def trips() -> tuple[list[dict], list[dict]]:
    """The phone goes Soho 08:00 -> M2 09:00 -> Canterbury 10:00 on three days. X1 is read
    near Soho at 08:05 and near the M2 at 08:58 each day; Y1 passes the M2 camera at 11:00
    each day; Z1 passes it once at 09:02 but is read in Birmingham at 08:03 twice."""
    events, reads = [], []
    for d, day in enumerate(DAYS):
        events += [ev(10 + 3 * d, f"{day}T08:00:00", SOHO), ev(11 + 3 * d, f"{day}T09:00:00", M2),
                   ev(12 + 3 * d, f"{day}T10:00:00", CANT)]
        reads += [anpr_read("X1", "CAM_L", f"{day}T08:05:00", 51.512, -0.121, row=2 + 3 * d),
                  anpr_read("X1", "CAM_R", f"{day}T08:58:00", 51.40, 0.52, row=3 + 3 * d),
                  anpr_read("Y1", "CAM_R", f"{day}T11:00:00", 51.40, 0.52, row=4 + 3 * d)]
    reads += [anpr_read("Z1", "CAM_R", "2024-03-01T09:02:00", 51.40, 0.52, row=11),
              anpr_read("Z1", "CAM_B", "2024-03-05T08:03:00", 52.50, -1.90, row=12),
              anpr_read("Z1", "CAM_B", "2024-03-09T08:03:00", 52.50, -1.90, row=13)]
    return events, reads


def columns(rows, names, table=COLUMNS):
    return [tuple(r[table.index(n)] for n in names) for r in rows]


RANKED = ("rank", "subject", "vrm", "score", "distinct_days", "days_contradicted",
          "share_consistent", "distinct_hours", "records_matched", "records_in_time")


class TestFromAPhone:
    def test_the_vehicle_that_travels_with_the_phone_ranks_first(self):
        result = run(*trips(), subject=SUBJECT)
        assert columns(result.rows, RANKED) == [
            (1, SUBJECT, "X1", 3, 3, 0, 1.0, 3, 6, 6),
            # one fit on one day; on two other days read in Birmingham while the phone was
            # in Soho
            (2, SUBJECT, "Z1", 1, 1, 2, 0.333, 1, 1, 3),
        ]  # Y1 passes the same camera, but never at the phone's times: not a candidate
        x1 = result.rows[0]
        assert columns([x1], ("matched_reads", "matched_events", "match_pairs",
                              "distinct_cameras", "distinct_cells", "first_match_utc",
                              "last_match_utc", "dates", "exhibit_ids")) == [
            (6, 6, 6, 2, 2, "2024-03-01T08:05:00Z", "2024-03-09T08:58:00Z", list(DAYS),
             ["anpr1", "cdr1"])]
        assert x1[COLUMNS.index("anpr_source_rows")] == {"anpr1": [2, 3, 5, 6, 8, 9]}
        assert x1[COLUMNS.index("event_source_rows")] == {"cdr1": [10, 11, 13, 14, 16, 17]}

    def test_a_busy_vehicle_near_the_phone_by_chance_ranks_below_the_follower(self):
        # B1 passes the Soho camera while the phone is there on five days (two more than
        # X1), but each of those days it is read twice in Birmingham while the phone is on
        # the M2. X1 is read once in Birmingham too (a stray read): it still fits more
        # often than not that day.
        events, reads = trips()
        reads.append(anpr_read("X1", "CAM_B", "2024-03-01T08:57:00", 52.50, -1.90, row=40))
        for d, day in enumerate(("2024-03-02", "2024-03-03")):
            events += [ev(30 + 2 * d, f"{day}T08:00:00", SOHO),
                       ev(31 + 2 * d, f"{day}T09:00:00", M2)]
        for d, day in enumerate(("2024-03-01", "2024-03-02", "2024-03-03", "2024-03-05",
                                 "2024-03-09")):
            reads += [anpr_read("B1", "CAM_L", f"{day}T08:03:00", 51.51, -0.12, row=50 + 3 * d),
                      anpr_read("B1", "CAM_B", f"{day}T08:55:00", 52.50, -1.90, row=51 + 3 * d),
                      anpr_read("B1", "CAM_B", f"{day}T08:59:00", 52.50, -1.90, row=52 + 3 * d)]
        result = run(events, reads, subject=SUBJECT)
        assert columns(result.rows, RANKED) == [
            (1, SUBJECT, "X1", 3, 3, 1, 0.857, 3, 6, 7),
            (2, SUBJECT, "Z1", 1, 1, 2, 0.333, 1, 1, 3),
            (3, SUBJECT, "B1", 0, 5, 5, 0.333, 5, 5, 15)]

    def test_only_the_top_candidates_are_listed(self):
        result = run(*trips(), subject=SUBJECT, max_candidates=1)
        assert columns(result.rows, ("rank", "vrm")) == [(1, "X1")]
        assert {r[MATCH_COLUMNS.index("vrm")] for r in result.tables[0].rows} == {"X1"}
        s = result.summary
        assert (s["candidates_ranked"], s["candidates_listed"], s["candidates_not_listed"],
                s["matches_listed"]) == (2, 1, 1, 6)

    def test_summary_accounts_for_every_row(self):
        events, reads = trips()
        events += [ev(40, "2024-03-01T12:00:00", "234-10-7-7"),    # cell in no list
                   ev(41, "2024-03-01T12:00:00", None),            # no cell
                   ev(42, "2024-03-01T08:00:00", SOHO, subject=OTHER)]
        reads += [anpr_read("N1", "CAM_X", "2024-03-01T08:00:00", None, None, row=20)]
        s = run(events, reads, subject=SUBJECT).summary
        assert (s["events_read"], s["events_other_subjects"], s["events_of_subject"],
                s["events_without_cell"]) == (12, 1, 11, 1)
        assert (s["points"], s["points_unlocated"], s["points_located"], s["points_in_time"],
                s["points_matched"]) == (10, 1, 9, 6, 6)
        assert (s["anpr_reads_read"], s["reads_without_position"], s["reads_positioned"],
                s["reads_in_time"], s["reads_matched"]) == (13, 1, 12, 9, 7)
        assert (s["candidates_in_time"], s["candidates_matched"], s["candidates_ranked"],
                s["matches_listed"], s["result"]) == (2, 2, 2, 7, "candidates ranked")

    def test_each_match_shows_the_read_the_event_the_distance_and_the_time(self):
        # mast at 51.0 N on the meridian; camera 0.063 degrees north: 7,005 m away, 5,005 m
        # beyond the allowance (1,000 m radius + 1,000 m slack)
        cells = [cell("234-20-1-1", 51.0, 0.0, row=7, exhibit="cellsB", range_m=1000)]
        events = [ev(5, "2024-03-01T10:00:00", "234-20-1-1")]
        reads = [anpr_read("FAST", "CAM_N", "2024-03-01T10:03:00", 51.063, 0.0, row=4),
                 anpr_read("TOOFAST", "CAM_N", "2024-03-01T09:58:00", 51.063, 0.0, row=5)]
        result = run(events, reads, cells, subject=SUBJECT)
        distance = 0.063 * M_PER_DEGREE
        assert round(distance) == 7005
        (match,) = result.tables[0].rows
        assert result.tables[0].name == MATCHES_TABLE
        assert dict(zip(MATCH_COLUMNS, match, strict=True)) == {
            "rank": 1, "subject": SUBJECT, "vrm": "FAST", "read_utc": "2024-03-01T10:03:00Z",
            "camera_id": "CAM_N", "read_lat": 51.063, "read_lon": 0.0,
            "anpr_exhibit_id": "anpr1", "anpr_source_row": 4,
            "event_time_utc": "2024-03-01T10:00:00Z", "kind": "voice", "cell_role": "first",
            "time_basis": "at", "cgi": "234-20-1-1", "site_name": None, "cell_lat": 51.0,
            "cell_lon": 0.0, "radius_m": 1000, "event_exhibit_id": "cdr1",
            "event_source_row": 5, "cell_exhibit_id": "cellsB", "cell_source_row": 7,
            "distance_m": 7005, "allowance_m": 2000, "dt_seconds": 180,
            "implied_speed_kmh": round((distance - 2000) / 180 * 3.6, 1),
        }
        assert match[-1] == 100.1
        # 2 minutes would need 150 km/h: in time, but not a match
        assert result.summary["reads_in_time"] == 2 and result.summary["reads_matched"] == 1
        slower = run(events, reads, cells, subject=SUBJECT, max_speed_kmh=100)
        assert slower.rows == [] and slower.summary["result"].startswith("no candidates")
        faster = run(events, reads, cells, subject=SUBJECT, max_speed_kmh=151)
        assert [r[COLUMNS.index("vrm")] for r in faster.rows] == ["FAST", "TOOFAST"]

    def test_the_time_tolerance_is_inclusive(self):
        events = [ev(5, "2024-03-01T10:00:00", SOHO)]
        reads = [anpr_read("EDGE", "CAM_L", "2024-03-01T10:10:00", 51.51, -0.12, row=2),
                 anpr_read("LATE", "CAM_L", "2024-03-01T10:10:01", 51.51, -0.12, row=3),
                 anpr_read("EARLY", "CAM_L", "2024-03-01T09:50:00", 51.51, -0.12, row=4)]
        result = run(events, reads, subject=SUBJECT)
        assert columns(result.rows, ("vrm",)) == [("EARLY",), ("EDGE",)]
        assert columns(result.tables[0].rows, ("vrm", "dt_seconds"), MATCH_COLUMNS) == [
            ("EARLY", -600), ("EDGE", 600)]

    def test_max_distance_replaces_radius_and_slack(self):
        # camera 0.02 degrees (2,224 m) north of a mast of range 1,000 m, at the same time
        cells = [cell("234-20-1-1", 51.0, 0.0, range_m=1000)]
        events = [ev(5, "2024-03-01T10:00:00", "234-20-1-1")]
        reads = [anpr_read("V1", "CAM", "2024-03-01T10:00:00", 51.02, 0.0)]
        assert run(events, reads, cells, subject=SUBJECT).rows == []
        result = run(events, reads, cells, subject=SUBJECT, max_distance_m=2300)
        assert columns(result.tables[0].rows, ("distance_m", "allowance_m", "implied_speed_kmh"),
                       MATCH_COLUMNS) == [(round(0.02 * M_PER_DEGREE), 2300, 0.0)]

    def test_min_days_leaves_out_and_counts_candidates(self):
        result = run(*trips(), subject=SUBJECT, min_days=2)
        assert columns(result.rows, ("rank", "vrm")) == [(1, "X1")]
        assert result.summary["candidates_below_min_days"] == 1
        assert {r[MATCH_COLUMNS.index("vrm")] for r in result.tables[0].rows} == {"X1"}

    def test_the_map_shows_the_top_vehicle_matches(self):
        features = run(*trips(), subject=SUBJECT).geojson["features"]
        roles = [f["properties"]["role"] for f in features]
        assert roles == ["cell"] * 2 + ["event"] * 6 + ["anpr_read"] * 6
        read = features[-1]["properties"]
        assert (read["vrm"], read["time_utc"], read["group"], read["source_row"]) == (
            "X1", "2024-03-09T08:58:00Z", "X1", 9)
        assert features[-1]["geometry"]["coordinates"] == [0.52, 51.4]
        event_props = features[2]["properties"]
        assert (event_props["subject"], event_props["cgi"], event_props["source_row"]) == (
            SUBJECT, SOHO, 10)
        assert "1,000 m" in event_props["uncertainty"]


class TestFromAVehicle:
    def test_the_phone_that_travels_with_the_vehicle_ranks_first(self):
        events, reads = trips()
        events += [ev(40, "2024-03-01T08:01:00", SOHO, subject=OTHER),
                   ev(41, "2024-03-05T08:04:00", FAR, subject=OTHER),
                   ev(42, "2024-03-05T08:00:00", SOHO, subject=None)]
        result = run(events, reads, vrm="X1")
        assert columns(result.rows, RANKED) == [
            (1, SUBJECT, "X1", 3, 3, 0, 1.0, 6, 6, 6),
            (2, OTHER, "X1", 1, 1, 1, 0.5, 1, 1, 2),
        ]
        s = result.summary
        assert (s["anpr_reads_read"], s["reads_other_vehicles"], s["reads_of_vehicle"],
                s["reads_positioned"]) == (12, 6, 6, 6)
        # the Canterbury points (10:00) are more than a bucket from every read
        assert (s["events_read"], s["events_without_subject"], s["points"],
                s["points_far_from_reads"], s["points_located"]) == (12, 1, 11, 3, 8)

    def test_no_reads_of_the_vehicle_is_refused(self):
        with pytest.raises(InvalidEvents, match="no ANPR reads of vehicle NOPE"):
            run(*trips(), vrm="NOPE")


class TestDeterminism:
    def test_shuffled_rows_give_the_same_bytes(self):
        events, reads = trips()
        for target in ({"subject": SUBJECT}, {"vrm": "X1"}):
            a = run(events, reads, **target)
            shuffled_events, shuffled_reads = events[:], reads[:]
            random.Random(3).shuffle(shuffled_events)
            random.Random(4).shuffle(shuffled_reads)
            b = run(shuffled_events, shuffled_reads, CELLS[::-1], **target)
            assert a.rows
            assert rfc8785.dumps([a.rows, a.summary, a.tables[0].rows, a.geojson]) == (
                rfc8785.dumps([b.rows, b.summary, b.tables[0].rows, b.geojson]))

    def test_time_buckets_find_exactly_the_pairs_within_the_tolerance(self):
        rng = random.Random(11)
        start = datetime(2024, 3, 1, tzinfo=UTC)
        p_times = [start + timedelta(seconds=rng.randrange(0, 86_400)) for _ in range(300)]
        r_times = [start + timedelta(seconds=rng.randrange(0, 86_400)) for _ in range(200)]
        points = pl.DataFrame({"p_i": range(300), "t_utc": p_times})
        reads = pl.DataFrame({"r_i": range(200), "read_utc": r_times})
        width = 600 * 1_000_000
        expected = {(i, j) for i, p in enumerate(p_times) for j, r in enumerate(r_times)
                    if abs((r - p).total_seconds()) <= 600}
        for a, b in ((points, reads), (points.head(50), reads)):
            found = time_pairs(a, b, width)
            wanted = {(i, j) for i, j in expected if i < a.height}
            assert set(zip(found["p_i"], found["r_i"], strict=True)) == wanted
            assert found.height == len(wanted)


class TestRefusals:
    def test_no_events_of_the_subject(self):
        with pytest.raises(InvalidEvents, match="no events of subject"):
            run(*trips(), subject=OTHER)

    def test_no_cells_or_no_reads(self):
        events, reads = trips()
        with pytest.raises(InvalidEvents, match="cells list"):
            run(events, reads, [], subject=SUBJECT)
        with pytest.raises(InvalidEvents, match="needs ANPR reads"):
            run(events, [], subject=SUBJECT)

    def test_reads_without_position_give_an_empty_answer(self):
        reads = [anpr_read("N1", "CAM_X", "2024-03-01T08:00:00", None, None)]
        result = run(trips()[0], reads, subject=SUBJECT)
        assert result.rows == [] and result.tables[0].rows == []
        assert result.summary["reads_without_position"] == 1
        assert result.summary["result"] == "no candidates: no ANPR read has a camera position"

    @pytest.mark.parametrize(("parameters", "message"), [
        ({}, "exactly one of subject"),
        ({"subject": SUBJECT, "vrm": "X1"}, "exactly one of subject"),
        ({"vrm": "ab12 cde"}, "upper case"),
        ({"subject": SUBJECT, "time_tolerance_minutes": 0}, "greater than 0"),
        ({"subject": SUBJECT, "timezone": "Nowhere/Land"}, "unknown time zone"),
        ({"subject": SUBJECT, "min_days": 0}, "greater than or equal to 1"),
    ])
    def test_bad_parameters(self, parameters, message):
        with pytest.raises(ValidationError, match=message):
            AnprCotravelParameters(**parameters)
