"""Fail closed: when the audit entry cannot be written, nothing is returned, kept or changed."""

from __future__ import annotations

import os

import httpx
import pytest
from linesight_ingest.cases.schemas import Case
from linesight_ingest.exhibits.schemas import Exhibit
from linesight_ingest.jobs.schemas import Job
from sqlmodel import Session, select

pytestmark = pytest.mark.anyio
CONTENT = b"Record ID,Target Number\r\n"


def audit_refusing(kind: str) -> httpx.Client:
    """An audit client whose server is unreachable (``down``) or failing (``500``)."""
    def handler(request: httpx.Request) -> httpx.Response:
        if kind == "down":
            raise httpx.ConnectError("connection refused", request=request)
        return httpx.Response(500, json={"error": "internal_error", "detail": "disk full"})

    return httpx.Client(transport=httpx.MockTransport(handler), base_url="http://audit")


def count(ingest, model) -> int:
    with Session(ingest.runtime.engine) as s:
        return len(s.exec(select(model)).all())


@pytest.fixture
async def monza(api, ingest):
    """OP-MONZA opened with the audit service up; then the audit service goes down."""
    await api.open_case()
    ingest.runtime.audit.http = audit_refusing("down")


class TestUpload:
    @pytest.mark.parametrize("kind", ["down", "500"])
    async def test_an_upload_is_refused_with_503_and_leaves_no_trace(self, api, ingest, monza,
                                                                     kind):
        ingest.runtime.audit.http = audit_refusing(kind)
        r = await api.upload(CONTENT)
        assert (r.status_code, r.json()["error"]) == (503, "audit_unavailable")
        assert (count(ingest, Exhibit), count(ingest, Job)) == (0, 0)
        assert ingest.stored_objects() == []
        assert os.listdir(ingest.settings.resolved_spool_dir()) == []

    async def test_nothing_is_queued_for_a_refused_upload(self, api, ingest, monza):
        await api.upload(CONTENT)
        assert ingest.runtime.broker.queues["ingest"].qsize() == 0


class TestCasesAndReads:
    async def test_a_case_is_not_opened_without_its_audit_entry(self, api, ingest, monza):
        r = await api.client.post("/v1/cases", headers=api.headers, json={
            "reference": "OP-NEW", "authorisation_ref": "CDA/2"})
        assert r.status_code == 503
        assert count(ingest, Case) == 1

    @pytest.mark.parametrize("url", ["/v1/cases", "/v1/cases/OP-MONZA",
                                     "/v1/cases/OP-MONZA/exhibits",
                                     "/v1/cases/OP-MONZA/datasets"])
    async def test_a_read_returns_no_data_without_its_audit_entry(self, api, monza, url):
        r = await api.get(url)
        assert r.status_code == 503
        assert set(r.json()) == {"error", "detail"}

    async def test_the_original_is_not_sent_without_its_audit_entry(self, api, ingest, audit):
        await api.open_case()
        exhibit = (await api.upload(CONTENT)).json()["exhibit"]
        ingest.runtime.audit.http = audit_refusing("down")
        r = await api.get(f"/v1/cases/OP-MONZA/exhibits/{exhibit['id']}/original")
        assert r.status_code == 503 and CONTENT not in r.content
        assert os.listdir(ingest.settings.resolved_spool_dir()) == []

    async def test_a_refusal_that_cannot_be_audited_is_503_not_403(self, api, client,
                                                                  officer_headers, monza):
        r = await client.post("/v1/cases", headers=officer_headers, json={
            "reference": "OP-NEW", "authorisation_ref": "CDA/2"})
        assert r.status_code == 503
