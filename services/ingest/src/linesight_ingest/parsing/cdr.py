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
from linesight_shared.tables import EVENTS_SCHEMA

from linesight_ingest.parsing.layout import PARSER_NAME, PARSER_VERSION, SOURCE_TZ
from linesight_ingest.parsing.normalise import normalise_batch
from linesight_ingest.parsing.numbers import NumberBook
from linesight_ingest.parsing.parquet import DatasetWriter, with_metadata
from linesight_ingest.parsing.reader import iter_records
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
    """Read ``path``, write the accepted rows to ``out_path``, report everything else.

    Fails (no Parquet written) when the file cannot be read as this layout at all, or
    when every data row was rejected. A header with no data rows succeeds with an empty
    dataset and a warning (an operator's nil return).
    """
    report = ReportBuilder(parser=PARSER_NAME, parser_version=PARSER_VERSION)
    header, batches = iter_records(path, report, batch_rows=batch_rows, progress=progress)
    if header is None:
        return ParseResult(report=report, dataset_path=None)
    schema = with_metadata(EVENTS_SCHEMA, {
        "linesight.exhibit_id": exhibit_id,
        "linesight.parser": PARSER_NAME,
        "linesight.parser_version": PARSER_VERSION,
        "linesight.source_tz": SOURCE_TZ,
        **{f"linesight.library.{k}": v for k, v in libraries().items()},
    })
    book = NumberBook()
    with DatasetWriter(out_path, schema) as writer:
        for batch in batches:
            writer.write(normalise_batch(batch, header, exhibit_id=exhibit_id, book=book,
                                         report=report))
    if report.rows_read and not report.rows_accepted:
        report.file_error(f"no row could be read: all {report.rows_read} data rows were "
                          "rejected (see rejects)")
    elif not report.rows_read:
        report.warn("the file has a header and no data rows (a nil return?)")
    if report.failed:
        out_path.unlink(missing_ok=True)
        return ParseResult(report=report, dataset_path=None)
    return ParseResult(report=report, dataset_path=out_path)
