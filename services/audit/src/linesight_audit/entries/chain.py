"""The hash chain: ``hash = SHA-256(prev_hash || RFC 8785 canonical JSON of the entry)``.

Pure functions with no database, so the same code checks the chain in the service and
in an offline verifier. ``prev_hash`` of the first entry is 32 zero bytes.
"""

from __future__ import annotations

import hashlib
from typing import Any

import rfc8785

GENESIS_HASH = "00" * 32


def canonical(entry: dict[str, Any]) -> bytes:
    """RFC 8785 (JCS) canonical bytes of an entry."""
    return rfc8785.dumps(entry)


def chain_hash(prev_hash: str, canonical_entry: bytes) -> str:
    """Hex SHA-256 of the previous hash's bytes followed by the canonical entry."""
    return hashlib.sha256(bytes.fromhex(prev_hash) + canonical_entry).hexdigest()
