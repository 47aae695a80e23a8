"""Mapping profiles: the model and loader, each built-in on its sample, detection, forcing."""

from __future__ import annotations

import hashlib
import io
from pathlib import Path

import openpyxl
import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from linesight_ingest.parsing.profiles.detect import THRESHOLD, detect
from linesight_ingest.parsing.profiles.loader import (
    ProfileError,
    available,
    builtin,
    parse_profile,
)
from linesight_ingest.parsing.profiles.parser import parse_cdr

from .conftest import SAMPLE, cdr, row
from .profile_samples import GENERATORS, SAMPLES, o2_xlsx, three_tsv, vf_csv

EXHIBIT = "p" * 32
#: the sample's events Parquet before mapping profiles existed (uk-operator-cdr-v1 1.0.0)
SAMPLE_PARQUET_SHA256 = "53d2f5d2c9096f6c5f02d7a8f14c96370713a848e2dafe339c1705a27e1316af"


def run(tmp_path: Path, content: bytes | Path, suffix: str = ".csv", **options):
    src = content if isinstance(content, Path) else tmp_path / f"in{suffix}"
    if not isinstance(content, Path):
        src.write_bytes(content)
    out = tmp_path / "out.parquet"
    result = parse_cdr(src, exhibit_id=EXHIBIT, out_path=out, batch_rows=1000,
                       options=options or None)
    df = pl.read_parquet(out) if result.dataset_path else None
    return result.report.to_dict(), df


class TestProfileModel:
    def test_every_builtin_loads_and_is_named_after_its_file(self):
        names = [p.name for p in available()]
        assert names == sorted(names) and {"uk-operator-cdr-v1", "uk-vf-style-v1",
                                           "uk-three-style-v1", "uk-o2-style-xlsx-v1"} <= set(names)

    def test_a_bad_value_is_refused_with_its_line_and_key_path(self):
        text = builtin("uk-vf-style-v1").text.replace("source_tz: Europe/London",
                                                      "source_tz: Europe/Paris")
        with pytest.raises(ProfileError) as err:
            parse_profile(text)
        line = next(i for i, t in enumerate(text.splitlines(), 1) if "Europe/Paris" in t)
        assert (line, "times.source_tz") == err.value.problems[0][:2]

    def test_a_vocabulary_word_outside_the_canonical_one_is_refused(self):
        text = builtin("uk-operator-cdr-v1").text.replace("FWD: forward", "FWD: sideways")
        with pytest.raises(ProfileError, match=r"directions: sideways is not a canonical"):
            parse_profile(text)

    def test_a_duplicated_key_is_refused_not_silently_overwritten(self):
        text = builtin("uk-operator-cdr-v1").text + "duration: seconds\n"
        with pytest.raises(ProfileError, match="duration: key given twice"):
            parse_profile(text)

    def test_an_unknown_key_and_an_unknown_directive_are_named(self):
        text = (builtin("uk-operator-cdr-v1").text.replace('"%d/%m/%Y"', '"%d/%b/%Y"')
                + "colour: blue\n")
        with pytest.raises(ProfileError) as err:
            parse_profile(text)
        paths = {p[1] for p in err.value.problems}
        assert {"colour", "times.date_format"} <= paths

    def test_the_identity_is_the_sha256_of_the_text(self):
        p = builtin("uk-operator-cdr-v1")
        assert p.sha256 == hashlib.sha256(p.text.encode()).hexdigest()


class TestUkOperatorUnchanged:
    def test_the_sample_gives_the_same_parquet_bytes_as_before_profiles(self, tmp_path):
        out = tmp_path / "out.parquet"
        report = parse_cdr(SAMPLE, exhibit_id="EXH1", out_path=out, batch_rows=1000
                           ).report.to_dict()
        digest = hashlib.sha256((tmp_path / "out.parquet").read_bytes()).hexdigest()
        assert digest == SAMPLE_PARQUET_SHA256
        assert report["profile"]["name"] == "uk-operator-cdr-v1"
        assert report["profile"]["confidence"] == 1.0 and not report["profile"]["forced"]


class TestBuiltinLayouts:
    def test_committed_samples_are_detected_as_their_own_profile_first(self):
        for name, (file, _) in GENERATORS.items():
            ranked = detect(SAMPLES / file, available())
            assert ranked[0].name == name, (file, ranked)
            assert ranked[0].confidence >= THRESHOLD > ranked[1].confidence

    def test_vf_style_reads_one_datetime_column_and_hh_mm_ss_durations(self, tmp_path):
        report, df = run(tmp_path, vf_csv())
        assert report["parser"] == "uk-vf-style-v1"
        assert df["duration_s"].to_list() == [65, 0, 730, 3600]
        assert df["charging_id"].to_list()[3] == "8F1A22C0"
        assert report["rejects"][0]["line"] == 6
        assert {r["field"] for r in report["rejects"]} == {"Event Date/Time", "Duration"}

    def test_vf_style_flags_the_repeated_bst_hour(self, tmp_path):
        _, df = run(tmp_path, vf_csv())
        flagged = df.filter(pl.col("time_flag") == "ambiguous")
        assert flagged["start_local_raw"].to_list() == ["27/10/2024 01:30:00"]
        assert str(flagged["start_utc"][0]) == "2024-10-27 00:30:00+00:00"

    def test_three_style_is_utc_with_other_party_placed_by_direction(self, tmp_path):
        report, df = run(tmp_path, three_tsv(), ".tsv")
        first, second = df.row(0, named=True), df.row(1, named=True)
        assert (first["a_party"], first["b_party"]) == ("+447400123456", "+447512345678")
        assert (second["a_party_kind"], second["b_party"]) == ("withheld", "+447400123456")
        assert set(df["source_tz"]) == {"UTC"} and df["time_flag"].null_count() == df.height
        assert report["rejects"][0]["reason"].startswith("unknown direction (expected "
                                                         "Outgoing, Incoming or Forwarded)")

    def test_o2_style_takes_the_target_from_the_header_block(self, tmp_path):
        report, df = run(tmp_path, SAMPLES / "o2_style.xlsx")
        assert set(df["subject"]) == {"+447400123456"}
        assert df["source_row"].to_list() == [6, 7, 8, 9]
        assert report["rejects"] == [{"line": 10, "field": "Time", "value": "25:00:00",
                                      "reason": "not a time in HH:MM:SS form"}]
        assert report["rows_read"] == report["rows_accepted"] + report["rows_rejected"]

    def test_xlsx_formulas_are_kept_as_text_never_evaluated(self, tmp_path):
        report, df = run(tmp_path, SAMPLES / "o2_style.xlsx")
        cell = df.filter(pl.col("source_row") == 9).row(0, named=True)
        assert cell["b_party_raw"].startswith("=HYPERLINK(") and cell["b_party_kind"] == "invalid"
        assert any("formulas" in w["reason"] for w in report["warnings"])

    def test_an_o2_workbook_without_the_target_block_fails_clearly(self, tmp_path):
        wb = openpyxl.load_workbook(io.BytesIO(o2_xlsx()))
        wb["Call Data"]["A2"] = "Account"
        buf = io.BytesIO()
        wb.save(buf)
        report, df = run(tmp_path, buf.getvalue(), ".xlsx", profile="uk-o2-style-xlsx-v1")
        assert df is None and "no 'Target MSISDN' value" in report["file_errors"][0]["reason"]


class TestDetectionAndForcing:
    def test_an_unknown_layout_is_refused_listing_every_candidate(self, tmp_path):
        report, df = run(tmp_path, b"when,who,what\n2024-01-01,me,call\n")
        assert df is None and report["status"] == "failed"
        reason = report["file_errors"][0]["reason"]
        assert reason.startswith("no mapping profile fits this file")
        assert all(p.name in reason for p in available())
        assert len(report["profile"]["candidates"]) == len(available())

    def test_a_forced_profile_is_used_and_recorded_even_when_it_fits_badly(self, tmp_path):
        report, df = run(tmp_path, cdr(row(1, direction="Sideways"), row(2)),
                         profile="uk-operator-cdr-v1")
        assert report["profile"]["forced"] is True and df.height == 1

    def test_forcing_an_unknown_profile_fails_naming_the_known_ones(self, tmp_path):
        report, _ = run(tmp_path, cdr(row(1)), profile="no-such-profile")
        assert "no mapping profile is named 'no-such-profile'" in report["file_errors"][0][
            "reason"]

    def test_a_custom_profile_offered_in_options_can_be_detected(self, tmp_path):
        text = (builtin("uk-operator-cdr-v1").text.replace("uk-operator-cdr-v1", "my-layout")
                .replace("Call Date", "Datum"))
        content = cdr(row(1), header=cdr(row(1)).decode().splitlines()[0]
                      .replace("Call Date", "Datum"))
        report, df = run(tmp_path, content, custom_profiles={"my-layout@1.0.0": text})
        assert report["parser"] == "my-layout" and report["profile"]["source"] == "custom"
        assert df.height == 1


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(header=st.lists(st.text(max_size=12), max_size=8),
       rows=st.lists(st.lists(st.text(max_size=12), max_size=8), max_size=6),
       sep=st.sampled_from([",", "\t"]))
def test_detection_never_crashes_on_arbitrary_headers_and_rows(tmp_path_factory, header, rows,
                                                               sep):
    path = tmp_path_factory.mktemp("fuzz") / "f.csv"
    path.write_bytes("\n".join(sep.join(r) for r in [header, *rows]).encode("utf-8",
                                                                            "surrogatepass"))
    ranked = detect(path, available())
    assert len(ranked) == len(available())
    assert all(0.0 <= c.confidence <= 1.0 and c.reasons for c in ranked)
