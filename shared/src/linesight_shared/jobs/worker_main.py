"""Run a service's Dramatiq workers in the foreground until SIGTERM or SIGINT.

The production worker process (``python -m linesight_<service>.worker``): it builds the
same runtime as the API process, so jobs run the same code, but never starts the
embedded workers, and leaves recovering queued jobs to the API process (which re-sends
them on start-up) so a job is not sent twice. Migrations are applied (idempotent) so a
worker started before its API finds its tables.
"""

from __future__ import annotations

import signal
import sys
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING

import dramatiq
import structlog

if TYPE_CHECKING:
    from linesight_shared.runtime import ServiceRuntime
    from linesight_shared.settings import PlatformSettings

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


def worker_main(settings: PlatformSettings,
                build_runtime: Callable[[PlatformSettings], ServiceRuntime]) -> int:
    """Body of every ``python -m linesight_<service>.worker``: exit code 2 on the stub broker.

    ``LINESIGHT_EMBEDDED_WORKERS`` is ignored here: this process *is* the worker. A
    StubBroker lives inside one process, so a separate worker on it would never see a
    job; that configuration is refused.
    """
    from linesight_shared.logging import configure_logging
    from linesight_shared.settings import BrokerKind

    service = settings.service_name
    configure_logging(service=f"{service}-worker", json=settings.log_json,
                      level=settings.log_level)
    if settings.broker is not BrokerKind.rabbitmq:
        print(f"linesight_{service}.worker needs LINESIGHT_BROKER=rabbitmq: with the "
              "in-process stub broker the API process runs its own workers "
              "(LINESIGHT_EMBEDDED_WORKERS)", file=sys.stderr)
        return 2
    run_worker(build_runtime(settings))
    return 0
