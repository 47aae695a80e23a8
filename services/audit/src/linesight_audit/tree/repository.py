"""Queries on leaf hashes and stored subtree hashes."""

from __future__ import annotations

from linesight_shared.repository import Repository
from sqlmodel import select

from linesight_audit.entries.schemas import AuditEntry
from linesight_audit.tree.schemas import MerkleNode


class TreeRepository(Repository[MerkleNode]):
    model = MerkleNode

    def leaf(self, index: int) -> bytes:
        row = self.session.exec(select(AuditEntry.leaf_hash)
                                .where(AuditEntry.seq == index + 1)).first()
        if row is None:
            raise LookupError(f"leaf {index} does not exist")
        return bytes.fromhex(row)

    def node(self, level: int, index: int) -> bytes:
        if level == 0:
            return self.leaf(index)
        row = self.session.get(MerkleNode, (level, index))
        if row is None:
            raise LookupError(f"subtree node ({level}, {index}) does not exist")
        return bytes.fromhex(row.hash)

    def put(self, level: int, index: int, digest: bytes) -> None:
        self.session.add(MerkleNode(level=level, index=index, hash=digest.hex()))
