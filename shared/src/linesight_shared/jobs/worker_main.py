"""Run a service's Dramatiq workers in the foreground until SIGTERM or SIGINT.

The production worker process (``python -m linesight_<service>.worker``): it builds the
same runtime as the API process, so jobs run the same code, but never starts the
embedded workers, and leaves recovering queued jobs to the API process (which re-sends
them on start-up) so a job is not sent twice. Migrations are applied (idempotent) so a
worker started before its API finds its tables.
"""

from __future__ import annotations

import signal
import threading
from typing import TYPE_CHECKING

import dramatiq
import structlog

if TYPE_CHECKING:
    from linesight_shared.runtime import ServiceRuntime

log = structlog.get_logger("linesight.worker")


def run_worker(runtime: ServiceRuntime, *, stop: threading.Event | None = None,
               stop_timeout_ms: int = 30_000) -> None:
    """Consume the service's queue until ``stop`` is set or a SIGTERM/SIGINT arrives.

    Signals are handled only when called from the main thread; otherwise pass ``stop``.
    On stop, running jobs get ``stop_timeout_ms`` to finish; the runtime is then shut down.
    """
    if runtime.jobs is None or runtime.broker is None:
        raise RuntimeError(f"the {runtime.service} runtime has no jobs to run")
    stop = stop or threading.Event()
    if threading.current_thread() is threading.main_thread():
        for sig in (signal.SIGTERM, signal.SIGINT):
            signal.signal(sig, lambda signum, _frame: (
                log.info("worker.signal", signal=signal.Signals(signum).name), stop.set()))
    runtime.migrate()
    runtime.store.ensure_ready()
    worker = dramatiq.Worker(runtime.broker, worker_threads=runtime.settings.worker_threads,
                             worker_timeout=1000)
    worker.start()
    log.info("worker.started", service=runtime.service, queue=runtime.jobs.queue,
             threads=runtime.settings.worker_threads, version=runtime.version)
    try:
        stop.wait()
    finally:
        log.info("worker.stopping")
        worker.stop(timeout=stop_timeout_ms)
        runtime.shutdown()
        log.info("worker.stopped")
