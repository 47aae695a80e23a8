"""The job row every service keeps in its own database."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON
from sqlmodel import Field, SQLModel


class JobStatus(StrEnum):
    queued = "queued"
    running = "running"
    succeeded = "succeeded"
    failed = "failed"


class JobFields(SQLModel):
    """Columns of a job; each service declares ``Job(JobFields, <ServiceModel>, table=True)``.

    JSON columns are declared by type (``sa_type``), not as ``Column`` objects: a Column
    object belongs to one table, and every service's ``jobs`` table is built from these
    fields, so several services' models can be imported in one process (tests, tools)."""

    id: str = Field(primary_key=True, max_length=32)
    kind: str = Field(index=True, max_length=64, description="actor name, e.g. exhibits.parse")
    case_id: str | None = Field(default=None, index=True, max_length=32)
    subject_id: str = Field(index=True, max_length=32, description="id of the row worked on")
    status: JobStatus = Field(default=JobStatus.queued, index=True)
    progress: float = Field(default=0.0, description="0.0 to 1.0")
    message: str | None = Field(default=None, description="latest progress note or error")
    requested_by: str = Field(max_length=128)
    requested_roles: list[str] = Field(default_factory=list, sa_type=JSON, nullable=True)
    correlation_id: str = Field(max_length=64)
    attempts: int = 0
    result: dict[str, Any] | None = Field(default=None, sa_type=JSON, nullable=True)
    created_at: datetime
    started_at: datetime | None = None
    claimed_at: datetime | None = Field(default=None, description="when a worker last took it")
    finished_at: datetime | None = None


class JobPublic(SQLModel):
    """A job as the API shows it."""

    id: str
    kind: str
    case_id: str | None
    subject_id: str
    status: JobStatus
    progress: float
    message: str | None
    requested_by: str
    correlation_id: str
    attempts: int
    result: dict[str, Any] | None
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None
