"""Reports through the HTTP API: the real audit app, fake ingest and analytics, StubBroker."""

from __future__ import annotations

import hashlib
import io

import jwt
import pytest
from pypdf import PdfReader
from sqlalchemy import text

pytestmark = pytest.mark.anyio

EXHIBIT_SHA = "9f2c4e6a8b0d1f3e5a7c9b1d3f5e7a9c0b2d4f6e8a1c3e5b7d9f1a3c5e7b9d1f"


async def request(client, headers, body=None, case_ref="OP-MONZA"):
    return await client.post(f"/v1/cases/{case_ref}/reports",
                             json=body or {"analysis_ids": ["a1"], "title": "Contact analysis"},
                             headers=headers)


async def rendered(client, reporting, headers, body=None) -> dict:
    r = await request(client, headers, body)
    assert r.status_code == 202, r.text
    reporting.run_queued_jobs()
    return (await client.get(f"/v1/reports/{r.json()['report']['id']}", headers=headers)).json()


def count(reporting, table: str) -> int:
    with reporting.runtime.engine.connect() as conn:
        return conn.execute(text(f"SELECT count(*) FROM {table}")).scalar()


def squeezed(s: str) -> str:
    return "".join(s.split())


@pytest.fixture
def a1(reporting):
    return reporting.analytics.add("a1")


class TestRequest:
    async def test_a_request_checks_the_analyses_and_queues_a_job(self, client, reporting, a1,
                                                                  analyst_headers):
        r = await request(client, analyst_headers)
        assert r.status_code == 202
        report, job = r.json()["report"], r.json()["job"]
        assert (report["status"], report["title"], report["analysis_ids"]) == (
            "queued", "Contact analysis", ["a1"])
        assert (job["kind"], job["status"]) == ("reports.render", "queued")
        [entry] = reporting.audit.entries("combination")
        assert entry["parameters"] == {"stage": "requested", "job_id": job["id"]}
        assert {"type": "analysis_result", "id": "a1",
                "sha256": a1["result_sha256"]} in entry["objects"]
        assert reporting.runtime.broker.queues["reporting"].qsize() == 1

    async def test_without_a_title_the_default_is_used(self, client, a1, analyst_headers):
        r = await request(client, analyst_headers, {"analysis_ids": ["a1"]})
        assert r.json()["report"]["title"] == "Communications data analysis"

    async def test_an_unknown_analysis_is_not_found(self, client, reporting, analyst_headers):
        r = await request(client, analyst_headers, {"analysis_ids": ["nope"]})
        assert r.status_code == 404
        assert count(reporting, "reports") == 0

    async def test_another_cases_analysis_is_not_found(self, client, reporting,
                                                       analyst_headers):
        reporting.analytics.add("a9", case_reference="OP-OTHER")
        r = await request(client, analyst_headers, {"analysis_ids": ["a9"]})
        assert r.status_code == 404
        assert "not exist in case OP-MONZA" in r.json()["detail"]

    async def test_an_unfinished_analysis_is_a_conflict(self, client, reporting,
                                                        analyst_headers):
        reporting.analytics.add("a2", status="running")
        r = await request(client, analyst_headers, {"analysis_ids": ["a2"]})
        assert (r.status_code, r.json()["error"]) == (409, "conflict")

    async def test_an_analysis_named_twice_is_refused(self, client, a1, analyst_headers):
        r = await request(client, analyst_headers, {"analysis_ids": ["a1", "a1"]})
        assert r.status_code == 400

    async def test_no_analysis_at_all_is_a_validation_error(self, client, analyst_headers):
        r = await request(client, analyst_headers, {"analysis_ids": []})
        assert r.status_code == 422

    async def test_an_unknown_case_is_not_found(self, client, a1, analyst_headers):
        r = await request(client, analyst_headers, case_ref="OP-NOWHERE")
        assert r.status_code == 404

    async def test_a_disclosure_officer_may_not_render_and_the_refusal_is_audited(
            self, client, reporting, a1, officer_headers):
        r = await request(client, officer_headers)
        assert r.status_code == 403
        [refused] = reporting.audit.entries("refused")
        assert (refused["actor"], refused["parameters"]["action"]) == ("d.officer",
                                                                       "reports.render")


class TestRender:
    async def test_the_job_renders_and_stores_the_pdf(self, client, reporting, a1,
                                                      analyst_headers):
        report = await rendered(client, reporting, analyst_headers)
        assert report["status"] == "succeeded"
        assert report["pages"] >= 4 and report["size"] > 1000
        assert report["object_key"] == f"cases/{'c' * 32}/reports/{report['sha256']}.pdf"
        assert reporting.runtime.store.stat(report["object_key"]).sha256 == report["sha256"]
        assert report["code_version"] == reporting.runtime.version

    async def test_the_pdf_shows_the_case_exhibits_and_analysis(self, client, reporting, a1,
                                                                analyst_headers):
        report = await rendered(client, reporting, analyst_headers)
        r = await client.get(f"/v1/reports/{report['id']}/pdf", headers=analyst_headers)
        assert r.status_code == 200
        assert r.headers["content-type"] == "application/pdf"
        assert r.headers["x-content-sha256"] == hashlib.sha256(r.content).hexdigest() == \
            report["sha256"]
        assert f"OP-MONZA-report-{report['id']}.pdf" in r.headers["content-disposition"]
        pages = [p.extract_text() for p in PdfReader(io.BytesIO(r.content)).pages]
        assert "OP-MONZA" in pages[0] and "AUTH-2024-0001" in pages[0]
        assert f"Page 1 of {report['pages']}" in pages[0]
        everything = "\n".join(pages)
        assert EXHIBIT_SHA in squeezed(everything)
        assert "+447700900002" in everything and "421" in everything
        assert "ABC/2" in everything and "has not been parsed" in everything

    async def test_the_job_calls_the_peers_as_the_requesting_user(self, client, reporting, a1,
                                                                  analyst_headers):
        await rendered(client, reporting, analyst_headers)
        for peer in (reporting.ingest, reporting.analytics):
            claims = jwt.decode(peer.requests[-1].headers["authorization"].split()[1],
                                options={"verify_signature": False})
            assert (claims["sub"], claims["act"]) == ("a.analyst",
                                                      {"sub": "service:reporting"})

    async def test_the_rendering_is_audited_with_everything_it_shows(self, client, reporting,
                                                                     a1, analyst_headers):
        report = await rendered(client, reporting, analyst_headers)
        done = [e for e in reporting.audit.entries("combination")
                if e["parameters"]["stage"] == "completed"]
        assert len(done) == 1
        objects = done[0]["objects"]
        assert {"type": "exhibit", "id": "ex1", "sha256": EXHIBIT_SHA, "ref": "ABC/1"} in objects
        assert {"type": "analysis_result", "id": "a1", "sha256": a1["result_sha256"]} in objects
        assert {"type": "report", "id": report["id"], "sha256": report["sha256"]} in objects
        assert done[0]["parameters"]["pages"] == report["pages"]

    async def test_a_download_for_a_recipient_is_an_audited_disclosure(
            self, client, reporting, a1, analyst_headers, officer_headers):
        report = await rendered(client, reporting, analyst_headers)
        r = await client.get(f"/v1/reports/{report['id']}/pdf",
                             params={"recipient": "CPS Wessex"}, headers=officer_headers)
        assert r.status_code == 200
        [disclosure] = reporting.audit.entries("disclosure")
        assert (disclosure["actor"], disclosure["recipients"]) == ("d.officer", ["CPS Wessex"])
        assert disclosure["objects"] == [{"type": "report", "id": report["id"],
                                          "sha256": report["sha256"]}]

    async def test_a_download_without_a_recipient_is_a_consultation(self, client, reporting,
                                                                    a1, analyst_headers):
        report = await rendered(client, reporting, analyst_headers)
        await client.get(f"/v1/reports/{report['id']}/pdf", headers=analyst_headers)
        last = reporting.audit.entries()[-1]
        assert (last["operation"], last["parameters"]["format"]) == ("consultation", "pdf")
        assert reporting.audit.entries("disclosure") == []

    async def test_a_result_that_no_longer_matches_its_hash_fails_the_job(
            self, client, reporting, a1, analyst_headers):
        r = await request(client, analyst_headers)
        reporting.analytics.results["a1"] += b" "
        reporting.run_queued_jobs()
        report = (await client.get(f"/v1/reports/{r.json()['report']['id']}",
                                   headers=analyst_headers)).json()
        assert report["status"] == "failed" and report["sha256"] is None
        assert "does not match its SHA-256" in report["message"]
        failed = [e for e in reporting.audit.entries("combination") if e["outcome"] == "failure"]
        assert len(failed) == 1

    async def test_a_pdf_changed_in_the_store_is_not_served(self, client, reporting, a1,
                                                            analyst_headers):
        report = await rendered(client, reporting, analyst_headers)
        path = reporting.runtime.store.root / report["object_key"]
        path.chmod(0o644)
        path.write_bytes(b"%PDF-1.7 forged")
        before = len(reporting.audit.entries())
        r = await client.get(f"/v1/reports/{report['id']}/pdf", headers=analyst_headers)
        assert (r.status_code, r.json()["error"]) == (500, "integrity_error")
        assert len(reporting.audit.entries()) == before

    async def test_there_is_no_pdf_before_the_job_ran(self, client, a1, analyst_headers):
        r = await request(client, analyst_headers)
        got = await client.get(f"/v1/reports/{r.json()['report']['id']}/pdf",
                               headers=analyst_headers)
        assert got.status_code == 409

    async def test_the_job_endpoint_reports_the_finished_job(self, client, reporting, a1,
                                                             analyst_headers):
        r = await request(client, analyst_headers)
        reporting.run_queued_jobs()
        job = (await client.get(f"/v1/jobs/{r.json()['job']['id']}",
                                headers=analyst_headers)).json()
        assert job["status"] == "succeeded"
        assert job["result"]["report_id"] == r.json()["report"]["id"]

    async def test_the_case_lists_its_reports_oldest_first(self, client, a1, analyst_headers):
        first = (await request(client, analyst_headers)).json()["report"]["id"]
        second = (await request(client, analyst_headers)).json()["report"]["id"]
        listed = await client.get("/v1/cases/OP-MONZA/reports", headers=analyst_headers)
        assert [x["id"] for x in listed.json()] == [first, second]


class TestAuditDown:
    async def test_a_request_is_refused_and_leaves_no_trace(self, client, reporting, a1,
                                                           analyst_headers):
        reporting.audit.down = True
        r = await request(client, analyst_headers)
        assert (r.status_code, r.json()["error"]) == (503, "audit_unavailable")
        assert (count(reporting, "reports"), count(reporting, "jobs")) == (0, 0)
        assert reporting.runtime.broker.queues["reporting"].qsize() == 0

    async def test_a_render_stores_nothing_and_waits_to_be_retried(self, client, reporting, a1,
                                                                   analyst_headers):
        r = await request(client, analyst_headers)
        reporting.audit.down = True
        reporting.runtime.jobs.run(r.json()["job"]["id"])
        job = reporting.runtime.jobs.get(r.json()["job"]["id"])
        assert job.status == "queued" and "retrying" in job.message
        assert not list(reporting.runtime.store.root.glob("cases/*/reports/*"))

    async def test_a_pdf_is_not_served(self, client, reporting, a1, analyst_headers):
        report = await rendered(client, reporting, analyst_headers)
        reporting.audit.down = True
        r = await client.get(f"/v1/reports/{report['id']}/pdf", headers=analyst_headers)
        assert (r.status_code, r.json()["error"]) == (503, "audit_unavailable")
        assert not r.content.startswith(b"%PDF")
