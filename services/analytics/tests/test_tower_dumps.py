"""The tower-dump intersection on hand-built dumps with hand-computed answers."""

from __future__ import annotations

import random

import pytest
import rfc8785
from linesight_analytics.analyses.computed import Inputs
from linesight_analytics.contact_frequency import InvalidEvents
from linesight_analytics.tower_dumps import (
    COLUMNS,
    DEFINITIONS,
    DUMPS_COLUMNS,
    TowerDumpsParameters,
    compute,
)
from linesight_shared.testing.frames import event, events_frame
from pydantic import ValidationError

P1, P2, P3 = "+447700900001", "+447700900002", "+447700900003"
IMSI_X, IMSI_1 = "234300000000009", "234300000000001"
IMEI_Y = "35000000000001"
C1, C2, C3 = "234-30-1-1", "234-30-1-2", "234-30-7-7"
EXHIBITS = {"d1": "MONZA/11", "d2": "MONZA/12", "d3": "MONZA/13"}


def dump(exhibit, row, handset, start, *, imsi=None, imei=None, cell=C1, direction="out"):
    """One dump row: the handset on the mast is the subject (null: withheld or invalid)."""
    e = event(exhibit, row, direction, "voice", "+447700900099", start=start, subject=handset)
    if handset is None:  # the handset's own side is withheld
        side = "a" if direction == "out" else "b"
        e[f"{side}_party"], e[f"{side}_party_kind"], e[f"{side}_party_raw"] = (
            None, "withheld", "WITHHELD")
    e["imsi"], e["imei"], e["first_cell"] = imsi, imei, cell
    return e


ROWS = [
    # d1: a stabbing, 10:00-10:30 on C1
    dump("d1", 2, P1, "2024-03-01T10:00:00", imsi=IMSI_1),
    dump("d1", 3, P1, "2024-03-01T10:20:00", imsi=IMSI_1),
    dump("d1", 4, P2, "2024-03-01T10:05:00"),
    dump("d1", 5, P3, "2024-03-01T10:30:00"),
    # d2: a robbery, next day on C1 and C2
    dump("d2", 2, P1, "2024-03-02T20:00:00", cell=C2, direction="in"),
    dump("d2", 3, None, "2024-03-02T20:01:00", imsi=IMSI_X),
    dump("d2", 4, P2, "2024-03-02T20:10:00", cell=C2),
    dump("d2", 5, None, "2024-03-02T20:15:00", imei=IMEI_Y),
    # d3: a London address
    dump("d3", 2, None, "2024-03-05T01:00:00", imsi=IMSI_X, imei=IMEI_Y, cell=C3),
    dump("d3", 3, P1, "2024-03-05T01:30:00", cell=C3),
    dump("d3", 4, None, "2024-03-05T01:40:00", imei=IMEI_Y, cell=C3),
    dump("d3", 5, None, "2024-03-05T01:45:00", cell=C3),  # no identifier at all
]


def run(rows=ROWS, exhibits=EXHIBITS, **parameters):
    return compute(Inputs(events=events_frame(rows), exhibits=exhibits),
                   TowerDumpsParameters(**parameters))


def table(result):
    return [dict(zip(result.columns, r, strict=True)) for r in result.rows]


class TestIntersection:
    def test_handsets_in_two_or_more_dumps_ranked_by_dumps_then_events(self):
        rows = table(run())
        assert [(r["identifier"], r["identifier_kind"], r["dumps"], r["events"])
                for r in rows] == [
            (P1, "msisdn", 3, 4), (P2, "msisdn", 2, 2), (IMSI_X, "imsi", 2, 2),
            (IMEI_Y, "imei", 2, 2)]  # ties broken by identifier: "+" sorts before digits

    def test_a_row_gives_counts_times_and_lines_per_dump(self):
        p1 = table(run())[0]
        assert p1 == {
            "identifier": P1, "identifier_kind": "msisdn", "dumps": 3, "events": 4,
            "dump_references": ["MONZA/11", "MONZA/12", "MONZA/13"],
            "events_per_dump": {"MONZA/11": 2, "MONZA/12": 1, "MONZA/13": 1},
            "first_utc_per_dump": {"MONZA/11": "2024-03-01T10:00:00Z",
                                   "MONZA/12": "2024-03-02T20:00:00Z",
                                   "MONZA/13": "2024-03-05T01:30:00Z"},
            "last_utc_per_dump": {"MONZA/11": "2024-03-01T10:20:00Z",
                                  "MONZA/12": "2024-03-02T20:00:00Z",
                                  "MONZA/13": "2024-03-05T01:30:00Z"},
            "first_utc": "2024-03-01T10:00:00Z", "last_utc": "2024-03-05T01:30:00Z",
            "imsis": [IMSI_1], "imeis": [],
            "exhibit_ids": ["d1", "d2", "d3"],
            "source_rows": {"d1": [2, 3], "d2": [2], "d3": [3]},
        }

    def test_a_handset_without_a_number_is_identified_by_imsi_before_imei(self):
        rows = {r["identifier"]: r for r in table(run())}
        # d3 line 2 has both: it counts under the IMSI, not under the IMEI
        assert rows[IMSI_X]["source_rows"] == {"d2": [3], "d3": [2]}
        assert rows[IMSI_X]["imeis"] == [IMEI_Y]
        assert rows[IMEI_Y]["source_rows"] == {"d2": [5], "d3": [4]}

    def test_min_dumps_three_keeps_only_the_handset_in_every_dump(self):
        assert [r["identifier"] for r in table(run(min_dumps=3))] == [P1]

    def test_identifiers_restrict_by_number_imsi_or_imei(self):
        result = run(identifiers=[IMSI_1, P2, "+447700900777"])
        # IMSI_1 is recorded with P1's events in d1 only: those count, under P1's number
        assert [(r["identifier"], r["dumps"]) for r in table(result)] == [(P2, 2)]
        s = result.summary
        assert s["identifiers_not_found"] == ["+447700900777"]
        assert (s["events_not_requested"], s["events_of_handsets_in_fewer_dumps"],
                s["events_listed"]) == (7, 2, 2)

    def test_the_summary_accounts_for_every_event(self):
        s = run().summary
        assert {k: s[k] for k in (
            "events_read", "dumps", "events_without_identifier", "events_not_requested",
            "handsets", "handsets_in_fewer_dumps", "events_of_handsets_in_fewer_dumps",
            "handsets_listed", "events_listed")} == {
            "events_read": 12, "dumps": 3, "events_without_identifier": 1,
            "events_not_requested": 0, "handsets": 5, "handsets_in_fewer_dumps": 1,
            "events_of_handsets_in_fewer_dumps": 1, "handsets_listed": 4,
            "events_listed": 10}
        assert s["handsets_by_kind"] == {"msisdn": 3, "imsi": 1, "imei": 1}
        assert s["events_read"] == (s["events_without_identifier"] + s["events_not_requested"]
                                    + s["events_of_handsets_in_fewer_dumps"]
                                    + s["events_listed"])

    def test_columns_and_definitions_match(self):
        result = run()
        assert result.columns == COLUMNS and set(DEFINITIONS) == set(COLUMNS)
        assert result.geojson is None


class TestDumpsTable:
    def test_each_dump_with_its_cells_window_rows_and_handsets(self):
        (dumps,) = run().tables
        assert dumps.name == "dumps" and dumps.columns == DUMPS_COLUMNS
        rows = [dict(zip(DUMPS_COLUMNS, r, strict=True)) for r in dumps.rows]
        assert [r["dump"] for r in rows] == ["MONZA/11", "MONZA/12", "MONZA/13"]
        assert rows[1] == {
            "dump": "MONZA/12", "exhibit_id": "d2", "cells": [C1, C2], "cell_count": 2,
            "from_utc": "2024-03-02T20:00:00Z", "to_utc": "2024-03-02T20:15:00Z",
            "events": 4, "handsets": 4,
            "handsets_by_kind": {"msisdn": 2, "imsi": 1, "imei": 1},
            "events_without_identifier": 0, "first_source_row": 2, "last_source_row": 5}
        assert (rows[2]["events_without_identifier"], rows[2]["handsets"]) == (1, 3)

    def test_dumps_sharing_a_reference_are_told_apart(self):
        (dumps,) = run(exhibits={"d1": "X/1", "d2": "X/1"}).tables
        assert [r[0] for r in dumps.rows] == ["X/1 (d1)", "X/1 (d2)", "d3"]


class TestEmptyAndRefused:
    def test_fewer_dumps_than_min_dumps_is_an_empty_answer(self):
        result = run([r for r in ROWS if r["exhibit_id"] == "d1"])
        assert result.rows == []
        assert result.summary["note"] == "only 1 dump(s) were given: no handset can be in 2"
        assert result.summary["exhibits_without_events"] == ["MONZA/12", "MONZA/13"]

    def test_no_events_at_all_is_an_empty_answer(self):
        result = run([])
        assert (result.rows, result.tables[0].rows, result.summary["note"]) == (
            [], [], "no tower-dump events were given")

    def test_the_same_line_twice_is_refused(self):
        with pytest.raises(InvalidEvents, match="event_id 'd1:2'"):
            run([ROWS[0], ROWS[0]])

    @pytest.mark.parametrize("bad", [{"min_dumps": 0}, {"identifiers": []},
                                     {"identifiers": ["12345"]}, {"dumps": 2}])
    def test_bad_parameters_are_refused(self, bad):
        with pytest.raises(ValidationError):
            TowerDumpsParameters(**bad)


def canonical(result):
    return rfc8785.dumps({"rows": result.rows, "summary": result.summary,
                          "tables": [t.document() for t in result.tables]})


class TestDeterminism:
    def test_shuffled_input_gives_the_same_canonical_result(self):
        first = run()
        shuffled = ROWS[:]
        random.Random(3).shuffle(shuffled)
        second = run(shuffled)
        assert canonical(first) == canonical(second)
