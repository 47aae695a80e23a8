"""Helpers for the row-at-a-time parsers' tests (email headers, IP logs, subscriber checks):
run a parser on bytes, check the registry contract, read what it wrote."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import polars as pl
import pyarrow.parquet as pq
from linesight_ingest.parsing.registry import ParseOutput
from linesight_shared.tables import TABLES

EXHIBIT = "e" * 32
CORPUS = Path(__file__).parent / "corpus"
DATA = Path(__file__).parents[1] / "data"


@dataclass
class Run:
    out: ParseOutput
    report: dict
    table: str

    @property
    def path(self) -> Path | None:
        return self.out.tables.get(self.table)

    @property
    def df(self) -> pl.DataFrame | None:
        return pl.read_parquet(self.path) if self.path else None

    @property
    def rejects(self) -> list[dict]:
        return self.report["rejects"]

    def reasons(self) -> list[str]:
        return [r["reason"] for r in self.rejects]


def check_contract(run: Run) -> None:
    """What every parse keeps: counts add up, the schema is the canonical one exactly."""
    r = run.report
    assert r["rows_read"] == r["rows_accepted"] + r["rows_rejected"]
    if run.path is not None:
        assert not r["file_errors"]
        assert run.out.succeeded
        schema = pq.read_schema(run.path)
        assert schema.remove_metadata().equals(TABLES[run.table].remove_metadata())
        ids = pq.ParquetFile(run.path).read(columns=["exhibit_id"]).column(0).to_pylist()
        assert set(ids) <= {EXHIBIT}
    else:
        assert r["file_errors"] and not run.out.succeeded


def make_runner(tmp_path: Path) -> Callable[..., Run]:
    """``run(parse_fn, table, bytes_or_path, name=..., batch_rows=...)`` in ``tmp_path``;
    each test module wraps it in a ``run_parser`` fixture."""
    counter = itertools.count()

    def run(parse: Callable[..., ParseOutput], table: str, content: bytes | Path, *,
            name: str = "input", batch_rows: int = 1000) -> Run:
        n = next(counter)
        if isinstance(content, Path):
            src = content
        else:
            (tmp_path / f"in{n}").mkdir()
            src = tmp_path / f"in{n}" / name
            src.write_bytes(content)
        out_dir = tmp_path / f"out{n}"
        out_dir.mkdir()
        out = parse(src, exhibit_id=EXHIBIT, out_dir=out_dir, batch_rows=batch_rows)
        result = Run(out, out.report.to_dict(), table)
        check_contract(result)
        return result

    return run


def corpus(parser: str) -> list[Path]:
    """The regression corpus: inputs that once broke a parser (kept forever)."""
    return sorted(p for p in (CORPUS / parser).glob("*")
                  if p.is_file() and p.name != "README.md")


def keep_in_corpus(parser: str, name: str, data: bytes) -> None:
    """Save a failing example as a regression input (used while developing a parser)."""
    (CORPUS / parser).mkdir(parents=True, exist_ok=True)
    (CORPUS / parser / name).write_bytes(data)
