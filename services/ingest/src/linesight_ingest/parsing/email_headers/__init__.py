"""Registers the ``rfc5322-headers-v1`` parser for exhibits of kind ``email``.

Mail stores (an mbox, one ``.eml``, or a maildir tree in a zip/tar/tar.gz) → the
``email_headers`` table, one row per message: who wrote to whom and when, never what
(bodies are not read; the subject is kept only as a digest). See
``services/ingest/docs/email-headers.md`` and the modules :mod:`.sources` (how messages
are found) and :mod:`.fields` (how a header block becomes a row).

A message is rejected, with its ordinal as the line, its member path or ``From `` line
as the value, and the reason, when its header block cannot be parsed at all (no header
fields, NUL bytes, larger than ``MAX_HEADER_BYTES``). An archive that breaks a safety
rule (traversal, links, a bomb) fails as a whole with a file error and no table.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pyarrow as pa
from linesight_shared.tables import EMAIL_HEADERS_SCHEMA

from linesight_ingest.parsing.email_headers.fields import Unreadable, header_row
from linesight_ingest.parsing.email_headers.sources import (
    RawMessage,
    detect,
    iter_archive,
    iter_mbox,
    iter_message,
)
from linesight_ingest.parsing.registry import ParseOutput, Progress, register
from linesight_ingest.parsing.report import ReportBuilder
from linesight_ingest.parsing.rows import Flags, RowSink, dataset_schema, finish
from linesight_ingest.parsing.safe_archive import ArchiveError

PARSER_NAME = "rfc5322-headers-v1"
PARSER_VERSION = "1.0.0"
TABLE = "email_headers"

__all__ = ["PARSER_NAME", "PARSER_VERSION", "EmailHeadersParser", "parse_email_file"]


def libraries() -> dict[str, str]:
    """The stdlib ``email`` package's behaviour is the Python version's."""
    return {"python": sys.version.split()[0], "pyarrow": pa.__version__}


def parse_email_file(path: Path, *, exhibit_id: str, out_dir: Path, batch_rows: int = 10_000,
                     progress: Progress | None = None) -> ParseOutput:
    report = ReportBuilder(parser=PARSER_NAME, parser_version=PARSER_VERSION)
    if path.stat().st_size == 0:
        report.file_error("the file is empty (0 bytes)")
        return ParseOutput(report=report, libraries=libraries())
    kind = detect(path)
    schema = dataset_schema(EMAIL_HEADERS_SCHEMA, exhibit_id=exhibit_id, parser=PARSER_NAME,
                            version=PARSER_VERSION, libraries=libraries(),
                            extra={"linesight.source_format": kind})
    sink = RowSink(out_dir / f"{TABLE}.parquet", schema, exhibit_id=exhibit_id,
                   batch_rows=batch_rows)
    messages = {"archive": lambda: iter_archive(path),
                "mbox": lambda: iter_mbox(path, progress),
                "message": lambda: iter_message(path)}[kind]()
    flags, time_flags = Flags(), Flags()
    try:
        for message in messages:
            _one(message, sink, report, flags, time_flags)
    except ArchiveError as exc:
        report.file_error(f"the archive was refused: {exc}")
    except OSError as exc:  # a truncated or corrupt archive stream
        report.file_error(f"the file could not be read to the end: {exc}")
    report.time_flags.update(time_flags.counts)
    flags.to_report(report, unit="messages")
    time_flags.to_report(report, unit="messages")
    table = finish(sink, report, what="messages")
    if progress is not None:
        progress(1.0)
    return ParseOutput(report=report, tables={TABLE: table} if table else {},
                       libraries=libraries())


def _one(message: RawMessage, sink: RowSink, report: ReportBuilder, flags: Flags,
         time_flags: Flags) -> None:
    report.rows_read += 1
    where = message.ref or "the message"
    if message.problem:
        report.reject(message.ordinal, None, where, message.problem)
        return
    try:
        row = header_row(message.header, message.ordinal, flags, time_flags)
    except Unreadable as exc:
        report.reject(message.ordinal, None, where, str(exc))
        return
    row.update(source_row=message.ordinal, source_ref=message.ref, mailbox=message.mailbox)
    sink.add([row])
    report.rows_accepted += 1


class EmailHeadersParser:
    name = PARSER_NAME
    version = PARSER_VERSION

    def parse(self, path: Path, *, exhibit_id: str, out_dir: Path, batch_rows: int,
              progress: Progress | None = None) -> ParseOutput:
        return parse_email_file(path, exhibit_id=exhibit_id, out_dir=out_dir,
                                batch_rows=batch_rows, progress=progress)


register("email", EmailHeadersParser())
