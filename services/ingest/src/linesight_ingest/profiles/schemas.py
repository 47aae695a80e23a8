"""Mapping profiles analysts add (the built-ins live in ``parsing/profiles/builtin/``).

Every version is kept: a profile's identity is the SHA-256 of its YAML text, and a parse
records the one it used, so a past parse can always be re-run with the same text.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel
from pydantic import Field as PField
from sqlalchemy import Column, Text, UniqueConstraint
from sqlmodel import Field

from linesight_ingest.exhibits.schemas import FileProblem, RejectedRow
from linesight_ingest.models import IngestModel
from linesight_ingest.parsing.profiles.loader import MAX_PROFILE_BYTES


class MappingProfile(IngestModel, table=True):
    """One stored version of a custom profile; never changed or removed once stored."""

    __tablename__ = "mapping_profiles"
    __table_args__ = (
        UniqueConstraint("name", "version", name="uq_mapping_profiles_name_version"),
        UniqueConstraint("sha256", name="uq_mapping_profiles_sha256"),
    )

    id: str = Field(primary_key=True, max_length=32)
    name: str = Field(index=True, max_length=64)
    version: str = Field(max_length=16)
    sha256: str = Field(max_length=64, description="SHA-256 of the YAML text (UTF-8)")
    yaml_text: str = Field(sa_column=Column(Text, nullable=False))
    created_by: str = Field(max_length=128)
    created_at: datetime


class ProfileCreate(BaseModel):
    """A new profile, or a new version of one of yours: its YAML text."""

    yaml: str = PField(min_length=1, max_length=MAX_PROFILE_BYTES,
                       description="The profile in YAML (see docs/mapping-profiles.md)")


class ProfileSummary(BaseModel):
    """A profile as listed: which one, which version, its hash, where it comes from."""

    name: str
    version: str
    sha256: str
    source: str = PField(description="builtin or custom")
    description: str
    format: str
    created_by: str | None = None
    created_at: datetime | None = None


class ProfileList(BaseModel):
    profiles: list[ProfileSummary]


class ProfileDetail(ProfileSummary):
    """One profile: its YAML text exactly as stored, the parsed model, every version."""

    yaml: str
    parsed: dict[str, Any]
    versions: list[ProfileSummary]


class CandidatePublic(BaseModel):
    """One profile's fit to an uploaded file."""

    name: str
    version: str
    sha256: str
    source: str
    confidence: float = PField(ge=0, le=1)
    reasons: list[str]


class DetectResult(BaseModel):
    """Every profile ranked against the file; ``chosen`` is what a parse would use."""

    sha256: str = PField(description="SHA-256 of the uploaded bytes (nothing is stored)")
    size_bytes: int
    threshold: float
    chosen: str | None
    candidates: list[CandidatePublic]


class PreviewResult(BaseModel):
    """The first rows as the profile would normalise them, and what it would reject."""

    sha256: str = PField(description="SHA-256 of the uploaded bytes (nothing is stored)")
    profile: ProfileSummary
    confidence: float
    rows: list[dict[str, Any]]
    rejects: list[RejectedRow]
    file_errors: list[FileProblem]
    warnings: list[FileProblem]
    report: dict[str, Any]
