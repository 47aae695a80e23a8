"""The audit service's runtime: the shared one plus the signing key and the checkpoint
schedule."""

from __future__ import annotations

import threading

import structlog
from linesight_shared.db import session_scope
from linesight_shared.runtime import ServiceRuntime
from linesight_shared.settings import Environment

from linesight_audit.checkpoints import service as checkpoints
from linesight_audit.checkpoints.signer import Signer
from linesight_audit.settings import AuditSettings

log = structlog.get_logger("linesight.audit.runtime")


class AuditRuntime(ServiceRuntime):
    settings: AuditSettings

    def __init__(self, settings: AuditSettings, **kwargs) -> None:
        super().__init__(settings, **kwargs)
        # a key is made on first start only outside production; production mounts one
        self.signer = Signer.from_file(
            settings.log_origin, settings.resolved_signing_key_file(),
            create=settings.environment is not Environment.production)
        self._stop = threading.Event()
        self._scheduler: threading.Thread | None = None

    def startup(self, *, with_workers: bool | None = None) -> None:
        super().startup(with_workers=with_workers)
        interval = self.settings.checkpoint_interval_s
        if interval > 0:
            self._stop.clear()
            self._scheduler = threading.Thread(target=self._schedule, args=(interval,),
                                               name="audit-checkpoints", daemon=True)
            self._scheduler.start()

    def _schedule(self, interval: float) -> None:
        while not self._stop.wait(interval):
            self.checkpoint_now()

    def checkpoint_now(self) -> None:
        try:
            with session_scope(self.engine) as session:
                checkpoints.issue(session, self.signer)
        except Exception as exc:  # noqa: BLE001 - the schedule must keep running
            log.error("audit.checkpoint.failed", error=str(exc))

    def shutdown(self) -> None:
        self._stop.set()
        if self._scheduler is not None:
            self._scheduler.join(timeout=5)
        super().shutdown()
