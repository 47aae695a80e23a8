"""The audit service's FastAPI app."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI
from linesight_shared.logging import configure_logging
from linesight_shared.web import create_service_app

from linesight_audit.checkpoints.endpoints import router as checkpoints_router
from linesight_audit.entries.endpoints import router as entries_router
from linesight_audit.identity.endpoints import router as identity_router
from linesight_audit.runtime import AuditRuntime
from linesight_audit.settings import AuditSettings

MIGRATIONS = Path(__file__).parent / "migrations"


def build_runtime(settings: AuditSettings | None = None) -> AuditRuntime:
    settings = settings or AuditSettings()
    return AuditRuntime(settings, database_url=settings.resolved_database_url(),
                        migrations_dir=MIGRATIONS)


def create_app(settings: AuditSettings | None = None, *, runtime: AuditRuntime | None = None,
               start_runtime: bool = True) -> FastAPI:
    settings = settings or AuditSettings()
    configure_logging(service="audit", json=settings.log_json, level=settings.log_level)
    runtime = runtime or build_runtime(settings)
    return create_service_app(
        runtime, title="Linesight audit",
        description="Append-only audit log: RFC 8785 entries, a SHA-256 hash chain and an "
                    "RFC 6962 Merkle tree with inclusion and consistency proofs and signed "
                    "C2SP checkpoints; and the local token issuer.",
        routers=[identity_router, entries_router, checkpoints_router],
        start_runtime=start_runtime,
    )
