"""Upload and parse over real PostgreSQL, a real S3 endpoint and real RabbitMQ.

The fixtures skip when a server is missing locally and fail under CI.
"""

from __future__ import annotations

import asyncio
import hashlib
import io
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import polars as pl
import pytest
from linesight_ingest.app import build_runtime
from linesight_ingest.exhibits.schemas import Exhibit
from linesight_ingest.jobs.schemas import Job
from linesight_ingest.settings import IngestSettings
from linesight_shared.jobs.worker_main import run_worker
from sqlmodel import Session, select

pytestmark = [pytest.mark.integration, pytest.mark.anyio]
SAMPLE = Path(__file__).parents[3] / "samples" / "op-monza" / "ABC-1_deal-line_cdr.csv"
FORM = {"reference": "ABC/1", "kind": "cdr", "producer": "EE Ltd disclosure unit",
        "description": "deal line CDR"}


async def open_case_and_upload(c: httpx.AsyncClient, headers: dict) -> dict:
    r = await c.post("/v1/cases", headers=headers, json={"reference": "OP-MONZA",
                                                         "authorisation_ref": "CDA/1"})
    assert r.status_code == 201, r.text
    r = await c.post("/v1/cases/OP-MONZA/exhibits", headers=headers,
                     files={"file": ("cdr.csv", SAMPLE.read_bytes())}, data=FORM)
    assert r.status_code == 202, r.text
    return r.json()


class TestPostgresAndS3:
    async def test_an_exhibit_goes_in_is_parsed_and_comes_back_byte_for_byte(
            self, ingest_factory, make_client, analyst_headers, pg_url, s3_settings):
        service = ingest_factory(LINESIGHT_INGEST_DATABASE_URL=pg_url, **s3_settings)
        assert service.runtime.engine.dialect.name == "postgresql"
        async with make_client(service) as c:
            body = await open_case_and_upload(c, analyst_headers)
            service.drain()
            job = (await c.get(f"/v1/jobs/{body['job']['id']}", headers=analyst_headers)).json()
            exhibit_id = body["exhibit"]["id"]
            original = await c.get(f"/v1/cases/OP-MONZA/exhibits/{exhibit_id}/original",
                                   headers=analyst_headers)
            [dataset] = (await c.get("/v1/cases/OP-MONZA/datasets",
                                     headers=analyst_headers)).json()["datasets"]
        assert job["status"] == "succeeded"
        assert original.content == SAMPLE.read_bytes()
        sha = hashlib.sha256(SAMPLE.read_bytes()).hexdigest()
        assert original.headers["x-content-sha256"] == sha
        store = service.runtime.store
        assert store.stat(body["exhibit"]["object_key"]).sha256 == sha  # x-amz-meta-sha256
        blob = store.get_bytes(dataset["object_key"], sha256=dataset["sha256"])
        assert pl.read_parquet(io.BytesIO(blob)).height == dataset["rows"] == 4231

    async def test_the_original_is_put_under_retention_in_a_locked_bucket(
            self, ingest_factory, make_client, analyst_headers, pg_url, s3_settings):
        service = ingest_factory(LINESIGHT_INGEST_DATABASE_URL=pg_url, **s3_settings)
        async with make_client(service) as c:
            body = await open_case_and_upload(c, analyst_headers)
        store = service.runtime.store
        # moto answers GET ?retention= with the object itself; the HEAD headers are right
        head = store.client.stat_object(store.bucket, body["exhibit"]["object_key"]).metadata
        assert head["x-amz-object-lock-mode"] == "GOVERNANCE"
        until = datetime.fromisoformat(head["x-amz-object-lock-retain-until-date"])
        assert until > datetime.now(UTC) + timedelta(days=365 * 9)

    async def test_audit_down_leaves_no_row_in_postgresql_and_no_object_in_s3(
            self, ingest_factory, make_client, analyst_headers, pg_url, s3_settings):
        def refuse(request):
            raise httpx.ConnectError("connection refused", request=request)

        service = ingest_factory(LINESIGHT_INGEST_DATABASE_URL=pg_url, **s3_settings)
        async with make_client(service) as c:
            await c.post("/v1/cases", headers=analyst_headers,
                         json={"reference": "OP-MONZA", "authorisation_ref": "CDA/1"})
            service.runtime.audit.http = httpx.Client(transport=httpx.MockTransport(refuse),
                                                      base_url="http://audit")
            r = await c.post("/v1/cases/OP-MONZA/exhibits", headers=analyst_headers,
                             files={"file": ("cdr.csv", SAMPLE.read_bytes())}, data=FORM)
        assert (r.status_code, r.json()["error"]) == (503, "audit_unavailable")
        with Session(service.runtime.engine) as s:
            assert s.exec(select(Exhibit)).all() == [] and s.exec(select(Job)).all() == []
        store = service.runtime.store
        assert list(store.client.list_objects(store.bucket, recursive=True)) == []


class TestRabbitMQWorker:
    async def test_a_separate_worker_consumes_the_job_the_api_queued(
            self, base_env, audit, make_client, analyst_headers, pg_url, rabbitmq_url):
        settings = IngestSettings(**{**base_env, "LINESIGHT_INGEST_DATABASE_URL": pg_url,
                                     "broker": "rabbitmq", "rabbitmq_url": rabbitmq_url,
                                     "embedded_workers": False})
        from linesight_ingest.app import create_app

        api_runtime = build_runtime(settings, audit_http=audit.http)
        api_runtime.startup()
        worker_runtime = build_runtime(settings, audit_http=audit.http)
        stop = threading.Event()
        thread = threading.Thread(target=run_worker, args=(worker_runtime,),
                                  kwargs={"stop": stop, "stop_timeout_ms": 5000})
        thread.start()
        try:
            app = create_app(settings, runtime=api_runtime, start_runtime=False)
            async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app),
                                         base_url="http://ingest") as c:
                body = await open_case_and_upload(c, analyst_headers)
            deadline = time.monotonic() + 60
            while api_runtime.jobs.get(body["job"]["id"]).status not in ("succeeded", "failed"):
                assert time.monotonic() < deadline, "the worker did not finish the job"
                await asyncio.sleep(0.1)
            assert api_runtime.jobs.get(body["job"]["id"]).status == "succeeded"
        finally:
            stop.set()
            thread.join(timeout=30)
            api_runtime.shutdown()
        assert not thread.is_alive()
        parse = [e for e in audit.entries("OP-MONZA")
                 if e["parameters"].get("action") == "exhibit.parse"]
        assert [(e["actor"], e["service"]) for e in parse] == [("a.analyst", "ingest")]
