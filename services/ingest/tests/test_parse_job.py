"""The ``exhibits.parse`` job: through the StubBroker and worker, and its handler called directly."""

from __future__ import annotations

import hashlib
import io
import json
from pathlib import Path

import httpx
import polars as pl
import pytest
from linesight_ingest.datasets.schemas import Dataset
from linesight_ingest.exhibits.schemas import IngestReport
from linesight_ingest.jobs.schemas import Job
from sqlmodel import Session, select

pytestmark = pytest.mark.anyio
DATA = Path(__file__).parent / "data"
SAMPLE = Path(__file__).parents[3] / "samples" / "op-monza" / "ABC-1_deal-line_cdr.csv"


async def parsed(api, ingest, content: bytes, **kw) -> tuple[dict, dict]:
    """Upload into OP-MONZA, run the queued job to the end; (exhibit, finished job)."""
    body = (await api.upload(content, **kw)).json()
    ingest.drain()
    job = (await api.get(f"/v1/jobs/{body['job']['id']}")).json()
    return body["exhibit"], job


async def report_of(api, exhibit) -> dict:
    r = await api.get(f"/v1/cases/OP-MONZA/exhibits/{exhibit['id']}/ingest-report")
    assert r.status_code == 200, r.text
    return r.json()


class TestSampleThroughTheWorker:
    async def test_the_sample_becomes_an_events_dataset_that_analytics_can_read(self, api,
                                                                                 ingest):
        await api.open_case()
        exhibit, job = await parsed(api, ingest, SAMPLE.read_bytes())
        assert (job["status"], job["progress"]) == ("succeeded", 1.0)
        datasets = (await api.get("/v1/cases/OP-MONZA/datasets")).json()["datasets"]
        assert len(datasets) == 1 and datasets[0]["id"] == job["result"]["dataset_id"]
        ds = datasets[0]
        assert (ds["table"], ds["rows"], ds["exhibit_reference"], ds["parser"]) == (
            "events", 4231, "ABC/1", "uk-operator-cdr-v1")
        blob = ingest.runtime.store.get_bytes(ds["object_key"], sha256=ds["sha256"])
        df = pl.read_parquet(io.BytesIO(blob))
        assert df.height == 4231 and set(df["exhibit_id"]) == {exhibit["id"]}
        assert ds["object_key"].endswith(f"/datasets/{ds['sha256']}.parquet")

    async def test_the_parse_is_audited_as_the_uploader_acting_through_the_service(
            self, api, ingest, audit):
        await api.open_case()
        api.headers = {**api.headers, "X-Correlation-ID": "req-monza-1"}
        exhibit, _ = await parsed(api, ingest, SAMPLE.read_bytes())
        entry = next(e for e in audit.entries("OP-MONZA")
                     if e["parameters"].get("action") == "exhibit.parse")
        assert (entry["operation"], entry["actor"], entry["service"]) == (
            "alteration", "a.analyst", "ingest")
        assert entry["correlation_id"] == "req-monza-1"
        dataset = (await api.get("/v1/cases/OP-MONZA/datasets")).json()["datasets"][0]
        assert entry["objects"][:2] == [
            {"type": "exhibit", "id": exhibit["id"], "sha256": exhibit["sha256"], "ref": "ABC/1"},
            {"type": "dataset", "id": dataset["id"], "sha256": dataset["sha256"], "ref": "ABC/1"}]
        # the sample's three broken records are kept, hashed, in a rejects file
        assert [o["type"] for o in entry["objects"][2:]] == ["rejects"]
        assert (entry["parameters"]["rows_accepted"], entry["parameters"]["rows_rejected"]) == (
            4231, 3)

    async def test_the_exhibit_is_marked_parsed(self, api, ingest):
        await api.open_case()
        exhibit, _ = await parsed(api, ingest, SAMPLE.read_bytes())
        again = (await api.get(f"/v1/cases/OP-MONZA/exhibits/{exhibit['id']}")).json()
        assert again["parse_status"] == "parsed"


class TestReports:
    async def test_broken_rows_are_reported_and_the_rest_kept(self, api, ingest):
        await api.open_case()
        exhibit, job = await parsed(api, ingest, (DATA / "broken_rows.csv").read_bytes())
        report = await report_of(api, exhibit)
        assert job["status"] == report["status"] == "succeeded"
        assert (report["rows_read"], report["rows_accepted"], report["rows_rejected"]) == (9, 5, 4)
        assert [(r["line"], r["field"]) for r in report["rejects"]] == [
            (3, None), (5, "Call Date"), (6, "Duration (s)"), (7, "Direction")]
        assert report["first_event_utc"] == "2024-06-01T08:15:02Z"
        assert report["subjects"] == [{"number": "+447400123456", "rows": 5}]
        assert (report["dataset_id"], report["source_sha256"]) == (
            job["result"]["dataset_id"], exhibit["sha256"])
        assert set(report["libraries"]) == {"phonenumbers", "polars", "pyarrow"}

    async def test_every_reject_is_kept_in_a_rejects_file_checked_by_hash(self, api, ingest):
        await api.open_case()
        exhibit, _ = await parsed(api, ingest, (DATA / "broken_rows.csv").read_bytes())
        report = await report_of(api, exhibit)
        blob = ingest.runtime.store.get_bytes(report["rejects_object_key"],
                                              sha256=report["rejects_sha256"])
        lines = [json.loads(x) for x in blob.decode().splitlines()]
        assert lines == report["rejects"]

    async def test_an_empty_file_fails_its_job_with_a_report_and_the_exhibit_is_kept(
            self, api, ingest):
        await api.open_case()
        exhibit, job = await parsed(api, ingest, b"")
        assert job["status"] == "failed"
        assert job["message"] == "the exhibit could not be parsed: the file is empty (0 bytes)"
        report = await report_of(api, exhibit)
        assert (report["status"], report["dataset_id"]) == ("failed", None)
        assert report["file_errors"][0]["reason"] == "the file is empty (0 bytes)"
        original = await api.get(f"/v1/cases/OP-MONZA/exhibits/{exhibit['id']}/original")
        assert (original.status_code, original.content) == (200, b"")
        assert (await api.get("/v1/cases/OP-MONZA/datasets")).json()["datasets"] == []

    async def test_a_utf16_file_fails_its_job_naming_the_encoding(self, api, ingest, audit):
        await api.open_case()
        exhibit, job = await parsed(api, ingest, (DATA / "utf16_bom.csv").read_bytes())
        assert job["status"] == "failed" and "UTF-16" in job["message"]
        assert (await api.get(f"/v1/cases/OP-MONZA/exhibits/{exhibit['id']}")).json()[
            "parse_status"] == "failed"
        entry = next(e for e in audit.entries("OP-MONZA")
                     if e["parameters"].get("action") == "exhibit.parse")
        assert (entry["outcome"], entry["reason"]) == ("failure", job["message"])

    async def test_a_file_with_a_few_latin1_lines_succeeds_without_just_those(self, api,
                                                                             ingest):
        await api.open_case()
        exhibit, job = await parsed(api, ingest, (DATA / "latin1_lines.csv").read_bytes())
        report = await report_of(api, exhibit)
        assert job["status"] == "succeeded"
        assert [r["line"] for r in report["rejects"]] == [3, 5]
        assert report["rows_accepted"] == 3


class TestDatasetsApi:
    async def test_a_dataset_is_read_by_id_and_the_read_is_audited(self, api, ingest, audit):
        await api.open_case()
        _, job = await parsed(api, ingest, (DATA / "broken_rows.csv").read_bytes())
        dataset_id = job["result"]["dataset_id"]
        one = (await api.get(f"/v1/cases/OP-MONZA/datasets/{dataset_id}")).json()
        assert (one["id"], one["rows"], one["schema_version"]) == (dataset_id, 5, 1)
        assert audit.operations("OP-MONZA")[-1] == ("consultation", "dataset.get")

    async def test_a_dataset_is_not_found_through_another_case(self, api, ingest):
        await api.open_case()
        await api.open_case("OP-OTHER")
        _, job = await parsed(api, ingest, (DATA / "broken_rows.csv").read_bytes())
        r = await api.get(f"/v1/cases/OP-OTHER/datasets/{job['result']['dataset_id']}")
        assert r.status_code == 404


def failing_audit() -> httpx.Client:
    def refuse(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("connection refused", request=request)

    return httpx.Client(transport=httpx.MockTransport(refuse), base_url="http://audit")


class TestHandler:
    async def test_a_job_run_again_after_its_commit_answers_the_same_without_new_rows(
            self, api, ingest, audit):
        await api.open_case()
        job_id = (await api.upload((DATA / "broken_rows.csv").read_bytes())).json()["job"]["id"]
        ingest.runtime.jobs.run(job_id)
        first = ingest.runtime.jobs.get(job_id).result
        entries = len(audit.entries())
        with Session(ingest.runtime.engine) as s:  # as if the worker died before finishing
            s.get(Job, job_id).status = "queued"
            s.commit()
        ingest.runtime.jobs.run(job_id)
        assert ingest.runtime.jobs.get(job_id).result == first
        with Session(ingest.runtime.engine) as s:
            assert len(s.exec(select(Dataset)).all()) == 1
            assert len(s.exec(select(IngestReport)).all()) == 1
        assert len(audit.entries()) == entries

    async def test_a_second_parse_job_for_a_parsed_exhibit_reuses_its_dataset(
            self, api, ingest, principal_of):
        await api.open_case()
        body = (await api.upload((DATA / "broken_rows.csv").read_bytes())).json()
        ingest.runtime.jobs.run(body["job"]["id"])
        with Session(ingest.runtime.engine) as s:
            again = ingest.runtime.jobs.create(
                s, kind="exhibits.parse", subject_id=body["exhibit"]["id"],
                case_id=body["exhibit"]["case_id"], principal=principal_of("a.analyst"),
                correlation_id="again").id
            s.commit()
        ingest.runtime.jobs.run(again)
        result = ingest.runtime.jobs.get(again).result
        assert result["reused"] is True
        assert result["dataset_id"] == ingest.runtime.jobs.get(body["job"]["id"]).result[
            "dataset_id"]

    async def test_a_job_left_queued_by_a_stopped_service_runs_after_restart(
            self, api, ingest, ingest_factory):
        await api.open_case()
        job_id = (await api.upload(SAMPLE.read_bytes())).json()["job"]["id"]
        ingest.runtime.shutdown()  # stopped before any worker took the message
        restarted = ingest_factory()  # same var/ folder, new process-like runtime
        restarted.drain()
        assert restarted.runtime.jobs.get(job_id).status == "succeeded"

    async def test_audit_down_during_a_parse_stores_nothing_and_the_job_is_retried(
            self, api, ingest, audit):
        await api.open_case()
        body = (await api.upload(SAMPLE.read_bytes())).json()
        working, ingest.runtime.audit.http = ingest.runtime.audit.http, failing_audit()
        ingest.runtime.jobs.run(body["job"]["id"])
        job = ingest.runtime.jobs.get(body["job"]["id"])
        assert (job.status, job.attempts) == ("queued", 1)
        assert job.message.startswith("retrying in 1000 ms")
        with Session(ingest.runtime.engine) as s:
            assert s.exec(select(Dataset)).all() == []
            assert s.exec(select(IngestReport)).all() == []
        assert [p.parent.name for p in ingest.stored_objects()] == ["exhibits"]
        ingest.runtime.audit.http = working
        ingest.runtime.jobs.run(body["job"]["id"])
        assert ingest.runtime.jobs.get(body["job"]["id"]).status == "succeeded"

    async def test_an_original_changed_in_the_store_is_never_parsed(self, api, ingest, audit):
        await api.open_case()
        body = (await api.upload(SAMPLE.read_bytes())).json()
        path = ingest.settings.object_dir / body["exhibit"]["object_key"]
        path.chmod(0o644)
        path.write_bytes(SAMPLE.read_bytes().replace(b"MT,Voice", b"MO,Voice", 1))
        ingest.runtime.jobs.run(body["job"]["id"])
        job = ingest.runtime.jobs.get(body["job"]["id"])
        assert job.status == "failed"
        assert job.message.startswith("the stored original was not parsed: object cases/")
        assert "does not match its SHA-256" in job.message
        assert audit.entries("OP-MONZA")[-1]["outcome"] == "failure"
        with Session(ingest.runtime.engine) as s:
            assert s.exec(select(Dataset)).all() == []
        assert hashlib.sha256(path.read_bytes()).hexdigest() != body["exhibit"]["sha256"]
