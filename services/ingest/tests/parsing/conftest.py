"""Helpers for the reference-data parsers' tests: run a parser on bytes, read its table."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

import polars as pl
import pytest
from linesight_ingest.parsing.registry import ParseOutput, Parser

EXHIBIT = "f" * 32
DATA = Path(__file__).parents[1] / "data"
CORPUS = Path(__file__).parent / "corpus"


@dataclass
class Run:
    out: ParseOutput
    report: dict
    table: pl.DataFrame | None
    path: Path | None

    def digest(self) -> str | None:
        return hashlib.sha256(self.path.read_bytes()).hexdigest() if self.path else None


def assert_counts_add_up(report: dict) -> None:
    """Nothing dropped silently: every data row read is accepted or rejected."""
    assert report["rows_read"] == report["rows_accepted"] + report["rows_rejected"]


def run_parser(parser: Parser, content: bytes | Path, tmp: Path, *, suffix: str = ".csv",
               batch_rows: int = 1000) -> Run:
    tmp.mkdir(parents=True, exist_ok=True)
    n = len(list(tmp.iterdir()))
    src = content if isinstance(content, Path) else tmp / f"in{n}{suffix}"
    if not isinstance(content, Path):
        src.write_bytes(content)
    out_dir = tmp / f"out{n}"
    out_dir.mkdir()
    out = parser.parse(src, exhibit_id=EXHIBIT, out_dir=out_dir, batch_rows=batch_rows)
    report = out.report.to_dict()
    assert_counts_add_up(report)
    assert out.succeeded == (report["status"] == "succeeded")
    (path,) = out.tables.values() if out.tables else (None,)
    return Run(out, report, pl.read_parquet(path) if path else None, path)


@pytest.fixture
def run(tmp_path):
    """``run(parser, bytes_or_path, suffix=".csv")`` → :class:`Run`."""
    def go(parser: Parser, content, **kw) -> Run:
        return run_parser(parser, content, tmp_path / "runs", **kw)
    return go


def csv_bytes(*lines: str) -> bytes:
    return ("\r\n".join(lines) + "\r\n").encode("utf-8")


@pytest.fixture
def csv():
    """``csv(line, line, ...)`` → UTF-8 bytes with CRLF line endings."""
    return csv_bytes


@pytest.fixture
def corpus() -> Path:
    return CORPUS
