"""The sample case end to end over PostgreSQL + RabbitMQ + S3, four services as processes."""

from __future__ import annotations

import json
import re

import pytest
import structlog
from pypdf import PdfReader

from .conftest import SAMPLE, get

pytestmark = pytest.mark.e2e


def test_the_sample_case_runs_end_to_end_into_a_verifiable_pdf(
        production_platform, analyst, officer, tmp_path):
    ingest, analytics, reporting = analyst.ingest(), analyst.analytics(), analyst.reporting()
    structlog.contextvars.bind_contextvars(correlation_id="e2e-monza-upload")
    case = ingest.create_case("OP-MONZA", authorisation_ref="OCDA/2026/004417",
                              title="Operation Monza")
    up = ingest.upload_exhibit("OP-MONZA", SAMPLE, reference="ABC/1", kind="cdr",
                               producer="EE Ltd disclosure unit", description="deal line CDR")
    structlog.contextvars.clear_contextvars()
    job = ingest.wait_for_job(up.job.id, timeout_s=180)
    assert str(job.status) == "succeeded", job.message
    report = ingest.ingest_report("OP-MONZA", up.exhibit.id)
    assert report.rows_accepted > 1000
    assert report.rows_read == report.rows_accepted + report.rows_rejected

    # the original is kept byte for byte under its SHA-256
    original = get(production_platform, "ingest",
                   f"/v1/cases/OP-MONZA/exhibits/{up.exhibit.id}/original", analyst.token)
    assert original.content == SAMPLE.read_bytes()

    req = analytics.request_analysis("OP-MONZA", "contact_frequency")
    job = analytics.wait_for_job(req.job.id, timeout_s=180)
    assert str(job.status) == "succeeded", job.message
    result = analytics.get_result(req.analysis.id)
    result_doc = result if isinstance(result, dict) else result.model_dump(mode="json")
    top = dict(zip(result_doc["columns"], result_doc["rows"][0], strict=True))

    rreq = reporting.request_report("OP-MONZA", [req.analysis.id], title="Contact frequency")
    job = reporting.wait_for_job(rreq.job.id, timeout_s=180)
    assert str(job.status) == "succeeded", job.message
    pdf_path = reporting.download_pdf(rreq.report.id, tmp_path / "report.pdf")

    text = "\n".join(page.extract_text() for page in PdfReader(pdf_path).pages)
    flat = re.sub(r"\s+", "", text)
    assert case.reference in text
    assert up.exhibit.sha256 in flat
    assert str(top["other_party"]) in flat
    assert re.search(r"Page 1 of \d+", text)

    # every service wrote its entries, as the analyst, and the chain verifies
    verify = officer.audit().verify()
    assert verify.ok, verify.problems
    entries = [json.loads(line)["entry"] for line in
               officer.audit().export_case("OP-MONZA", tmp_path / "a.jsonl").read_text()
               .splitlines()]
    by_service = {(e["service"], e["operation"]) for e in entries if e["actor"] == "a.analyst"}
    assert {("ingest", "collection"), ("ingest", "alteration"),
            ("analytics", "combination"), ("reporting", "combination")} <= by_service
    # the upload's correlation id followed the request into the parse job in the worker
    parse = [e for e in entries if e["service"] == "ingest" and e["operation"] == "alteration"
             and any(o.get("ref") == "ABC/1" for o in e["objects"])]
    assert parse and all(e["correlation_id"] == "e2e-monza-upload" for e in parse)


def test_with_the_audit_service_down_data_access_is_refused_and_leaves_no_trace(
        production_platform, analyst):
    ingest = analyst.ingest()
    ingest.create_case("OP-DOWN", authorisation_ref="OCDA/2026/000001")
    production_platform.stop("audit")
    try:
        r = get(production_platform, "ingest", "/v1/cases/OP-DOWN", analyst.token)
        assert r.status_code == 503
        assert r.json()["error"] == "audit_unavailable"
        import httpx

        with SAMPLE.open("rb") as f:
            up = httpx.post(production_platform.url("ingest") + "/v1/cases/OP-DOWN/exhibits",
                            headers={"Authorization": f"Bearer {analyst.token}"},
                            data={"reference": "ABC/9", "kind": "cdr", "producer": "x",
                                  "description": "y"},
                            files={"file": ("cdr.csv", f, "text/csv")}, timeout=60)
        assert up.status_code == 503
    finally:
        production_platform.restart("audit")
    assert ingest.list_exhibits("OP-DOWN") == []
