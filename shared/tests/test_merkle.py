"""RFC 6962 Merkle proofs: the transparency-dev/merkle vectors and round trips."""

from __future__ import annotations

import base64
import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from linesight_shared.auditverify.merkle import (
    EMPTY_ROOT,
    ProofError,
    consistency_proof,
    inclusion_proof,
    leaf_hash,
    node_hash,
    root_of,
    verify_consistency,
    verify_inclusion,
)


def b64(v):
    return base64.b64decode(v) if v is not None else None


def proof_of(v):
    return [base64.b64decode(p) for p in (v or [])]


def vectors(shared_kit, kind: str) -> list[tuple[str, dict]]:
    root = shared_kit / "datasets" / "merkle-vectors" / "testdata" / kind
    return [(str(p.relative_to(root)), json.loads(p.read_text()))
            for p in sorted(root.rglob("*.json"))]


def leaves(n: int) -> list[bytes]:
    return [leaf_hash(f"entry {i}".encode()) for i in range(n)]


def subtree_of(hashes: list[bytes]):
    return lambda start, end: root_of(hashes[start:end])


class TestTransparencyDevVectors:
    """transparency-dev/merkle testdata (commit 417fb0c): every happy path verifies and
    every mutated proof is refused."""

    def test_inclusion_vectors(self, shared_kit):
        cases = vectors(shared_kit, "inclusion")
        assert len(cases) > 50
        for name, v in cases:
            def check(v=v):
                verify_inclusion(v["leafIdx"], v["treeSize"], b64(v["leafHash"]),
                                 proof_of(v["proof"]), b64(v["root"]))
            if v["wantErr"]:
                with pytest.raises(ProofError):
                    check()
            else:
                check()

    def test_consistency_vectors(self, shared_kit):
        cases = vectors(shared_kit, "consistency")
        assert len(cases) > 50
        for name, v in cases:
            def check(v=v):
                verify_consistency(v["size1"], v["size2"], proof_of(v["proof"]),
                                   b64(v["root1"]), b64(v["root2"]))
            if v["wantErr"]:
                with pytest.raises(ProofError):
                    check()
            else:
                check()


class TestTreeHash:
    def test_the_empty_tree_hashes_the_empty_string(self):
        assert root_of([]).hex() == \
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        assert root_of([]) == EMPTY_ROOT

    def test_three_leaves_split_at_the_largest_power_of_two(self):
        a, b, c = leaves(3)
        assert root_of([a, b, c]) == node_hash(node_hash(a, b), c)

    def test_rfc6962_leaf_and_node_domain_separation(self):
        assert leaf_hash(b"") != node_hash(b"", b"")
        assert leaf_hash(b"").hex() == \
            "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d"


class TestRoundTrips:
    @settings(max_examples=200, deadline=None)
    @given(st.integers(1, 70).flatmap(lambda n: st.tuples(st.just(n), st.integers(0, n - 1))))
    def test_every_inclusion_proof_built_verifies(self, case):
        n, i = case
        hs = leaves(n)
        proof = inclusion_proof(i, n, subtree_of(hs))
        verify_inclusion(i, n, hs[i], proof, root_of(hs))

    @settings(max_examples=200, deadline=None)
    @given(st.integers(1, 70).flatmap(lambda n: st.tuples(st.integers(1, n), st.just(n))))
    def test_every_consistency_proof_built_verifies(self, case):
        m, n = case
        hs = leaves(n)
        proof = consistency_proof(m, n, subtree_of(hs))
        verify_consistency(m, n, proof, root_of(hs[:m]), root_of(hs))

    def test_a_proof_for_another_leaf_is_refused(self):
        hs = leaves(10)
        proof = inclusion_proof(3, 10, subtree_of(hs))
        with pytest.raises(ProofError):
            verify_inclusion(3, 10, hs[4], proof, root_of(hs))

    def test_a_rewritten_history_breaks_consistency(self):
        hs = leaves(12)
        forged = hs[:5] + [leaf_hash(b"changed")] + hs[6:]
        proof = consistency_proof(8, 12, subtree_of(forged))
        with pytest.raises(ProofError):
            verify_consistency(8, 12, proof, root_of(hs[:8]), root_of(forged))


class TestRootsAt:
    @settings(max_examples=50, deadline=None)
    @given(st.integers(0, 80), st.lists(st.integers(0, 80), max_size=10))
    def test_roots_at_many_sizes_equal_the_root_of_each_prefix(self, n, sizes):
        hs = leaves(n)
        got = merkle_roots_at(hs, sizes)
        for s in sizes:
            if s <= n:
                assert got[s] == root_of(hs[:s])
            else:
                assert s not in got


def merkle_roots_at(hs, sizes):
    from linesight_shared.auditverify.merkle import roots_at

    return roots_at(hs, sizes)
