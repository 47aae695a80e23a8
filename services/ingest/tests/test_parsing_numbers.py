"""Party strings → E.164 / withheld / short code / invalid / absent."""

from __future__ import annotations

import polars as pl
import pytest
from linesight_ingest.parsing.numbers import NumberBook, normalise_parties


def parties(*raw: str | None) -> list[tuple[str | None, str]]:
    out = normalise_parties(pl.Series(list(raw), dtype=pl.String), NumberBook())
    return list(out.iter_rows())


class TestUkShapes:
    @pytest.mark.parametrize("raw", ["07400123456", "07400 123456", "+447400123456",
                                     "+44 (0)7400 123456", "447400123456", "00447400123456",
                                     "0044 7400-123-456"])
    def test_every_common_shape_of_one_mobile_gives_the_same_e164(self, raw):
        assert parties(raw) == [("+447400123456", "e164")]

    @pytest.mark.parametrize("raw,e164", [("020 7946 0321", "+442079460321"),
                                          ("0117 496 0112", "+441174960112"),
                                          ("03069990000", "+443069990000")])
    def test_landlines_and_03_numbers_become_e164(self, raw, e164):
        assert parties(raw) == [(e164, "e164")]

    def test_international_numbers_keep_their_country(self):
        assert parties("+33 6 12 34 56 78", "0033612345678", "353851234567") == [
            ("+33612345678", "e164"), ("+33612345678", "e164"), ("+353851234567", "e164")]


class TestNotNumbers:
    @pytest.mark.parametrize("raw", ["Withheld", "PRIVATE", "Unknown", "number withheld",
                                     "Restricted", "Anonymous"])
    def test_withheld_words_are_withheld_with_no_number(self, raw):
        assert parties(raw) == [(None, "withheld")]

    @pytest.mark.parametrize("raw", ["999", "112", "101", "111", "150", "901", "118118",
                                     "88088"])
    def test_two_to_six_digit_codes_are_short_codes(self, raw):
        assert parties(raw) == [(None, "short_code")]

    @pytest.mark.parametrize("raw", ["07700900123", "01632 960000", "0", "0740012345",
                                     "074001234567", "abc", "0800-FLOWERS",
                                     "=cmd|' /C calc'!A0", "+07400123456"])
    def test_junk_and_unallocated_ranges_are_invalid_never_a_number(self, raw):
        assert parties(raw) == [(None, "invalid")]

    def test_blank_and_null_are_absent(self):
        assert parties("", "   ", None) == [(None, "absent")] * 3


class TestNumberBook:
    def test_phonenumbers_is_asked_once_per_distinct_candidate_not_per_row(self):
        book = NumberBook()
        raw = pl.Series(["07400123456", "+447400123456", "447400123456"] * 1000
                        + ["07512345678"] * 500 + ["Withheld", "150"] * 100)
        out = normalise_parties(raw, book)
        assert book.lookups == 2
        assert out["number"].n_unique() == 3  # two numbers and null

    def test_a_book_remembers_answers_across_batches(self):
        book = NumberBook()
        normalise_parties(pl.Series(["07400123456"]), book)
        normalise_parties(pl.Series(["+447400123456", "07512345678"]), book)
        assert book.lookups == 2
