"""A case's audit export bundle: every entry with its inclusion proof in a freshly signed
checkpoint, checkable offline with ``linesight_shared.auditverify``."""

from __future__ import annotations

from linesight_shared.auditverify import merkle
from linesight_shared.auditverify.bundle import FORMAT
from sqlmodel import Session

from linesight_audit.checkpoints import service as checkpoints
from linesight_audit.checkpoints.signer import Signer
from linesight_audit.entries.repository import AuditRepository
from linesight_audit.tree import service as tree


def build(session: Session, signer: Signer, case: str) -> dict:
    """Sign the log as it is now (after the export's own entry) and prove each entry of
    ``case`` against that checkpoint."""
    cp = checkpoints.issue(session, signer)
    size = cp.size if cp else 0

    def subtree(a: int, b: int) -> bytes:
        return tree.subtree_hash(session, a, b)

    entries = []
    for row in AuditRepository(session).iter_all(case=case):
        if row.seq > size:
            break
        proof = merkle.inclusion_proof(row.seq - 1, size, subtree)
        entries.append({"seq": row.seq, "entry_json": row.entry_json,
                        "prev_hash": row.prev_hash, "hash": row.hash,
                        "leaf_hash": row.leaf_hash, "inclusion": [h.hex() for h in proof]})
    return {"format": FORMAT, "origin": signer.origin, "verifier_key": signer.verifier_key,
            "case": case, "checkpoint": cp.note if cp else "", "entries": entries}
