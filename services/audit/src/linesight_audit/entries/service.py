"""Appending to, reading and verifying the chain."""

from __future__ import annotations

import hashlib
import json
import threading
from datetime import UTC, datetime

from linesight_shared.auditverify import merkle
from linesight_shared.auditverify.checkpoint import open_checkpoint
from linesight_shared.auditverify.note import NoteError, Verifier
from linesight_shared.auth import Principal
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from linesight_audit.checkpoints.repository import CheckpointRepository
from linesight_audit.entries.chain import GENESIS_HASH, canonical, chain_hash
from linesight_audit.entries.repository import AuditRepository
from linesight_audit.entries.schemas import (
    AuditEntry,
    AuditEntryObject,
    AuditEntryPublic,
    AuditEventCreate,
    ChainProblem,
    VerifyReport,
)
from linesight_audit.tree import service as tree
from linesight_audit.tree.repository import TreeRepository

# One writer order inside a process; across processes the head row lock (PostgreSQL
# FOR UPDATE, SQLite's single writer) and the primary key on seq keep the chain linear.
writer_lock = threading.Lock()
MAX_REPORTED_PROBLEMS = 100


def to_public(row: AuditEntry) -> AuditEntryPublic:
    return AuditEntryPublic(seq=row.seq, entry=json.loads(row.entry_json),
                            prev_hash=row.prev_hash, hash=row.hash, leaf_hash=row.leaf_hash)


def build_entry(seq: int, event: AuditEventCreate, principal: Principal, now: datetime) -> dict:
    """The dict that is canonicalised and hashed. Who and when come from the server."""
    return {
        "seq": seq,
        "time": now.strftime("%Y-%m-%dT%H:%M:%S.%fZ"),
        "actor": principal.username,
        "role": principal.role,
        "service": principal.acting_service or "api",
        "operation": event.operation.value,
        "case": event.case,
        "objects": [o.model_dump(exclude_none=True) for o in event.objects],
        "parameters": event.parameters,
        "recipients": event.recipients,
        "outcome": event.outcome.value,
        "reason": event.reason,
        "correlation_id": event.correlation_id,
        "client_event_id": event.client_event_id,
    }


def append(session: Session, event: AuditEventCreate, principal: Principal
           ) -> tuple[AuditEntryPublic, bool]:
    """Append one entry and commit it. Returns (entry, created); a retried
    ``client_event_id`` returns the entry already written with ``created=False``."""
    with writer_lock:
        result = append_uncommitted(session, event, principal)
        try:
            session.commit()
        except IntegrityError:
            session.rollback()
            raise
        return result


def append_uncommitted(session: Session, event: AuditEventCreate, principal: Principal
                       ) -> tuple[AuditEntryPublic, bool]:
    """Add one entry to ``session``'s transaction (the caller holds ``writer_lock`` and
    commits): the chain link, the Merkle leaf and the subtrees it completes, the index of
    its objects, and the new head."""
    repo = AuditRepository(session)
    if event.client_event_id:
        existing = repo.by_client_event_id(event.client_event_id)
        if existing is not None:
            return to_public(existing), False
    head = repo.lock_head()
    seq = head.seq + 1
    now = datetime.now(UTC)
    entry = build_entry(seq, event, principal, now)
    canon = canonical(entry)
    digest = chain_hash(head.hash, canon)
    leaf = merkle.leaf_hash(canon)
    row = AuditEntry(
        seq=seq, client_event_id=event.client_event_id, time=now,
        actor=entry["actor"], service=entry["service"], operation=entry["operation"],
        case=entry["case"], entry_json=canon.decode("utf-8"), prev_hash=head.hash,
        hash=digest, leaf_hash=leaf.hex(),
    )
    session.add(row)
    session.flush()
    for position, o in enumerate(entry["objects"]):
        session.add(AuditEntryObject(seq=seq, position=position, type=o["type"],
                                     object_id=o["id"], sha256=o.get("sha256"),
                                     ref=o.get("ref")))
    tree.add_leaf(session, seq - 1, leaf)
    head.seq, head.hash = seq, digest
    session.flush()
    return to_public(row), True


def verify(session: Session, signer: Verifier | None = None) -> VerifyReport:
    """Re-walk the chain from the first entry; name every entry that does not fit. With
    ``signer`` (the log's current verifier key) every stored checkpoint's signature is
    checked too, so a swapped signing key is named."""
    repo = AuditRepository(session)
    problems: list[ChainProblem] = []
    prev_hash, expected_seq, checked = GENESIS_HASH, 1, 0
    leaves: list[bytes] = []  # recomputed from the entries, 32 bytes each

    def bad(seq: int, problem: str) -> None:
        if len(problems) < MAX_REPORTED_PROBLEMS:
            problems.append(ChainProblem(seq=seq, problem=problem))

    prev_raw = bytes.fromhex(GENESIS_HASH)
    for seq, entry_json, row_prev, row_hash, row_leaf, *columns in repo.iter_for_verify():
        checked += 1
        if seq != expected_seq:
            bad(seq, f"sequence gap: expected {expected_seq}, found {seq}")
        data = entry_json.encode("utf-8")
        leaf = merkle.leaf_hash(data)
        leaves.append(leaf)
        try:
            entry = json.loads(entry_json)
        except ValueError as exc:
            bad(seq, f"entry is not valid JSON: {exc}")
            prev_hash, prev_raw, expected_seq = row_hash, bytes.fromhex(row_hash), seq + 1
            continue
        if entry.get("seq") != seq:
            bad(seq, f"entry says seq {entry.get('seq')} but is stored at {seq}")
        for col, value in zip(("actor", "service", "operation", "case"), columns,
                              strict=True):
            if entry.get(col) != value:
                bad(seq, f"column {col}={value!r} differs from the entry's {entry.get(col)!r}")
        if row_prev != prev_hash:
            bad(seq, "prev_hash does not match the hash of the entry before it")
        # the stored bytes are what was hashed; the canonical form is checked only when
        # the hash fails, to say how the entry was changed
        if hashlib.sha256(prev_raw + data).hexdigest() != row_hash:
            rewritten = _not_canonical(entry, entry_json)
            bad(seq, "hash does not match SHA-256(prev_hash || canonical entry): the entry "
                     "was changed" + (" (and is not in RFC 8785 canonical form)"
                                      if rewritten else ""))
        if leaf.hex() != row_leaf:
            bad(seq, "leaf_hash does not match SHA-256(0x00 || entry): the entry or its "
                     "leaf hash was changed")
        prev_hash, expected_seq = row_hash, seq + 1
        prev_raw = bytes.fromhex(row_hash)
    head = repo.head()
    head_seq, head_hash = (head.seq, head.hash) if head else (0, GENESIS_HASH)
    if head_seq != expected_seq - 1 or head_hash != prev_hash:
        bad(head_seq, f"head says seq {head_seq} but the chain ends at {expected_seq - 1}: "
                      "entries were removed or added outside the service")
    checkpoints = CheckpointRepository(session).all_by_size()
    roots = merkle.roots_at(leaves, [cp.size for cp in checkpoints])
    for cp in checkpoints:
        if signer is not None:
            try:
                opened = open_checkpoint(cp.note, signer)
                if opened.size != cp.size or opened.root.hex() != cp.root_hash:
                    bad(cp.size, f"checkpoint {cp.size}: the signed note says size "
                                 f"{opened.size}, root {opened.root.hex()}")
            except NoteError as exc:
                bad(cp.size, f"checkpoint {cp.size} is not signed by the log's current key "
                             f"({exc}): the signing key was swapped or the note changed")
        if cp.size > len(leaves):
            bad(cp.size, f"signed checkpoint of size {cp.size} is beyond the {len(leaves)} "
                         "entries present: entries were removed")
            continue
        if roots[cp.size].hex() != cp.root_hash:
            first = _first_leaf_mismatch(session, leaves[:cp.size])
            bad(first or cp.size, f"the entries no longer hash to the root signed in "
                                  f"checkpoint {cp.size}")
    first_bad = min((p.seq for p in problems), default=None)
    return VerifyReport(ok=not problems, entries_checked=checked, head_seq=head_seq,
                        head_hash=head_hash, first_bad_seq=first_bad, problems=problems)


def _not_canonical(entry: dict, text: str) -> bool:
    try:
        return canonical(entry).decode("utf-8") != text
    except (TypeError, ValueError):
        return True


def _first_leaf_mismatch(session: Session, leaves: list[bytes]) -> int | None:
    """The first seq whose recomputed leaf differs from the stored tree (to name it)."""
    repo = TreeRepository(session)
    for i, leaf in enumerate(leaves):
        try:
            if repo.leaf(i) != leaf:
                return i + 1
        except LookupError:
            return i + 1
    return None
