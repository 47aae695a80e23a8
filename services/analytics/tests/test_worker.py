"""The worker process: refuses the stub broker; over RabbitMQ it runs analyses."""

from __future__ import annotations

import threading
import time

import httpx
import pytest
from linesight_shared.jobs.worker_main import run_worker

P1 = "+447700900002"


def wait_finished(runtime, job_id: str, timeout_s: float = 30) -> str:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        status = runtime.jobs.get(job_id).status
        if status in ("succeeded", "failed"):
            return status
        time.sleep(0.05)
    return "timed out"



@pytest.mark.integration
@pytest.mark.anyio
async def test_an_analysis_queued_on_rabbitmq_is_run_by_the_worker(
        make_analytics, base_env, rabbitmq_url, make_event, analyst_headers):
    analytics = make_analytics(**base_env, broker="rabbitmq", rabbitmq_url=rabbitmq_url)
    case = analytics.ingest.add_case("OP-RABBIT")
    analytics.ingest.add_dataset(case, "ex1", [make_event("ex1", 2, "out", "voice", P1)])
    transport = httpx.ASGITransport(app=analytics.app)
    async with httpx.AsyncClient(transport=transport, base_url="http://analytics") as client:
        r = await client.post("/v1/cases/OP-RABBIT/analyses",
                              json={"kind": "contact_frequency"}, headers=analyst_headers)
    assert r.status_code == 202
    stop = threading.Event()
    thread = threading.Thread(target=run_worker, args=(analytics.runtime,),
                              kwargs={"stop": stop, "stop_timeout_ms": 5000})
    thread.start()
    try:
        assert wait_finished(analytics.runtime, r.json()["job"]["id"]) == "succeeded"
    finally:
        stop.set()
        thread.join(timeout=20)
    assert not thread.is_alive()
