"""C2SP tlog-checkpoint bodies (https://c2sp.org/tlog-checkpoint): origin, size, root."""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass

from linesight_shared.auditverify.note import NoteError, Verifier, open_note


@dataclass(frozen=True)
class Checkpoint:
    origin: str
    size: int
    root: bytes

    def body(self) -> str:
        return f"{self.origin}\n{self.size}\n{base64.b64encode(self.root).decode()}\n"


def parse_checkpoint(text: str) -> Checkpoint:
    lines = text.split("\n")
    if len(lines) < 4 or lines[-1] != "":
        raise NoteError("checkpoint must have origin, size and root hash lines")
    origin, size, root = lines[0], lines[1], lines[2]
    if not origin:
        raise NoteError("checkpoint origin is empty")
    if not size.isdigit() or (size != "0" and size.startswith("0")):
        raise NoteError(f"checkpoint size {size!r} is not a decimal number")
    try:
        raw = base64.b64decode(root, validate=True)
    except binascii.Error as exc:
        raise NoteError(f"checkpoint root {root!r} is not base64") from exc
    if len(raw) != 32:
        raise NoteError("checkpoint root hash is not 32 bytes")
    return Checkpoint(origin=origin, size=int(size), root=raw)


def open_checkpoint(signed: str, verifier: Verifier, *, origin: str | None = None
                    ) -> Checkpoint:
    """Check the signature, then parse; with ``origin`` the checkpoint must be that log's."""
    cp = parse_checkpoint(open_note(signed, verifier))
    if origin is not None and cp.origin != origin:
        raise NoteError(f"checkpoint is for log {cp.origin!r}, not {origin!r}")
    return cp
