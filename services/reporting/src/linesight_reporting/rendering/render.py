"""Render ``ReportData`` to a PDF/A-3b with WeasyPrint: data in, PDF bytes out.

Deterministic where WeasyPrint allows: no clock is read (the PDF dates come from
``metadata_date``, the newest input's time; "requested at" from the job), no resource is
fetched (the stylesheet is inlined; maps are inline SVG drawn from the result documents,
a tile background, if any, is ``data:`` URIs gathered beforehand; every other URL is
refused), the fonts are named, the file identifier is derived from the content, and each
analysis result is attached byte for byte with the same fixed dates. The same data
therefore gives the same bytes.

One clock read is not WeasyPrint's own: fontTools stamps every font subset it writes with
the current time unless ``SOURCE_DATE_EPOCH`` is set (the reproducible-builds
convention). A render sets it to ``metadata_date`` while it runs; the variable is
process-wide, so renders are serialised by a lock (they are CPU-bound anyway).
"""

from __future__ import annotations

import io
import logging
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from markupsafe import Markup
from weasyprint import HTML, Attachment
from weasyprint.urls import URLFetcher

from linesight_reporting.rendering import cells
from linesight_reporting.rendering.maps import MapFigure, map_figure
from linesight_reporting.rendering.model import AnalysisSection, ReportData

TEMPLATES = Path(__file__).parent / "templates"
PDF_VARIANT = "pdf/a-3b"
#: Rows shown of each further table, and of the main table; the result document,
#: attached to the PDF, holds every row (a timeline can hold tens of thousands).
FURTHER_TABLE_ROWS = 200
MAIN_TABLE_ROWS = 1000
_RENDER_LOCK = threading.Lock()

# WeasyPrint logs each rendering step at INFO; one log line per render is ours to write.
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)


@dataclass(frozen=True)
class RenderedPdf:
    pdf: bytes
    pages: int


def _no_fetching() -> URLFetcher:
    """A fetcher that reads only ``data:`` URIs (bytes already in the document): reports
    are self-contained."""
    return URLFetcher(allowed_protocols=("data",))


def iso(value: datetime | None) -> str:
    if value is None:
        return cells.EMPTY
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def w3c(value: datetime) -> str:
    return iso(value)


def exhibit_refs(analysis: AnalysisSection) -> dict[str, str]:
    return {i.exhibit_id: i.exhibit_reference for i in analysis.inputs}


def analysis_map(analysis: AnalysisSection) -> MapFigure | None:
    return map_figure(analysis.geojson, analysis.map_background, id_prefix=f"map-{analysis.id}")


def _environment() -> Environment:
    env = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(["j2"]),
                      undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    env.globals.update(iso=iso, w3c=w3c, exhibit_refs=exhibit_refs, cell=cells.cell,
                       label=cells.label, width=cells.width, ordered=cells.ordered,
                       humanise=cells.humanise, kind_title=cells.kind_title,
                       is_number=cells.is_number, analysis_map=analysis_map,
                       further_rows=FURTHER_TABLE_ROWS, main_rows=MAIN_TABLE_ROWS)
    return env


_ENV = _environment()


def render_html(data: ReportData) -> str:
    css = Markup((TEMPLATES / "report.css").read_text(encoding="utf-8"))  # ours, not data
    return _ENV.get_template("report.html.j2").render(r=data, css=css)


def _attachments(data: ReportData) -> list[Attachment]:
    when = data.metadata_date.astimezone(UTC).replace(tzinfo=None)
    return [
        Attachment(file_obj=io.BytesIO(a.result_bytes), name=f"analysis-{a.id}.json",
                   description=f"Result of analysis {a.id} ({a.kind}), SHA-256 "
                               f"{a.result_sha256}",
                   created=when, modified=when, relationship="Data")
        for a in data.analyses if a.result_bytes
    ]


@contextmanager
def _source_date_epoch(when: datetime) -> Iterator[None]:
    with _RENDER_LOCK:
        before = os.environ.get("SOURCE_DATE_EPOCH")
        os.environ["SOURCE_DATE_EPOCH"] = str(int(when.timestamp()))
        try:
            yield
        finally:
            if before is None:
                os.environ.pop("SOURCE_DATE_EPOCH", None)
            else:
                os.environ["SOURCE_DATE_EPOCH"] = before


def write_pdf(html: str, metadata_date: datetime,
              attachments: list[Attachment]) -> RenderedPdf:
    """HTML to PDF/A-3b bytes, the PDF dates and font stamps set to ``metadata_date``,
    with the attachments given (each with its own fixed dates). No URL is fetched."""
    with _source_date_epoch(metadata_date):
        document = HTML(string=html, base_url=str(TEMPLATES),
                        url_fetcher=_no_fetching()).render()
        pdf = document.write_pdf(pdf_variant=PDF_VARIANT, attachments=attachments)
    return RenderedPdf(pdf=pdf, pages=len(document.pages))


def render_pdf(data: ReportData) -> RenderedPdf:
    """The report as PDF/A-3b bytes and its page count."""
    return write_pdf(render_html(data), data.metadata_date, _attachments(data))
