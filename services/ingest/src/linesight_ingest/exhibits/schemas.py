"""Exhibits (originals kept byte for byte under their SHA-256) and their ingest reports."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from linesight_shared.jobs import JobPublic
from pydantic import BaseModel
from pydantic import Field as PField
from sqlalchemy import JSON, BigInteger, Column, String, UniqueConstraint
from sqlmodel import Field

from linesight_ingest.models import IngestModel

EXHIBIT_REFERENCE = r"^[A-Z]{1,6}/\d{1,4}$"


class ExhibitKind(StrEnum):
    """What an exhibit holds, which decides how it is parsed (``parsing/registry.py``).

    An upload of a kind whose parser is not installed is refused before anything is stored.
    """

    cdr = "cdr"
    retained_data_xml = "retained_data_xml"
    handset_download = "handset_download"
    cell_sites = "cell_sites"
    anpr = "anpr"
    subscriber = "subscriber"
    ip_log = "ip_log"
    email = "email"
    tower_dump = "tower_dump"


class ParseStatus(StrEnum):
    queued = "queued"
    parsed = "parsed"
    failed = "failed"


class ExhibitUploadForm(BaseModel):
    """The form fields sent with an exhibit's file (multipart/form-data)."""

    reference: str = PField(pattern=EXHIBIT_REFERENCE, max_length=11, examples=["ABC/1"],
                            description="Exhibit reference, unique within the case")
    kind: ExhibitKind
    producer: str = PField(min_length=1, max_length=200, pattern=r"\S",
                           examples=["EE Ltd disclosure unit"],
                           description="Who produced the exhibit")
    description: str = PField(min_length=1, max_length=2000, pattern=r"\S")
    profile: str | None = PField(
        default=None, max_length=100, pattern=r"^[a-z0-9][a-z0-9-]{1,62}(@[0-9.]{5,16})?$",
        examples=["uk-vf-style-v1"],
        description="CDRs only: force this mapping profile (name or name@version) "
                    "instead of detecting one")


class ExhibitBase(IngestModel):
    """What identifies an exhibit and where it came from."""

    reference: str = Field(max_length=16, description="Exhibit reference, e.g. ABC/1")
    kind: ExhibitKind = Field(sa_type=String(32))
    producer: str = Field(max_length=200)
    description: str = Field(max_length=2000)
    original_filename: str = Field(max_length=255)
    content_type: str = Field(max_length=128)
    size_bytes: int = Field(sa_type=BigInteger)
    sha256: str = Field(max_length=64, description="SHA-256 of the original, hex")
    object_key: str = Field(max_length=255)
    uploaded_by: str = Field(max_length=128)
    uploaded_at: datetime
    parse_status: ParseStatus = Field(default=ParseStatus.queued, sa_type=String(16))
    profile: str | None = Field(default=None, max_length=100,
                                description="the mapping profile forced at upload "
                                            "(name@version), or null: detected")


class Exhibit(ExhibitBase, table=True):
    """A stored exhibit. The same bytes or the same reference cannot appear twice in a case."""

    __tablename__ = "exhibits"
    __table_args__ = (
        UniqueConstraint("case_id", "reference", name="uq_exhibits_case_reference"),
        UniqueConstraint("case_id", "sha256", name="uq_exhibits_case_sha256"),
    )

    id: str = Field(primary_key=True, max_length=32)
    case_id: str = Field(foreign_key="cases.id", index=True, max_length=32)


class ExhibitPublic(ExhibitBase):
    """An exhibit as the API shows it."""

    id: str
    case_id: str
    case_reference: str


class ExhibitList(BaseModel):
    exhibits: list[ExhibitPublic]


class ExhibitAccepted(BaseModel):
    """An upload accepted: the exhibit stored, and the job that parses it."""

    exhibit: ExhibitPublic
    job: JobPublic


class IngestReport(IngestModel, table=True):
    """The outcome of one parse of an exhibit, kept whether it succeeded or failed."""

    __tablename__ = "ingest_reports"

    id: str = Field(primary_key=True, max_length=32)
    exhibit_id: str = Field(foreign_key="exhibits.id", index=True, max_length=32)
    job_id: str = Field(index=True, max_length=32)
    status: str = Field(max_length=16)
    dataset_id: str | None = Field(default=None, max_length=32,
                                   description="the first dataset (events when there is one)")
    dataset_ids: list[str] | None = Field(default=None, sa_type=JSON, nullable=True,
                                          description="every dataset the parse made")
    rejects_object_key: str | None = Field(default=None, max_length=255)
    rejects_sha256: str | None = Field(default=None, max_length=64)
    report: dict[str, Any] = Field(sa_column=Column(JSON, nullable=False))
    created_at: datetime


class RejectedRow(BaseModel):
    """One problem on one row: the physical line (header = 1), column, value and reason."""

    line: int
    field: str | None
    value: str | None
    reason: str


class FileProblem(BaseModel):
    """A problem with (or note about) the file as a whole."""

    line: int | None
    field: str | None
    reason: str


class SubjectCount(BaseModel):
    number: str
    rows: int


class IngestReportPublic(BaseModel):
    """What a parse read, kept and rejected, and why. ``rows_read`` always equals
    ``rows_accepted + rows_rejected``; ``rejects`` lists the first 1000 problems and the
    rejects file (``rejects_object_key``, JSON Lines) holds all of them."""

    exhibit_id: str
    exhibit_reference: str
    job_id: str
    status: str = PField(description="succeeded or failed")
    parser: str
    parser_version: str
    libraries: dict[str, str]
    source_sha256: str
    rows_read: int
    rows_accepted: int
    rows_rejected: int
    blank_lines: int
    rejects_by_reason: dict[str, int] = PField(
        description="problems per reason (a rejected row may have several)")
    rejects_total: int
    rejects_truncated: bool
    rejects: list[RejectedRow]
    rejects_object_key: str | None
    rejects_sha256: str | None
    file_errors: list[FileProblem]
    warnings: list[FileProblem]
    first_event_utc: datetime | None
    last_event_utc: datetime | None
    subjects: list[SubjectCount]
    time_flags: dict[str, int]
    party_kinds: dict[str, int]
    dataset_id: str | None
    dataset_ids: list[str] = PField(default_factory=list,
                                    description="every dataset (one per table) the parse made")
    tables: dict[str, int] = PField(default_factory=dict, description="rows written per table")
    duplicates: dict[str, Any] | None = PField(
        None, description="events repeated within this exhibit (within_exhibit) and rows "
                          "the case's other exhibits also hold, by exhibit (across_exhibits)")
    profile: dict[str, Any] | None = PField(
        default=None, description="CDRs: the mapping profile used (name, version, sha256, "
                                  "source, confidence, forced) and every candidate's score")
    created_at: datetime
