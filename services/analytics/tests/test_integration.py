"""An analysis over real PostgreSQL and a real S3 endpoint (moto's server)."""

from __future__ import annotations

import hashlib

import httpx
import pytest
from sqlalchemy import text

pytestmark = [pytest.mark.integration, pytest.mark.anyio]

P1 = "+447700900002"


async def test_an_analysis_runs_on_postgresql_and_s3(make_analytics, base_env, pg_url,
                                                     s3_settings, make_event, analyst_headers):
    analytics = make_analytics(**base_env, **s3_settings,
                               LINESIGHT_ANALYTICS_DATABASE_URL=pg_url)
    assert analytics.runtime.engine.dialect.name == "postgresql"
    case = analytics.ingest.add_case("OP-PG")
    analytics.ingest.add_dataset(case, "ex1", [
        make_event("ex1", n, "out", "voice", P1, duration=10 * n,
                   start=f"2024-03-01T10:{n:02d}:00") for n in range(2, 12)])
    transport = httpx.ASGITransport(app=analytics.app)
    async with httpx.AsyncClient(transport=transport, base_url="http://analytics") as client:
        r = await client.post("/v1/cases/OP-PG/analyses", json={"kind": "contact_frequency"},
                              headers=analyst_headers)
        assert r.status_code == 202
        analytics.run_queued_jobs()
        analysis = (await client.get(f"/v1/analyses/{r.json()['analysis']['id']}",
                                     headers=analyst_headers)).json()
        result = await client.get(f"/v1/analyses/{analysis['id']}/result",
                                  headers=analyst_headers)
    assert analysis["status"] == "succeeded"
    assert hashlib.sha256(result.content).hexdigest() == analysis["result_sha256"]
    row = dict(zip(result.json()["columns"], result.json()["rows"][0], strict=True))
    assert (row["calls_out"], row["voice_duration_s"]) == (10, sum(10 * n for n in range(2, 12)))
    stored = analytics.runtime.store.stat(analysis["result_object_key"])
    assert (type(analytics.runtime.store).__name__, stored.sha256) == (
        "S3ObjectStore", analysis["result_sha256"])
    with analytics.runtime.engine.connect() as conn:
        status = conn.execute(text("SELECT status FROM jobs")).scalar()
    assert status == "succeeded"
