"""Rendering: report data in, PDF bytes out (Jinja2 templates, WeasyPrint). Pure."""

from linesight_reporting.rendering.model import (
    AnalysisInputInfo,
    AnalysisSection,
    CaseInfo,
    ExhibitInfo,
    IngestSummary,
    Reject,
    ReportData,
)
from linesight_reporting.rendering.render import RenderedPdf, render_html, render_pdf

__all__ = [
    "AnalysisInputInfo",
    "AnalysisSection",
    "CaseInfo",
    "ExhibitInfo",
    "IngestSummary",
    "Reject",
    "RenderedPdf",
    "ReportData",
    "render_html",
    "render_pdf",
]
