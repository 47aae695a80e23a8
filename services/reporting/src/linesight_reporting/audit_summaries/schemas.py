"""Audit summaries: the table, what a client sends, and what the API returns."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from linesight_shared.audit_client import Operation
from linesight_shared.jobs import JobPublic, JobStatus
from pydantic import BaseModel, ConfigDict, field_validator, model_validator
from pydantic import Field as PField
from sqlalchemy import JSON, Column
from sqlmodel import Field

from linesight_reporting.models import ReportingModel


class AuditSummaryCreate(BaseModel):
    """What a disclosure officer sends: optional filters on the case's entries. Every
    entry of the case is verified and attached whatever the filters; they choose what the
    tables show, and the PDF counts what they leave out."""

    model_config = ConfigDict(extra="forbid")

    actor: str | None = PField(None, min_length=1, max_length=128,
                               description="Only entries by this person (username)")
    operation: Operation | None = PField(None, description="Only entries of this operation")
    object_ref: str | None = PField(
        None, min_length=1, max_length=128,
        description="Only entries naming an object with this reference, e.g. ABC/1 (the "
                    "exhibit and the datasets that carry its reference)")
    object_id: str | None = PField(None, min_length=1, max_length=128,
                                   description="Only entries naming the object with this id")
    since: datetime | None = PField(None, description="Only entries at or after this time "
                                                      "(UTC when no offset is given)")
    until: datetime | None = PField(None, description="Only entries before this time "
                                                      "(UTC when no offset is given)")

    @field_validator("since", "until")
    @classmethod
    def _utc(cls, value: datetime | None) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)

    @model_validator(mode="after")
    def _window(self) -> AuditSummaryCreate:
        if self.since is not None and self.until is not None and self.since >= self.until:
            raise ValueError("since must be before until")
        return self


class AuditSummary(ReportingModel, table=True):
    """One audit summary: its filters, the bundle and checkpoint it was verified against,
    and the stored PDF once rendered. Its status and finish time are its job's."""

    __tablename__ = "audit_summaries"

    id: str = Field(primary_key=True, max_length=32)
    case_id: str = Field(index=True, max_length=64)
    case_reference: str = Field(index=True, max_length=64)
    filters: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON))
    job_id: str = Field(index=True, max_length=32)
    bundle_sha256: str | None = Field(default=None, max_length=64)
    checkpoint_origin: str | None = Field(default=None, max_length=256)
    checkpoint_size: int | None = None
    checkpoint_root: str | None = Field(default=None, max_length=64)
    verifier_key: str | None = Field(default=None, max_length=512)
    entries_total: int | None = None
    entries_shown: int | None = None
    sha256: str | None = Field(default=None, max_length=64)
    object_key: str | None = Field(default=None, max_length=512)
    size: int | None = None
    pages: int | None = None
    code_version: str | None = Field(default=None, max_length=128)
    created_by: str = Field(max_length=128)
    created_at: datetime


class AuditSummaryPublic(BaseModel):
    """An audit summary as the API shows it."""

    id: str
    case_reference: str
    filters: AuditSummaryCreate
    status: JobStatus
    message: str | None = PField(None, description="Why it failed, when it did (a bundle "
                                                   "that does not verify: every problem)")
    bundle_sha256: str | None = PField(description="SHA-256 of the audit bundle attached "
                                                   "to the PDF")
    checkpoint_origin: str | None
    checkpoint_size: int | None = PField(description="Size of the signed checkpoint the "
                                                     "entries were verified against")
    checkpoint_root: str | None = PField(description="Its root hash, base64")
    verifier_key: str | None = PField(description="The verifier key the checkpoint was "
                                                  "checked with")
    entries_total: int | None = PField(description="Entries of the case in the bundle, "
                                                   "all verified")
    entries_shown: int | None = PField(description="Of them, the entries the filters select")
    sha256: str | None
    object_key: str | None
    size: int | None
    pages: int | None
    code_version: str | None
    job_id: str
    created_by: str
    created_at: datetime
    finished_at: datetime | None


class AuditSummaryRequested(BaseModel):
    """Answer to a request: the summary and the job that renders it."""

    summary: AuditSummaryPublic
    job: JobPublic
