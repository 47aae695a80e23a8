"""Parse one ``uk-operator-cdr-v1`` file into an ``events`` Parquet file and a report.

A pure function of the file's bytes and the exhibit id (no database, no store, no
clock), so the same input always gives the same Parquet bytes and the same report.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import phonenumbers
import polars as pl
import pyarrow as pa

from linesight_ingest.parsing.layout import PARSER_NAME
from linesight_ingest.parsing.report import ReportBuilder


def libraries() -> dict[str, str]:
    """Versions of the libraries whose behaviour shapes the output (number metadata,
    time-zone rules, Parquet encoding); recorded in every report and dataset."""
    return {"phonenumbers": phonenumbers.__version__, "polars": pl.__version__,
            "pyarrow": pa.__version__}


@dataclass
class ParseResult:
    """The report and, when the parse succeeded, the Parquet file written."""

    report: ReportBuilder
    dataset_path: Path | None

    @property
    def succeeded(self) -> bool:
        return self.dataset_path is not None


def parse_cdr_file(path: Path, *, exhibit_id: str, out_path: Path, batch_rows: int = 100_000,
                   progress: Callable[[float], None] | None = None) -> ParseResult:
    """Read ``path`` as ``uk-operator-cdr-v1``, write the accepted rows to ``out_path``,
    report everything else.

    Fails (no Parquet written) when the file cannot be read as this layout at all, or
    when every data row was rejected. A header with no data rows succeeds with an empty
    dataset and a warning (an operator's nil return). The layout is the built-in mapping
    profile ``profiles/builtin/uk-operator-cdr-v1.yaml``, read by the same code as every
    other profile (:mod:`linesight_ingest.parsing.profiles.parser`).
    """
    from linesight_ingest.parsing.profiles.loader import builtin
    from linesight_ingest.parsing.profiles.parser import parse_with_profile

    return parse_with_profile(path, builtin(PARSER_NAME), exhibit_id=exhibit_id,
                              out_path=out_path, batch_rows=batch_rows, progress=progress)
