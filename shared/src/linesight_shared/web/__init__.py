"""FastAPI plumbing shared by the services: app factory, middleware, typed dependencies."""

from linesight_shared.web.app import create_service_app
from linesight_shared.web.deps import (
    CorrelationId,
    CurrentUser,
    RuntimeDep,
    SessionDep,
    bearer_scheme,
)

__all__ = [
    "CorrelationId",
    "CurrentUser",
    "RuntimeDep",
    "SessionDep",
    "bearer_scheme",
    "create_service_app",
]
