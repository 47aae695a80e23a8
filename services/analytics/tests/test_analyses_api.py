"""Analyses through the HTTP API: the real audit app, a fake ingest, jobs on a StubBroker."""

from __future__ import annotations

import hashlib
import json

import jwt
import pytest
from sqlalchemy import text

pytestmark = pytest.mark.anyio

S, P1, P2 = "+447700900001", "+447700900002", "+447700900003"


@pytest.fixture
def case(analytics, make_event):
    """A case with one events dataset (exhibit ex1): P1 twice, P2 once, a data session."""
    e = make_event
    case = analytics.ingest.add_case("OP-MONZA")
    analytics.ingest.add_dataset(case, "ex1", [
        e("ex1", 2, "out", "voice", P1, duration=60, start="2024-03-01T10:00:00"),
        e("ex1", 3, "in", "sms", P1, start="2024-03-01T11:00:00"),
        e("ex1", 4, "out", "sms", P2, start="2024-03-01T12:00:00"),
        e("ex1", 5, "out", "data", None, "absent", start="2024-03-01T13:00:00"),
    ], exhibit_reference="ABC/1")
    return case


def dataset_of(analytics, exhibit_id: str) -> dict:
    return next(d for d in analytics.ingest.datasets.values() if d["exhibit_id"] == exhibit_id)


async def request(client, headers, body=None, case_ref="OP-MONZA"):
    return await client.post(f"/v1/cases/{case_ref}/analyses",
                             json=body or {"kind": "contact_frequency"}, headers=headers)


async def run_one(client, analytics, headers, body=None) -> dict:
    r = await request(client, headers, body)
    assert r.status_code == 202, r.text
    analytics.run_queued_jobs()
    got = await client.get(f"/v1/analyses/{r.json()['analysis']['id']}", headers=headers)
    return got.json()


def table_count(analytics, table: str) -> int:
    with analytics.runtime.engine.connect() as conn:
        return conn.execute(text(f"SELECT count(*) FROM {table}")).scalar()


class TestRequest:
    async def test_a_request_pins_the_inputs_and_queues_a_job(self, client, analytics, case,
                                                              analyst_headers):
        r = await request(client, analyst_headers)
        assert r.status_code == 202
        body = r.json()
        ds = dataset_of(analytics, "ex1")
        assert body["analysis"]["status"] == "queued"
        assert body["analysis"]["inputs"] == [{
            "dataset_id": ds["id"], "exhibit_id": "ex1", "exhibit_reference": "ABC/1", "table": "events",
            "sha256": ds["sha256"], "rows": 4}]
        assert body["analysis"]["created_by"] == "a.analyst"
        assert (body["job"]["kind"], body["job"]["status"]) == ("analyses.run", "queued")
        assert analytics.runtime.broker.queues["analytics"].qsize() == 1

    async def test_the_job_is_enqueued_only_once_its_row_is_committed(
            self, client, analytics, case, analyst_headers, monkeypatch):
        seen = []
        enqueue = analytics.runtime.jobs.enqueue

        def spy(job, **kw):
            seen.append(analytics.runtime.jobs.get(job.id))  # a new session: committed rows
            enqueue(job, **kw)

        monkeypatch.setattr(analytics.runtime.jobs, "enqueue", spy)
        r = await request(client, analyst_headers)
        assert [j.id for j in seen if j is not None] == [r.json()["job"]["id"]]

    async def test_the_request_is_audited_before_it_is_committed(self, client, analytics, case,
                                                                 analyst_headers):
        r = await request(client, analyst_headers)
        [entry] = analytics.audit.entries("combination")
        assert entry["parameters"]["stage"] == "requested"
        assert entry["parameters"]["job_id"] == r.json()["job"]["id"]
        assert entry["objects"][0] == {"type": "dataset", "id": dataset_of(analytics, "ex1")["id"],
                                       "sha256": dataset_of(analytics, "ex1")["sha256"],
                                       "ref": "ABC/1"}
        assert (entry["actor"], entry["service"], entry["case"]) == (
            "a.analyst", "analytics", "OP-MONZA")

    async def test_the_users_token_reaches_ingest(self, client, analytics, case,
                                                  analyst_headers):
        await request(client, analyst_headers)
        token = analytics.ingest.requests[0].headers["authorization"].removeprefix("Bearer ")
        assert jwt.decode(token, options={"verify_signature": False})["sub"] == "a.analyst"

    async def test_by_default_the_newest_dataset_of_each_exhibit_is_used(
            self, client, analytics, case, make_event, analyst_headers):
        newer = analytics.ingest.add_dataset(
            case, "ex1", [make_event("ex1", 2, "out", "voice", P1)], exhibit_reference="ABC/1",
            created_at="2024-04-01T09:00:00Z")
        other = analytics.ingest.add_dataset(
            case, "ex2", [make_event("ex2", 2, "in", "voice", P2)], exhibit_reference="ABC/2")
        r = await request(client, analyst_headers)
        ids = {i["dataset_id"] for i in r.json()["analysis"]["inputs"]}
        assert ids == {newer["id"], other["id"]}

    async def test_named_datasets_are_used_as_named(self, client, analytics, case, make_event,
                                                    analyst_headers):
        other = analytics.ingest.add_dataset(
            case, "ex2", [make_event("ex2", 2, "in", "voice", P2)], exhibit_reference="ABC/2")
        r = await request(client, analyst_headers,
                          {"kind": "contact_frequency", "dataset_ids": [other["id"]],
                           "parameters": {"subject": S}})
        assert [i["dataset_id"] for i in r.json()["analysis"]["inputs"]] == [other["id"]]
        assert r.json()["analysis"]["parameters"] == {"subject": S}

    async def test_an_unknown_kind_is_a_validation_error(self, client, case, analyst_headers):
        r = await request(client, analyst_headers, {"kind": "astrology"})
        assert r.status_code == 422

    async def test_a_subject_that_is_not_e164_is_a_validation_error(self, client, case,
                                                                    analyst_headers):
        r = await request(client, analyst_headers,
                          {"kind": "contact_frequency", "parameters": {"subject": "07700900001"}})
        assert r.status_code == 422

    async def test_an_unknown_case_is_not_found(self, client, analytics, analyst_headers):
        r = await request(client, analyst_headers, case_ref="OP-NOWHERE")
        assert (r.status_code, r.json()["error"]) == (404, "not_found")
        assert table_count(analytics, "analyses") == 0

    async def test_an_unknown_dataset_is_not_found(self, client, case, analyst_headers):
        r = await request(client, analyst_headers,
                          {"kind": "contact_frequency", "dataset_ids": ["nope"]})
        assert r.status_code == 404
        assert "dataset nope" in r.json()["detail"]

    async def test_two_datasets_of_one_exhibit_are_refused(self, client, analytics, case,
                                                          make_event, analyst_headers):
        again = analytics.ingest.add_dataset(case, "ex1", [make_event("ex1", 2, "out", "sms", P1)],
                                             exhibit_reference="ABC/1")
        both = [dataset_of(analytics, "ex1")["id"], again["id"]]
        r = await request(client, analyst_headers,
                          {"kind": "contact_frequency", "dataset_ids": both})
        assert r.status_code == 400
        assert "both come from exhibit ABC/1" in r.json()["detail"]

    async def test_a_case_without_events_datasets_is_refused(self, client, analytics,
                                                            analyst_headers):
        analytics.ingest.add_case("OP-EMPTY")
        r = await request(client, analyst_headers, case_ref="OP-EMPTY")
        assert r.status_code == 400
        assert "no events dataset" in r.json()["detail"]

    async def test_a_disclosure_officer_may_not_run_one_and_the_refusal_is_audited(
            self, client, analytics, case, officer_headers):
        r = await request(client, officer_headers)
        assert r.status_code == 403
        [refused] = analytics.audit.entries("refused")
        assert (refused["actor"], refused["outcome"]) == ("d.officer", "refused")
        assert table_count(analytics, "analyses") == 0

    async def test_an_anonymous_request_is_refused(self, client, case):
        r = await client.post("/v1/cases/OP-MONZA/analyses", json={"kind": "contact_frequency"})
        assert r.status_code == 401


class TestRun:
    async def test_the_job_stores_the_result_and_the_analysis_points_at_it(
            self, client, analytics, case, analyst_headers):
        analysis = await run_one(client, analytics, analyst_headers)
        assert analysis["status"] == "succeeded"
        assert analysis["result_rows"] == 2
        assert analysis["code_version"] == analytics.runtime.version
        assert analysis["finished_at"] is not None
        stored = analytics.runtime.store.stat(analysis["result_object_key"])
        assert stored.sha256 == analysis["result_sha256"]
        assert analysis["result_object_key"].endswith(f"/analyses/{analysis['result_sha256']}.json")

    async def test_the_result_is_the_canonical_document_with_its_hash(
            self, client, analytics, case, analyst_headers):
        analysis = await run_one(client, analytics, analyst_headers)
        r = await client.get(f"/v1/analyses/{analysis['id']}/result", headers=analyst_headers)
        assert r.status_code == 200
        digest = hashlib.sha256(r.content).hexdigest()
        assert r.headers["x-content-sha256"] == digest == analysis["result_sha256"]
        doc = r.json()
        assert doc["format"] == "linesight.analysis-result/2"
        assert doc["inputs"] == analysis["inputs"]
        assert doc["code_version"] == analytics.runtime.version
        row = dict(zip(doc["columns"], doc["rows"][0], strict=True))
        assert (row["other_party"], row["calls_out"], row["sms_in"], row["total_events"]) == (
            P1, 1, 1, 2)
        assert row["source_rows"] == {"ex1": [2, 3]}
        assert doc["summary"]["data_sessions"] == 1
        assert set(doc["definitions"]) == set(doc["columns"]) and doc["method"]
        assert r.content == json.dumps(doc, sort_keys=True, separators=(",", ":"),
                                       ensure_ascii=False).encode()

    async def test_the_same_inputs_give_byte_identical_results(self, client, analytics, case,
                                                               analyst_headers):
        first = await run_one(client, analytics, analyst_headers)
        second = await run_one(client, analytics, analyst_headers)
        assert first["id"] != second["id"]
        assert first["result_sha256"] == second["result_sha256"]
        a = await client.get(f"/v1/analyses/{first['id']}/result", headers=analyst_headers)
        b = await client.get(f"/v1/analyses/{second['id']}/result", headers=analyst_headers)
        assert a.content == b.content
        narrowed = await run_one(client, analytics, analyst_headers,
                                 {"kind": "contact_frequency", "parameters": {"subject": P2}})
        assert narrowed["result_sha256"] != first["result_sha256"]

    async def test_the_combination_is_audited_by_hash_without_the_subject_number(
            self, client, analytics, case, analyst_headers):
        analysis = await run_one(client, analytics, analyst_headers,
                                 {"kind": "contact_frequency", "parameters": {"subject": S}})
        done = [e for e in analytics.audit.entries("combination")
                if e["parameters"]["stage"] == "completed"]
        assert len(done) == 1
        entry = done[0]
        assert entry["actor"] == "a.analyst" and entry["service"] == "analytics"
        assert {"type": "analysis_result", "id": analysis["id"],
                "sha256": analysis["result_sha256"]} in entry["objects"]
        assert entry["parameters"]["code_version"] == analytics.runtime.version
        assert entry["parameters"]["parameter_names"] == ["subject"]
        assert S not in json.dumps(analytics.audit.entries())

    async def test_reading_a_result_is_an_audited_consultation(self, client, analytics, case,
                                                               officer_headers, analyst_headers):
        analysis = await run_one(client, analytics, analyst_headers)
        await client.get(f"/v1/analyses/{analysis['id']}/result", headers=officer_headers)
        last = analytics.audit.entries("consultation")[-1]
        assert last["actor"] == "d.officer"
        assert last["objects"] == [{"type": "analysis_result", "id": analysis["id"],
                                    "sha256": analysis["result_sha256"]}]

    async def test_a_result_is_not_there_before_the_job_ran(self, client, analytics, case,
                                                           analyst_headers):
        r = await request(client, analyst_headers)
        got = await client.get(f"/v1/analyses/{r.json()['analysis']['id']}/result",
                               headers=analyst_headers)
        assert (got.status_code, got.json()["error"]) == (409, "conflict")

    async def test_the_job_endpoint_reports_the_finished_job(self, client, analytics, case,
                                                             analyst_headers):
        r = await request(client, analyst_headers)
        analytics.run_queued_jobs()
        job = (await client.get(f"/v1/jobs/{r.json()['job']['id']}",
                                headers=analyst_headers)).json()
        assert (job["status"], job["progress"]) == ("succeeded", 1.0)
        assert job["result"]["analysis_id"] == r.json()["analysis"]["id"]

    async def test_a_dataset_changed_in_the_store_fails_the_job_and_the_failure_is_audited(
            self, client, analytics, case, analyst_headers):
        path = analytics.runtime.store.root / dataset_of(analytics, "ex1")["object_key"]
        path.chmod(0o644)
        path.write_bytes(path.read_bytes() + b"tampered")
        analysis = await run_one(client, analytics, analyst_headers)
        assert analysis["status"] == "failed"
        assert "does not match its SHA-256" in analysis["message"]
        assert analysis["result_sha256"] is None
        failed = [e for e in analytics.audit.entries("combination") if e["outcome"] == "failure"]
        assert len(failed) == 1 and "SHA-256" in failed[0]["reason"]

    async def test_the_case_lists_its_analyses_oldest_first(self, client, analytics, case,
                                                            analyst_headers):
        first = (await request(client, analyst_headers)).json()["analysis"]["id"]
        second = (await request(client, analyst_headers)).json()["analysis"]["id"]
        r = await client.get("/v1/cases/OP-MONZA/analyses", headers=analyst_headers)
        assert [a["id"] for a in r.json()] == [first, second]
        other = await client.get("/v1/cases/OP-OTHER/analyses", headers=analyst_headers)
        assert other.json() == []

    async def test_an_unknown_analysis_is_not_found(self, client, analytics, analyst_headers):
        r = await client.get("/v1/analyses/nope", headers=analyst_headers)
        assert r.status_code == 404


class TestAuditDown:
    async def test_a_request_is_refused_and_leaves_no_trace(self, client, analytics, case,
                                                           analyst_headers):
        analytics.audit.down = True
        r = await request(client, analyst_headers)
        assert (r.status_code, r.json()["error"]) == (503, "audit_unavailable")
        assert table_count(analytics, "analyses") == 0
        assert table_count(analytics, "jobs") == 0
        assert analytics.runtime.broker.queues["analytics"].qsize() == 0

    async def test_a_job_stores_nothing_and_waits_to_be_retried(self, client, analytics, case,
                                                                analyst_headers):
        r = await request(client, analyst_headers)
        analytics.audit.down = True
        analytics.runtime.jobs.run(r.json()["job"]["id"])
        job = analytics.runtime.jobs.get(r.json()["job"]["id"])
        assert job.status == "queued" and "retrying" in job.message
        with analytics.runtime.engine.connect() as conn:
            assert conn.execute(text("SELECT result_sha256 FROM analyses")).scalar() is None
        assert not list(analytics.runtime.store.root.glob("cases/*/analyses/*"))

    async def test_a_result_is_not_served(self, client, analytics, case, analyst_headers):
        analysis = await run_one(client, analytics, analyst_headers)
        analytics.audit.down = True
        r = await client.get(f"/v1/analyses/{analysis['id']}/result", headers=analyst_headers)
        assert (r.status_code, r.json()["error"]) == (503, "audit_unavailable")
        assert "rows" not in r.json()

