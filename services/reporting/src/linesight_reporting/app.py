"""The reporting service's FastAPI app and the runtime its API and worker share."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi import FastAPI
from linesight_shared.logging import configure_logging
from linesight_shared.runtime import ServiceRuntime
from linesight_shared.web import create_service_app

from linesight_reporting.audit_summaries import tasks as audit_summary_tasks
from linesight_reporting.audit_summaries.endpoints import router as audit_summaries_router
from linesight_reporting.jobs.endpoints import router as jobs_router
from linesight_reporting.jobs.schemas import Job
from linesight_reporting.reports import tasks as report_tasks
from linesight_reporting.reports.endpoints import router as reports_router
from linesight_reporting.settings import ReportingSettings

MIGRATIONS = Path(__file__).parent / "migrations"


def build_runtime(settings: ReportingSettings | None = None, **wiring: Any) -> ServiceRuntime:
    """The runtime with this service's actors registered. ``wiring`` passes test doubles
    through to ``ServiceRuntime`` (``audit_http``, ``peer_http``, ``store``)."""
    settings = settings or ReportingSettings()
    runtime = ServiceRuntime(settings, database_url=settings.resolved_database_url(),
                             migrations_dir=MIGRATIONS, job_model=Job, **wiring)
    report_tasks.register(runtime)
    audit_summary_tasks.register(runtime)
    return runtime


def create_app(settings: ReportingSettings | None = None, *,
               runtime: ServiceRuntime | None = None, start_runtime: bool = True) -> FastAPI:
    settings = settings or ReportingSettings()
    configure_logging(service="reporting", json=settings.log_json, level=settings.log_level)
    runtime = runtime or build_runtime(settings)
    return create_service_app(
        runtime, title="Linesight reporting",
        description="Court-ready PDF/A-3b reports of a case's exhibits, ingest summaries and "
                    "analyses, and verified summaries of a case's audit log, rendered as "
                    "jobs and stored by their SHA-256.",
        routers=[reports_router, audit_summaries_router, jobs_router],
        start_runtime=start_runtime,
    )
