"""`make demo` on the embedded default: no servers, the sample case ends in a PDF."""

from __future__ import annotations

import json

import pytest
from linesight_shared.cli.demo import run_demo
from linesight_shared.testing.servers import free_port
from pypdf import PdfReader

pytestmark = pytest.mark.e2e


def test_the_demo_runs_the_sample_case_into_a_pdf_and_a_verified_audit_log(tmp_path):
    ports = {n: free_port() for n in ("audit", "ingest", "analytics", "reporting")}
    pdf = run_demo(tmp_path / "demo", ports=ports)
    assert pdf == tmp_path / "demo" / "report.pdf"
    reader = PdfReader(pdf)
    text = "\n".join(p.extract_text() for p in reader.pages)
    assert "OP-MONZA" in text and "MONZA/2" in text and "Co-location" in text
    assert "grid north" in text.lower()  # the timeline's map, drawn offline
    audit_lines = (tmp_path / "demo" / "audit-OP-MONZA.jsonl").read_text().splitlines()
    operations = {json.loads(line)["entry"]["operation"] for line in audit_lines}
    assert {"collection", "alteration", "combination", "export"} <= operations
    # the embedded default really used SQLite files and the local object folder
    state = tmp_path / "demo" / "state"
    assert {p.name for p in state.glob("*.sqlite3")} >= {
        "audit.sqlite3", "ingest.sqlite3", "analytics.sqlite3", "reporting.sqlite3"}
    assert any((state / "objects").rglob("*.pdf"))
    bundle = json.loads((tmp_path / "demo" / "audit-OP-MONZA-bundle.json").read_text())
    assert bundle["format"] == "linesight.audit-bundle/1" and bundle["entries"]
