"""Case export bundles, checked offline; and a hostile server the verifier must refuse."""

from __future__ import annotations

import copy
import json

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from linesight_audit.checkpoints.signer import Signer
from linesight_shared.auditverify import merkle
from linesight_shared.auditverify.__main__ import main as verify_main
from linesight_shared.auditverify.bundle import verify_bundle, verify_growth
from linesight_shared.auditverify.note import NoteError
from linesight_shared.testing.fixtures import bearer
from starlette.testclient import TestClient

from .conftest import make_audit


@pytest.fixture
def log(base_env, tokens):
    app, runtime = make_audit(base_env, checkpoint_interval_s=0)
    client = TestClient(app)
    client.headers.update(bearer(tokens, "d.officer", ("disclosure_officer",)))
    for i in range(12):
        case = "OP-B" if i % 3 else "OP-OTHER"
        r = client.post("/v1/entries", json={"operation": "consultation", "case": case,
                                             "parameters": {"i": i}})
        assert r.status_code == 201
    yield client, runtime
    runtime.shutdown()


@pytest.fixture
def bundle(log):
    client, _ = log
    r = client.get("/v1/cases/OP-B/bundle")
    assert r.status_code == 200, r.text
    return r.json()


@pytest.fixture
def key(log):
    return log[0].get("/v1/log/key").json()["verifier_key"]


class TestBundle:
    def test_an_honest_bundle_verifies_offline(self, bundle, key):
        report = verify_bundle(bundle, key)
        assert report.ok, report.problems
        # 8 OP-B entries plus the export's own entry, all under the fresh checkpoint
        assert report.entries_checked == 9 and report.checkpoint_size == 13
        assert json.loads(bundle["entries"][-1]["entry_json"])["operation"] == "export"

    def test_the_command_line_verifier_agrees(self, bundle, key, tmp_path, capsys):
        f = tmp_path / "b.json"
        f.write_text(json.dumps(bundle))
        assert verify_main([str(f), "--key", key]) == 0
        assert "VERIFIES" in capsys.readouterr().out


class TestHostileServer:
    """Each answer a lying server could give is refused, saying what is wrong."""

    def refused(self, bundle, key, match):
        report = verify_bundle(bundle, key)
        assert not report.ok
        assert any(match in p for p in report.problems), report.problems

    def test_a_changed_entry(self, bundle, key):
        bad = copy.deepcopy(bundle)
        bad["entries"][2]["entry_json"] = bad["entries"][2]["entry_json"].replace(
            '"i":', '"i":1')
        self.refused(bad, key, "the entry was changed")

    def test_a_proof_for_a_different_tree(self, bundle, key, log):
        client, _ = log
        client.post("/v1/entries", json={"operation": "consultation", "case": "OP-B"})
        newer = client.get("/v1/cases/OP-B/bundle").json()
        bad = copy.deepcopy(bundle)
        bad["entries"][0]["inclusion"] = newer["entries"][0]["inclusion"]
        self.refused(bad, key, "not in the signed tree")

    def test_a_checkpoint_signed_by_another_key(self, bundle, key):
        rogue = Signer(bundle["origin"], Ed25519PrivateKey.generate())
        bad = copy.deepcopy(bundle)
        size = int(bad["checkpoint"].split("\n")[1])
        bad["checkpoint"] = rogue.sign_checkpoint(size, b"\x11" * 32)
        bad["verifier_key"] = rogue.verifier_key
        self.refused(bad, key, "checkpoint: no signature by key")

    def test_reordered_entries(self, bundle, key):
        bad = copy.deepcopy(bundle)
        bad["entries"][1], bad["entries"][2] = bad["entries"][2], bad["entries"][1]
        self.refused(bad, key, "out of order")

    def test_an_entry_claimed_beyond_the_checkpoint(self, bundle, key):
        bad = copy.deepcopy(bundle)
        size = int(bad["checkpoint"].split("\n")[1])
        last = bad["entries"][-1]
        entry = json.loads(last["entry_json"])
        entry["seq"] = size + 5
        extra = dict(last, seq=size + 5, entry_json=json.dumps(entry))
        bad["entries"].append(extra)
        self.refused(bad, key, f"beyond the signed checkpoint of size {size}")

    def test_a_truncated_log_fails_the_growth_check(self, log, key):
        client, runtime = log
        old = client.post("/v1/checkpoints").json()
        rogue_truncated = runtime.signer.sign_checkpoint(5, merkle.EMPTY_ROOT)
        with pytest.raises(merkle.ProofError, match="shrank"):
            verify_growth(old["note"], rogue_truncated, [], key)

    def test_a_forked_log_fails_the_growth_check(self, log, key):
        client, runtime = log
        old = client.post("/v1/checkpoints").json()
        client.post("/v1/entries", json={"operation": "consultation", "case": "OP-B"})
        new = client.post("/v1/checkpoints").json()
        proof = client.get("/v1/proofs/consistency",
                           params={"size1": old["size"], "size2": new["size"]}).json()
        verify_growth(old["note"], new["note"], proof["hashes"], key)  # honest: passes
        forked = runtime.signer.sign_checkpoint(new["size"], b"\x22" * 32)
        with pytest.raises(merkle.ProofError):
            verify_growth(old["note"], forked, proof["hashes"], key)

    def test_a_checkpoint_of_another_log(self, log, key):
        client, _ = log
        old = client.post("/v1/checkpoints").json()
        other = Signer("other.example/log", Ed25519PrivateKey.generate())
        with pytest.raises(NoteError):
            verify_growth(old["note"], other.sign_checkpoint(20, b"\x00" * 32), [], key)
