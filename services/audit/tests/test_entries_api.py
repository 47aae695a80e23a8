"""The audit log through its HTTP API (ASGITransport, embedded SQLite)."""

from __future__ import annotations

import asyncio
import json

import pytest
from linesight_audit.entries.chain import GENESIS_HASH
from linesight_shared.testing.fixtures import bearer
from sqlalchemy import text

pytestmark = pytest.mark.anyio


@pytest.fixture
def anyio_backend():
    return "asyncio"


def event(**kw):
    return {"operation": "consultation", "case": "OP-MONZA",
            "objects": [{"type": "exhibit", "id": "e1", "ref": "ABC/1", "sha256": "ab" * 32}],
            **kw}


class TestAppend:
    async def test_append_returns_sequence_number_and_hash(self, client, analyst_headers):
        r = await client.post("/v1/entries", json=event(), headers=analyst_headers)
        assert r.status_code == 201
        body = r.json()
        assert body["seq"] == 1
        assert body["prev_hash"] == GENESIS_HASH
        assert len(body["hash"]) == 64
        assert body["entry"]["actor"] == "a.analyst"
        assert body["entry"]["operation"] == "consultation"

    async def test_actor_comes_from_the_token_not_the_body(self, client, tokens):
        headers = bearer(tokens, "d.officer", ("disclosure_officer",))
        r = await client.post("/v1/entries", json=event(actor="someone.else"), headers=headers)
        assert r.json()["entry"]["actor"] == "d.officer"

    async def test_a_retry_with_the_same_client_event_id_is_written_once(self, client,
                                                                         analyst_headers):
        first = await client.post("/v1/entries", json=event(client_event_id="evt-1"),
                                  headers=analyst_headers)
        again = await client.post("/v1/entries", json=event(client_event_id="evt-1"),
                                  headers=analyst_headers)
        assert (first.status_code, again.status_code) == (201, 200)
        assert again.json()["seq"] == first.json()["seq"]
        report = (await client.get("/v1/verify", headers=analyst_headers)).json()
        assert report["entries_checked"] == 1

    async def test_an_anonymous_append_is_refused(self, client):
        r = await client.post("/v1/entries", json=event())
        assert r.status_code == 401
        assert r.json()["error"] == "unauthorized"

    async def test_fifty_concurrent_appends_give_fifty_consecutive_numbers(
            self, client, analyst_headers):
        results = await asyncio.gather(*[
            client.post("/v1/entries", json=event(parameters={"i": i}), headers=analyst_headers)
            for i in range(50)
        ])
        assert all(r.status_code == 201 for r in results)
        assert sorted(r.json()["seq"] for r in results) == list(range(1, 51))
        report = (await client.get("/v1/verify", headers=analyst_headers)).json()
        assert report["ok"] is True
        assert report["entries_checked"] == 50
        assert report["head_seq"] == 50


class TestVerify:
    async def _append(self, client, headers, n):
        for i in range(n):
            r = await client.post("/v1/entries", json=event(parameters={"i": i}), headers=headers)
            assert r.status_code == 201

    async def test_changing_one_stored_entry_makes_verify_name_it(self, client, audit_app,
                                                                   analyst_headers):
        await self._append(client, analyst_headers, 5)
        engine = audit_app.state.runtime.engine
        with engine.begin() as conn:
            raw = conn.execute(text("SELECT entry_json FROM audit_entries WHERE seq = 3")).scalar()
            entry = json.loads(raw)
            entry["parameters"]["i"] = 99
            tampered = json.dumps(entry, separators=(",", ":"), sort_keys=True)
            conn.execute(text("UPDATE audit_entries SET entry_json = :j WHERE seq = 3"),
                         {"j": tampered})
        report = (await client.get("/v1/verify", headers=analyst_headers)).json()
        assert report["ok"] is False
        assert report["first_bad_seq"] == 3
        assert any("was changed" in p["problem"] for p in report["problems"] if p["seq"] == 3)

    async def test_deleting_an_entry_is_reported_as_a_gap(self, client, audit_app,
                                                          analyst_headers):
        await self._append(client, analyst_headers, 4)
        with audit_app.state.runtime.engine.begin() as conn:
            conn.execute(text("DELETE FROM audit_entry_objects WHERE seq = 2"))
            conn.execute(text("DELETE FROM audit_entries WHERE seq = 2"))
        report = (await client.get("/v1/verify", headers=analyst_headers)).json()
        assert report["ok"] is False
        assert report["first_bad_seq"] == 3
        assert "sequence gap" in report["problems"][0]["problem"]

    async def test_editing_a_denormalised_column_is_detected(self, client, audit_app,
                                                             analyst_headers):
        await self._append(client, analyst_headers, 2)
        with audit_app.state.runtime.engine.begin() as conn:
            conn.execute(text("UPDATE audit_entries SET actor = 'nobody' WHERE seq = 1"))
        report = (await client.get("/v1/verify", headers=analyst_headers)).json()
        assert report["first_bad_seq"] == 1
        assert "column actor" in report["problems"][0]["problem"]


class TestExport:
    async def test_export_gives_a_case_as_json_lines_and_logs_the_export(
            self, client, analyst_headers, officer_headers):
        await client.post("/v1/entries", json=event(), headers=analyst_headers)
        await client.post("/v1/entries", json=event(case="OP-OTHER"), headers=analyst_headers)
        r = await client.get("/v1/cases/OP-MONZA/export", headers=officer_headers)
        assert r.status_code == 200
        assert r.headers["content-type"].startswith("application/x-ndjson")
        lines = [json.loads(x) for x in r.text.splitlines()]
        assert [line["entry"]["case"] for line in lines] == ["OP-MONZA", "OP-MONZA"]
        assert lines[-1]["entry"]["operation"] == "export"
        assert lines[-1]["entry"]["actor"] == "d.officer"

    async def test_an_analyst_may_not_export_the_log(self, client, analyst_headers):
        r = await client.get("/v1/cases/OP-MONZA/export", headers=analyst_headers)
        assert r.status_code == 403


class TestLogin:
    async def test_a_good_password_gives_a_token_and_a_login_entry(self, client, officer_headers):
        r = await client.post("/v1/auth/token", data={"username": "a.analyst",
                                                      "password": "analyst-demo-password"})
        assert r.status_code == 200
        token = r.json()["access_token"]
        me = await client.post("/v1/entries", json=event(),
                               headers={"Authorization": f"Bearer {token}"})
        assert me.json()["entry"]["actor"] == "a.analyst"
        logins = (await client.get("/v1/entries", params={"operation": "login"},
                                   headers=officer_headers)).json()["entries"]
        assert logins[0]["entry"]["outcome"] == "success"

    async def test_a_wrong_password_is_refused_and_logged(self, client, officer_headers):
        r = await client.post("/v1/auth/token", data={"username": "a.analyst",
                                                      "password": "wrong"})
        assert r.status_code == 401
        logins = (await client.get("/v1/entries", params={"operation": "login"},
                                   headers=officer_headers)).json()["entries"]
        assert [e["entry"]["outcome"] for e in logins] == ["refused"]


class TestReadOne:
    async def test_an_officer_reads_one_entry_and_the_reading_is_logged(
            self, client, analyst_headers, officer_headers):
        await client.post("/v1/entries", json=event(), headers=analyst_headers)
        r = await client.get("/v1/entries/1", headers=officer_headers)
        assert r.status_code == 200 and r.json()["seq"] == 1
        last = (await client.get("/v1/entries", headers=officer_headers)).json()["entries"]
        assert any(e["entry"]["parameters"] == {"seq": 1} for e in last)

    async def test_an_analyst_may_not_read_the_log_by_number(self, client, analyst_headers):
        await client.post("/v1/entries", json=event(), headers=analyst_headers)
        r = await client.get("/v1/entries/1", headers=analyst_headers)
        assert r.status_code == 403
