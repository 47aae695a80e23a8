"""A report rendered and served over real PostgreSQL and a real S3 endpoint (moto's server)."""

from __future__ import annotations

import hashlib

import httpx
import pytest
from sqlalchemy import text

pytestmark = [pytest.mark.integration, pytest.mark.anyio]


async def test_a_report_is_stored_on_s3_and_served_checked(make_reporting, base_env, pg_url,
                                                          s3_settings, analyst_headers):
    reporting = make_reporting(**base_env, **s3_settings,
                               LINESIGHT_REPORTING_DATABASE_URL=pg_url)
    assert reporting.runtime.engine.dialect.name == "postgresql"
    reporting.analytics.add("a1")
    transport = httpx.ASGITransport(app=reporting.app)
    async with httpx.AsyncClient(transport=transport, base_url="http://reporting") as client:
        r = await client.post("/v1/cases/OP-MONZA/reports", json={"analysis_ids": ["a1"]},
                              headers=analyst_headers)
        assert r.status_code == 202
        reporting.run_queued_jobs()
        report = (await client.get(f"/v1/reports/{r.json()['report']['id']}",
                                   headers=analyst_headers)).json()
        pdf = await client.get(f"/v1/reports/{report['id']}/pdf", headers=analyst_headers)
    assert report["status"] == "succeeded"
    assert hashlib.sha256(pdf.content).hexdigest() == report["sha256"]
    assert type(reporting.runtime.store).__name__ == "S3ObjectStore"
    assert reporting.runtime.store.stat(report["object_key"]).size == report["size"]
    with reporting.runtime.engine.connect() as conn:
        assert conn.execute(text("SELECT pages FROM reports")).scalar() == report["pages"]
