"""Fixtures of the analytics tests: events builders, a fake ingest service, the apps."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote

import httpx
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from fastapi import FastAPI
from linesight_analytics.app import build_runtime as build_analytics_runtime
from linesight_analytics.app import create_app
from linesight_analytics.settings import AnalyticsSettings
from linesight_audit.app import build_runtime as build_audit_runtime
from linesight_audit.app import create_app as create_audit_app
from linesight_audit.settings import AuditSettings
from linesight_shared.objectstore import ObjectStore, make_object_store, object_key, sha256_file
from linesight_shared.runtime import ServiceRuntime
from linesight_shared.tables import TABLES
from linesight_shared.testing.audit import AuditDouble
from linesight_shared.testing.frames import (
    cell,
    cells_frame,
    event,
    events_frame,
    events_table,
)


def write_parquet(rows: list[dict], path: Path) -> Path:
    pq.write_table(events_table(rows), path)
    return path


@pytest.fixture
def make_event():
    """``make_event(exhibit, row, direction, kind, other, other_kind="e164", ...)``."""
    return event


@pytest.fixture
def make_frame():
    return events_frame


@pytest.fixture
def make_cell():
    """``make_cell(cgi, lat, lon, ...)``: one cells row."""
    return cell


@pytest.fixture
def make_cells():
    return cells_frame


# -- a fake ingest service ---------------------------------------------------------------

class FakeIngest:
    """Ingest's case and dataset API as an ``httpx.MockTransport`` handler.

    Datasets are real Parquet files with the canonical schema, put in the same object
    store the analytics service reads, under ingest's key layout. Every request is kept,
    so tests can check whose token reached ingest.
    """

    def __init__(self, store: ObjectStore, scratch: Path) -> None:
        self.store = store
        self.scratch = scratch
        self.cases: dict[str, dict] = {}
        self.datasets: dict[str, dict] = {}
        self.exhibits: dict[str, dict] = {}
        self.requests: list[httpx.Request] = []

    def add_case(self, reference: str = "OP-MONZA") -> dict:
        case = {"id": uuid.uuid4().hex, "reference": reference, "title": f"Operation {reference}",
                "authorisation_ref": "AUTH-2024-0001", "created_by": "a.analyst",
                "created_at": "2024-03-01T09:00:00Z"}
        self.cases[reference] = case
        return case

    def add_dataset(self, case: dict, exhibit_id: str, rows: list[dict], *,
                    exhibit_reference: str | None = None, table: str = "events",
                    created_at: str = "2024-03-10T09:00:00Z",
                    exhibit_kind: str = "cdr") -> dict:
        self.scratch.mkdir(parents=True, exist_ok=True)
        path = self.scratch / f"{uuid.uuid4().hex}.parquet"
        pq.write_table(pa.Table.from_pylist(rows, schema=TABLES[table]), path)
        info = self.store.put_file(object_key(case["id"], "datasets", sha256_file(path),
                                              ".parquet"), path)
        dataset = {"id": uuid.uuid4().hex, "case_id": case["id"],
                   "case_reference": case["reference"], "exhibit_id": exhibit_id,
                   "exhibit_reference": exhibit_reference or f"ABC/{len(self.datasets) + 1}",
                   "table": table, "object_key": info.key, "sha256": info.sha256,
                   "size_bytes": info.size, "rows": len(rows), "schema_version": 1,
                   "parser": "generic-cdr-csv", "parser_version": "1",
                   "created_at": created_at}
        self.datasets[dataset["id"]] = dataset
        self.exhibits.setdefault(exhibit_id, {
            "id": exhibit_id, "case_id": case["id"], "case_reference": case["reference"],
            "reference": dataset["exhibit_reference"], "kind": exhibit_kind,
            "content_type": "text/csv", "description": "test exhibit", "object_key": "x",
            "original_filename": f"{exhibit_id}.csv", "producer": "test", "sha256": "0" * 64,
            "size_bytes": 1, "uploaded_at": created_at, "uploaded_by": "a.analyst"})
        return dataset

    def handler(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        if not request.headers.get("authorization", "").startswith("Bearer "):
            return httpx.Response(401, json={"error": "unauthorized", "detail": "no token"})
        parts = request.url.path.strip("/").split("/")
        if parts[:2] != ["v1", "cases"] or len(parts) < 3:
            return _missing(request.url.path)
        case = self.cases.get(unquote(parts[2]))
        if case is None:
            return _missing(f"case {parts[2]}")
        if len(parts) == 3:
            return httpx.Response(200, json=case)
        mine = [d for d in self.datasets.values() if d["case_id"] == case["id"]]
        if parts[3:] == ["datasets"]:
            return httpx.Response(200, json={"datasets": mine})
        if parts[3:] == ["exhibits"]:
            return httpx.Response(200, json={"exhibits": [
                e for e in self.exhibits.values() if e["case_id"] == case["id"]]})
        if len(parts) == 5 and parts[3] == "datasets":
            found = next((d for d in mine if d["id"] == parts[4]), None)
            return httpx.Response(200, json=found) if found else _missing(f"dataset {parts[4]}")
        return _missing(request.url.path)


def _missing(what: str) -> httpx.Response:
    return httpx.Response(404, json={"error": "not_found", "detail": f"{what} does not exist"})


# -- the services ------------------------------------------------------------------------

@dataclass
class Analytics:
    """The analytics service under test with its fakes."""

    app: FastAPI
    runtime: ServiceRuntime
    ingest: FakeIngest
    audit: AuditDouble

    def run_queued_jobs(self) -> None:
        """Process every enqueued message with a real Dramatiq worker (StubBroker)."""
        worker = self.runtime._worker or self.runtime.start_worker()
        self.runtime.broker.join(self.runtime.jobs.queue)
        worker.join()




@pytest.fixture
def audit_double(base_env):
    settings = AuditSettings(**base_env)
    runtime = build_audit_runtime(settings)
    runtime.startup()
    yield AuditDouble(create_audit_app(settings, runtime=runtime, start_runtime=False), runtime)
    runtime.shutdown()


@pytest.fixture
def make_analytics(audit_double, tmp_path):
    """``make_analytics(**settings)``: the service over its own database and store."""
    made: list[ServiceRuntime] = []

    def make(**settings) -> Analytics:
        cfg = AnalyticsSettings(**settings)
        store = make_object_store(cfg)
        ingest = FakeIngest(store, tmp_path / "ingest-scratch")
        runtime = build_analytics_runtime(
            cfg, store=store,
            audit_http=httpx.Client(transport=httpx.MockTransport(audit_double.handler),
                                    base_url="http://audit"),
            peer_http={"ingest": httpx.Client(transport=httpx.MockTransport(ingest.handler),
                                              base_url="http://ingest")},
        )
        runtime.startup(with_workers=False)
        made.append(runtime)
        app = create_app(cfg, runtime=runtime, start_runtime=False)
        return Analytics(app=app, runtime=runtime, ingest=ingest, audit=audit_double)

    yield make
    for runtime in made:
        runtime.shutdown()


@pytest.fixture
def analytics(make_analytics, base_env) -> Analytics:
    return make_analytics(**base_env)


@pytest.fixture
async def client(analytics) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=analytics.app)
    async with httpx.AsyncClient(transport=transport, base_url="http://analytics") as c:
        yield c


@pytest.fixture
def anyio_backend():
    return "asyncio"
