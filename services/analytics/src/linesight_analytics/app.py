"""The analytics service's FastAPI app and the runtime its API and worker share."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi import FastAPI
from linesight_shared.logging import configure_logging
from linesight_shared.runtime import ServiceRuntime
from linesight_shared.web import create_service_app

from linesight_analytics.analyses import tasks as analysis_tasks
from linesight_analytics.analyses.endpoints import router as analyses_router
from linesight_analytics.jobs.endpoints import router as jobs_router
from linesight_analytics.jobs.schemas import Job
from linesight_analytics.settings import AnalyticsSettings

MIGRATIONS = Path(__file__).parent / "migrations"


def build_runtime(settings: AnalyticsSettings | None = None, **wiring: Any) -> ServiceRuntime:
    """The runtime with this service's actors registered. ``wiring`` passes test doubles
    through to ``ServiceRuntime`` (``audit_http``, ``peer_http``, ``store``)."""
    settings = settings or AnalyticsSettings()
    runtime = ServiceRuntime(settings, database_url=settings.resolved_database_url(),
                             migrations_dir=MIGRATIONS, job_model=Job, **wiring)
    analysis_tasks.register(runtime)
    return runtime


def create_app(settings: AnalyticsSettings | None = None, *,
               runtime: ServiceRuntime | None = None, start_runtime: bool = True) -> FastAPI:
    settings = settings or AnalyticsSettings()
    configure_logging(service="analytics", json=settings.log_json, level=settings.log_level)
    runtime = runtime or build_runtime(settings)
    return create_service_app(
        runtime, title="Linesight analytics",
        description="Analyses over the canonical tables as jobs. Each result records its "
                    "inputs (dataset hashes), parameters and code version and is stored as "
                    "RFC 8785 canonical JSON by its SHA-256.",
        routers=[analyses_router, jobs_router], start_runtime=start_runtime,
    )
