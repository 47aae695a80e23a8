"""Checking a case's audit export bundle offline.

A bundle (``GET /v1/cases/{case}/bundle``, ``linesight audit bundle``) is one JSON
document::

    {"format": "linesight.audit-bundle/1", "origin": ..., "verifier_key": ...,
     "case": ..., "checkpoint": "<signed note>",
     "entries": [{"seq", "entry_json", "prev_hash", "hash", "leaf_hash",
                  "inclusion": [hex, ...]}, ...]}

:func:`verify_bundle` checks the checkpoint's signature with a verifier key the checker
trusts (obtained out of band, not taken from the bundle), then for every entry: its leaf
hash from its exact bytes, its inclusion proof against the signed root, its chain hash,
its sequence number inside the entry, the order of the entries, and the chain links
between consecutive ones. It lists every problem with the entry it concerns.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field

from linesight_shared.auditverify import merkle
from linesight_shared.auditverify.checkpoint import open_checkpoint
from linesight_shared.auditverify.note import NoteError, parse_verifier_key

FORMAT = "linesight.audit-bundle/1"


@dataclass
class BundleReport:
    ok: bool = True
    origin: str = ""
    case: str | None = None
    checkpoint_size: int = 0
    entries_checked: int = 0
    problems: list[str] = field(default_factory=list)

    def fail(self, problem: str) -> None:
        self.ok = False
        self.problems.append(problem)


def _hex(value: object, what: str) -> bytes:
    if not isinstance(value, str) or len(value) != 64:
        raise ValueError(f"{what} is not 64 hex characters")
    return bytes.fromhex(value)


def verify_bundle(bundle: dict, trusted_key: str, *, origin: str | None = None) -> BundleReport:
    """Check everything in ``bundle``; ``trusted_key`` is the log's verifier key."""
    report = BundleReport(case=bundle.get("case"))
    if bundle.get("format") != FORMAT:
        report.fail(f"not a {FORMAT} bundle (format {bundle.get('format')!r})")
        return report
    try:
        verifier = parse_verifier_key(trusted_key)
        cp = open_checkpoint(bundle.get("checkpoint", ""), verifier,
                             origin=origin or bundle.get("origin"))
    except NoteError as exc:
        report.fail(f"checkpoint: {exc}")
        return report
    report.origin, report.checkpoint_size = cp.origin, cp.size
    if bundle.get("verifier_key") not in (None, trusted_key):
        report.fail("the bundle names another verifier key than the trusted one")
    previous: dict | None = None
    for position, item in enumerate(bundle.get("entries", []), start=1):
        report.entries_checked += 1
        where = f"entry #{position} (seq {item.get('seq')})"
        try:
            _check_entry(item, cp, report, where)
        except (ValueError, TypeError, KeyError) as exc:
            report.fail(f"{where}: malformed: {exc}")
            previous = None
            continue
        if previous is not None:
            if item["seq"] <= previous["seq"]:
                report.fail(f"{where}: out of order or repeated after seq {previous['seq']}")
            elif item["seq"] == previous["seq"] + 1 and item["prev_hash"] != previous["hash"]:
                report.fail(f"{where}: prev_hash does not link to entry {previous['seq']}")
        previous = item
    return report


def _check_entry(item: dict, cp, report: BundleReport, where: str) -> None:
    seq = item["seq"]
    if not isinstance(seq, int) or seq < 1:
        raise ValueError("seq is not a positive integer")
    data = item["entry_json"].encode("utf-8")
    leaf = merkle.leaf_hash(data)
    if leaf != _hex(item["leaf_hash"], "leaf_hash"):
        report.fail(f"{where}: leaf_hash is not SHA-256(0x00 || entry): the entry was changed")
    entry = json.loads(data)
    if entry.get("seq") != seq:
        report.fail(f"{where}: the entry says seq {entry.get('seq')}")
    chained = hashlib.sha256(_hex(item["prev_hash"], "prev_hash") + data).hexdigest()
    if chained != item["hash"]:
        report.fail(f"{where}: hash is not SHA-256(prev_hash || entry)")
    if seq > cp.size:
        report.fail(f"{where}: beyond the signed checkpoint of size {cp.size}")
        return
    proof = [_hex(h, "proof hash") for h in item["inclusion"]]
    try:
        merkle.verify_inclusion(seq - 1, cp.size, leaf, proof, cp.root)
    except merkle.ProofError as exc:
        report.fail(f"{where}: not in the signed tree: {exc}")


def verify_growth(old_checkpoint: str, new_checkpoint: str, proof_hex: list[str],
                  trusted_key: str) -> None:
    """Raise NoteError/ProofError unless ``new_checkpoint`` is signed by the trusted key and
    extends ``old_checkpoint`` (the log only grew: nothing was removed, changed or forked)."""
    verifier = parse_verifier_key(trusted_key)
    old = open_checkpoint(old_checkpoint, verifier)
    new = open_checkpoint(new_checkpoint, verifier, origin=old.origin)
    if new.size < old.size:
        raise merkle.ProofError(f"the log shrank from {old.size} to {new.size} entries")
    merkle.verify_consistency(old.size, new.size, [bytes.fromhex(h) for h in proof_hex],
                              old.root, new.root)
