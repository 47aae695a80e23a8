"""The real ingest, analytics and reporting apps wired in one process over the sample CDR.

No fakes: the exhibit is parsed by ingest, analysed by analytics and reported by
reporting, each calling the next through the shared clients, with the real audit app
behind all three. It checks that the three services agree on their contracts.
"""

from __future__ import annotations

import csv
import hashlib
import io
from pathlib import Path

import pytest
from linesight_analytics.app import build_runtime as build_analytics
from linesight_analytics.app import create_app as create_analytics
from linesight_analytics.settings import AnalyticsSettings
from linesight_ingest.app import build_runtime as build_ingest
from linesight_ingest.app import create_app as create_ingest
from linesight_ingest.settings import IngestSettings
from linesight_reporting.app import build_runtime as build_reporting
from linesight_reporting.app import create_app as create_reporting
from linesight_reporting.settings import ReportingSettings
from linesight_shared.clients.analytics import AnalyticsClient
from linesight_shared.clients.ingest import IngestClient
from linesight_shared.clients.reporting import ReportingClient
from pypdf import PdfReader
from starlette.testclient import TestClient

SAMPLE = Path(__file__).parents[3] / "samples" / "op-monza" / "ABC-1_deal-line_cdr.csv"


def drain(runtime) -> None:
    worker = runtime._worker or runtime.start_worker()
    runtime.broker.join(runtime.jobs.queue)
    worker.join()


@pytest.fixture
def platform(base_env, audit_double):
    """audit ← ingest ← analytics ← reporting, one object store folder, one process."""
    audit = TestClient(audit_double.app, base_url="http://audit")
    made = []

    def start(build, create, settings, **peers):
        runtime = build(settings, audit_http=audit, peer_http=peers)
        runtime.startup(with_workers=False)
        made.append(runtime)
        return runtime, create(settings, runtime=runtime, start_runtime=False)

    ingest = start(build_ingest, create_ingest, IngestSettings(**base_env))
    ingest_http = TestClient(ingest[1], base_url="http://ingest")
    analytics = start(build_analytics, create_analytics, AnalyticsSettings(**base_env),
                      ingest=ingest_http)
    reporting = start(build_reporting, create_reporting, ReportingSettings(**base_env),
                      ingest=TestClient(ingest[1], base_url="http://ingest"),
                      analytics=TestClient(analytics[1], base_url="http://analytics"))
    yield {"ingest": ingest, "analytics": analytics, "reporting": reporting}
    for runtime in made:
        runtime.shutdown()


def independent_count(other_national: str) -> int:
    """Rows of the sample, read with the csv module, naming ``other_national`` as the
    calling or called number (any spelling), data sessions left out."""
    with SAMPLE.open(newline="", encoding="utf-8") as f:
        return sum(1 for row in csv.DictReader(f)
                   if (row["Call Type"] or "").lower() not in ("data", "")
                   and row["Call Date"] != "31/09/2024"  # the sample's rejected record
                   and other_national in ((row["Calling Number"] or "")[-10:],
                                          (row["Called Number"] or "")[-10:]))


def test_a_sample_exhibit_goes_from_upload_to_a_report(platform, analyst_headers, tmp_path):
    token = analyst_headers["Authorization"].removeprefix("Bearer ")
    (ingest_rt, ingest_app), (analytics_rt, analytics_app), (reporting_rt, reporting_app) = (
        platform["ingest"], platform["analytics"], platform["reporting"])
    ingest = IngestClient(TestClient(ingest_app, base_url="http://ingest"), token)
    analytics = AnalyticsClient(TestClient(analytics_app, base_url="http://analytics"), token)
    reporting = ReportingClient(TestClient(reporting_app, base_url="http://reporting"), token)

    ingest.create_case("OP-MONZA", "CDA/2024/001234", title="Operation Monza")
    accepted = ingest.upload_exhibit("OP-MONZA", SAMPLE, "ABC/1", "cdr", "EE Ltd",
                                     "Deal line call data")
    drain(ingest_rt)
    assert ingest.get_job(accepted.job.id).status == "succeeded"
    ingest_report = ingest.ingest_report("OP-MONZA", accepted.exhibit.id)

    requested = analytics.request_analysis("OP-MONZA", "contact_frequency")
    drain(analytics_rt)
    assert analytics.get_job(requested.job.id).status == "succeeded"
    result = analytics.get_result(requested.analysis.id)
    summary = result.summary
    assert summary["events_read"] == ingest_report.rows_accepted
    assert summary["events_read"] == (summary["events_without_subject"]
                                      + summary["events_other_subjects"]
                                      + summary["data_sessions"] + summary["contact_events"])
    top = dict(zip(result.columns, result.rows[0], strict=True))
    assert top["total_events"] == sum(len(v) for v in top["source_rows"].values())
    if top["other_party_kind"] == "e164":
        assert top["total_events"] == independent_count(top["other_party"][-10:])

    report = reporting.request_report("OP-MONZA", [requested.analysis.id], title="Deal line")
    drain(reporting_rt)
    done = reporting.get_report(report.report.id)
    assert done.status == "succeeded", done.message
    pdf = reporting.download_pdf(done.id, tmp_path / "report.pdf")
    assert hashlib.sha256(pdf.read_bytes()).hexdigest() == done.sha256
    reader = PdfReader(io.BytesIO(pdf.read_bytes()))
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert f"Page 1 of {done.pages}" in reader.pages[0].extract_text()
    assert accepted.exhibit.sha256 in "".join(text.split())
    assert top["other_party"] in text
