from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest
from linesight_audit.app import build_runtime, create_app
from linesight_audit.settings import AuditSettings


def make_audit(base_env: dict, **overrides):
    settings = AuditSettings(**{**base_env, **overrides})
    runtime = build_runtime(settings)
    runtime.startup()
    return create_app(settings, runtime=runtime, start_runtime=False), runtime


@pytest.fixture
def audit_app(base_env):
    app, runtime = make_audit(base_env)
    yield app
    runtime.shutdown()


@pytest.fixture
async def client(audit_app) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=audit_app)
    async with httpx.AsyncClient(transport=transport, base_url="http://audit") as c:
        yield c
