"""What a report shows: plain data in, gathered from the peers by the render job.

The renderer reads only these objects (never the network, the database or the clock), so
the same ``ReportData`` always gives the same PDF.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from linesight_reporting.rendering.maps.tiles import MapBackground


@dataclass(frozen=True)
class CaseInfo:
    reference: str
    title: str | None
    authorisation_ref: str


@dataclass(frozen=True)
class ExhibitInfo:
    id: str
    reference: str
    kind: str
    producer: str
    filename: str
    size: int
    sha256: str
    description: str | None = None


@dataclass(frozen=True)
class Reject:
    line: int | None
    field: str | None
    value: str | None
    reason: str


@dataclass(frozen=True)
class IngestSummary:
    """One exhibit's ingest report (``status`` None: the exhibit has not been parsed)."""

    exhibit_reference: str
    status: str | None
    parser: str | None = None
    parser_version: str | None = None
    rows_read: int = 0
    rows_accepted: int = 0
    rows_rejected: int = 0
    rejects_by_reason: dict[str, int] = field(default_factory=dict)
    rejects: list[Reject] = field(default_factory=list)
    rejects_total: int = 0
    problems: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class AnalysisInputInfo:
    """One dataset an analysis read; ``table`` is its canonical table (format /1 results
    name none: they read events only)."""

    dataset_id: str
    exhibit_id: str
    exhibit_reference: str
    sha256: str
    rows: int
    table: str = "events"


@dataclass(frozen=True)
class ResultTable:
    """A further named table of a result document (format /2), after the main one."""

    name: str
    title: str
    columns: list[str]
    definitions: dict[str, str]
    rows: list[list[Any]]


@dataclass(frozen=True)
class AnalysisSection:
    """One analysis: how it was made, its result document's tables and summary, and its
    GeoJSON (drawn as a map) with the tile background gathered for it, if any."""

    id: str
    kind: str
    parameters: dict[str, Any]
    inputs: list[AnalysisInputInfo]
    code_version: str
    result_sha256: str
    created_by: str
    finished_at: datetime | None
    columns: list[str]
    rows: list[list[Any]]
    summary: dict[str, Any]
    definitions: dict[str, str]
    method: list[str] = field(default_factory=list)
    result_bytes: bytes = field(repr=False, default=b"")
    tables: list[ResultTable] = field(default_factory=list)
    geojson: dict[str, Any] | None = field(repr=False, default=None)
    map_background: MapBackground | None = None


@dataclass(frozen=True)
class ReportData:
    """Everything the PDF shows. ``generated_at`` is the request's time (the job's
    ``created_at``), ``metadata_date`` the newest input's time, used for the PDF dates."""

    report_id: str
    title: str
    case: CaseInfo
    generated_by: str
    generated_at: datetime
    metadata_date: datetime
    code_version: str
    exhibits: list[ExhibitInfo]
    ingest: list[IngestSummary]
    analyses: list[AnalysisSection]
