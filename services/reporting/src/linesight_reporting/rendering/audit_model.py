"""What an audit summary shows: the verified entries of a case's audit bundle and what
was counted from them, as plain data.

The renderer reads only these objects (never the network, the database or the clock), so
the same ``AuditSummaryData`` always gives the same PDF. Every entry here comes from a
bundle that verified against the log's verifier key; nothing unverified is shown.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

#: Characters of a hash shown where the full hash would not fit (the bundle holds it).
SHORT_HASH = 12


def short(value: str | None) -> str:
    """The first ``SHORT_HASH`` hex digits of a hash, or a dash."""
    return value[:SHORT_HASH] if value else "—"


@dataclass(frozen=True)
class LoggedObject:
    """An object an audit entry names: by type and id, with its reference and hash."""

    type: str
    id: str
    sha256: str | None = None
    ref: str | None = None

    @property
    def key(self) -> tuple[str, str]:
        return (self.type, self.id)

    def label(self) -> str:
        """``exhibit ABC/1`` or ``analysis 3f2a…`` (ids are shortened when long)."""
        name = self.ref or (self.id if len(self.id) <= 16 else self.id[:12] + "…")
        return f"{self.type} {name}"


@dataclass(frozen=True)
class LogEntry:
    """One verified audit entry, read from its exact hashed bytes."""

    seq: int
    time: datetime
    time_text: str
    actor: str
    role: str
    service: str
    operation: str
    outcome: str
    reason: str | None
    objects: tuple[LoggedObject, ...]
    recipients: tuple[str, ...]
    leaf_hash: str
    correlation_id: str | None
    parameters: dict[str, Any] = field(default_factory=dict, compare=False)


@dataclass(frozen=True)
class VerifiedLog:
    """A bundle that verified: the checkpoint it was verified against, the key, and its
    entries in sequence order. ``export_seq`` is the entry recording this very export."""

    case: str
    origin: str
    checkpoint_size: int
    root_hash_b64: str
    key_id_hex: str
    verifier_key: str
    key_pinned: bool
    bundle_sha256: str
    bundle_bytes: bytes = field(repr=False)
    entries: tuple[LogEntry, ...]
    export_seq: int


@dataclass(frozen=True)
class ObjectAccesses:
    """Every selected entry naming one object, in sequence order."""

    object: LoggedObject
    hashes: tuple[str, ...]
    accesses: tuple[LogEntry, ...]


@dataclass(frozen=True)
class DerivedItem:
    """One object derived from an exhibit, checked against the verified entry ``seq``."""

    type: str
    id: str
    ref: str | None
    sha256: str | None
    seq: int
    operation: str
    actor: str
    time_text: str
    derived_from: LoggedObject


@dataclass(frozen=True)
class ExhibitLineage:
    """Everything derived from one exhibit up to the checkpoint; ``after_checkpoint``
    counts what the log holds beyond it (not shown: not covered by the signature)."""

    exhibit: LoggedObject
    derived: tuple[DerivedItem, ...]
    after_checkpoint: int = 0


@dataclass(frozen=True)
class CountRow:
    label: str
    entries: int
    not_successful: int = 0


@dataclass(frozen=True)
class PersonRow:
    actor: str
    role: str
    counts: tuple[int, ...]
    total: int


@dataclass(frozen=True)
class SummaryCaseInfo:
    reference: str
    id: str
    title: str | None
    authorisation_ref: str | None


@dataclass(frozen=True)
class AuditSummaryData:
    """Everything the audit summary PDF shows. ``generated_at`` is the request's time (the
    job's ``created_at``), ``metadata_date`` the newest entry's time, used for the PDF
    dates. The counts, refusals and lineage are of every ``selected`` entry; "who accessed
    what" and the entry list show ``listed``, the first of them up to the listing limit."""

    summary_id: str
    case: SummaryCaseInfo
    requested_by: str
    requested_roles: tuple[str, ...]
    generated_at: datetime
    metadata_date: datetime
    code_version: str
    filters: tuple[tuple[str, str], ...]
    log: VerifiedLog
    selected: tuple[LogEntry, ...]
    listed: tuple[LogEntry, ...]
    by_operation: tuple[CountRow, ...]
    person_operations: tuple[str, ...]
    by_person: tuple[PersonRow, ...]
    by_service: tuple[CountRow, ...]
    objects: tuple[ObjectAccesses, ...]
    without_objects: tuple[LogEntry, ...]
    not_successful: tuple[LogEntry, ...]
    lineage: tuple[ExhibitLineage, ...]

    @property
    def entries_total(self) -> int:
        return len(self.log.entries)

    @property
    def left_out(self) -> int:
        return len(self.log.entries) - len(self.selected)

    @property
    def unlisted(self) -> int:
        """Selected entries counted but not listed one by one (past the listing limit)."""
        return len(self.selected) - len(self.listed)

    @property
    def bundle_filename(self) -> str:
        return bundle_filename(self.case.reference)


def bundle_filename(case_reference: str) -> str:
    """The attachment's name: the case reference with anything but letters, digits, ``.``,
    ``_`` and ``-`` written as ``_``."""
    safe = "".join(c if c.isalnum() or c in "._-" else "_" for c in case_reference)
    return f"{safe}-audit-bundle.json"
