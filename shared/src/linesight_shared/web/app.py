"""Build a service's FastAPI app: middleware, error handlers, health and readiness."""

from __future__ import annotations

from contextlib import asynccontextmanager
from typing import TYPE_CHECKING

from fastapi import APIRouter, FastAPI, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel

from linesight_shared.errors import LinesightError
from linesight_shared.web.middleware import CorrelationMiddleware

if TYPE_CHECKING:
    from linesight_shared.runtime import ServiceRuntime


class Health(BaseModel):
    """Liveness: the process answers."""

    status: str
    service: str
    version: str


class Readiness(BaseModel):
    """Readiness: each dependency checked, ``ready`` only when all pass."""

    ready: bool
    checks: dict[str, str]


def create_service_app(runtime: ServiceRuntime, *, title: str, description: str,
                       routers: list[APIRouter], start_runtime: bool = True) -> FastAPI:
    """A FastAPI app around ``runtime``; its lifespan starts and stops the runtime."""

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        if start_runtime:
            runtime.startup()
        try:
            yield
        finally:
            if start_runtime:
                runtime.shutdown()

    # The contract carries the package version only; the commit is in /health and on results.
    api_version = runtime.version.split(" ", 1)[-1].split("+", 1)[0]
    app = FastAPI(title=title, description=description, version=api_version,
                  lifespan=lifespan)
    app.state.runtime = runtime

    @app.exception_handler(LinesightError)
    async def _domain_error(request: Request, exc: LinesightError):
        return JSONResponse(exc.body(), status_code=exc.status_code, headers=exc.headers)

    @app.get("/health", response_model=Health, tags=["ops"])
    def health() -> Health:
        """Liveness probe."""
        return Health(status="ok", service=runtime.service, version=runtime.version)

    @app.get("/ready", response_model=Readiness, tags=["ops"],
             responses={503: {"model": Readiness}})
    def ready():
        """Readiness probe: database, object store, broker and audit service reachable."""
        checks = runtime.readiness()
        ok = all(v == "ok" for v in checks.values())
        body = Readiness(ready=ok, checks=checks)
        return JSONResponse(body.model_dump(), status_code=200 if ok else 503)

    for router in routers:
        app.include_router(router)
    app.add_middleware(CorrelationMiddleware, service=runtime.service)
    return app
