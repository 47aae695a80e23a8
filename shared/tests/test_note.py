"""C2SP signed notes and tlog checkpoints."""

from __future__ import annotations

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from linesight_shared.auditverify.checkpoint import Checkpoint, open_checkpoint, parse_checkpoint
from linesight_shared.auditverify.note import (
    NoteError,
    open_note,
    parse_verifier_key,
    public_bytes,
    sign,
    verifier_key,
)

# The published example of golang.org/x/mod/sumdb/note (the format C2SP signed-note
# standardises): a verifier key and a note it signed.
GO_VKEY = "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW"
GO_TEXT = ("If you think cryptography is the answer to your problem,\n"
           "then you don't know what your problem is.\n")
GO_SIGNED = GO_TEXT + ("\n\u2014 PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIu"
                       "GUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n")


def keypair(name="linesight.test/audit"):
    priv = Ed25519PrivateKey.generate()
    return priv, parse_verifier_key(verifier_key(name, public_bytes(priv.public_key())))


class TestPublishedExample:
    def test_the_go_sumdb_note_example_verifies(self):
        assert open_note(GO_SIGNED, parse_verifier_key(GO_VKEY)) == GO_TEXT

    def test_one_changed_character_breaks_it(self):
        with pytest.raises(NoteError, match="does not verify"):
            open_note(GO_SIGNED.replace("answer", "Answer"), parse_verifier_key(GO_VKEY))

    def test_a_key_id_that_does_not_match_the_key_is_refused(self):
        with pytest.raises(NoteError, match="key id"):
            parse_verifier_key(GO_VKEY.replace("c74f20a3", "c74f20a4"))


class TestSignAndOpen:
    def test_a_note_signed_here_opens_with_its_verifier_key(self):
        priv, v = keypair()
        signed = sign("hello\nworld\n", v.name, priv)
        assert open_note(signed, v) == "hello\nworld\n"

    def test_a_note_signed_by_another_key_is_refused(self):
        priv, _ = keypair()
        _, other = keypair()
        with pytest.raises(NoteError, match="no signature by key"):
            open_note(sign("x\n", "linesight.test/audit", priv), other)


class TestCheckpoint:
    def test_a_checkpoint_round_trips(self):
        priv, v = keypair()
        cp = Checkpoint("linesight.test/audit", 42, bytes(range(32)))
        assert open_checkpoint(sign(cp.body(), v.name, priv), v) == cp

    def test_a_checkpoint_of_another_log_is_refused(self):
        priv, v = keypair()
        signed = sign(Checkpoint("other.log", 1, bytes(32)).body(), v.name, priv)
        with pytest.raises(NoteError, match="for log 'other.log'"):
            open_checkpoint(signed, v, origin="linesight.test/audit")

    @pytest.mark.parametrize("body", ["o\n", "o\n01\nAAAA\n", "o\n1\nnot base64!\n",
                                      "o\n1\nAAAA\n", "\n1\n" + "A" * 43 + "=\n"])
    def test_malformed_bodies_are_refused(self, body):
        with pytest.raises(NoteError):
            parse_checkpoint(body)
