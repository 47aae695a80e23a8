"""The worker process entry point: ``run_worker`` consumes the queue until told to stop."""

from __future__ import annotations

import threading
import time
from pathlib import Path

from linesight_shared.jobs.worker_main import run_worker
from starlette.testclient import TestClient

SAMPLE = Path(__file__).parents[3] / "samples" / "op-monza" / "ABC-1_deal-line_cdr.csv"


def upload_sample(app, headers) -> str:
    http = TestClient(app, base_url="http://ingest")
    http.post("/v1/cases", headers=headers, json={"reference": "OP-MONZA",
                                                  "authorisation_ref": "CDA/1"})
    r = http.post("/v1/cases/OP-MONZA/exhibits", headers=headers,
                  files={"file": ("cdr.csv", SAMPLE.read_bytes())},
                  data={"reference": "ABC/1", "kind": "cdr", "producer": "EE",
                        "description": "d"})
    assert r.status_code == 202, r.text
    return r.json()["job"]["id"]


def wait_finished(runtime, job_id: str, timeout_s: float = 30) -> str:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        status = runtime.jobs.get(job_id).status
        if status in ("succeeded", "failed"):
            return status
        time.sleep(0.05)
    return "timed out"


class TestRunWorker:
    def test_the_worker_runs_queued_jobs_and_stops_when_told(self, ingest, analyst_headers):
        job_id = upload_sample(ingest.app, analyst_headers)
        stop = threading.Event()
        thread = threading.Thread(target=run_worker, args=(ingest.runtime,),
                                  kwargs={"stop": stop, "stop_timeout_ms": 5000})
        thread.start()
        try:
            assert wait_finished(ingest.runtime, job_id) == "succeeded"
        finally:
            stop.set()
            thread.join(timeout=15)
        assert not thread.is_alive()

