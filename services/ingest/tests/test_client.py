"""``IngestClient`` against the ingest app (sync, through Starlette's TestClient)."""

from __future__ import annotations

import hashlib
from pathlib import Path

import httpx
import pytest
from linesight_shared.clients.ingest import IngestClient
from linesight_shared.contracts.ingest import JobStatus
from linesight_shared.errors import Conflict, NotFound, ServiceUnavailable
from linesight_shared.objectstore.base import IntegrityError
from starlette.testclient import TestClient

SAMPLE = Path(__file__).parents[3] / "samples" / "op-monza" / "ABC-1_deal-line_cdr.csv"


@pytest.fixture
def ingest_client(ingest, tokens) -> IngestClient:
    ingest.runtime.start_worker()  # embedded workers: jobs run while the client polls
    http = TestClient(ingest.app, base_url="http://ingest")
    return IngestClient(http, tokens.issue("a.analyst", {"analyst"}))


class TestIngestClient:
    def test_a_case_is_opened_then_read_and_listed(self, ingest_client):
        made = ingest_client.create_case("OP-MONZA", "CDA/2024/001234", title="Monza")
        assert ingest_client.get_case("OP-MONZA") == made
        assert [c.reference for c in ingest_client.list_cases()] == ["OP-MONZA"]

    def test_the_sample_goes_in_is_parsed_and_its_dataset_found(self, ingest_client):
        ingest_client.create_case("OP-MONZA", "CDA/2024/001234")
        accepted = ingest_client.upload_exhibit("OP-MONZA", SAMPLE, "ABC/1", "cdr",
                                                "EE Ltd disclosure unit", "deal line CDR")
        job = ingest_client.wait_for_job(accepted.job.id, timeout_s=60, poll_s=0.05)
        assert job.status is JobStatus.succeeded
        report = ingest_client.ingest_report("OP-MONZA", accepted.exhibit.id)
        assert (report.rows_read, report.rows_accepted, report.rows_rejected) == (4234, 4231, 3)
        [dataset] = ingest_client.list_datasets("OP-MONZA")
        assert ingest_client.get_dataset("OP-MONZA", dataset.id) == dataset
        assert dataset.id == job.result["dataset_id"]
        assert [e.reference for e in ingest_client.list_exhibits("OP-MONZA")] == ["ABC/1"]
        assert ingest_client.get_exhibit("OP-MONZA", accepted.exhibit.id).parse_status == "parsed"

    def test_the_original_downloads_byte_for_byte(self, ingest_client, tmp_path):
        ingest_client.create_case("OP-MONZA", "CDA/2024/001234")
        accepted = ingest_client.upload_exhibit("OP-MONZA", SAMPLE, "ABC/1", "cdr", "EE", "d")
        out = ingest_client.download_original("OP-MONZA", accepted.exhibit.id,
                                              tmp_path / "copy.csv")
        assert out.read_bytes() == SAMPLE.read_bytes()
        assert hashlib.sha256(out.read_bytes()).hexdigest() == accepted.exhibit.sha256

    def test_domain_errors_come_back_as_domain_errors(self, ingest_client, tmp_path):
        with pytest.raises(NotFound, match="case OP-NOPE does not exist"):
            ingest_client.get_case("OP-NOPE")
        ingest_client.create_case("OP-MONZA", "CDA/1")
        with pytest.raises(Conflict):
            ingest_client.create_case("OP-MONZA", "CDA/1")
        with pytest.raises(NotFound):
            ingest_client.download_original("OP-MONZA", "0" * 32, tmp_path / "x")
        assert not (tmp_path / "x").exists() and not (tmp_path / "x.partial").exists()

    def test_a_download_whose_bytes_do_not_match_the_header_is_refused(self, tmp_path):
        def lying(request: httpx.Request) -> httpx.Response:
            return httpx.Response(200, content=b"tampered",
                                  headers={"X-Content-SHA256": "ab" * 32})

        client = IngestClient(httpx.Client(transport=httpx.MockTransport(lying),
                                           base_url="http://ingest"), "t")
        with pytest.raises(IntegrityError):
            client.download_original("OP-MONZA", "e" * 32, tmp_path / "copy.csv")
        assert list(tmp_path.iterdir()) == []

    def test_an_unreachable_service_is_service_unavailable(self):
        def down(request: httpx.Request) -> httpx.Response:
            raise httpx.ConnectError("refused", request=request)

        client = IngestClient(httpx.Client(transport=httpx.MockTransport(down),
                                           base_url="http://ingest"), "t")
        with pytest.raises(ServiceUnavailable):
            client.list_cases()

    def test_waiting_for_a_job_that_does_not_finish_times_out(self, ingest, tokens):
        http = TestClient(ingest.app, base_url="http://ingest")  # no worker: stays queued
        client = IngestClient(http, tokens.issue("a.analyst", {"analyst"}))
        client.create_case("OP-MONZA", "CDA/1")
        accepted = client.upload_exhibit("OP-MONZA", SAMPLE, "ABC/1", "cdr", "EE", "d")
        with pytest.raises(TimeoutError, match="still queued"):
            client.wait_for_job(accepted.job.id, timeout_s=0.2, poll_s=0.05)
