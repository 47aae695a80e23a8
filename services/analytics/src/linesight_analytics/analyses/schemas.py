"""Analyses: the table, what a client sends, and what the API returns."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from linesight_shared.jobs import JobPublic, JobStatus
from pydantic import BaseModel, ConfigDict
from pydantic import Field as PField
from sqlalchemy import JSON, Column
from sqlmodel import Field

from linesight_analytics.models import AnalyticsModel

#: Version of the result document's layout (``format`` in every result). /2 added the
#: inputs' ``table``, further ``tables`` and ``geojson``.
RESULT_FORMAT = "linesight.analysis-result/2"


class AnalysisKind(StrEnum):
    """The analyses this service can run (``GET /v1/analysis-kinds`` describes each)."""

    contact_frequency = "contact_frequency"
    cell_timeline = "cell_timeline"
    inactivity = "inactivity"
    pattern_of_life = "pattern_of_life"
    colocation = "colocation"
    journeys = "journeys"
    anpr_cotravel = "anpr_cotravel"
    tower_dump_intersection = "tower_dump_intersection"


class AnalysisInput(BaseModel):
    """One input dataset, pinned by its content hash when the analysis was requested."""

    dataset_id: str
    exhibit_id: str
    exhibit_reference: str = PField(examples=["ABC/1"])
    table: str = PField("events", description="Canonical table: events, cells, anpr_reads")
    sha256: str = PField(pattern=r"^[0-9a-f]{64}$")
    rows: int


class AnalysisCreate(BaseModel):
    """What a client sends to start an analysis."""

    model_config = ConfigDict(extra="forbid")

    kind: AnalysisKind
    dataset_ids: list[str] | None = PField(
        None, min_length=1,
        description="Datasets to analyse (of the tables the kind reads); omit for the newest "
                    "dataset of each table the kind reads from every exhibit of the case "
                    "(tower-dump exhibits only for tower_dump_intersection, and never for the "
                    "other kinds)",
    )
    parameters: dict[str, Any] = PField(
        default_factory=dict,
        description="The kind's parameters; GET /v1/analysis-kinds gives each kind's JSON Schema. "
                    "Unknown names and bad values are refused (400) before anything is stored.",
    )


class Analysis(AnalyticsModel, table=True):
    """One analysis: its inputs and parameters as requested, its result once computed.
    Its status and finish time are its job's (``job_id``)."""

    __tablename__ = "analyses"

    id: str = Field(primary_key=True, max_length=32)
    case_id: str = Field(index=True, max_length=64)
    case_reference: str = Field(index=True, max_length=64)
    kind: str = Field(max_length=64)
    parameters: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON))
    inputs: list[dict[str, Any]] = Field(default_factory=list, sa_column=Column(JSON))
    job_id: str = Field(index=True, max_length=32)
    code_version: str | None = Field(default=None, max_length=128)
    result_sha256: str | None = Field(default=None, max_length=64)
    result_object_key: str | None = Field(default=None, max_length=512)
    result_rows: int | None = None
    created_by: str = Field(max_length=128)
    created_at: datetime


class AnalysisPublic(BaseModel):
    """An analysis as the API shows it."""

    id: str
    case_reference: str
    kind: AnalysisKind
    status: JobStatus
    message: str | None = PField(None, description="Why the analysis failed, when it did")
    parameters: dict[str, Any]
    inputs: list[AnalysisInput]
    code_version: str | None
    result_sha256: str | None
    result_object_key: str | None
    result_rows: int | None
    job_id: str
    created_by: str
    created_at: datetime
    finished_at: datetime | None


class AnalysisRequested(BaseModel):
    """Answer to a request: the analysis and the job that computes it."""

    analysis: AnalysisPublic
    job: JobPublic


class ResultTableDocument(BaseModel):
    """A further table of a result."""

    name: str
    title: str
    columns: list[str]
    definitions: dict[str, str]
    rows: list[list[Any]]


class AnalysisResultDocument(BaseModel):
    """The stored result: RFC 8785 canonical JSON, served byte for byte (``X-Content-SHA256``
    is the SHA-256 of the body). ``rows`` are lists in ``columns`` order."""

    format: str = PField(examples=[RESULT_FORMAT])
    kind: AnalysisKind
    parameters: dict[str, Any]
    inputs: list[AnalysisInput]
    code_version: str
    columns: list[str]
    definitions: dict[str, str] = PField(description="What each column means")
    method: list[str] = PField(description="How the figures were made, one sentence each")
    rows: list[list[Any]]
    summary: dict[str, Any]
    tables: list[ResultTableDocument] = PField(
        default_factory=list, description="Further tables, after the main one")
    geojson: dict[str, Any] | None = PField(
        None, description="Spatial analyses: a GeoJSON FeatureCollection (RFC 7946); each "
                          "feature's properties.role is cell, sector, event, route, anpr_read "
                          "or area")


class AnalysisKindInput(BaseModel):
    """A table a kind reads."""

    table: str
    required: bool
    exhibit_kinds: list[str] | None = PField(
        None, description="By default only datasets of exhibits of these kinds (null: any)")
    excluded_exhibit_kinds: list[str] = PField(
        default_factory=list, description="By default never datasets of exhibits of these kinds")


class AnalysisKindPublic(BaseModel):
    """One analysis kind: what it does, what it reads, its parameters and its output."""

    kind: AnalysisKind
    title: str
    description: str
    inputs: list[AnalysisKindInput]
    parameters_schema: dict[str, Any] = PField(description="JSON Schema of its parameters")
    columns: list[str] = PField(description="Columns of its main table")
    spatial: bool = PField(description="Its result carries GeoJSON (and so KML)")
