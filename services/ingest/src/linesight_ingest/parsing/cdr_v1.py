"""``uk-operator-cdr-v1`` through its own fast reader: block-split lines, columnar batches.

The same contract and, for every input, the same Parquet bytes and report as
:func:`linesight_ingest.parsing.cdr.parse_cdr_file` (which reads the layout through its
built-in mapping profile): the reader is :func:`linesight_ingest.parsing.reader.iter_records`
(lines split and checked a block at a time, :mod:`linesight_ingest.parsing.blocks`), the
normaliser :func:`linesight_ingest.parsing.normalise.normalise_batch` (each distinct value
worked out once), and the Parquet file is written on a second thread while the next batch
is normalised. ``bench/bench_ingest.py`` measures both paths.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from linesight_shared.tables import EVENTS_SCHEMA

from linesight_ingest.parsing.cdr import ParseResult, libraries
from linesight_ingest.parsing.layout import PARSER_NAME, PARSER_VERSION, SOURCE_TZ
from linesight_ingest.parsing.normalise import normalise_batch
from linesight_ingest.parsing.numbers import NumberBook
from linesight_ingest.parsing.parquet import DatasetWriter, with_metadata
from linesight_ingest.parsing.reader import iter_records
from linesight_ingest.parsing.report import ReportBuilder


def parse_v1_file(path: Path, *, exhibit_id: str, out_path: Path, batch_rows: int = 100_000,
                  progress: Callable[[float], None] | None = None,
                  per_line: bool = False, report: ReportBuilder | None = None) -> ParseResult:
    """Read ``path``, write the accepted rows to ``out_path``, report everything else
    (``per_line=True``: the reference line-by-line reader, same output, slower)."""
    report = report or ReportBuilder(parser=PARSER_NAME, parser_version=PARSER_VERSION)
    header, batches = iter_records(path, report, batch_rows=batch_rows, progress=progress,
                                   per_line=per_line)
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
