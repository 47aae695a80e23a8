"""Events joined to the cell valid at their time: roles, time bases, versions, ties."""

from __future__ import annotations

import polars as pl
from linesight_analytics.geo.distance import haversine_m, haversine_m_np
from linesight_analytics.geo.locate import COLUMNS, locate
from linesight_shared.testing.frames import cell, cells_frame, event, events_frame

A = "234-30-10595-6643713"   # LTE ECGI with TAC; CDRs may write 234-30-6643713
G = "234-15-1001-2002"


def ev(row, kind="voice", start="2024-03-01T10:00:00", duration=None, first=A, last=None):
    e = event("cdr1", row, "out", kind, "+447700900002", start=start, duration=duration)
    e["first_cell"], e["last_cell"] = first, last
    return e


def located(events, cells, **kw):
    return locate(events_frame(events), cells_frame(cells), **kw).to_dicts()


class TestLocate:
    def test_roles_times_and_bases(self):
        cells = [cell(A, 51.5, -0.1, azimuth=120, beamwidth=65, range_m=1500),
                 cell(G, 51.6, -0.2, radio="GSM", row=3)]
        out = located([ev(2, duration=90, last=G), ev(3, kind="data", start="2024-03-01T11:00:00")],
                      cells, default_radius_m=3000)
        assert [(r["source_row"], r["cell_role"], r["time_basis"], r["t_utc"].isoformat())
                for r in out] == [
            (2, "first", "at", "2024-03-01T10:00:00+00:00"),
            (2, "last", "at_end", "2024-03-01T10:01:30+00:00"),
            (3, "first", "at_or_before", "2024-03-01T11:00:00+00:00"),
        ]
        assert (out[0]["lat"], out[0]["azimuth"], out[0]["radius_m"]) == (51.5, 120.0, 1500.0)
        assert (out[1]["lat"], out[1]["azimuth"], out[1]["radius_m"]) == (51.6, None, 3000.0)
        assert out[0]["cell_source_row"] == 2 and out[1]["cell_source_row"] == 3
        assert list(out[0]) == list(COLUMNS)

    def test_lte_cell_found_without_its_tac(self):
        out = located([ev(2, first="234-30-6643713")], [cell(A, 51.5, -0.1)])
        assert out[0]["located"] and out[0]["lat"] == 51.5

    def test_the_version_valid_at_the_time_is_used(self):
        cells = [cell(A, 51.0, 0.0, row=2, valid_to="2024-03-01T12:00:00"),
                 cell(A, 52.0, 0.0, row=3, valid_from="2024-03-01T12:00:00")]
        out = located([ev(2, start="2024-03-01T11:59:59"), ev(3, start="2024-03-01T12:00:00")],
                      cells)
        assert [r["lat"] for r in out] == [51.0, 52.0]

    def test_expired_newest_row_falls_back_to_an_older_valid_one(self):
        # the newest start has already ended; the older open-ended row is still valid
        cells = [cell(A, 51.0, 0.0, row=2),
                 cell(A, 52.0, 0.0, row=3, valid_from="2024-02-01T00:00:00",
                      valid_to="2024-02-10T00:00:00")]
        assert [r["lat"] for r in located([ev(2)], cells)] == [51.0]

    def test_tie_on_start_goes_to_the_later_row(self):
        cells = [cell(A, 51.0, 0.0, row=2, valid_from="2024-01-01T00:00:00"),
                 cell(A, 53.0, 0.0, row=9, valid_from="2024-01-01T00:00:00")]
        assert located([ev(2)], cells)[0]["lat"] == 53.0

    def test_unknown_or_not_yet_valid_cells_are_kept_unlocated(self):
        cells = [cell(A, 51.0, 0.0, valid_from="2024-06-01T00:00:00")]
        out = located([ev(2), ev(3, first="234-30-1-1"), ev(4, first=None)], cells)
        assert [(r["source_row"], r["located"], r["lat"]) for r in out] == [
            (2, False, None), (3, False, None)]

    def test_haversine_matches_a_known_distance(self):
        # London (51.5074, -0.1278) to Paris (48.8566, 2.3522): about 343.5 km
        frame = pl.DataFrame({"a": [51.5074], "b": [-0.1278], "c": [48.8566], "d": [2.3522]})
        d = frame.select(haversine_m(pl.col("a"), pl.col("b"), pl.col("c"), pl.col("d")))
        assert abs(d.item() - 343_560) < 500
        assert abs(float(haversine_m_np(51.5074, -0.1278, 48.8566, 2.3522)) - d.item()) < 1e-6
