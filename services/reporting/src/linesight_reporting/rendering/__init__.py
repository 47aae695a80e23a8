"""Rendering: report data in, PDF bytes out (Jinja2 templates, WeasyPrint). Pure: the one
function here that reads the network, ``maps.fetch_background``, is for the gather step."""

from linesight_reporting.rendering.maps import MapBackground, MapTile, TileSource
from linesight_reporting.rendering.model import (
    AnalysisInputInfo,
    AnalysisSection,
    CaseInfo,
    ExhibitInfo,
    IngestSummary,
    Reject,
    ReportData,
    ResultTable,
)
from linesight_reporting.rendering.render import RenderedPdf, render_html, render_pdf

__all__ = [
    "AnalysisInputInfo",
    "AnalysisSection",
    "CaseInfo",
    "ExhibitInfo",
    "IngestSummary",
    "MapBackground",
    "MapTile",
    "Reject",
    "RenderedPdf",
    "ReportData",
    "ResultTable",
    "TileSource",
    "render_html",
    "render_pdf",
]
