"""The analytics worker process: ``python -m linesight_analytics.worker``.

Consumes the ``analytics`` queue on RabbitMQ (``LINESIGHT_BROKER=rabbitmq``) until SIGTERM
or SIGINT. ``LINESIGHT_EMBEDDED_WORKERS`` is ignored here: this process *is* the worker.
A StubBroker lives inside one process, so a separate worker on it would never see a
job; that configuration is refused.
"""

from __future__ import annotations

import sys

from linesight_shared.jobs.worker_main import run_worker
from linesight_shared.logging import configure_logging
from linesight_shared.settings import BrokerKind

from linesight_analytics.app import build_runtime
from linesight_analytics.settings import AnalyticsSettings


def main() -> int:
    settings = AnalyticsSettings()
    configure_logging(service="analytics-worker", json=settings.log_json, level=settings.log_level)
    if settings.broker is not BrokerKind.rabbitmq:
        print("linesight_analytics.worker needs LINESIGHT_BROKER=rabbitmq: with the in-process "
              "stub broker the API process runs its own workers (LINESIGHT_EMBEDDED_WORKERS)",
              file=sys.stderr)
        return 2
    run_worker(build_runtime(settings))
    return 0


if __name__ == "__main__":
    sys.exit(main())
