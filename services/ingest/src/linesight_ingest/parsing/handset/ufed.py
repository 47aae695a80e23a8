"""Stream a Cellebrite UFED ``report.xml`` (alone, or as a member of a ``.ufdr`` zip).

Records, in document order, numbered from 1 (``source_row``): every outermost ``model``
(``Call``, ``SMS``, ``MMS``, ``InstantMessage``, ``Contact``, ``CellTower``; a ``Chat``'s
nested ``InstantMessage`` models each count as one record, the chat itself does not) and
the ``metadata section="Device Info"`` block (one record → the ``handsets`` row). Other
metadata sections (``Extraction Data``, ``Additional Fields``) only fill in the handset's
identity. Models of other types (web history, locations, files, ...) are counted in a
warning, not read. ``taggedFiles`` and other bulky parts stream past and are dropped.
"""

from __future__ import annotations

from typing import BinaryIO

from linesight_ingest.parsing.handset import ufed_models as um
from linesight_ingest.parsing.handset.common import Device
from linesight_ingest.parsing.report import ReportBuilder
from linesight_ingest.parsing.row_sink import RowSink
from linesight_ingest.parsing.safe_xml import local, stream_records

DEVICE_SECTIONS = {"device info", "deviceinfo"}


def read_ufed(stream: BinaryIO, *, dev: Device, sink: RowSink, report: ReportBuilder,
              ref_prefix: str = "") -> None:
    """Read every record into ``sink``; XmlBroken/XmlRefused propagate to the caller."""
    skipped: dict[str, int] = {}
    ordinal = 0
    for rec in stream_records(stream, {"model", "metadata"}):
        if rec.tag == "metadata":
            section = rec.elem.attrib.get("section", "").strip().lower()
            for item in rec.elem:
                if local(item.tag) == "item":
                    dev.learn(item.attrib.get("name", ""), "".join(item.itertext()))
            if section in DEVICE_SECTIONS and dev.source_row is None:
                ordinal += 1
                report.rows_read += 1
                report.rows_accepted += 1
                dev.source_row, dev.source_ref = ordinal, ref_prefix + rec.path
            continue
        mtype = rec.elem.attrib.get("type", "")
        if mtype == "Chat":
            for i, result in enumerate(um.chat(rec.elem, dev), start=1):
                ordinal += 1
                _take(result, ordinal, f"{ref_prefix}{rec.path}/Messages/model[{i}]",
                      rec.line, sink, report, dev)
            continue
        reader = um.READERS.get(mtype)
        if reader is None:
            skipped[mtype or "(no type)"] = skipped.get(mtype or "(no type)", 0) + 1
            continue
        ordinal += 1
        try:
            result = reader(rec.elem, dev)
        except um.Refuse as exc:
            result = exc
        ref = f"{ref_prefix}{rec.path}[@type='{mtype}']"
        if rec.elem.attrib.get("id"):
            ref += f"[@id='{rec.elem.attrib['id'][:80]}']"
        _take(result, ordinal, ref, rec.line, sink, report, dev)
    if skipped:
        listed = ", ".join(f"{k} ({n})" for k, n in sorted(skipped.items()))
        report.warn(f"models of types this parser does not read were skipped: {listed}")


def _take(result, ordinal: int, ref: str, line: int, sink: RowSink,
          report: ReportBuilder, dev: Device) -> None:
    report.rows_read += 1
    if isinstance(result, um.Refuse):
        report.reject(ordinal, f"{result.field} @ line {line}", result.value, result.reason)
        return
    report.rows_accepted += 1
    for table, row in result:
        row.update({"source_row": ordinal, "source_ref": ref})
        if table == "events":
            row["event_id"] = f"{sink.exhibit_id}:{ordinal}"
        elif table in ("messages", "contacts"):
            row["handset_id"] = dev.handset_id
        sink.add(table, row)
