"""Reports: the table, what a client sends, and what the API returns."""

from __future__ import annotations

from datetime import datetime

from linesight_shared.jobs import JobPublic, JobStatus
from pydantic import BaseModel, ConfigDict
from pydantic import Field as PField
from sqlalchemy import JSON, Column
from sqlmodel import Field

from linesight_reporting.models import ReportingModel

DEFAULT_TITLE = "Communications data analysis"


class ReportCreate(BaseModel):
    """What a client sends to have a report rendered."""

    model_config = ConfigDict(extra="forbid")

    analysis_ids: list[str] = PField(min_length=1, max_length=50,
                                     description="Finished analyses of the case, in the order "
                                                 "the report shows them")
    title: str | None = PField(None, min_length=1, max_length=200, pattern=r"\S",
                               description=f"Title on the first page (default: "
                                           f"{DEFAULT_TITLE!r})")


class Report(ReportingModel, table=True):
    """One report: what it shows, and the stored PDF once rendered. Its status and finish
    time are its job's (``job_id``)."""

    __tablename__ = "reports"

    id: str = Field(primary_key=True, max_length=32)
    case_id: str = Field(index=True, max_length=64)
    case_reference: str = Field(index=True, max_length=64)
    title: str = Field(max_length=200)
    analysis_ids: list[str] = Field(default_factory=list, sa_column=Column(JSON))
    job_id: str = Field(index=True, max_length=32)
    sha256: str | None = Field(default=None, max_length=64)
    object_key: str | None = Field(default=None, max_length=512)
    size: int | None = None
    pages: int | None = None
    code_version: str | None = Field(default=None, max_length=128)
    created_by: str = Field(max_length=128)
    created_at: datetime


class ReportPublic(BaseModel):
    """A report as the API shows it."""

    id: str
    case_reference: str
    title: str
    analysis_ids: list[str]
    status: JobStatus
    message: str | None = PField(None, description="Why rendering failed, when it did")
    sha256: str | None
    object_key: str | None
    size: int | None
    pages: int | None
    code_version: str | None
    job_id: str
    created_by: str
    created_at: datetime
    finished_at: datetime | None


class ReportRequested(BaseModel):
    """Answer to a request: the report and the job that renders it."""

    report: ReportPublic
    job: JobPublic
