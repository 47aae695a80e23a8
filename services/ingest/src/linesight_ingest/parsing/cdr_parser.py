"""Registers the ``uk-operator-cdr-v1`` CDR parser for exhibits of kind ``cdr``."""

from __future__ import annotations

from pathlib import Path

from linesight_shared.tables import EVENTS_TABLE

from linesight_ingest.parsing.cdr import libraries, parse_cdr_file
from linesight_ingest.parsing.layout import PARSER_NAME, PARSER_VERSION
from linesight_ingest.parsing.registry import ParseOutput, Progress, register


class UkOperatorCdrParser:
    name = PARSER_NAME
    version = PARSER_VERSION

    def parse(self, path: Path, *, exhibit_id: str, out_dir: Path, batch_rows: int,
              progress: Progress | None = None) -> ParseOutput:
        result = parse_cdr_file(path, exhibit_id=exhibit_id,
                                out_path=out_dir / f"{EVENTS_TABLE}.parquet",
                                batch_rows=batch_rows, progress=progress)
        tables = {EVENTS_TABLE: result.dataset_path} if result.dataset_path else {}
        return ParseOutput(report=result.report, tables=tables, libraries=libraries())


register("cdr", UkOperatorCdrParser())
