"""C2SP signed notes with Ed25519 (https://c2sp.org/signed-note), standard library plus
``cryptography``.

A note is UTF-8 text ending in a newline; a signed note appends a blank line and one
line per signature: ``— <key name> <base64(key id || signature)>``. The key id of an
Ed25519 key is the first 4 bytes of ``SHA-256(name || "\\n" || 0x01 || public key)``; a
verifier key is written ``<name>+<key id hex>+<base64(0x01 || public key)>``.
"""

from __future__ import annotations

import base64
import hashlib
from dataclasses import dataclass

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

ED25519 = 0x01
SIG_PREFIX = "\u2014 "  # em dash and a space


class NoteError(ValueError):
    """A note is malformed or its signature does not verify."""


def public_bytes(key: Ed25519PublicKey) -> bytes:
    return key.public_bytes(Encoding.Raw, PublicFormat.Raw)


def key_id(name: str, public: bytes) -> bytes:
    return hashlib.sha256(name.encode() + b"\n" + bytes([ED25519]) + public).digest()[:4]


def _check_name(name: str) -> None:
    if not name or any(c.isspace() for c in name) or "+" in name:
        raise NoteError(f"key name {name!r} must be non-empty, without spaces or '+'")


def verifier_key(name: str, public: bytes) -> str:
    """The ``name+hexid+base64`` text form of a verifier key."""
    _check_name(name)
    return (f"{name}+{key_id(name, public).hex()}+"
            f"{base64.b64encode(bytes([ED25519]) + public).decode()}")


@dataclass(frozen=True)
class Verifier:
    name: str
    key_id: bytes
    public: Ed25519PublicKey


def parse_verifier_key(vkey: str) -> Verifier:
    try:
        name, hex_id, b64 = vkey.strip().split("+", 2)
        raw = base64.b64decode(b64, validate=True)
        kid = bytes.fromhex(hex_id)
    except ValueError as exc:
        raise NoteError(f"verifier key is not name+hexid+base64: {exc}") from exc
    if len(raw) != 33 or raw[0] != ED25519:
        raise NoteError("verifier key is not an Ed25519 key")
    if key_id(name, raw[1:]) != kid:
        raise NoteError("verifier key id does not match its name and key")
    return Verifier(name=name, key_id=kid, public=Ed25519PublicKey.from_public_bytes(raw[1:]))


def sign(text: str, name: str, private: Ed25519PrivateKey) -> str:
    """The signed note: ``text``, a blank line, and this key's signature line."""
    _check_name(name)
    if not text.endswith("\n") or "\n\n" in text:
        raise NoteError("note text must end with a newline and contain no blank line")
    sig = private.sign(text.encode())
    kid = key_id(name, public_bytes(private.public_key()))
    return f"{text}\n{SIG_PREFIX}{name} {base64.b64encode(kid + sig).decode()}\n"


def open_note(signed: str, verifier: Verifier) -> str:
    """The note's text if ``verifier`` signed it; NoteError otherwise (naming why)."""
    head, sep, sigs = signed.rpartition("\n\n")
    if not sep:
        raise NoteError("not a signed note: no blank line before the signatures")
    text = head + "\n"
    if not sigs.endswith("\n"):
        raise NoteError("signature block does not end with a newline")
    found_name = False
    for line in sigs[:-1].split("\n"):
        if not line.startswith(SIG_PREFIX):
            raise NoteError(f"malformed signature line {line!r}")
        try:
            name, b64 = line[len(SIG_PREFIX):].split(" ")
            blob = base64.b64decode(b64, validate=True)
        except ValueError as exc:
            raise NoteError(f"malformed signature line {line!r}") from exc
        if name != verifier.name or blob[:4] != verifier.key_id:
            continue
        found_name = True
        try:
            verifier.public.verify(blob[4:], text.encode())
        except InvalidSignature as exc:
            raise NoteError(f"the signature of {name} does not verify") from exc
        return text
    raise NoteError(f"no signature by key {verifier.name}+{verifier.key_id.hex()}"
                    + ("" if found_name else " (signed by another key?)"))
