"""IP sessions and subscriber attributions keep, per row, how each local time was read."""

from __future__ import annotations

from pathlib import Path

import polars as pl
from linesight_ingest.parsing.registry import parser_for

DATA = Path(__file__).parents[1] / "data"


def parse(kind: str, content: str, tmp_path: Path) -> pl.DataFrame:
    src = tmp_path / "in.csv"
    src.write_text(content)
    out = parser_for(kind).parse(src, exhibit_id="e1", out_dir=tmp_path, batch_rows=100)
    assert out.succeeded, out.report.file_errors
    return pl.read_parquet(next(iter(out.tables.values())))


def test_an_ip_session_in_the_repeated_october_hour_is_flagged_on_its_row(tmp_path):
    text = DATA.joinpath("ip_log_sample.csv").read_text().splitlines()
    rows = parse("ip_log", "\n".join(text) + "\n", tmp_path)
    flagged = rows.filter(pl.col("time_flag").str.contains("start:ambiguous"))
    assert flagged.height > 0
    assert rows.filter(pl.col("time_flag").is_null()).height > 0  # offsets given: no flag


def test_subscriber_attribution_dates_say_bst_or_gmt(tmp_path):
    rows = parse("subscriber", DATA.joinpath("subscriber_sample.csv").read_text(), tmp_path)
    assert rows["time_flag"].drop_nulls().str.contains("connected:").all()
    assert rows.filter(pl.col("time_flag").str.contains("bst")).height > 0
