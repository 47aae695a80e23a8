"""The ingest service's FastAPI app and runtime."""

from __future__ import annotations

from functools import partial
from pathlib import Path

from fastapi import FastAPI
from linesight_shared.logging import configure_logging
from linesight_shared.runtime import ServiceRuntime
from linesight_shared.web import create_service_app

from linesight_ingest.cases.endpoints import router as cases_router
from linesight_ingest.datasets.endpoints import router as datasets_router
from linesight_ingest.exhibits.endpoints import router as exhibits_router
from linesight_ingest.exhibits.service import PARSE_JOB
from linesight_ingest.exhibits.tasks import parse_exhibit
from linesight_ingest.jobs.endpoints import router as jobs_router
from linesight_ingest.jobs.schemas import Job
from linesight_ingest.profiles.endpoints import router as profiles_router
from linesight_ingest.settings import IngestSettings

MIGRATIONS = Path(__file__).parent / "migrations"


def build_runtime(settings: IngestSettings | None = None, **kwargs) -> ServiceRuntime:
    """The runtime with the ``exhibits.parse`` actor registered. ``kwargs`` go to
    :class:`ServiceRuntime` (``store``, ``audit_http``, ``peer_http`` in tests)."""
    settings = settings or IngestSettings()
    runtime = ServiceRuntime(settings, database_url=settings.resolved_database_url(),
                             migrations_dir=MIGRATIONS, job_model=Job, **kwargs)
    runtime.jobs.register(PARSE_JOB, partial(parse_exhibit, runtime))
    return runtime


def create_app(settings: IngestSettings | None = None, *, runtime: ServiceRuntime | None = None,
               start_runtime: bool = True) -> FastAPI:
    settings = settings or IngestSettings()
    configure_logging(service="ingest", json=settings.log_json, level=settings.log_level)
    runtime = runtime or build_runtime(settings)
    return create_service_app(
        runtime, title="Linesight ingest",
        description="Exhibits in: originals kept byte for byte under their SHA-256, parsed "
                    "and normalised to the canonical tables, every rejected row reported.",
        routers=[cases_router, exhibits_router, datasets_router, jobs_router, profiles_router],
        start_runtime=start_runtime,
    )
