"""Verifying a case's audit bundle before anything of it is shown.

The key trusted is the log's verifier key: the one pinned in
``LINESIGHT_REPORTING_AUDIT_VERIFIER_KEY`` when it is set (the key the audit service
presents must then be the same, or nothing is rendered), else the one the audit service
presents (``GET /v1/log/key``), which the PDF says was not pinned.

The bundle is checked with :func:`linesight_shared.auditverify.bundle.verify_bundle`, the
same code a defence expert runs offline: the checkpoint's signature, each entry's leaf
hash from its exact bytes, its inclusion proof against the signed root, its chain hash and
the links between consecutive entries. Three checks are added for a summary: the bundle
is the requested case's, every entry in it says that case, and it holds the entry that
recorded this very export (same user, same correlation id), so an older bundle cannot be
passed off as a fresh one. Any problem rejects the whole bundle, naming every problem.
"""

from __future__ import annotations

import base64
import hashlib
import json
from datetime import datetime

from linesight_shared.auditverify.bundle import verify_bundle
from linesight_shared.auditverify.checkpoint import open_checkpoint
from linesight_shared.auditverify.note import parse_verifier_key

from linesight_reporting.rendering.audit_model import LogEntry, LoggedObject, VerifiedLog

#: Problems listed in a job's failure message (all are counted).
MAX_PROBLEMS_SHOWN = 20


class BundleRejected(Exception):
    """The bundle does not verify: no summary is made. ``problems`` names each one."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        shown = problems[:MAX_PROBLEMS_SHOWN]
        more = len(problems) - len(shown)
        super().__init__("the audit bundle does not verify, so no summary was made: "
                         + "; ".join(shown) + (f"; and {more} more problems" if more else ""))


def trusted_key(presented: str, pinned: str | None) -> str:
    """The pinned key if there is one and the audit service presents the same; the
    presented key when none is pinned."""
    if pinned is None:
        return presented
    if presented.strip() != pinned.strip():
        raise BundleRejected([(
            f"the audit service presents verifier key {presented!r}, not the key pinned in "
            f"LINESIGHT_REPORTING_AUDIT_VERIFIER_KEY ({pinned!r})")])
    return pinned.strip()


def parse_time(text: str) -> datetime:
    """The entry's UTC time (``2026-11-22T10:04:05.123456Z``)."""
    return datetime.fromisoformat(text)


def _entry(e: dict, item: dict) -> LogEntry:
    return LogEntry(
        seq=e["seq"], time=parse_time(e["time"]), time_text=e["time"], actor=e["actor"],
        role=e.get("role") or "", service=e.get("service") or "", operation=e["operation"],
        outcome=e.get("outcome") or "success", reason=e.get("reason"),
        objects=tuple(LoggedObject(type=o["type"], id=o["id"], sha256=o.get("sha256"),
                                   ref=o.get("ref")) for o in e.get("objects") or []),
        recipients=tuple(e.get("recipients") or []), leaf_hash=item["leaf_hash"],
        correlation_id=e.get("correlation_id"), parameters=e.get("parameters") or {},
    )


def _export_seq(entries: list[LogEntry], requested_by: str, correlation_id: str) -> int | None:
    found = [e.seq for e in entries
             if e.operation == "export" and e.actor == requested_by
             and e.correlation_id == correlation_id
             and e.parameters.get("format") == "bundle"]
    return found[-1] if found else None


def verified_log(bundle_bytes: bytes, *, presented_key: str, origin: str,
                 pinned_key: str | None, case: str, requested_by: str,
                 correlation_id: str) -> VerifiedLog:
    """The bundle's entries, once every check passed; BundleRejected otherwise."""
    key = trusted_key(presented_key, pinned_key)
    try:
        bundle = json.loads(bundle_bytes)
    except ValueError as exc:
        raise BundleRejected([f"the bundle is not JSON: {exc}"]) from exc
    if not isinstance(bundle, dict):
        raise BundleRejected(["the bundle is not a JSON object"])
    report = verify_bundle(bundle, key, origin=origin)
    problems = list(report.problems)
    if bundle.get("case") != case:
        problems.append(f"the bundle is for case {bundle.get('case')!r}, not {case!r}")
    if not report.ok or problems:
        raise BundleRejected(problems)
    # verify_bundle opened the checkpoint with this key already: this cannot fail now
    verifier = parse_verifier_key(key)
    checkpoint = open_checkpoint(bundle["checkpoint"], verifier, origin=origin)
    parsed = [(json.loads(item["entry_json"]), item) for item in bundle["entries"]]
    problems += [f"entry seq {e['seq']} is for case {e.get('case')!r}, not {case!r}"
                 for e, _ in parsed if e.get("case") != case]
    entries = [_entry(e, item) for e, item in parsed]
    export_seq = _export_seq(entries, requested_by, correlation_id)
    if export_seq is None:
        problems.append(f"the bundle does not hold the entry recording this export (by "
                        f"{requested_by}, correlation id {correlation_id}): it is not the "
                        "bundle the audit service made for this summary")
    if problems:
        raise BundleRejected(problems)
    return VerifiedLog(
        case=case, origin=checkpoint.origin, checkpoint_size=checkpoint.size,
        root_hash_b64=base64.b64encode(checkpoint.root).decode(),
        key_id_hex=verifier.key_id.hex(), verifier_key=key,
        key_pinned=pinned_key is not None,
        bundle_sha256=hashlib.sha256(bundle_bytes).hexdigest(), bundle_bytes=bundle_bytes,
        entries=tuple(entries), export_seq=export_seq,
    )
