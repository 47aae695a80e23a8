"""The shared ReportingClient against the real app (sync TestClient) and a lying server."""

from __future__ import annotations

import hashlib

import httpx
import pytest
from linesight_shared.clients.reporting import ReportingClient
from linesight_shared.errors import Conflict
from linesight_shared.objectstore.base import IntegrityError
from starlette.testclient import TestClient


@pytest.fixture
def api(reporting, analyst_headers) -> ReportingClient:
    reporting.analytics.add("a1")
    reporting.runtime.start_worker()
    token = analyst_headers["Authorization"].removeprefix("Bearer ")
    return ReportingClient(TestClient(reporting.app, base_url="http://reporting"), token)


class TestReportingClient:
    def test_a_requested_report_can_be_followed_to_its_pdf(self, api, reporting, tmp_path):
        requested = api.request_report("OP-MONZA", ["a1"], title="Contact analysis")
        job = api.wait_for_job(requested.job.id, timeout_s=60, poll_s=0.05)
        assert job.status == "succeeded"
        report = api.get_report(requested.report.id)
        path = api.download_pdf(report.id, tmp_path / "out" / "report.pdf",
                                recipient="CPS Wessex")
        assert hashlib.sha256(path.read_bytes()).hexdigest() == report.sha256
        assert [r.id for r in api.list_reports("OP-MONZA")] == [report.id]
        [disclosure] = reporting.audit.entries("disclosure")
        assert disclosure["recipients"] == ["CPS Wessex"]

    def test_an_unfinished_analysis_is_refused_with_conflict(self, api, reporting):
        reporting.analytics.add("a2", status="queued")
        with pytest.raises(Conflict, match="a2 is queued"):
            api.request_report("OP-MONZA", ["a2"])

    def test_a_pdf_that_does_not_match_its_header_is_not_written(self, tmp_path):
        def lying(request: httpx.Request) -> httpx.Response:
            return httpx.Response(200, content=b"%PDF-1.7 x",
                                  headers={"X-Content-SHA256": "0" * 64})

        client = ReportingClient(httpx.Client(transport=httpx.MockTransport(lying),
                                              base_url="http://reporting"), "t")
        with pytest.raises(IntegrityError, match="arrived with SHA-256"):
            client.download_pdf("r1", tmp_path / "r.pdf")
        assert list(tmp_path.iterdir()) == []
