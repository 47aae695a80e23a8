"""Exports of a finished result through the API: bytes, hash header, audit, refusals."""

from __future__ import annotations

import csv
import hashlib
import io

import pytest

pytestmark = pytest.mark.anyio

P1 = "+447700900002"


@pytest.fixture
def case(analytics, make_event):
    case = analytics.ingest.add_case("OP-MONZA")
    analytics.ingest.add_dataset(case, "ex1", [
        make_event("ex1", 2, "out", "voice", P1, duration=60, start="2024-03-01T10:00:00"),
        make_event("ex1", 3, "in", "sms", "=1+2", "invalid", start="2024-03-01T11:00:00"),
    ], exhibit_reference="ABC/1")
    return case


async def run_one(client, analytics, headers) -> dict:
    r = await client.post("/v1/cases/OP-MONZA/analyses", json={"kind": "contact_frequency"},
                          headers=headers)
    assert r.status_code == 202, r.text
    analytics.run_queued_jobs()
    return (await client.get(f"/v1/analyses/{r.json()['analysis']['id']}",
                             headers=headers)).json()


async def export(client, headers, analysis_id, fmt, **params):
    return await client.get(f"/v1/analyses/{analysis_id}/exports/{fmt}", params=params,
                            headers=headers)


class TestExports:
    async def test_csv_is_the_main_table_with_its_hash_and_is_audited(
            self, client, analytics, case, analyst_headers):
        analysis = await run_one(client, analytics, analyst_headers)
        r = await export(client, analyst_headers, analysis["id"], "csv")
        assert r.status_code == 200, r.text
        assert r.headers["x-content-sha256"] == hashlib.sha256(r.content).hexdigest()
        assert r.headers["content-type"].startswith("text/csv")
        rows = list(csv.reader(io.StringIO(r.content.decode("utf-8"))))
        doc = (await client.get(f"/v1/analyses/{analysis['id']}/result",
                                headers=analyst_headers)).json()
        assert rows[0] == doc["columns"] and len(rows) == 1 + len(doc["rows"])
        # a party served as "=1+2" cannot become a spreadsheet formula
        assert any(row[1] == "'=1+2" for row in rows[1:])
        again = await export(client, analyst_headers, analysis["id"], "csv")
        assert again.content == r.content
        exports = [e for e in analytics.audit.entries()
                   if e["parameters"].get("view") == "export"]
        assert exports and exports[-1]["parameters"]["format"] == "csv"

    async def test_xlsx_opens_and_is_byte_stable(self, client, analytics, case,
                                                  analyst_headers):
        analysis = await run_one(client, analytics, analyst_headers)
        first = await export(client, analyst_headers, analysis["id"], "xlsx")
        second = await export(client, analyst_headers, analysis["id"], "xlsx")
        assert first.status_code == 200 and first.content[:2] == b"PK"
        assert first.content == second.content

    async def test_a_non_spatial_result_has_no_kml(self, client, analytics, case,
                                                   analyst_headers):
        analysis = await run_one(client, analytics, analyst_headers)
        for fmt in ("kml", "geojson"):
            r = await export(client, analyst_headers, analysis["id"], fmt)
            assert r.status_code == 409 and "not spatial" in r.json()["detail"]

    async def test_unknown_table_and_format_are_refused(self, client, analytics,
                                                        case, analyst_headers):
        analysis = await run_one(client, analytics, analyst_headers)
        r = await export(client, analyst_headers, analysis["id"], "csv", table="nope")
        assert r.status_code == 404 and "nope" in r.json()["detail"]
        assert (await export(client, analyst_headers, analysis["id"], "pdf")).status_code == 422
