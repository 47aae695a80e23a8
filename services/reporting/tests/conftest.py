"""Fixtures of the reporting tests: report data, fake ingest and analytics, the apps."""

from __future__ import annotations

import hashlib
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime
from urllib.parse import unquote

import httpx
import pytest
import rfc8785
from fastapi import FastAPI
from linesight_audit.app import build_runtime as build_audit_runtime
from linesight_audit.app import create_app as create_audit_app
from linesight_audit.settings import AuditSettings
from linesight_reporting.app import build_runtime as build_reporting_runtime
from linesight_reporting.app import create_app
from linesight_reporting.rendering import (
    AnalysisInputInfo,
    AnalysisSection,
    CaseInfo,
    ExhibitInfo,
    IngestSummary,
    Reject,
    ReportData,
)
from linesight_reporting.settings import ReportingSettings
from linesight_shared.runtime import ServiceRuntime
from linesight_shared.testing.audit import AuditDouble

CASE_ID = "c" * 32
EXHIBIT_SHA = "9f2c4e6a8b0d1f3e5a7c9b1d3f5e7a9c0b2d4f6e8a1c3e5b7d9f1a3c5e7b9d1f"
DATASET_SHA = "1a" * 32
COLUMNS = ["subject", "other_party", "other_party_kind", "calls_out", "calls_in", "sms_out",
           "sms_in", "other_events", "total_events", "voice_duration_s", "first_contact_utc",
           "last_contact_utc", "exhibit_ids", "source_rows"]


def result_document(n_rows: int = 2) -> dict:
    """A contact-frequency result as the analytics service writes it (hand-made)."""
    rows = [["+447700900001", "+447700900002", "e164", 3, 2, 1, 0, 1, 7, 421,
             "2024-03-01T10:00:00Z", "2024-03-04T12:00:00Z", ["ex1"],
             {"ex1": [2, 3, 4, 5, 6, 9, 11]}],
            ["+447700900001", "WITHHELD", "withheld", 0, 2, 0, 0, 0, 2, 30,
             "2024-03-01T07:00:00Z", "2024-03-05T07:00:00Z", ["ex1"], {"ex1": [7, 8]}]]
    for n in range(len(rows), n_rows):
        rows.append(["+447700900001", f"+4477008{n:05d}", "e164", 1, 0, 0, 0, 0, 1, n,
                     "2024-03-02T10:00:00Z", "2024-03-02T10:00:00Z", ["ex1"],
                     {"ex1": [100 + n]}])
    return {
        "format": "linesight.analysis-result/1", "kind": "contact_frequency",
        "parameters": {"subject": "+447700900001"},
        "inputs": [{"dataset_id": "d1", "exhibit_id": "ex1", "exhibit_reference": "ABC/1",
                    "sha256": DATASET_SHA, "rows": 12}],
        "code_version": "linesight-analytics 0.1.0+gabc", "columns": COLUMNS,
        "definitions": {c: f"Meaning of {c}." for c in COLUMNS},
        "method": ["Withheld callers are counted together under WITHHELD."],
        "rows": rows[:n_rows],
        "summary": {"events_read": 12, "data_sessions": 1, "contact_events": 9,
                    "subjects": [{"subject": "+447700900001", "contact_events": 9,
                                  "other_parties": 2, "data_sessions": 1}]},
    }


def section_from(doc: dict, analysis_id: str = "a1") -> AnalysisSection:
    data = rfc8785.dumps(doc)
    return AnalysisSection(
        id=analysis_id, kind=doc["kind"], parameters=doc["parameters"],
        inputs=[AnalysisInputInfo(**i) for i in doc["inputs"]], code_version=doc["code_version"],
        result_sha256=hashlib.sha256(data).hexdigest(), created_by="a.analyst",
        finished_at=datetime(2024, 3, 10, 9, 30, tzinfo=UTC), columns=doc["columns"],
        rows=doc["rows"], summary=doc["summary"], definitions=doc["definitions"],
        method=doc["method"], result_bytes=data)


@pytest.fixture
def make_report_data():
    def make(n_rows: int = 2) -> ReportData:
        return ReportData(
            report_id="r1", title="Contact analysis", generated_by="a.analyst",
            case=CaseInfo(reference="OP-MONZA", title="Operation Monza",
                          authorisation_ref="AUTH-2024-0001"),
            generated_at=datetime(2024, 3, 11, 8, 0, tzinfo=UTC),
            metadata_date=datetime(2024, 3, 10, 9, 30, tzinfo=UTC),
            code_version="linesight-reporting 0.1.0+gabc",
            exhibits=[ExhibitInfo(id="ex1", reference="ABC/1", kind="cdr", producer="EE Ltd",
                                  filename="ee_cdr_0001.csv", size=123456, sha256=EXHIBIT_SHA)],
            ingest=[IngestSummary(
                exhibit_reference="ABC/1", status="succeeded", parser="generic-cdr-csv",
                parser_version="1", rows_read=14, rows_accepted=12, rows_rejected=2,
                rejects_by_reason={"unparseable date": 1, "missing direction": 1},
                rejects=[Reject(line=13, field="date", value="31/02/2024", reason="unparseable date"),
                         Reject(line=15, field="direction", value=None, reason="missing direction")],
                rejects_total=2)],
            analyses=[section_from(result_document(n_rows))],
        )

    return make


# -- fake peers ---------------------------------------------------------------------------

def _json(status: int, body) -> httpx.Response:
    return httpx.Response(status, json=body)


def _missing(what: str) -> httpx.Response:
    return _json(404, {"error": "not_found", "detail": f"{what} does not exist"})


class FakeIngest:
    """Ingest's case, exhibit and ingest-report API (contract shapes) as a MockTransport."""

    def __init__(self) -> None:
        self.case = {"id": CASE_ID, "reference": "OP-MONZA", "title": "Operation Monza",
                     "authorisation_ref": "AUTH-2024-0001", "created_by": "a.analyst",
                     "created_at": "2024-03-01T09:00:00Z"}
        self.exhibits = [self.exhibit("ex1", "ABC/1", EXHIBIT_SHA),
                         self.exhibit("ex2", "ABC/2", "2b" * 32, parsed=False)]
        self.reports = {"ex1": self.ingest_report("ex1", "ABC/1")}
        self.requests: list[httpx.Request] = []

    @staticmethod
    def exhibit(id_: str, reference: str, sha256: str, parsed: bool = True) -> dict:
        return {"id": id_, "case_id": CASE_ID, "case_reference": "OP-MONZA",
                "reference": reference, "kind": "cdr", "producer": "EE Ltd disclosure unit",
                "description": "Call data", "original_filename": f"{id_}_cdr.csv",
                "content_type": "text/csv", "size_bytes": 2048, "sha256": sha256,
                "object_key": f"cases/{CASE_ID}/exhibits/{sha256}", "uploaded_by": "a.analyst",
                "uploaded_at": "2024-03-02T09:00:00Z",
                "parse_status": "parsed" if parsed else "queued"}

    @staticmethod
    def ingest_report(exhibit_id: str, reference: str) -> dict:
        return {"exhibit_id": exhibit_id, "exhibit_reference": reference, "job_id": "j0",
                "status": "succeeded", "parser": "uk-operator-cdr", "parser_version": "1",
                "libraries": {"polars": "2"}, "source_sha256": EXHIBIT_SHA, "rows_read": 14,
                "rows_accepted": 12, "rows_rejected": 2, "blank_lines": 0,
                "rejects_by_reason": {"unparseable date": 1, "missing direction": 1},
                "rejects_total": 2, "rejects_truncated": False,
                "rejects": [{"line": 13, "field": "date", "value": "31/02/2024",
                             "reason": "unparseable date"},
                            {"line": 15, "field": "direction", "value": None,
                             "reason": "missing direction"}],
                "rejects_object_key": None, "rejects_sha256": None, "file_errors": [],
                "warnings": [], "first_event_utc": None, "last_event_utc": None,
                "subjects": [], "time_flags": {}, "party_kinds": {}, "dataset_id": "d1",
                "created_at": "2024-03-02T09:01:00Z"}

    def handler(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        parts = [unquote(p) for p in request.url.path.strip("/").split("/")]
        if parts[:3] != ["v1", "cases", "OP-MONZA"]:
            return _missing(request.url.path)
        rest = parts[3:]
        if rest == []:
            return _json(200, self.case)
        if rest == ["exhibits"]:
            return _json(200, {"exhibits": self.exhibits})
        if len(rest) == 3 and rest[0] == "exhibits" and rest[2] == "ingest-report":
            found = self.reports.get(rest[1])
            return _json(200, found) if found else _missing(f"ingest report of {rest[1]}")
        return _missing(request.url.path)


class FakeAnalytics:
    """Analytics' analysis and result API as a MockTransport, serving hand-made results."""

    def __init__(self) -> None:
        self.analyses: dict[str, dict] = {}
        self.results: dict[str, bytes] = {}
        self.requests: list[httpx.Request] = []

    def add(self, analysis_id: str, doc: dict | None = None, *, status: str = "succeeded",
            case_reference: str = "OP-MONZA") -> dict:
        doc = doc or result_document()
        data = rfc8785.dumps(doc)
        done = status == "succeeded"
        self.analyses[analysis_id] = {
            "id": analysis_id, "case_reference": case_reference, "kind": doc["kind"],
            "status": status, "message": None, "parameters": doc["parameters"],
            "inputs": doc["inputs"], "code_version": doc["code_version"] if done else None,
            "result_sha256": hashlib.sha256(data).hexdigest() if done else None,
            "result_object_key": f"cases/{CASE_ID}/analyses/x.json" if done else None,
            "result_rows": len(doc["rows"]) if done else None, "job_id": "j1",
            "created_by": "a.analyst", "created_at": "2024-03-10T09:00:00Z",
            "finished_at": "2024-03-10T09:30:00Z" if done else None}
        if done:
            self.results[analysis_id] = data
        return self.analyses[analysis_id]

    def handler(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        parts = request.url.path.strip("/").split("/")
        if parts[:2] != ["v1", "analyses"] or len(parts) < 3 or parts[2] not in self.analyses:
            return _missing(request.url.path)
        if len(parts) == 3:
            return _json(200, self.analyses[parts[2]])
        if parts[3:] == ["result"] and parts[2] in self.results:
            data = self.results[parts[2]]
            return httpx.Response(200, content=data, headers={
                "content-type": "application/json",
                "X-Content-SHA256": hashlib.sha256(data).hexdigest()})
        return _missing(request.url.path)


# -- the services -------------------------------------------------------------------------



@dataclass
class Reporting:
    app: FastAPI
    runtime: ServiceRuntime
    ingest: FakeIngest
    analytics: FakeAnalytics
    audit: AuditDouble

    def run_queued_jobs(self) -> None:
        """Process every enqueued message with a real Dramatiq worker (StubBroker)."""
        worker = self.runtime._worker or self.runtime.start_worker()
        self.runtime.broker.join(self.runtime.jobs.queue)
        worker.join()


def mock_client(handler, base_url: str) -> httpx.Client:
    return httpx.Client(transport=httpx.MockTransport(handler), base_url=base_url)


@pytest.fixture
def audit_double(base_env):
    settings = AuditSettings(**base_env)
    runtime = build_audit_runtime(settings)
    runtime.startup()
    yield AuditDouble(create_audit_app(settings, runtime=runtime, start_runtime=False), runtime)
    runtime.shutdown()


@pytest.fixture
def make_reporting(audit_double):
    """``make_reporting(**settings)``: the service over its own database and store."""
    made: list[ServiceRuntime] = []

    def make(**settings) -> Reporting:
        cfg = ReportingSettings(**settings)
        ingest, analytics = FakeIngest(), FakeAnalytics()
        runtime = build_reporting_runtime(
            cfg, audit_http=mock_client(audit_double.handler, "http://audit"),
            peer_http={"ingest": mock_client(ingest.handler, "http://ingest"),
                       "analytics": mock_client(analytics.handler, "http://analytics")})
        runtime.startup(with_workers=False)
        made.append(runtime)
        return Reporting(app=create_app(cfg, runtime=runtime, start_runtime=False),
                         runtime=runtime, ingest=ingest, analytics=analytics,
                         audit=audit_double)

    yield make
    for runtime in made:
        runtime.shutdown()


@pytest.fixture
def reporting(make_reporting, base_env) -> Reporting:
    return make_reporting(**base_env)


@pytest.fixture
async def client(reporting) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=reporting.app)
    async with httpx.AsyncClient(transport=transport, base_url="http://reporting") as c:
        yield c


@pytest.fixture
def anyio_backend():
    return "asyncio"
