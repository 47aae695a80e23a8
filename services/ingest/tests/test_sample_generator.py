"""The bundled Op Monza sample and the seeded generator that made it."""

from __future__ import annotations

import hashlib
from collections import Counter
from pathlib import Path

import phonenumbers
import polars as pl
import pytest
from linesight_ingest.parsing import parse_cdr_file
from linesight_ingest.samples.cdr_generator import DEFAULT_SEED, generate, main

SAMPLES = Path(__file__).parents[3] / "samples" / "op-monza"
SAMPLE = SAMPLES / "ABC-1_deal-line_cdr.csv"


@pytest.fixture(scope="module")
def events(tmp_path_factory) -> pl.DataFrame:
    out = tmp_path_factory.mktemp("sample") / "events.parquet"
    result = parse_cdr_file(SAMPLE, exhibit_id="a" * 32, out_path=out)
    assert result.succeeded
    return pl.read_parquet(out)


class TestGenerator:
    def test_the_bundled_sample_is_exactly_what_the_documented_seed_makes(self):
        assert generate(DEFAULT_SEED) == SAMPLE.read_bytes()

    def test_the_readme_gives_the_seed_and_the_command_that_regenerates_it(self):
        readme = (SAMPLES / "README.md").read_text()
        assert (f"python -m linesight_ingest.samples.cdr_generator --seed {DEFAULT_SEED} "
                f"--out samples/op-monza/ABC-1_deal-line_cdr.csv") in readme
        assert hashlib.sha256(SAMPLE.read_bytes()).hexdigest() in readme

    def test_another_seed_makes_another_file(self):
        assert generate(DEFAULT_SEED + 1) != generate(DEFAULT_SEED)

    def test_the_command_line_writes_the_file(self, tmp_path, capsys):
        main(["--seed", "7", "--out", str(tmp_path / "x.csv")])
        assert (tmp_path / "x.csv").read_bytes() == generate(7)
        assert "seed 7" in capsys.readouterr().out


class TestSampleContent:
    def test_it_holds_three_to_five_thousand_events_about_one_target(self, events):
        assert 3000 <= events.height <= 5000
        assert events["subject"].n_unique() == 1

    def test_it_spans_the_end_of_bst_with_events_in_the_repeated_hour(self, events):
        assert events["start_utc"].min().date().isoformat() == "2024-09-29"
        assert events["start_utc"].max().date().isoformat() == "2024-11-24"
        repeated = events.filter(pl.col("start_local_raw").str.starts_with("27/10/2024 01:"))
        assert repeated.height >= 8
        assert set(repeated["time_flag"]) == {"ambiguous"}

    def test_one_contact_appears_in_several_written_shapes(self, events):
        shapes = (events.filter(pl.col("a_party_kind") == "e164")
                  .group_by("a_party").agg(pl.col("a_party_raw").str.slice(0, 2).n_unique()))
        assert shapes["a_party_raw"].max() == 3  # 07…, +4…, 44…

    def test_it_has_withheld_callers_short_codes_data_and_bulk_sms(self, events):
        assert events["withheld"].sum() > 50
        shorts = set(events.filter(pl.col("a_party_kind") == "short_code")["a_party_raw"]) | \
            set(events.filter(pl.col("b_party_kind") == "short_code")["b_party_raw"])
        assert shorts == {"150", "901"}
        assert events.filter(pl.col("kind") == "data")["charging_id"].null_count() == 0
        per_minute = events.filter((pl.col("kind") == "sms") & (pl.col("direction") == "out")) \
            .group_by(pl.col("start_utc").dt.truncate("1m")).len()
        assert per_minute["len"].max() >= 10

    def test_a_handful_of_contacts_dominate_the_voice_traffic(self, events):
        voice = events.filter(pl.col("kind") == "voice")
        others = Counter(a if d != "out" else b for a, b, d in
                         voice.select("a_party", "b_party", "direction").iter_rows())
        top = sum(n for _, n in others.most_common(4))
        assert top / voice.height > 0.3

    def test_every_number_is_a_valid_uk_or_drama_range_number(self, events):
        numbers = set(events["a_party"].drop_nulls()) | set(events["b_party"].drop_nulls())
        assert all(phonenumbers.is_valid_number(phonenumbers.parse(n)) for n in numbers)
        assert {n[:3] for n in numbers} == {"+44"}

    def test_the_handset_changes_once_on_the_same_sim(self, events):
        assert events["imei"].n_unique() == 2 and events["imsi"].n_unique() == 1
