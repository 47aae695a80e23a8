"""The audit chain on real PostgreSQL: concurrent appends never fork or gap."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest
from linesight_shared.testing.fixtures import bearer
from starlette.testclient import TestClient

from .conftest import make_audit

pytestmark = pytest.mark.integration


def test_fifty_concurrent_appends_on_postgresql_give_a_linear_chain(base_env, pg_url, tokens):
    app, runtime = make_audit(base_env, database_url=pg_url)
    headers = bearer(tokens)
    try:
        with TestClient(app) as client:
            def append(i: int) -> int:
                r = client.post("/v1/entries", headers=headers,
                                json={"operation": "consultation", "case": "OP-PG",
                                      "parameters": {"i": i}})
                assert r.status_code == 201, r.text
                return r.json()["seq"]

            with ThreadPoolExecutor(max_workers=16) as pool:
                seqs = list(pool.map(append, range(50)))
            report = client.get("/v1/verify", headers=headers).json()
    finally:
        runtime.shutdown()
    assert sorted(seqs) == list(range(1, 51))
    assert report["ok"] is True and report["entries_checked"] == 50
