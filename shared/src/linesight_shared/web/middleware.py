"""Correlation id and one canonical log line per request (pure ASGI middleware)."""

from __future__ import annotations

import re
import time
import uuid

import structlog

HEADER = "x-correlation-id"
_VALID = re.compile(r"^[A-Za-z0-9._:-]{1,64}$")
log = structlog.get_logger("linesight.http")


class CorrelationMiddleware:
    """Take ``X-Correlation-ID`` from the request (or make one), bind it, echo it back."""

    def __init__(self, app, service: str) -> None:
        self.app = app
        self.service = service

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = {k.decode().lower(): v.decode() for k, v in scope.get("headers", [])}
        cid = headers.get(HEADER, "")
        if not _VALID.match(cid):
            cid = uuid.uuid4().hex
        scope.setdefault("state", {})["correlation_id"] = cid
        structlog.contextvars.clear_contextvars()
        structlog.contextvars.bind_contextvars(service=self.service, correlation_id=cid)
        start = time.perf_counter()
        status = {"code": 500}

        async def send_wrapper(message):
            if message["type"] == "http.response.start":
                status["code"] = message["status"]
                message.setdefault("headers", []).append((HEADER.encode(), cid.encode()))
            await send(message)

        try:
            await self.app(scope, receive, send_wrapper)
        finally:
            log.info(
                "http.request",
                method=scope["method"],
                path=scope["path"],
                status=status["code"],
                duration_ms=round((time.perf_counter() - start) * 1000, 1),
            )
