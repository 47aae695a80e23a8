"""Refusals the audit service could not take, kept locally until it is back.

When an access is refused because the audit entry could not be written (fail closed),
the refusal itself must still reach the log. :class:`AuditOutbox` appends it to a local
JSON Lines file (``<var_dir>/audit-outbox/<service>-<pid>.jsonl``, fsynced), and
:meth:`flush` — run on a schedule by the service runtime — posts every pending refusal as
a ``refused`` entry, as the user who was refused, then removes it. Each carries a
``client_event_id``, so a flush interrupted half way never writes an entry twice.
"""

from __future__ import annotations

import fcntl
import json
import os
import threading
import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import structlog

log = structlog.get_logger("linesight.audit_outbox")


class AuditOutbox:
    def __init__(self, directory: Path, service: str) -> None:
        self.directory = directory
        self.path = directory / f"{service}-{os.getpid()}.jsonl"
        self._lock = threading.Lock()

    def add(self, *, username: str, roles: list[str], operation: str, case: str | None,
            objects: list[dict[str, Any]], correlation_id: str | None, error: str) -> None:
        """Keep one refusal (never raises: the caller is already failing closed)."""
        record = {
            "client_event_id": uuid.uuid4().hex, "username": username, "roles": roles,
            "case": case, "objects": objects, "correlation_id": correlation_id,
            "parameters": {"attempted_operation": operation,
                           "refused_at": datetime.now(UTC).isoformat(),
                           "audit_error": error[:500]},
        }
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
            with self._lock, self.path.open("a", encoding="utf-8") as f:
                f.write(json.dumps(record, sort_keys=True) + "\n")
                f.flush()
                os.fsync(f.fileno())
        except OSError as exc:
            log.error("audit.outbox.unwritable", error=str(exc))

    def pending(self) -> int:
        return sum(len(p.read_text().splitlines()) for p in self.directory.glob("*.jsonl"))

    def flush(self, post: Callable[[dict[str, Any]], None]) -> int:
        """Post every pending refusal with ``post``; returns how many were delivered.
        Stops at the first failure (the audit service is still down) and keeps the rest."""
        delivered = 0
        if not self.directory.exists():
            return 0
        for path in sorted(self.directory.glob("*.jsonl")):
            with path.open("r+", encoding="utf-8") as f:
                try:
                    fcntl.flock(f, fcntl.LOCK_EX | fcntl.LOCK_NB)
                except BlockingIOError:
                    continue  # another process is flushing this file
                lines = [line for line in f.read().splitlines() if line.strip()]
                done = 0
                for line in lines:
                    try:
                        post(json.loads(line))
                    except Exception as exc:  # noqa: BLE001 - keep the rest for later
                        log.warning("audit.outbox.still_down", error=str(exc))
                        break
                    done += 1
                rest = lines[done:]
                f.seek(0)
                f.truncate()
                f.write("".join(line + "\n" for line in rest))
                f.flush()
                os.fsync(f.fileno())
                delivered += done
            if not rest and path != self.path:
                path.unlink(missing_ok=True)
            if rest:
                break
        if delivered:
            log.info("audit.outbox.flushed", delivered=delivered)
        return delivered
