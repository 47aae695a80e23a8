"""``CellIndex.at``: the row valid for a cell at a moment."""

from __future__ import annotations

from datetime import UTC, datetime

import polars as pl
import pytest
from linesight_ingest.parsing.cell_sites.lookup import CellIndex


def t(y, m, d, h=0) -> datetime:
    return datetime(y, m, d, h, tzinfo=UTC)


def cells(*rows: tuple) -> pl.DataFrame:
    """rows: (source_row, cgi, radio, azimuth, valid_from, valid_to)."""
    return pl.DataFrame(
        [{"exhibit_id": "e", "source_row": r[0], "cgi": r[1], "radio": r[2], "azimuth": r[3],
          "valid_from": r[4], "valid_to": r[5]} for r in rows],
        schema={"exhibit_id": pl.String, "source_row": pl.Int64, "cgi": pl.String,
                "radio": pl.String, "azimuth": pl.Float64,
                "valid_from": pl.Datetime("us", "UTC"), "valid_to": pl.Datetime("us", "UTC")})


CGI = "234-30-10595-6643713"


class TestCellIndex:
    def test_the_period_is_closed_at_the_start_and_open_at_the_end(self):
        ix = CellIndex(cells((2, CGI, "LTE", 10.0, t(2024, 1, 1), t(2024, 6, 1)),
                             (3, CGI, "LTE", 40.0, t(2024, 6, 1), None)))
        assert ix.at(CGI, t(2024, 1, 1))["azimuth"] == 10.0
        assert ix.at(CGI, t(2024, 6, 1))["azimuth"] == 40.0
        assert ix.at(CGI, t(2023, 12, 31)) is None
        assert ix.at(CGI, t(2030, 1, 1))["azimuth"] == 40.0

    def test_null_bounds_are_open_ended(self):
        ix = CellIndex(cells((2, CGI, "LTE", 5.0, None, None)))
        assert ix.at(CGI, t(1999, 1, 1))["azimuth"] == 5.0

    def test_on_overlap_the_newest_valid_from_wins_and_an_open_start_is_oldest(self):
        ix = CellIndex(cells((2, CGI, "LTE", 1.0, None, None),
                             (3, CGI, "LTE", 2.0, t(2024, 3, 1), None),
                             (4, CGI, "LTE", 3.0, t(2024, 2, 1), t(2025, 1, 1))))
        assert ix.at(CGI, t(2024, 2, 15))["azimuth"] == 3.0
        assert ix.at(CGI, t(2024, 4, 1))["azimuth"] == 2.0
        assert ix.at(CGI, t(2024, 1, 1))["azimuth"] == 1.0

    def test_an_exact_tie_goes_to_the_later_row_whatever_the_load_order(self):
        rows = [(3, CGI, "LTE", 9.0, t(2024, 1, 1), None),
                (2, CGI, "LTE", 8.0, t(2024, 1, 1), None)]
        assert CellIndex(cells(*rows)).at(CGI, t(2024, 5, 1))["source_row"] == 3
        assert CellIndex(cells(*reversed(rows))).at(CGI, t(2024, 5, 1))["source_row"] == 3

    def test_an_lte_cell_is_found_by_its_ecgi_without_the_tac(self):
        ix = CellIndex(cells((2, CGI, "LTE", 7.0, None, None),
                             (3, "234-30-10595-20001", "GSM", 8.0, None, None)))
        assert ix.at("234-30-6643713", t(2024, 1, 1))["azimuth"] == 7.0
        assert ix.at("234-30-20001", t(2024, 1, 1)) is None

    def test_a_naive_time_is_refused_not_guessed(self):
        with pytest.raises(ValueError, match="timezone-aware"):
            CellIndex(cells((2, CGI, "LTE", 1.0, None, None))).at(CGI, datetime(2024, 1, 1))

    def test_history_lists_a_cells_periods_oldest_first(self):
        ix = CellIndex(cells((2, CGI, "LTE", 2.0, t(2024, 6, 1), None),
                             (3, CGI, "LTE", 1.0, None, t(2024, 6, 1))))
        assert [r["azimuth"] for r in ix.history(CGI)] == [1.0, 2.0]
