"""Registers the ``handset-download`` parser for exhibits of kind ``handset_download``.

The format is recognised from the content, never the file name:

* a zip archive → a Cellebrite ``.ufdr``: every member is checked by
  :mod:`linesight_ingest.parsing.safe_archive` (traversal, links, bombs, lying sizes),
  then ``report.xml`` (the shallowest member of that name) is streamed straight from the
  archive; nothing is extracted;
* XML whose first element is ``project`` → a UFED ``report.xml``;
* UTF-16LE text (with or without a BOM) → an MSAB XRY text report.

Outcomes as for every parser: a file that cannot be read at all is a file error and no
tables; an XML that breaks off part-way is a file error naming the line and column *and*
the records before the break are kept and counted (the report's status is ``failed``).
"""

from __future__ import annotations

import re
import zipfile
import zlib
from pathlib import Path

from linesight_ingest.parsing.cdr import libraries
from linesight_ingest.parsing.handset.common import Device, handset_id
from linesight_ingest.parsing.handset.ufed import read_ufed
from linesight_ingest.parsing.handset.xry import looks_like_xry, read_xry
from linesight_ingest.parsing.registry import ParseOutput, Progress, register
from linesight_ingest.parsing.report import ReportBuilder
from linesight_ingest.parsing.row_sink import RowSink
from linesight_ingest.parsing.safe_archive import ArchiveError, archive_kind, iter_members
from linesight_ingest.parsing.safe_xml import XmlBroken, XmlRefused

PARSER_NAME = "handset-download"
PARSER_VERSION = "1.0.0"
KIND = "handset_download"
_PROJECT = re.compile(rb"^(?:\xef\xbb\xbf)?\s*(?:<\?xml[^>]*\?>\s*)?(?:<!--.*?-->\s*)*<(?:\w+:)?project\b",
                      re.DOTALL)


_ZIP_FAULTS = (zipfile.BadZipFile, zlib.error, EOFError, OSError, NotImplementedError,
               RuntimeError)


class _Failed(Exception):
    """The file cannot be read at all: a file error and no tables."""


class _Damaged(Exception):
    """The archive's data is corrupt part-way (CRC, deflate stream, local header)."""


def detect(path: Path) -> str | None:
    """``ufdr``, ``ufed_xml``, ``xry`` or None, from the first bytes and the structure."""
    if archive_kind(path) == "zip":
        return "ufdr"
    with path.open("rb") as f:
        head = f.read(4096)
    if _PROJECT.match(head) or (head.lstrip().startswith(b"<") and b"<!DOCTYPE" in head):
        return "ufed_xml"  # a DOCTYPE is refused by the XML reader with a clear reason
    if looks_like_xry(head):
        return "xry"
    return None


def parse_handset(path: Path, *, exhibit_id: str, out_dir: Path, batch_rows: int = 50_000,
                  progress: Progress | None = None) -> ParseOutput:
    report = ReportBuilder(parser=PARSER_NAME, parser_version=PARSER_VERSION)
    fmt = detect(path)
    meta = {"linesight.exhibit_id": exhibit_id, "linesight.parser": PARSER_NAME,
            "linesight.parser_version": PARSER_VERSION, "linesight.format": fmt or "unknown",
            **{f"linesight.library.{k}": v for k, v in libraries().items()}}
    sink = RowSink(out_dir, exhibit_id=exhibit_id, report=report, metadata=meta,
                   batch_rows=batch_rows, always=("handsets",))
    dev = Device(handset_id=handset_id(exhibit_id, 0))
    try:
        if fmt is None:
            raise _Failed("not a handset download this parser reads: not a UFED report.xml, "
                          "a .ufdr (zip) or a UTF-16 XRY text report")
        if fmt == "ufdr":
            _read_ufdr(path, dev, sink, report)
        elif fmt == "ufed_xml":
            with path.open("rb") as f:
                read_ufed(f, dev=dev, sink=sink, report=report)
        else:
            read_xry(path, dev=dev, sink=sink, report=report)
    except (_Failed, XmlRefused, ArchiveError) as exc:
        report.file_error(getattr(exc, "reason", None) or str(exc),
                          line=getattr(exc, "line", None))
        sink.discard()
        return ParseOutput(report=report, tables={}, libraries=libraries())
    except (XmlBroken, _Damaged) as exc:
        where = (f"at line {exc.line}, column {exc.column}" if isinstance(exc, XmlBroken)
                 else "in the archive's compressed data")
        report.file_error(f"{getattr(exc, 'reason', exc)} (the file breaks off or is damaged "
                          f"{where}; the {report.rows_read} records before it are kept)",
                          line=getattr(exc, "line", None))
        if report.rows_read == 0:
            sink.discard()
            return ParseOutput(report=report, tables={}, libraries=libraries())
    if dev.source_row is not None:
        sink.add("handsets", dev.row())
    else:
        report.warn("no device-information block: the handset's identity is unknown")
    tables = sink.close()
    if report.rows_read != report.rows_accepted + report.rows_rejected:  # pragma: no cover
        report.file_error("internal: records read != accepted + rejected")
    if progress:
        progress(1.0)
    return ParseOutput(report=report, tables=tables, libraries=libraries())


def _read_ufdr(path: Path, dev: Device, sink: RowSink, report: ReportBuilder) -> None:
    try:  # every member is checked before any is read
        names = [m.name for m in iter_members(path)]
    except _ZIP_FAULTS as exc:  # safe_archive lets zipfile's own errors through
        raise _Failed(f"{path.name}: not a readable zip archive ({exc!r})") from exc
    reports = sorted((n for n in names if n.rsplit("/", 1)[-1].lower() == "report.xml"),
                     key=lambda n: (n.count("/"), n))
    if not reports:
        raise _Failed(f"the .ufdr archive holds no report.xml ({len(names)} members)")
    for member in iter_members(path):
        if member.name == reports[0]:
            try:
                with member.open() as stream:
                    read_ufed(stream, dev=dev, sink=sink, report=report,
                              ref_prefix=f"{member.name}!")
            except _ZIP_FAULTS as exc:
                raise _Damaged(f"{member.name}: corrupt zip data ({exc})") from exc
            return


class HandsetDownloadParser:
    name = PARSER_NAME
    version = PARSER_VERSION

    def parse(self, path: Path, *, exhibit_id: str, out_dir: Path, batch_rows: int,
              progress: Progress | None = None) -> ParseOutput:
        return parse_handset(path, exhibit_id=exhibit_id, out_dir=out_dir,
                             batch_rows=batch_rows, progress=progress)


register(KIND, HandsetDownloadParser())
