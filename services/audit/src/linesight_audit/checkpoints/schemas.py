"""Signed checkpoints of the log (C2SP tlog-checkpoint in a C2SP signed note)."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel
from sqlmodel import Field

from linesight_audit.models import AuditModel


class AuditCheckpoint(AuditModel, table=True):
    """A checkpoint the log signed: never two for one size, never two inconsistent ones."""

    __tablename__ = "audit_checkpoints"

    size: int = Field(primary_key=True, sa_column_kwargs={"autoincrement": False})
    root_hash: str = Field(max_length=64)
    note: str = Field(description="the signed note, exactly as issued")
    created_at: datetime


class CheckpointPublic(BaseModel):
    """A signed checkpoint: ``note`` is the C2SP signed note anyone can check with the
    log's verifier key."""

    origin: str
    size: int
    root_hash: str
    note: str
    created_at: datetime


class LogKey(BaseModel):
    """What an offline verifier needs to trust this log: its origin and verifier key."""

    origin: str
    verifier_key: str
