"""The log's Ed25519 signing key: loaded from a PEM file, or made once (development)."""

from __future__ import annotations

import os
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import (
    Encoding,
    NoEncryption,
    PrivateFormat,
    load_pem_private_key,
)
from linesight_shared.auditverify.checkpoint import Checkpoint
from linesight_shared.auditverify.note import public_bytes, sign, verifier_key


class Signer:
    """Signs checkpoints of one log (the key's name is the log's origin)."""

    def __init__(self, origin: str, key: Ed25519PrivateKey) -> None:
        self.origin = origin
        self.key = key
        self.verifier_key = verifier_key(origin, public_bytes(key.public_key()))

    def sign_checkpoint(self, size: int, root: bytes) -> str:
        return sign(Checkpoint(self.origin, size, root).body(), self.origin, self.key)

    @classmethod
    def from_file(cls, origin: str, path: Path, *, create: bool = True) -> Signer:
        if not path.exists():
            if not create:
                raise RuntimeError(f"signing key {path} does not exist")
            path.parent.mkdir(parents=True, exist_ok=True)
            pem = Ed25519PrivateKey.generate().private_bytes(
                Encoding.PEM, PrivateFormat.PKCS8, NoEncryption())
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "wb") as f:
                f.write(pem)
        key = load_pem_private_key(path.read_bytes(), password=None)
        if not isinstance(key, Ed25519PrivateKey):
            raise TypeError(f"signing key {path} is not an Ed25519 key")
        return cls(origin, key)
