"""The shared AnalyticsClient against the real app (sync TestClient) and a lying server."""

from __future__ import annotations

import hashlib

import httpx
import pytest
from linesight_shared.clients.analytics import AnalyticsClient
from linesight_shared.errors import NotFound
from linesight_shared.objectstore.base import IntegrityError
from starlette.testclient import TestClient

P1 = "+447700900002"


@pytest.fixture
def api(analytics, analyst_headers, make_event) -> AnalyticsClient:
    case = analytics.ingest.add_case("OP-CLIENT")
    analytics.ingest.add_dataset(case, "ex1", [make_event("ex1", 2, "out", "voice", P1,
                                                          duration=12)])
    analytics.runtime.start_worker()
    token = analyst_headers["Authorization"].removeprefix("Bearer ")
    return AnalyticsClient(TestClient(analytics.app, base_url="http://analytics"), token)


class TestAnalyticsClient:
    def test_a_requested_analysis_can_be_followed_to_its_result(self, api):
        requested = api.request_analysis("OP-CLIENT", "contact_frequency",
                                         parameters={"subject": "+447700900001"})
        job = api.wait_for_job(requested.job.id, timeout_s=30, poll_s=0.05)
        assert job.status == "succeeded"
        analysis = api.get_analysis(requested.analysis.id)
        result = api.get_result(analysis.id)
        assert result.rows[0][1] == P1
        assert result.parameters == {"subject": "+447700900001"}
        assert [a.id for a in api.list_analyses("OP-CLIENT")] == [analysis.id]

    def test_result_bytes_hash_to_the_recorded_sha256(self, api):
        requested = api.request_analysis("OP-CLIENT", "contact_frequency")
        api.wait_for_job(requested.job.id, timeout_s=30, poll_s=0.05)
        data = api.get_result_bytes(requested.analysis.id)
        assert hashlib.sha256(data).hexdigest() == api.get_analysis(
            requested.analysis.id).result_sha256

    def test_an_unknown_analysis_raises_not_found(self, api):
        with pytest.raises(NotFound):
            api.get_analysis("nope")

    def test_bytes_that_do_not_match_their_header_are_refused(self):
        def lying(request: httpx.Request) -> httpx.Response:
            return httpx.Response(200, content=b'{"rows":[]}',
                                  headers={"X-Content-SHA256": "0" * 64})

        client = AnalyticsClient(httpx.Client(transport=httpx.MockTransport(lying),
                                              base_url="http://analytics"), "t")
        with pytest.raises(IntegrityError, match="arrived with SHA-256"):
            client.get_result_bytes("a1")

    def test_waiting_gives_up_after_the_timeout(self):
        def queued(request: httpx.Request) -> httpx.Response:
            return httpx.Response(200, json={
                "id": "j1", "kind": "analyses.run", "case_id": None, "subject_id": "a1",
                "status": "queued", "progress": 0.0, "message": None, "requested_by": "u",
                "correlation_id": "c", "attempts": 0, "result": None,
                "created_at": "2024-03-01T10:00:00Z", "started_at": None, "finished_at": None})

        client = AnalyticsClient(httpx.Client(transport=httpx.MockTransport(queued),
                                              base_url="http://analytics"), "t")
        with pytest.raises(TimeoutError, match="still queued"):
            client.wait_for_job("j1", timeout_s=0.05, poll_s=0.01)
