"""The Merkle tree over the log: stored perfect subtrees, and proofs as the API gives them."""

from __future__ import annotations

from pydantic import BaseModel
from pydantic import Field as PField
from sqlmodel import Field

from linesight_audit.models import AuditModel


class MerkleNode(AuditModel, table=True):
    """The hash of the perfect subtree of ``2**level`` leaves starting at leaf
    ``index * 2**level`` (levels ≥ 1; level 0 is the entries' leaf hashes). Written once,
    when its last leaf is appended; never changed."""

    __tablename__ = "merkle_nodes"

    level: int = Field(primary_key=True)
    index: int = Field(primary_key=True)
    hash: str = Field(max_length=64)


class InclusionProof(BaseModel):
    """RFC 6962 audit path of one entry in the tree of ``tree_size`` leaves."""

    seq: int
    leaf_index: int
    tree_size: int
    leaf_hash: str
    root_hash: str
    hashes: list[str] = PField(description="sibling hashes, leaf-most first, hex")


class ConsistencyProof(BaseModel):
    """RFC 6962 consistency proof between the trees of ``size1`` and ``size2`` leaves."""

    size1: int
    size2: int
    root1: str
    root2: str
    hashes: list[str]
