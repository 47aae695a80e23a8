"""Issuing signed checkpoints: on demand and on a schedule, never two inconsistent ones.

Before signing size ``n`` the log recomputes the root of the last signed size ``m`` from
its stored tree and checks a consistency proof from ``m`` to ``n`` against the signed root;
if the stored tree no longer matches what it signed, it refuses to sign (and says so)
rather than publish a fork.
"""

from __future__ import annotations

from datetime import UTC, datetime

import structlog
from linesight_shared.auditverify import merkle
from linesight_shared.errors import LinesightError, NotFound
from sqlmodel import Session

from linesight_audit.checkpoints.repository import CheckpointRepository
from linesight_audit.checkpoints.schemas import AuditCheckpoint, CheckpointPublic
from linesight_audit.checkpoints.signer import Signer
from linesight_audit.entries.repository import AuditRepository
from linesight_audit.entries.service import writer_lock
from linesight_audit.tree import service as tree

log = structlog.get_logger("linesight.audit.checkpoints")


class ForkRefused(LinesightError):
    """The stored tree no longer extends the last signed checkpoint; nothing is signed."""

    status_code = 500
    code = "fork_refused"


def to_public(row: AuditCheckpoint, origin: str) -> CheckpointPublic:
    return CheckpointPublic(origin=origin, size=row.size, root_hash=row.root_hash,
                            note=row.note, created_at=row.created_at)


def issue(session: Session, signer: Signer) -> AuditCheckpoint | None:
    """Sign the log at its current size (None when it is empty); idempotent per size."""
    with writer_lock:
        head = AuditRepository(session).lock_head()
        size = head.seq
        if size == 0:
            session.rollback()
            return None
        repo = CheckpointRepository(session)
        latest = repo.latest()
        if latest is not None and latest.size == size:
            session.rollback()
            return latest
        new_root = tree.root(session, size)
        if latest is not None:
            _check_extends(session, latest, size, new_root)
        row = AuditCheckpoint(size=size, root_hash=new_root.hex(),
                              note=signer.sign_checkpoint(size, new_root),
                              created_at=datetime.now(UTC))
        session.add(row)
        session.commit()
    log.info("audit.checkpoint.signed", size=size, root=new_root.hex())
    return row


def _check_extends(session: Session, latest: AuditCheckpoint, size: int, new_root: bytes
                   ) -> None:
    old_root = bytes.fromhex(latest.root_hash)
    proof = merkle.consistency_proof(latest.size, size,
                                     lambda a, b: tree.subtree_hash(session, a, b))
    try:
        merkle.verify_consistency(latest.size, size, proof, old_root, new_root)
    except merkle.ProofError as exc:
        session.rollback()
        log.error("audit.checkpoint.fork_refused", signed_size=latest.size, size=size,
                  error=str(exc))
        raise ForkRefused(f"the log no longer extends checkpoint {latest.size} ({exc}); "
                          "refusing to sign an inconsistent checkpoint") from exc


def latest(session: Session) -> AuditCheckpoint:
    row = CheckpointRepository(session).latest()
    if row is None:
        raise NotFound("the log has no signed checkpoint yet")
    return row


def at_size(session: Session, size: int) -> AuditCheckpoint:
    row = CheckpointRepository(session).get(size)
    if row is None:
        raise NotFound(f"no checkpoint was signed at size {size}")
    return row
