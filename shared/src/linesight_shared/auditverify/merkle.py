"""RFC 6962 / RFC 9162 Merkle trees: hashing, proof building and proof checking.

Standard library only, so an offline verifier can carry it. Hashes are SHA-256 with the
domain separation of RFC 6962: ``leaf = H(0x00 || data)``, ``node = H(0x01 || left ||
right)``; the hash of the empty tree is ``H("")``.

The checks follow the published algorithms (RFC 9162 §2.1.3.2 and §2.1.4.2, in the
formulation of transparency-dev/merkle's ``proof`` package) and pass that project's test
vectors, including every mutated proof that must be rejected.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable

HASH_SIZE = 32
EMPTY_ROOT = hashlib.sha256(b"").digest()

#: ``subtree(start, end)`` → the Merkle tree hash of leaves ``[start, end)``
SubtreeHash = Callable[[int, int], bytes]


class ProofError(ValueError):
    """A proof does not verify; the message says which check failed."""


def leaf_hash(data: bytes) -> bytes:
    return hashlib.sha256(b"\x00" + data).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    return hashlib.sha256(b"\x01" + left + right).digest()


def largest_power_of_two_below(n: int) -> int:
    """The largest power of two strictly less than ``n`` (n ≥ 2)."""
    return 1 << ((n - 1).bit_length() - 1)


def root_of(leaf_hashes: list[bytes]) -> bytes:
    """MTH of a list of leaf hashes (RFC 6962 §2.1), without recursion."""
    if not leaf_hashes:
        return EMPTY_ROOT
    # fold perfect subtrees left to right like a binary counter, then merge right to left
    stack: list[tuple[int, bytes]] = []
    for h in leaf_hashes:
        size, node = 1, h
        while stack and stack[-1][0] == size:
            left_size, left = stack.pop()
            size, node = left_size + size, node_hash(left, node)
        stack.append((size, node))
    _, root = stack.pop()
    while stack:
        _, left = stack.pop()
        root = node_hash(left, root)
    return root


def roots_at(leaf_hashes: list[bytes], sizes: list[int]) -> dict[int, bytes]:
    """MTH of the first ``size`` leaves for every size in ``sizes``, in one pass: O(n) for
    the leaves plus O(log n) per size (a log with many checkpoints stays linear)."""
    wanted = sorted({s for s in sizes if 0 < s <= len(leaf_hashes)})
    out: dict[int, bytes] = {s: EMPTY_ROOT for s in sizes if s == 0}
    if not wanted:
        return out
    leaf_hashes = leaf_hashes[:wanted[-1]]  # nothing past the largest size is needed
    stack: list[tuple[int, bytes]] = []
    it = iter(wanted)
    nxt = next(it, None)
    for count, h in enumerate(leaf_hashes, start=1):
        size, node = 1, h
        while stack and stack[-1][0] == size:
            left_size, left = stack.pop()
            size, node = left_size + size, node_hash(left, node)
        stack.append((size, node))
        while nxt == count:
            root = stack[-1][1]
            for _, left in reversed(stack[:-1]):
                root = node_hash(left, root)
            out[count] = root
            nxt = next(it, None)
    return out


# --- building proofs (the log's side) ------------------------------------------------

def inclusion_proof(index: int, size: int, subtree: SubtreeHash) -> list[bytes]:
    """PATH(index, D[0:size]) of RFC 6962 §2.1.1, leaf-most sibling first."""
    if not 0 <= index < size:
        raise ValueError(f"leaf {index} is not in a tree of size {size}")
    path: list[bytes] = []
    start, end, m = 0, size, index
    # walk down from the root, collecting siblings, then reverse (leaf first)
    while end - start > 1:
        k = largest_power_of_two_below(end - start)
        if m < k:
            path.append(subtree(start + k, end))
            end = start + k
        else:
            path.append(subtree(start, start + k))
            start, m = start + k, m - k
    return path[::-1]


def consistency_proof(size1: int, size2: int, subtree: SubtreeHash) -> list[bytes]:
    """PROOF(size1, D[0:size2]) of RFC 6962 §2.1.2 (empty when size1 is 0 or equal)."""
    if not 0 <= size1 <= size2:
        raise ValueError(f"no consistency proof from size {size1} to size {size2}")
    if size1 in (0, size2):
        return []
    out: list[bytes] = []
    start, end, m, complete = 0, size2, size1, True
    while m != end - start:
        k = largest_power_of_two_below(end - start)
        if m <= k:
            out.append(subtree(start + k, end))
            end = start + k
        else:
            out.append(subtree(start, start + k))
            start, m, complete = start + k, m - k, False
    if not complete:
        out.append(subtree(start, end))
    return out[::-1]


# --- checking proofs (anyone's side) ---------------------------------------------------

def _decompose(index: int, size: int) -> tuple[int, int]:
    inner = (index ^ (size - 1)).bit_length()
    border = (index >> inner).bit_count()
    return inner, border


def _chain_inner(seed: bytes, proof: list[bytes], index: int) -> bytes:
    for i, h in enumerate(proof):
        seed = node_hash(seed, h) if (index >> i) & 1 == 0 else node_hash(h, seed)
    return seed


def _chain_inner_right(seed: bytes, proof: list[bytes], index: int) -> bytes:
    for i, h in enumerate(proof):
        if (index >> i) & 1 == 1:
            seed = node_hash(h, seed)
    return seed


def _chain_border_right(seed: bytes, proof: list[bytes]) -> bytes:
    for h in proof:
        seed = node_hash(h, seed)
    return seed


def _match(calculated: bytes, expected: bytes, what: str) -> None:
    if calculated != expected:
        raise ProofError(f"{what}: calculated root {calculated.hex()} does not match "
                         f"{expected.hex()}")


def root_from_inclusion_proof(index: int, size: int, leaf: bytes, proof: list[bytes]) -> bytes:
    if index >= size:
        raise ProofError(f"leaf index {index} is beyond tree size {size}")
    if len(leaf) != HASH_SIZE:
        raise ProofError(f"leaf hash has {len(leaf)} bytes, want {HASH_SIZE}")
    if any(len(p) != HASH_SIZE for p in proof):
        raise ProofError("a proof hash does not have 32 bytes")
    inner, border = _decompose(index, size)
    if len(proof) != inner + border:
        raise ProofError(f"inclusion proof has {len(proof)} hashes, want {inner + border}")
    res = _chain_inner(leaf, proof[:inner], index)
    return _chain_border_right(res, proof[inner:])


def verify_inclusion(index: int, size: int, leaf: bytes, proof: list[bytes],
                     root: bytes) -> None:
    """Raise ProofError unless ``leaf`` is leaf ``index`` of the tree of ``size`` with
    ``root``."""
    _match(root_from_inclusion_proof(index, size, leaf, proof), root, "inclusion proof")


def verify_consistency(size1: int, size2: int, proof: list[bytes], root1: bytes,
                       root2: bytes) -> None:
    """Raise ProofError unless the tree of ``size2`` with ``root2`` extends the tree of
    ``size1`` with ``root1`` (append-only: nothing before ``size1`` changed)."""
    if size2 < size1:
        raise ProofError(f"size2 ({size2}) < size1 ({size1})")
    if size1 == 0:
        # every tree extends the empty tree: such a "proof" proves nothing, so none is
        # accepted (as transparency-dev/merkle decides)
        raise ProofError("a consistency proof from the empty tree proves nothing")
    if size1 == size2:
        if proof:
            raise ProofError("size1 == size2, but the proof is not empty")
        _match(root1, root2, "consistency proof (equal sizes)")
        return
    if not proof:
        raise ProofError("empty consistency proof")
    if any(len(p) != HASH_SIZE for p in proof):
        raise ProofError("a proof hash does not have 32 bytes")
    inner, border = _decompose(size1 - 1, size2)
    shift = (size1 & -size1).bit_length() - 1
    inner -= shift
    seed, start = proof[0], 1
    if size1 == 1 << shift:
        seed, start = root1, 0
    if len(proof) != start + inner + border:
        raise ProofError(f"consistency proof has {len(proof)} hashes, "
                         f"want {start + inner + border}")
    rest = proof[start:]
    mask = (size1 - 1) >> shift
    hash1 = _chain_border_right(_chain_inner_right(seed, rest[:inner], mask), rest[inner:])
    _match(hash1, root1, "consistency proof (first tree)")
    hash2 = _chain_border_right(_chain_inner(seed, rest[:inner], mask), rest[inner:])
    _match(hash2, root2, "consistency proof (second tree)")
