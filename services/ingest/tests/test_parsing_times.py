"""UK local time → UTC across the BST changes, flagged and never guessed silently."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

import polars as pl
import pytest
from linesight_ingest.parsing.times import localise, parse_dates, parse_times

LONDON = "Europe/London"


def utc(local: list[datetime]) -> list[tuple[datetime | None, str | None]]:
    return list(localise(pl.Series(local, dtype=pl.Datetime("us")), LONDON).iter_rows())


class TestLocalise:
    def test_a_summer_time_is_one_hour_ahead_of_utc(self):
        assert utc([datetime(2024, 6, 1, 12, 0)]) == [(datetime(2024, 6, 1, 11, 0, tzinfo=UTC),
                                                       None)]

    def test_a_winter_time_equals_utc(self):
        assert utc([datetime(2024, 12, 1, 12, 0)]) == [(datetime(2024, 12, 1, 12, 0,
                                                                  tzinfo=UTC), None)]

    def test_the_repeated_october_hour_takes_the_first_occurrence_and_is_flagged(self):
        assert utc([datetime(2024, 10, 27, 1, 30)]) == [
            (datetime(2024, 10, 27, 0, 30, tzinfo=UTC), "ambiguous")]

    def test_the_minutes_either_side_of_the_october_hour_are_not_flagged(self):
        got = utc([datetime(2024, 10, 27, 0, 59, 59), datetime(2024, 10, 27, 2, 0, 0)])
        assert got == [(datetime(2024, 10, 26, 23, 59, 59, tzinfo=UTC), None),
                       (datetime(2024, 10, 27, 2, 0, 0, tzinfo=UTC), None)]

    def test_the_skipped_march_hour_is_shifted_forward_and_flagged(self):
        assert utc([datetime(2024, 3, 31, 1, 30)]) == [
            (datetime(2024, 3, 31, 1, 30, tzinfo=UTC), "nonexistent")]

    def test_the_first_minute_after_the_march_gap_is_bst_and_not_flagged(self):
        assert utc([datetime(2024, 3, 31, 2, 0)]) == [(datetime(2024, 3, 31, 1, 0, tzinfo=UTC),
                                                       None)]

    def test_null_stays_null(self):
        assert utc([None]) == [(None, None)]


class TestParseDateAndTime:
    @pytest.mark.parametrize("raw,want", [("01/06/2024", date(2024, 6, 1)),
                                          ("1/6/2024", date(2024, 6, 1)),
                                          ("31/02/2024", None), ("2024-06-01", None),
                                          ("06/01/24", None), ("", None)])
    def test_dates_are_day_month_year(self, raw, want):
        assert pl.select(parse_dates(pl.lit(raw))).item() == want

    @pytest.mark.parametrize("raw,want", [("23:59:59", time(23, 59, 59)),
                                          ("00:00:00", time(0, 0)), ("24:00:00", None),
                                          ("12:60:00", None), ("12:00", None),
                                          ("12:00:00 PM", None)])
    def test_times_are_24_hour_with_seconds(self, raw, want):
        assert pl.select(parse_times(pl.lit(raw))).item() == want
