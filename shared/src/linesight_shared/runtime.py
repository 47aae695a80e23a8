"""A service's runtime: settings, database, object store, broker, jobs, audit and peers.

Built once per process, by the API app and by the worker process alike, so both run the
same code paths; which components sit behind them (SQLite or PostgreSQL, folder or S3,
StubBroker or RabbitMQ) is chosen by settings alone.
"""

from __future__ import annotations

import threading
from pathlib import Path

import dramatiq
import httpx
import structlog
from sqlalchemy import text

from linesight_shared.audit_client import AuditClient
from linesight_shared.audit_outbox import AuditOutbox
from linesight_shared.auth import TokenIssuer
from linesight_shared.db import make_engine, upgrade_database
from linesight_shared.jobs import JobFields, JobRunner, make_broker
from linesight_shared.objectstore import ObjectStore, make_object_store
from linesight_shared.settings import BrokerKind, PlatformSettings
from linesight_shared.version import code_version

log = structlog.get_logger("linesight.runtime")


class ServiceRuntime:
    """Everything a service's routes and actors need, wired from settings."""

    def __init__(
        self,
        settings: PlatformSettings,
        *,
        database_url: str,
        migrations_dir: Path,
        job_model: type[JobFields] | None = None,
        store: ObjectStore | None = None,
        audit_http: httpx.Client | None = None,
        peer_http: dict[str, httpx.Client] | None = None,
    ) -> None:
        self.settings = settings
        self.service = settings.service_name
        self.version = code_version(f"linesight-{self.service}")
        self.engine = make_engine(database_url)
        self.migrations_dir = migrations_dir
        self.tokens = TokenIssuer(settings.token_secret, settings.token_ttl_s)
        self.store = store or make_object_store(settings)
        self.peer_http = peer_http or {}
        self.audit: AuditClient | None = None
        if self.service != "audit":
            self.audit = AuditClient(
                audit_http or httpx.Client(base_url=settings.audit_url,
                                           timeout=settings.http_timeout_s),
                tokens=self.tokens, service=self.service,
                outbox=AuditOutbox(settings.var_dir / "audit-outbox", self.service),
            )
        self.broker: dramatiq.Broker | None = None
        self.jobs: JobRunner | None = None
        if job_model is not None:
            self.broker = make_broker(settings)
            self.jobs = JobRunner(service=self.service, engine=self.engine, job_model=job_model,
                                  broker=self.broker, tokens=self.tokens)
        self._worker: dramatiq.Worker | None = None
        self._migrated = False
        self._outbox_stop = threading.Event()
        self._outbox_thread: threading.Thread | None = None

    def peer(self, name: str) -> httpx.Client:
        """The HTTP client for a peer service (``ingest``, ``analytics``, ...)."""
        if name not in self.peer_http:
            url = getattr(self.settings, f"{name}_url")
            self.peer_http[name] = httpx.Client(base_url=url, timeout=self.settings.http_timeout_s)
        return self.peer_http[name]

    def migrate(self) -> None:
        if not self._migrated:
            upgrade_database(self.engine, self.migrations_dir)
            self._migrated = True

    def startup(self, *, with_workers: bool | None = None) -> None:
        """Migrate, check the store, start embedded workers and recover queued jobs."""
        self.migrate()
        self.store.ensure_ready()
        if with_workers is None:
            with_workers = self.settings.embedded_workers
        if self.jobs is not None and with_workers:
            self.start_worker()
        if self.jobs is not None:
            # in-process workers died with the last process, so its running jobs are orphans
            self.jobs.recover(include_running=with_workers)
        if self.audit is not None and self.settings.audit_outbox_flush_s > 0:
            self._outbox_stop.clear()
            self._outbox_thread = threading.Thread(
                target=self._flush_outbox, name="audit-outbox", daemon=True)
            self._outbox_thread.start()
        log.info("service.started", version=self.version, broker=str(self.settings.broker),
                 store=type(self.store).__name__, workers=bool(self._worker))

    def _flush_outbox(self) -> None:
        """Deliver refusals kept while the audit service was down, once it is back."""
        while not self._outbox_stop.wait(self.settings.audit_outbox_flush_s):
            try:
                self.audit.flush_refusals()
            except Exception as exc:  # noqa: BLE001 - keep trying on the next round
                log.warning("audit.outbox.flush_failed", error=str(exc))

    def start_worker(self) -> dramatiq.Worker:
        assert self.broker is not None
        self._worker = dramatiq.Worker(self.broker, worker_threads=self.settings.worker_threads,
                                       worker_timeout=100)
        self._worker.start()
        return self._worker

    def shutdown(self) -> None:
        self._outbox_stop.set()
        if self._outbox_thread is not None:
            self._outbox_thread.join(timeout=5)
            self._outbox_thread = None
        if self._worker is not None:
            self._worker.stop(timeout=10_000)
            self._worker = None
        if self.broker is not None:
            self.broker.close()
        self.engine.dispose()
        log.info("service.stopped")

    def readiness(self) -> dict[str, str]:
        checks: dict[str, str] = {}
        try:
            with self.engine.connect() as conn:
                conn.execute(text("SELECT 1"))
            checks["database"] = "ok"
        except Exception as exc:  # noqa: BLE001 - report, not raise
            checks["database"] = f"error: {exc.__class__.__name__}"
        try:
            self.store.ensure_ready()
            checks["object_store"] = "ok"
        except Exception as exc:  # noqa: BLE001
            checks["object_store"] = f"error: {exc}"
        if self.broker is not None and self.settings.broker is BrokerKind.rabbitmq:
            try:
                # the property opens (or reuses) this thread's AMQP connection
                checks["broker"] = "ok" if self.broker.connection.is_open else "error: closed"
            except Exception as exc:  # noqa: BLE001
                checks["broker"] = f"error: {exc.__class__.__name__}"
        if self.audit is not None:
            checks["audit"] = "ok" if self.audit.healthy() else "error: unreachable"
        return checks
