"""The real audit service in-process, for other services' tests, that a test can take down."""

from __future__ import annotations

import json

import httpx
from fastapi import FastAPI
from sqlalchemy import text
from starlette.testclient import TestClient

from linesight_shared.runtime import ServiceRuntime


class AuditDouble:
    """The real audit app in-process, which a test can take down (transport errors)."""

    def __init__(self, app: FastAPI, runtime: ServiceRuntime) -> None:
        self.app = app
        self.runtime = runtime
        self.down = False
        self._inner = TestClient(app, base_url="http://audit")

    def handler(self, request: httpx.Request) -> httpx.Response:
        if self.down:
            raise httpx.ConnectError("audit service unreachable", request=request)
        resp = self._inner.request(request.method, str(request.url), content=request.content,
                                   headers=dict(request.headers))
        return httpx.Response(resp.status_code, content=resp.content, headers=resp.headers)

    def entries(self, operation: str | None = None) -> list[dict]:
        """The entries written so far, read from the audit database, oldest first."""
        with self.runtime.engine.connect() as conn:
            rows = conn.execute(text("SELECT entry_json FROM audit_entries ORDER BY seq"))
            entries = [json.loads(r[0]) for r in rows]
        return [e for e in entries if operation is None or e["operation"] == operation]
