"""Typed dependency aliases, declared once: ``RuntimeDep``, ``SessionDep``, ``CurrentUser``."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Annotated

import structlog
from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlmodel import Session

from linesight_shared.auth import Principal
from linesight_shared.db import session_scope
from linesight_shared.errors import Unauthorized

if TYPE_CHECKING:
    from linesight_shared.runtime import ServiceRuntime

bearer_scheme = HTTPBearer(auto_error=False, description="Access token from POST /v1/auth/token")


def get_runtime(request: Request) -> ServiceRuntime:
    return request.app.state.runtime


def get_session(request: Request) -> Iterator[Session]:
    """One unit of work per request: committed after the route returns, before the reply."""
    with session_scope(request.app.state.runtime.engine) as session:
        yield session


def get_principal(
    request: Request,
    creds: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer_scheme)],
) -> Principal:
    if creds is None or creds.scheme.lower() != "bearer":
        raise Unauthorized()
    principal = request.app.state.runtime.tokens.verify(creds.credentials)
    structlog.contextvars.bind_contextvars(user=principal.username)
    return principal


def get_correlation_id(request: Request) -> str:
    return request.scope.get("state", {}).get("correlation_id", "")


RuntimeDep = Annotated["ServiceRuntime", Depends(get_runtime)]
SessionDep = Annotated[Session, Depends(get_session, scope="function")]
CurrentUser = Annotated[Principal, Depends(get_principal)]
CorrelationId = Annotated[str, Depends(get_correlation_id)]
