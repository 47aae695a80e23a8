"""Gathering what a report shows from the ingest and analytics services, as the user.

Every analysis result is fetched byte for byte and must hash to the SHA-256 analytics
recorded for it; an analysis that is not finished, or belongs to another case, is refused.
Result documents of format ``/1`` (one table) and ``/2`` (further ``tables`` and a
``geojson`` FeatureCollection) are read; any other format is refused by name.

When a map tile source is configured, the tiles under each analysis's map are fetched
here, before rendering (the renderer reads no network); a failed fetch is recorded in the
section and the map is drawn without them.
"""

from __future__ import annotations

import hashlib
import json
import re
from datetime import datetime

from linesight_shared.clients.analytics import AnalyticsClient
from linesight_shared.clients.ingest import IngestClient
from linesight_shared.contracts.analytics import AnalysisPublic
from linesight_shared.contracts.ingest import ExhibitPublic, IngestReportPublic
from linesight_shared.errors import BadRequest, Conflict, NotFound
from linesight_shared.objectstore.base import IntegrityError
from linesight_shared.settings import PlatformSettings

from linesight_reporting.rendering import (
    AnalysisInputInfo,
    AnalysisSection,
    CaseInfo,
    ExhibitInfo,
    IngestSummary,
    Reject,
    ReportData,
    ResultTable,
    TileSource,
)
from linesight_reporting.rendering.maps import fetch_background, has_features
from linesight_reporting.reports.schemas import Report
from linesight_reporting.settings import ReportingSettings

RESULT_FORMATS = ("linesight.analysis-result/1", "linesight.analysis-result/2")


def exhibit_order(reference: str) -> tuple:
    """``ABC/2`` before ``ABC/10``: prefix, then the number as a number."""
    return tuple(int(p) if p.isdigit() else p for p in re.split(r"(\d+)", reference))


def finished_analysis(analytics: AnalyticsClient, case_reference: str,
                      analysis_id: str) -> AnalysisPublic:
    """The analysis, if it belongs to the case and has its result (else 404/409)."""
    analysis = analytics.get_analysis(analysis_id)
    if analysis.case_reference != case_reference:
        raise NotFound(f"analysis {analysis_id} does not exist in case {case_reference}")
    if analysis.status != "succeeded" or analysis.result_sha256 is None:
        raise Conflict(f"analysis {analysis_id} is {analysis.status}; a report can show only "
                       "finished analyses")
    return analysis


def check_analysis_ids(analysis_ids: list[str]) -> None:
    if len(set(analysis_ids)) != len(analysis_ids):
        raise BadRequest("analysis_ids names an analysis more than once")


def tile_source_of(settings: PlatformSettings) -> TileSource | None:
    """The configured map tile source (None: maps are drawn offline)."""
    if isinstance(settings, ReportingSettings):
        return settings.map_tile_source()
    return None


def _input(item: dict) -> AnalysisInputInfo:
    return AnalysisInputInfo(
        dataset_id=item["dataset_id"], exhibit_id=item["exhibit_id"],
        exhibit_reference=item["exhibit_reference"], sha256=item["sha256"],
        rows=item["rows"], table=item.get("table", "events"))


def _table(item: dict) -> ResultTable:
    return ResultTable(name=item["name"], title=item["title"], columns=item["columns"],
                       definitions=item.get("definitions", {}), rows=item["rows"])


def _section(analytics: AnalyticsClient, analysis: AnalysisPublic,
             tile_source: TileSource | None = None) -> AnalysisSection:
    data = analytics.get_result_bytes(analysis.id)
    if hashlib.sha256(data).hexdigest() != analysis.result_sha256:
        raise IntegrityError(f"the result of analysis {analysis.id} does not match its "
                             f"SHA-256 {analysis.result_sha256}")
    doc = json.loads(data)
    if doc.get("format", RESULT_FORMATS[0]) not in RESULT_FORMATS:
        raise Conflict(f"the result of analysis {analysis.id} is in format "
                       f"{doc.get('format')!r}; this reporting service reads "
                       f"{', '.join(RESULT_FORMATS)}")
    geojson = doc.get("geojson")
    background = (fetch_background(tile_source, geojson)
                  if tile_source is not None and has_features(geojson) else None)
    return AnalysisSection(
        id=analysis.id, kind=doc["kind"], parameters=doc["parameters"],
        inputs=[_input(i) for i in doc["inputs"]],
        code_version=doc["code_version"], result_sha256=analysis.result_sha256,
        created_by=analysis.created_by, finished_at=analysis.finished_at,
        columns=doc["columns"], rows=doc["rows"], summary=doc["summary"],
        definitions=doc.get("definitions", {}), method=doc.get("method", []),
        result_bytes=data, tables=[_table(t) for t in doc.get("tables", [])],
        geojson=geojson, map_background=background,
    )


def _ingest_summary(exhibit: ExhibitPublic, report: IngestReportPublic | None) -> IngestSummary:
    if report is None:
        return IngestSummary(exhibit_reference=exhibit.reference, status=None)
    problems = [f"{'Line ' + str(p.line) + ': ' if p.line else ''}{p.reason}"
                for p in [*report.file_errors, *report.warnings]]
    return IngestSummary(
        exhibit_reference=exhibit.reference, status=report.status, parser=report.parser,
        parser_version=report.parser_version, rows_read=report.rows_read,
        rows_accepted=report.rows_accepted, rows_rejected=report.rows_rejected,
        rejects_by_reason=dict(report.rejects_by_reason),
        rejects=[Reject(line=r.line, field=r.field, value=r.value, reason=r.reason)
                 for r in report.rejects],
        rejects_total=report.rejects_total, problems=problems,
    )


def _ingest_report(ingest: IngestClient, case_reference: str,
                   exhibit: ExhibitPublic) -> IngestReportPublic | None:
    try:
        return ingest.ingest_report(case_reference, exhibit.id)
    except NotFound:
        return None


def gather(ingest: IngestClient, analytics: AnalyticsClient, report: Report, *,
           generated_at: datetime, code_version: str,
           tile_source: TileSource | None = None) -> ReportData:
    """Everything the report shows. The PDF dates are the newest input's time."""
    case = ingest.get_case(report.case_reference)
    exhibits = sorted(ingest.list_exhibits(case.reference),
                      key=lambda e: exhibit_order(e.reference))
    reports = {e.id: _ingest_report(ingest, case.reference, e) for e in exhibits}
    analyses = [finished_analysis(analytics, case.reference, a) for a in report.analysis_ids]
    sections = [_section(analytics, a, tile_source) for a in analyses]
    times = [case.created_at, *(e.uploaded_at for e in exhibits),
             *(r.created_at for r in reports.values() if r is not None),
             *(a.finished_at for a in analyses if a.finished_at is not None)]
    return ReportData(
        report_id=report.id, title=report.title,
        case=CaseInfo(reference=case.reference, title=case.title,
                      authorisation_ref=case.authorisation_ref),
        generated_by=report.created_by, generated_at=generated_at,
        metadata_date=max(times), code_version=code_version,
        exhibits=[ExhibitInfo(id=e.id, reference=e.reference, kind=str(e.kind),
                              producer=e.producer, filename=e.original_filename,
                              size=e.size_bytes, sha256=e.sha256, description=e.description)
                  for e in exhibits],
        ingest=[_ingest_summary(e, reports[e.id]) for e in exhibits],
        analyses=sections,
    )
