"""Parse a cell list (operator CSV/XLSX, OpenCelliD, Ofcom Sitefinder) into ``cells``.

A pure function of the file's bytes and the exhibit id: the same input gives the same
Parquet bytes and report. The variant is recognised from the header and named, with its
confidence, in the report's warnings; an unrecognised header fails the file with the
columns seen.
"""

from __future__ import annotations

from pathlib import Path

import openpyxl
import polars as pl
import pyarrow as pa
import pyproj
from linesight_shared.tables import CELLS_SCHEMA

from linesight_ingest.parsing.cell_sites import opencellid, operator, sitefinder, variants, xlsx
from linesight_ingest.parsing.cell_sites.rows import to_cells_table
from linesight_ingest.parsing.csv_stream import iter_csv
from linesight_ingest.parsing.parquet import DatasetWriter, with_metadata
from linesight_ingest.parsing.registry import ParseOutput, Progress, finish_table
from linesight_ingest.parsing.report import ReportBuilder
from linesight_ingest.parsing.rowcheck import frame, keep_good

PARSER_NAME = "cell-sites-v1"
PARSER_VERSION = "1.0.0"
TABLE = "cells"

_NORMALISERS = {variants.OPERATOR: operator, variants.OPENCELLID: opencellid,
                variants.SITEFINDER: sitefinder}
_SOURCES = {variants.OPERATOR: "operator", variants.OPENCELLID: "opencellid",
            variants.SITEFINDER: "ofcom_sitefinder"}
_KEYS = {variants.OPERATOR: tuple(variants._OPERATOR_ALIASES),
         variants.OPENCELLID: variants._OPENCELLID,
         variants.SITEFINDER: tuple(variants._SITEFINDER)}


def libraries() -> dict[str, str]:
    return {"polars": pl.__version__, "pyarrow": pa.__version__, "pyproj": pyproj.__version__,
            "proj": pyproj.proj_version_str, "openpyxl": openpyxl.__version__}


def _matcher(report: ReportBuilder):
    def match(header: list[str]) -> variants.Variant | None:
        v = variants.detect(header)
        if v is None:
            report.file_error(variants.unrecognised(header), line=1)
            return None
        for problem in v.errors:
            report.file_error(problem, line=1)
        if v.errors:
            return None
        known = round(v.confidence * len(header))
        report.warn(f"header recognised as variant {v.name!r} (confidence {v.confidence:.2f}: "
                    f"{known} of {len(header)} columns known)", line=1)
        if v.unknown:
            report.warn("columns not in the layout were ignored: " + ", ".join(v.unknown),
                        line=1)
        if v.name == variants.OPERATOR and "cgi" in v.positions and "ci" in v.positions:
            report.warn("both a CGI column and split MCC/MNC/LAC/CI columns: the CGI column "
                        "was used", line=1)
        return v
    return match


class CellSitesParser:
    name = PARSER_NAME
    version = PARSER_VERSION

    def parse(self, path: Path, *, exhibit_id: str, out_dir: Path, batch_rows: int,
              progress: Progress | None = None) -> ParseOutput:
        report = ReportBuilder(parser=PARSER_NAME, parser_version=PARSER_VERSION)
        out = ParseOutput(report=report, libraries=libraries())
        match = _matcher(report)
        if xlsx.is_xlsx(path):
            variant, sheet, batches = xlsx.iter_xlsx(path, report, match, batch_rows=batch_rows)
        else:
            variant, batches = iter_csv(path, report, match, fmt="cell list",
                                        batch_rows=batch_rows, progress=progress)
            sheet = None
        if variant is None:
            return out
        dest = out_dir / f"{TABLE}.parquet"
        schema = with_metadata(CELLS_SCHEMA, {
            "linesight.exhibit_id": exhibit_id, "linesight.parser": PARSER_NAME,
            "linesight.parser_version": PARSER_VERSION,
            "linesight.cells.variant": variant.name,
            **{f"linesight.library.{k}": v for k, v in libraries().items()},
        })
        module = _NORMALISERS[variant.name]
        positions = {k: variant.positions.get(k) for k in _KEYS[variant.name]}
        headers = {k: variant.header[i].strip() for k, i in variant.positions.items()}
        with DatasetWriter(dest, schema) as writer:
            for batch in batches:
                df, checks = module.normalise(frame(batch, positions), variant.positions)
                ok = keep_good(df, checks, headers, report)
                table = to_cells_table(module.finish(ok, variant.positions),
                                       exhibit_id=exhibit_id, source_ref=sheet,
                                       source=_SOURCES[variant.name])
                report.rows_accepted += table.num_rows
                writer.write(table)
        return finish_table(out, TABLE, dest)
