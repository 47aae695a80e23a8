"""The analytics worker process: ``python -m linesight_analytics.worker``.

Consumes the ``analytics`` queue on RabbitMQ (``LINESIGHT_BROKER=rabbitmq``) until SIGTERM or
SIGINT, running the same runtime and job handlers as the API process
(:func:`linesight_shared.jobs.worker_main.worker_main`).
"""

from __future__ import annotations

import sys

from linesight_shared.jobs.worker_main import worker_main

from linesight_analytics.app import build_runtime
from linesight_analytics.settings import AnalyticsSettings


def main() -> int:
    return worker_main(AnalyticsSettings(), build_runtime)


if __name__ == "__main__":
    sys.exit(main())
