"""Ingest test harness: the ingest app with the audit service in-process (real entries)."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from linesight_audit.app import build_runtime as build_audit_runtime
from linesight_audit.app import create_app as create_audit_app
from linesight_audit.entries.schemas import AuditEntry
from linesight_audit.settings import AuditSettings
from linesight_ingest.app import build_runtime, create_app
from linesight_ingest.settings import IngestSettings
from linesight_shared.runtime import ServiceRuntime
from sqlmodel import Session, select
from starlette.testclient import TestClient

HERE = Path(__file__).parent
DATA = HERE / "data"
SAMPLE = HERE.parents[2] / "samples" / "op-monza" / "ABC-1_deal-line_cdr.csv"
HEADER = ("Record ID,Target Number,Call Date,Call Time,Direction,Call Type,Calling Number,"
          "Called Number,Duration (s),IMEI,IMSI,First Cell ID,Last Cell ID,Charging ID")


def cdr(*rows: str, header: str = HEADER, newline: str = "\r\n") -> bytes:
    """A small uk-operator-cdr-v1 file from data lines (UTF-8)."""
    return newline.join((header, *rows)).encode("utf-8") + newline.encode()


def row(n: int = 1, *, target="07400123456", date="01/06/2024", time="12:00:00",
        direction="MO", type_="Voice", calling="07400123456", called="07512345678",
        duration="65", imei="356938035643809", imsi="234300123456789",
        first="234-30-10595-6643", last="234-30-10595-6644", charging="") -> str:
    return ",".join([f"R{n}", target, date, time, direction, type_, calling, called, duration,
                     imei, imsi, first, last, charging])


@dataclass
class Audit:
    runtime: ServiceRuntime
    http: TestClient

    def entries(self, case: str | None = None) -> list[dict]:
        """Every audit entry written so far (read from the audit database, not the API,
        so reading them adds none)."""
        with Session(self.runtime.engine) as s:
            stmt = select(AuditEntry).order_by(AuditEntry.seq)
            if case is not None:
                stmt = stmt.where(AuditEntry.case == case)
            return [json.loads(r.entry_json) for r in s.exec(stmt).all()]

    def operations(self, case: str | None = None) -> list[tuple[str, str]]:
        return [(e["operation"], e["parameters"].get("action", "")) for e in self.entries(case)]


@dataclass
class Ingest:
    runtime: ServiceRuntime
    app: object
    settings: IngestSettings

    def drain(self) -> None:
        """Run every queued job to the end on the StubBroker's worker."""
        worker = self.runtime._worker or self.runtime.start_worker()
        self.runtime.broker.join(self.runtime.jobs.queue, fail_fast=True)
        worker.join()

    def stored_objects(self) -> list[Path]:
        """Objects under the local store root (sidecars and readiness probe left out)."""
        root = self.settings.object_dir
        if not root.exists():
            return []
        return [p for p in root.rglob("*") if p.is_file() and p.name != ".ready"
                and not p.name.endswith(".sha256")]


@pytest.fixture
def anyio_backend():
    return "asyncio"


@pytest.fixture
def audit(base_env) -> Iterator[Audit]:
    settings = AuditSettings(**base_env)
    runtime = build_audit_runtime(settings)
    runtime.startup()
    app = create_audit_app(settings, runtime=runtime, start_runtime=False)
    yield Audit(runtime=runtime, http=TestClient(app, base_url="http://audit"))
    runtime.shutdown()


def make_ingest(base_env: dict, audit_http: httpx.Client, **overrides) -> Ingest:
    settings = IngestSettings(**{**base_env, "embedded_workers": False, **overrides})
    runtime = build_runtime(settings, audit_http=audit_http)
    runtime.startup()
    app = create_app(settings, runtime=runtime, start_runtime=False)
    return Ingest(runtime=runtime, app=app, settings=settings)


@pytest.fixture
def ingest(base_env, audit) -> Iterator[Ingest]:
    service = make_ingest(base_env, audit.http)
    yield service
    service.runtime.shutdown()


@pytest.fixture
def ingest_factory(base_env, audit):
    """Factory: ``ingest_factory(audit_http=None, **settings)`` → a started Ingest."""
    made: list[Ingest] = []

    def make(audit_http: httpx.Client | None = None, **overrides) -> Ingest:
        service = make_ingest(base_env, audit_http or audit.http, **overrides)
        made.append(service)
        return service

    yield make
    for service in made:
        service.runtime.shutdown()


def asgi_client(service: Ingest) -> httpx.AsyncClient:
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=service.app),
                             base_url="http://ingest")


@pytest.fixture
def make_client():
    """Factory: ``make_client(ingest)`` → an AsyncClient on that app (use ``async with``)."""
    return asgi_client


@pytest.fixture
async def client(ingest) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=ingest.app)
    async with httpx.AsyncClient(transport=transport, base_url="http://ingest") as c:
        yield c


@dataclass
class Api:
    """The ingest API as one user, with the few calls most tests make."""

    client: httpx.AsyncClient
    headers: dict[str, str]

    async def open_case(self, reference: str = "OP-MONZA") -> dict:
        r = await self.client.post("/v1/cases", headers=self.headers, json={
            "reference": reference, "title": "Operation Monza",
            "authorisation_ref": "CDA/2024/001234"})
        assert r.status_code == 201, r.text
        return r.json()

    async def upload(self, content: bytes, *, case: str = "OP-MONZA", reference: str = "ABC/1",
                     kind: str = "cdr", filename: str = "cdr.csv") -> httpx.Response:
        return await self.client.post(
            f"/v1/cases/{case}/exhibits", headers=self.headers,
            files={"file": (filename, content, "text/csv")},
            data={"reference": reference, "kind": kind, "producer": "EE Ltd disclosure unit",
                  "description": "Call data for the deal line, 30/09/2024 to 24/11/2024"},
        )

    async def get(self, url: str) -> httpx.Response:
        return await self.client.get(url, headers=self.headers)


@pytest.fixture
def api(client, analyst_headers) -> Api:
    return Api(client, analyst_headers)


@pytest.fixture
def principal_of(tokens):
    """Factory: ``principal_of(username, roles=("analyst",))`` → a verified Principal."""
    def make(username: str, roles: tuple[str, ...] = ("analyst",)):
        return tokens.verify(tokens.issue(username, set(roles)))

    return make


@pytest.fixture
def make_cdr():
    """Factory: ``make_cdr(line, ...)`` → bytes of a small uk-operator-cdr-v1 file."""
    return cdr


@pytest.fixture
def make_row():
    """Factory: ``make_row(n, field=value, ...)`` → one data line, good unless told otherwise."""
    return row
