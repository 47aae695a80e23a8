"""Create, enqueue, run and recover jobs of one service."""

from __future__ import annotations

import traceback
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import dramatiq
import structlog
from dramatiq import Broker
from sqlalchemy import and_, func, or_, update
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from linesight_shared.auth import Principal, TokenIssuer
from linesight_shared.db import session_scope
from linesight_shared.errors import ServiceUnavailable
from linesight_shared.jobs.models import JobFields, JobStatus

log = structlog.get_logger("linesight.jobs")

MAX_ATTEMPTS = 5
BACKOFF_MS = (1_000, 2_000, 5_000, 10_000, 30_000)
#: a running job not finished after this long is taken over (longer than the time limit)
LEASE = timedelta(hours=2)


class PermanentJobError(Exception):
    """The job cannot succeed (bad input); it fails with this message, no retry."""

    def __init__(self, message: str, result: dict[str, Any] | None = None) -> None:
        super().__init__(message)
        self.result = result


@dataclass
class JobContext:
    """What a handler gets: the job, the user it acts for, a session, a progress hook."""

    job: JobFields
    principal: Principal
    session: Session
    runner: JobRunner

    def progress(self, fraction: float, message: str | None = None) -> None:
        """Record progress in its own short transaction, visible at once to pollers.

        Call it while the handler's own session has nothing pending (compute first,
        write rows at the end) so the two never wait on each other.
        """
        with session_scope(self.runner.engine) as s:
            job = s.get(self.runner.job_model, self.job.id)
            if job is not None:
                job.progress = max(0.0, min(1.0, fraction))
                job.message = message
        log.info("job.progress", progress=round(fraction, 3), note=message)


Handler = Callable[[JobContext], dict[str, Any] | None]


def utcnow() -> datetime:
    return datetime.now(UTC)


class JobRunner:
    """One service's jobs: a job row per request, an actor per kind, recovery on start."""

    def __init__(self, *, service: str, engine: Engine, job_model: type[JobFields],
                 broker: Broker, tokens: TokenIssuer) -> None:
        self.service = service
        self.engine = engine
        self.job_model = job_model
        self.broker = broker
        self.tokens = tokens
        self.queue = service
        self._actors: dict[str, dramatiq.Actor] = {}
        self._handlers: dict[str, Handler] = {}

    # -- declaration -------------------------------------------------------------------
    def register(self, kind: str, handler: Handler) -> None:
        """Declare the actor ``kind`` (``"domain.verb"``) on this service's queue."""
        self._handlers[kind] = handler

        def run(job_id: str) -> None:
            self.run(job_id)

        run.__name__ = kind.replace(".", "_")
        self._actors[kind] = dramatiq.actor(
            run, broker=self.broker, actor_name=kind, queue_name=self.queue,
            max_retries=0, time_limit=3_600_000,
        )

    # -- requests side -----------------------------------------------------------------
    def create(self, session: Session, *, kind: str, subject_id: str, case_id: str | None,
               principal: Principal, correlation_id: str) -> JobFields:
        """Add a queued job row to the caller's unit of work (enqueue after commit)."""
        if kind not in self._handlers:
            raise KeyError(f"no handler for job kind {kind}")
        job = self.job_model(
            id=uuid.uuid4().hex, kind=kind, case_id=case_id, subject_id=subject_id,
            status=JobStatus.queued, requested_by=principal.username,
            requested_roles=sorted(principal.roles), correlation_id=correlation_id,
            created_at=utcnow(),
        )
        session.add(job)
        session.flush()
        return job

    def enqueue(self, job: JobFields, *, delay_ms: int | None = None) -> None:
        """Send the job's message. Call only after the job row is committed."""
        self._actors[job.kind].send_with_options(
            args=(job.id,), delay=delay_ms,
            correlation_id=job.correlation_id, user=job.requested_by,
        )
        log.info("job.enqueued", job_id=job.id, kind=job.kind, delay_ms=delay_ms)

    def recover(self, *, include_running: bool) -> int:
        """Re-enqueue jobs a stopped process left behind.

        Queued jobs are always sent again (the process may have stopped between commit
        and send; a duplicate message is harmless, see :meth:`run`). Jobs marked running
        are taken back only with ``include_running``: true when the workers lived in the
        stopped process (embedded default). With separate worker processes a running job
        belongs to its worker, and RabbitMQ redelivers its message if that worker dies.
        """
        states = [JobStatus.queued, JobStatus.running] if include_running else [JobStatus.queued]
        with session_scope(self.engine) as s:
            stmt = select(self.job_model).where(self.job_model.status.in_(states))
            jobs = list(s.exec(stmt).all())
            for job in jobs:
                job.status = JobStatus.queued
        for job in jobs:
            if job.kind in self._actors:
                self.enqueue(job)
        if jobs:
            log.info("job.recovered", count=len(jobs), include_running=include_running)
        return len(jobs)

    def get(self, job_id: str) -> JobFields | None:
        with Session(self.engine) as s:
            return s.get(self.job_model, job_id)

    # -- worker side -------------------------------------------------------------------
    def run(self, job_id: str) -> None:
        """Run one job: idempotent (finished jobs are skipped), transient errors retried."""
        job = self._claim(job_id)
        if job is None:
            return
        structlog.contextvars.bind_contextvars(
            correlation_id=job.correlation_id, user=job.requested_by, job_id=job.id
        )
        log.info("job.started", kind=job.kind, attempt=job.attempts)
        principal = self.tokens.for_job(job.requested_by, job.requested_roles, self.service)
        handler = self._handlers[job.kind]
        try:
            with session_scope(self.engine) as s:
                result = handler(JobContext(job=job, principal=principal, session=s,
                                            runner=self))
        except ServiceUnavailable as exc:
            self._retry_or_fail(job, exc)
            return
        except PermanentJobError as exc:
            self._finish(job, JobStatus.failed, str(exc), exc.result)
            return
        except Exception as exc:  # noqa: BLE001 - a job must end with a recorded status
            log.error("job.crashed", error=repr(exc), tb=traceback.format_exc())
            self._finish(job, JobStatus.failed, f"internal error: {exc!r}", None)
            return
        self._finish(job, JobStatus.succeeded, None, result)

    def _claim(self, job_id: str) -> JobFields | None:
        """Atomically move a job from queued to running; None when another worker has it,
        it is finished, or it does not exist. A job running for longer than ``LEASE`` is
        taken over (its worker died and the broker redelivered the message)."""
        model = self.job_model
        now = utcnow()
        with session_scope(self.engine) as s:
            claimed = s.exec(
                update(model)
                .where(model.id == job_id)
                .where(or_(model.status == JobStatus.queued,
                           and_(model.status == JobStatus.running,
                                model.claimed_at < now - LEASE)))
                .values(status=JobStatus.running, attempts=model.attempts + 1,
                        claimed_at=now, started_at=func.coalesce(model.started_at, now))
            ).rowcount
            job = s.get(model, job_id)
        if job is None:
            log.warning("job.missing", job_id=job_id)
            return None
        if not claimed:
            log.info("job.skip_not_claimable", job_id=job_id, status=str(job.status))
            return None
        return job

    def _retry_or_fail(self, job: JobFields, exc: Exception) -> None:
        if job.attempts >= MAX_ATTEMPTS:
            self._finish(job, JobStatus.failed, f"gave up after {job.attempts} attempts: {exc}",
                         None)
            return
        delay = BACKOFF_MS[min(job.attempts - 1, len(BACKOFF_MS) - 1)]
        with session_scope(self.engine) as s:
            row = s.get(self.job_model, job.id)
            row.status = JobStatus.queued
            row.message = f"retrying in {delay} ms: {exc}"
        log.warning("job.retry", error=str(exc), delay_ms=delay)
        self.enqueue(job, delay_ms=delay)

    def _finish(self, job: JobFields, status: JobStatus, message: str | None,
                result: dict[str, Any] | None) -> None:
        with session_scope(self.engine) as s:
            row = s.get(self.job_model, job.id)
            row.status = status
            row.message = message
            row.result = result
            row.finished_at = utcnow()
            if status is JobStatus.succeeded:
                row.progress = 1.0
        log.info("job.finished", status=str(status), note=message)
