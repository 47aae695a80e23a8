"""The Merkle tree, proofs and signed checkpoints of the audit log."""

from __future__ import annotations

import base64

import pytest
from linesight_audit.checkpoints import service as checkpoints
from linesight_shared.auditverify import merkle
from linesight_shared.auditverify.checkpoint import open_checkpoint
from linesight_shared.auditverify.note import parse_verifier_key
from linesight_shared.db import session_scope
from linesight_shared.testing.fixtures import bearer
from sqlalchemy import text
from starlette.testclient import TestClient

from .conftest import make_audit


@pytest.fixture
def log(base_env, tokens):
    app, runtime = make_audit(base_env, checkpoint_interval_s=0)
    client = TestClient(app)
    client.headers.update(bearer(tokens, "d.officer", ("disclosure_officer",)))
    yield client, runtime
    runtime.shutdown()


def append(client, n, case="OP-T"):
    for i in range(n):
        r = client.post("/v1/entries", json={"operation": "consultation", "case": case,
                                             "parameters": {"i": i}})
        assert r.status_code == 201, r.text


def leaves_of(runtime) -> list[bytes]:
    with runtime.engine.connect() as conn:
        rows = conn.execute(text("SELECT entry_json FROM audit_entries ORDER BY seq")).all()
    return [merkle.leaf_hash(r[0].encode()) for r in rows]


class TestTree:
    @pytest.mark.parametrize("n", [1, 2, 3, 7, 8, 13])
    def test_the_stored_tree_has_the_rfc6962_root_of_the_entries(self, log, n):
        client, runtime = log
        append(client, n)
        with session_scope(runtime.engine) as s:
            from linesight_audit.tree import service as tree
            assert tree.root(s, n) == merkle.root_of(leaves_of(runtime))

    def test_every_inclusion_proof_from_the_api_verifies(self, log):
        client, runtime = log
        append(client, 11)
        leaves = leaves_of(runtime)
        for seq in range(1, 12):
            p = client.get("/v1/proofs/inclusion", params={"seq": seq, "size": 11}).json()
            merkle.verify_inclusion(seq - 1, 11, bytes.fromhex(p["leaf_hash"]),
                                    [bytes.fromhex(h) for h in p["hashes"]],
                                    merkle.root_of(leaves))

    def test_consistency_proofs_from_the_api_verify(self, log):
        client, runtime = log
        append(client, 9)
        leaves = leaves_of(runtime)
        for m in range(1, 10):
            p = client.get("/v1/proofs/consistency", params={"size1": m, "size2": 9}).json()
            merkle.verify_consistency(m, 9, [bytes.fromhex(h) for h in p["hashes"]],
                                      merkle.root_of(leaves[:m]), merkle.root_of(leaves))

    def test_a_proof_beyond_the_log_is_a_bad_request(self, log):
        client, _ = log
        append(client, 2)
        r = client.get("/v1/proofs/inclusion", params={"seq": 1, "size": 5})
        assert r.status_code == 400


class TestCheckpoints:
    def test_a_checkpoint_is_signed_by_the_published_key_over_the_true_root(self, log):
        client, runtime = log
        append(client, 5)
        cp = client.post("/v1/checkpoints").json()
        key = client.get("/v1/log/key").json()
        opened = open_checkpoint(cp["note"], parse_verifier_key(key["verifier_key"]),
                                 origin=key["origin"])
        assert (opened.size, opened.root) == (5, merkle.root_of(leaves_of(runtime)))
        assert client.get("/v1/checkpoints/latest").json()["size"] == 5

    def test_signing_twice_at_one_size_gives_the_same_checkpoint(self, log):
        client, _ = log
        append(client, 3)
        assert client.post("/v1/checkpoints").json() == client.post("/v1/checkpoints").json()

    def test_an_analyst_may_not_sign_on_demand(self, base_env, tokens, log):
        client, _ = log
        append(client, 1)
        r = client.post("/v1/checkpoints", headers=bearer(tokens))
        assert r.status_code == 403

    def test_a_stored_tree_that_no_longer_extends_the_signed_one_is_not_signed(self, log):
        client, runtime = log
        append(client, 4)
        client.post("/v1/checkpoints")
        append(client, 3)
        with runtime.engine.begin() as conn:  # rewrite history below the signed size
            conn.execute(text("UPDATE merkle_nodes SET hash = :h WHERE level = 2 AND "
                              '"index" = 0'), {"h": "ab" * 32})
        with session_scope(runtime.engine) as s, pytest.raises(checkpoints.ForkRefused):
            checkpoints.issue(s, runtime.signer)
        assert client.get("/v1/checkpoints/latest").json()["size"] == 4

    def test_verify_names_a_rewrite_that_kept_the_chain_but_not_the_signed_root(self, log):
        client, runtime = log
        append(client, 4)
        client.post("/v1/checkpoints")
        # a thorough forger rewrites entry 4 and its chain hash and leaf hash consistently
        import hashlib
        import json

        with runtime.engine.begin() as conn:
            prev, raw = conn.execute(text("SELECT prev_hash, entry_json FROM audit_entries "
                                          "WHERE seq = 4")).one()
            entry = json.loads(raw)
            entry["parameters"]["i"] = 999
            forged = json.dumps(entry, separators=(",", ":"), sort_keys=True)
            conn.execute(text("UPDATE audit_entries SET entry_json = :j, hash = :h, "
                              "leaf_hash = :l WHERE seq = 4"),
                         {"j": forged,
                          "h": hashlib.sha256(bytes.fromhex(prev) + forged.encode()).hexdigest(),
                          "l": merkle.leaf_hash(forged.encode()).hex()})
            conn.execute(text("UPDATE audit_head SET hash = :h"),
                         {"h": hashlib.sha256(bytes.fromhex(prev) + forged.encode()).hexdigest()})
        report = client.get("/v1/verify").json()
        assert report["ok"] is False
        assert any("checkpoint 4" in p["problem"] for p in report["problems"])

    def test_the_schedule_signs_without_being_asked(self, base_env, tokens):
        app, runtime = make_audit(base_env, checkpoint_interval_s=0.05)
        try:
            with TestClient(app) as client:
                client.headers.update(bearer(tokens, "d.officer", ("disclosure_officer",)))
                append(client, 2)  # make_audit started the runtime and its schedule
                import time

                deadline = time.monotonic() + 5
                while time.monotonic() < deadline:
                    r = client.get("/v1/checkpoints/latest")
                    if r.status_code == 200 and r.json()["size"] == 2:
                        break
                    time.sleep(0.05)
                assert r.status_code == 200 and r.json()["size"] == 2
        finally:
            runtime.shutdown()


def test_the_checkpoint_root_is_base64_in_the_note(log):
    client, runtime = log
    append(client, 1)
    note = client.post("/v1/checkpoints").json()["note"]
    assert note.splitlines()[2] == base64.b64encode(merkle.root_of(leaves_of(runtime))).decode()


def test_production_refuses_to_start_without_its_signing_key(base_env, tmp_path):
    from linesight_audit.app import build_runtime
    from linesight_audit.settings import AuditSettings

    settings = AuditSettings(**{**base_env, "environment": "production",
                                "token_secret": "s" * 40,
                                "signing_key_file": tmp_path / "missing.pem"})
    with pytest.raises(RuntimeError, match="missing.pem does not exist"):
        build_runtime(settings)
    assert not (tmp_path / "missing.pem").exists()


def test_a_swapped_signing_key_is_named_by_verify(log):
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
    from linesight_audit.checkpoints.signer import Signer

    client, runtime = log
    append(client, 3)
    client.post("/v1/checkpoints")
    assert client.get("/v1/verify").json()["ok"] is True
    runtime.signer = Signer(runtime.signer.origin, Ed25519PrivateKey.generate())
    report = client.get("/v1/verify").json()
    assert report["ok"] is False
    assert any("checkpoint 3 is not signed by the log's current key" in p["problem"]
               for p in report["problems"])
