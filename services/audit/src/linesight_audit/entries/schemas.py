"""Audit entries: the table, what a client sends, and what the API returns."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from pydantic import BaseModel
from pydantic import Field as PField
from sqlmodel import Field

from linesight_audit.models import AuditModel


class Operation(StrEnum):
    """DPA 2018 s.62 operations, plus refused accesses, logins and exports."""

    collection = "collection"
    alteration = "alteration"
    consultation = "consultation"
    disclosure = "disclosure"
    combination = "combination"
    erasure = "erasure"
    refused = "refused"
    login = "login"
    export = "export"


class Outcome(StrEnum):
    success = "success"
    failure = "failure"
    refused = "refused"


class AuditObject(BaseModel):
    """An object an entry is about: by type and id, with its content hash where it has one."""

    type: str = PField(max_length=64, examples=["exhibit"])
    id: str = PField(max_length=128)
    sha256: str | None = PField(None, pattern=r"^[0-9a-f]{64}$")
    ref: str | None = PField(None, max_length=128, examples=["ABC/1"])


class AuditEventCreate(BaseModel):
    """What a service sends. Who and when are filled in by the audit service from the
    caller's token and its own clock, never taken from the body."""

    client_event_id: str | None = PField(
        None, max_length=64, description="Idempotency key: a retry with the same id is not written twice"
    )
    operation: Operation
    case: str | None = PField(None, max_length=64, description="Case reference, e.g. OP-MONZA")
    objects: list[AuditObject] = PField(default_factory=list)
    parameters: dict[str, Any] = PField(default_factory=dict)
    recipients: list[str] = PField(default_factory=list, description="For disclosures")
    outcome: Outcome = Outcome.success
    reason: str | None = PField(None, max_length=2000)
    correlation_id: str | None = PField(None, max_length=64)


class AuditEntry(AuditModel, table=True):
    """One stored entry: the canonical JSON that was hashed, and the chain links."""

    __tablename__ = "audit_entries"

    seq: int = Field(primary_key=True, sa_column_kwargs={"autoincrement": False})
    client_event_id: str | None = Field(default=None, unique=True, max_length=64)
    time: datetime = Field(index=True)
    actor: str = Field(index=True, max_length=128)
    service: str = Field(max_length=64)
    operation: str = Field(index=True, max_length=32)
    case: str | None = Field(default=None, index=True, max_length=64)
    entry_json: str = Field(description="RFC 8785 canonical JSON of the entry, as hashed")
    prev_hash: str = Field(max_length=64)
    hash: str = Field(max_length=64)
    leaf_hash: str = Field(max_length=64,
                           description="RFC 6962 leaf hash SHA-256(0x00 || entry_json), hex")


class AuditEntryObject(AuditModel, table=True):
    """An index of the objects each entry names, for "every access to exhibit ABC/1" and
    lineage queries. Derived from the entry (``/verify`` checks it still matches)."""

    __tablename__ = "audit_entry_objects"

    seq: int = Field(primary_key=True, foreign_key="audit_entries.seq")
    position: int = Field(primary_key=True)
    type: str = Field(index=True, max_length=64)
    object_id: str = Field(index=True, max_length=128)
    sha256: str | None = Field(default=None, index=True, max_length=64)
    ref: str | None = Field(default=None, index=True, max_length=128)


class AuditHead(AuditModel, table=True):
    """The single row every append locks: the one writer order."""

    __tablename__ = "audit_head"

    id: int = Field(primary_key=True)
    seq: int
    hash: str = Field(max_length=64)


class AuditEntryPublic(BaseModel):
    """An entry with its sequence number, chain hashes and Merkle leaf hash (leaf index is
    ``seq - 1``)."""

    seq: int
    entry: dict[str, Any]
    prev_hash: str
    hash: str
    leaf_hash: str


class AuditEntryList(BaseModel):
    entries: list[AuditEntryPublic]
    next_after_seq: int | None = None


class ChainProblem(BaseModel):
    seq: int
    problem: str


class VerifyReport(BaseModel):
    """Result of re-walking the whole chain."""

    ok: bool
    entries_checked: int
    head_seq: int
    head_hash: str
    first_bad_seq: int | None = None
    problems: list[ChainProblem] = PField(default_factory=list)
