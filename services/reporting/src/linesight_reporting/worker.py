"""The reporting worker process: ``python -m linesight_reporting.worker``.

Consumes the ``reporting`` queue on RabbitMQ (``LINESIGHT_BROKER=rabbitmq``) until SIGTERM or
SIGINT, running the same runtime and job handlers as the API process
(:func:`linesight_shared.jobs.worker_main.worker_main`).
"""

from __future__ import annotations

import sys

from linesight_shared.jobs.worker_main import worker_main

from linesight_reporting.app import build_runtime
from linesight_reporting.settings import ReportingSettings


def main() -> int:
    return worker_main(ReportingSettings(), build_runtime)


if __name__ == "__main__":
    sys.exit(main())
