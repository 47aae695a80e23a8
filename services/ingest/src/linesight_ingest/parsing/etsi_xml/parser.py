"""Registers the ``etsi-ts-102-657-xml`` parser for exhibits of kind ``retained_data_xml``.

Streams ``RetainedDataRecord`` elements (see :mod:`linesight_ingest.parsing.safe_xml`):
``source_row`` is the record's 1-based ordinal, ``event_id`` is ``<exhibit>:<ordinal>``,
and a reject names the record's start line in its ``field``. A document that breaks off
(truncated, bad bytes) is a file error naming the line and column, *and* the records
read before the break are kept and counted, so an analyst sees what was readable and the
report still fails. A DTD, an entity, or a limit broken is a file error with no tables.
"""

from __future__ import annotations

from pathlib import Path

from linesight_ingest.parsing.cdr import libraries
from linesight_ingest.parsing.etsi_xml.events import read_record
from linesight_ingest.parsing.etsi_xml.records import Outcome
from linesight_ingest.parsing.registry import ParseOutput, Progress, register
from linesight_ingest.parsing.report import ReportBuilder
from linesight_ingest.parsing.row_sink import RowSink
from linesight_ingest.parsing.safe_xml import XmlBroken, XmlRefused, stream_records

PARSER_NAME = "etsi-ts-102-657-xml"
PARSER_VERSION = "1.0.0"
KIND = "retained_data_xml"


class _Cells:
    """Distinct (cell, position) pairs in order of first sight, with the time span seen."""

    def __init__(self) -> None:
        self.rows: dict[tuple, dict] = {}

    def see(self, out: Outcome, ordinal: int, path: str) -> None:
        when = out.row.get("start_utc") if out.row else None
        for cell in out.cells:
            key = (cell.ident["cgi"], cell.lat, cell.lon, cell.azimuth)
            row = self.rows.get(key)
            if row is None:
                row = self.rows[key] = {**cell.ident, "source_row": ordinal,
                                        "source_ref": f"{path}//location", "lat": cell.lat,
                                        "lon": cell.lon, "azimuth": cell.azimuth,
                                        "source": "operator", "valid_from": when,
                                        "valid_to": when}
            if when is not None:
                row["valid_from"] = min(filter(None, (row["valid_from"], when)))
                row["valid_to"] = max(filter(None, (row["valid_to"], when)))


def parse_retained_data(path: Path, *, exhibit_id: str, out_dir: Path, batch_rows: int = 50_000,
                        progress: Progress | None = None) -> ParseOutput:
    report = ReportBuilder(parser=PARSER_NAME, parser_version=PARSER_VERSION)
    meta = {"linesight.exhibit_id": exhibit_id, "linesight.parser": PARSER_NAME,
            "linesight.parser_version": PARSER_VERSION,
            **{f"linesight.library.{k}": v for k, v in libraries().items()}}
    sink = RowSink(out_dir, exhibit_id=exhibit_id, report=report, metadata=meta,
                   batch_rows=batch_rows, always=("events",))
    cells, notes = _Cells(), {}
    size = max(path.stat().st_size, 1)
    broken = False
    with path.open("rb") as f:
        try:
            for rec in stream_records(f, {"RetainedDataRecord"}):
                report.rows_read += 1
                out = read_record(rec.elem)
                for note in out.notes:
                    notes.setdefault(note, [0, rec.ordinal])[0] += 1
                if out.row is None:
                    for p in out.problems:
                        report.reject(rec.ordinal, f"{p.element} @ line {rec.line}", p.value,
                                      p.reason)
                    continue
                _finish(out, exhibit_id, rec.ordinal, rec.line)
                report.rows_accepted += 1
                sink.add("events", out.row)
                cells.see(out, rec.ordinal, rec.path)
                if progress and rec.ordinal % 10_000 == 0:
                    progress(min(f.tell() / size, 0.99))
        except XmlRefused as exc:
            report.file_error(exc.reason, line=exc.line)
            sink.discard()
            return ParseOutput(report=report, tables={}, libraries=libraries())
        except XmlBroken as exc:
            broken = True
            report.file_error(f"{exc.reason} (the file breaks off or is damaged at line "
                              f"{exc.line}, column {exc.column}; the {report.rows_read} "
                              "records before it are kept)", line=exc.line)
    for note, (count, first) in sorted(notes.items()):
        report.warn(f"{note}: {count} record(s), first is record {first}")
    if not broken and report.rows_read == 0:
        report.warn("the document holds no RetainedDataRecord (a nil return?)")
    if broken and report.rows_read == 0:
        sink.discard()  # nothing readable: a file error and no tables
        return ParseOutput(report=report, tables={}, libraries=libraries())
    for row in cells.rows.values():
        sink.add("cells", row)
    tables = sink.close()
    if report.rows_read != report.rows_accepted + report.rows_rejected:  # pragma: no cover
        report.file_error("internal: records read != accepted + rejected")
    if progress:
        progress(1.0)
    return ParseOutput(report=report, tables=tables, libraries=libraries())


def _finish(out: Outcome, exhibit_id: str, ordinal: int, line: int) -> None:
    """Common columns; the start time (UTC now, or UK-local resolved by the sink)."""
    row, stamp = out.row, out.stamp
    assert row is not None and stamp is not None
    row.update({"event_id": f"{exhibit_id}:{ordinal}", "exhibit_id": exhibit_id,
                "source_row": ordinal, "source_tz": stamp.source_tz,
                "start_utc": stamp.utc, "_local": stamp.local,
                "start_local_raw": stamp.local.isoformat(sep=" ") if stamp.local else None})


class RetainedDataXmlParser:
    name = PARSER_NAME
    version = PARSER_VERSION

    def parse(self, path: Path, *, exhibit_id: str, out_dir: Path, batch_rows: int,
              progress: Progress | None = None) -> ParseOutput:
        return parse_retained_data(path, exhibit_id=exhibit_id, out_dir=out_dir,
                                   batch_rows=batch_rows, progress=progress)


register(KIND, RetainedDataXmlParser())
