"""Growing the tree as entries are appended, and answering for any size of it.

Each append stores the perfect subtrees it completes (a binary counter: leaf ``i``
completes ``trailing_ones(i)`` of them), so the hash of any range ``[start, end)`` is a
handful of lookups and any proof costs O(log n) reads, never a rehash of the log.
"""

from __future__ import annotations

from linesight_shared.auditverify import merkle
from linesight_shared.errors import BadRequest
from sqlmodel import Session

from linesight_audit.tree.repository import TreeRepository
from linesight_audit.tree.schemas import ConsistencyProof, InclusionProof


def add_leaf(session: Session, index: int, leaf: bytes) -> None:
    """Store the subtrees completed by leaf ``index`` (call in the append's transaction)."""
    repo = TreeRepository(session)
    digest, level, i = leaf, 0, index
    while i & 1:
        digest = merkle.node_hash(repo.node(level, i - 1), digest)
        level, i = level + 1, i >> 1
        repo.put(level, i, digest)


def subtree_hash(session: Session, start: int, end: int) -> bytes:
    """MTH of leaves ``[start, end)`` from the stored perfect subtrees."""
    repo = TreeRepository(session)

    def mth(lo: int, hi: int) -> bytes:
        n = hi - lo
        if n == 0:
            return merkle.EMPTY_ROOT
        if n & (n - 1) == 0 and lo % n == 0:
            level = n.bit_length() - 1
            return repo.node(level, lo >> level)
        k = merkle.largest_power_of_two_below(n)
        return merkle.node_hash(mth(lo, lo + k), mth(lo + k, hi))

    return mth(start, end)


def root(session: Session, size: int) -> bytes:
    return subtree_hash(session, 0, size)


def _check_size(size: int, head: int) -> None:
    if not 0 < size <= head:
        raise BadRequest(f"tree size {size} is not between 1 and the log's size {head}")


def inclusion(session: Session, seq: int, size: int, head: int) -> InclusionProof:
    _check_size(size, head)
    if not 1 <= seq <= size:
        raise BadRequest(f"entry {seq} is not in the tree of size {size}")
    hashes = merkle.inclusion_proof(seq - 1, size, lambda a, b: subtree_hash(session, a, b))
    return InclusionProof(
        seq=seq, leaf_index=seq - 1, tree_size=size,
        leaf_hash=TreeRepository(session).leaf(seq - 1).hex(),
        root_hash=root(session, size).hex(), hashes=[h.hex() for h in hashes])


def consistency(session: Session, size1: int, size2: int, head: int) -> ConsistencyProof:
    _check_size(size2, head)
    if not 1 <= size1 <= size2:
        raise BadRequest(f"size1 {size1} must be between 1 and size2 {size2}")
    hashes = merkle.consistency_proof(size1, size2, lambda a, b: subtree_hash(session, a, b))
    return ConsistencyProof(size1=size1, size2=size2, root1=root(session, size1).hex(),
                            root2=root(session, size2).hex(), hashes=[h.hex() for h in hashes])
