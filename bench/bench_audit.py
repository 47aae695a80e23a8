"""Audit log: append throughput (sequential and 16 concurrent writers) and verify speed.

Runs the audit service in-process (its real FastAPI app through Starlette's TestClient)
on the embedded SQLite default and, when reachable, on PostgreSQL. Prints figures; asserts
nothing about time.
"""

from __future__ import annotations

import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from linesight_audit.app import build_runtime, create_app
from linesight_audit.settings import AuditSettings
from linesight_shared.auth import TokenIssuer
from linesight_shared.settings import DEV_TOKEN_SECRET
from linesight_shared.testing import servers
from starlette.testclient import TestClient

N_SEQUENTIAL = 1000
N_CONCURRENT = 2000
WRITERS = 16


def _event(i: int) -> dict:
    return {"operation": "consultation", "case": "OP-BENCH",
            "objects": [{"type": "exhibit", "id": f"e{i}", "sha256": "ab" * 32}],
            "parameters": {"i": i}}


def run_one(label: str, database_url: str | None, var: Path) -> dict:
    settings = AuditSettings(var_dir=var, database_url=database_url, log_json=True,
                             log_level="WARNING")
    runtime = build_runtime(settings)
    runtime.startup()
    app = create_app(settings, runtime=runtime, start_runtime=False)
    headers = {"Authorization": f"Bearer {TokenIssuer(DEV_TOKEN_SECRET).issue('bench', ['analyst'])}"}
    out: dict = {"store": label}
    try:
        with TestClient(app) as client:
            t = time.perf_counter()
            for i in range(N_SEQUENTIAL):
                client.post("/v1/entries", json=_event(i), headers=headers).raise_for_status()
            out["sequential_per_s"] = N_SEQUENTIAL / (time.perf_counter() - t)

            def append(i: int) -> None:
                client.post("/v1/entries", json=_event(i), headers=headers).raise_for_status()

            t = time.perf_counter()
            with ThreadPoolExecutor(WRITERS) as pool:
                list(pool.map(append, range(N_CONCURRENT)))
            out["concurrent_per_s"] = N_CONCURRENT / (time.perf_counter() - t)

            t = time.perf_counter()
            report = client.get("/v1/verify", headers=headers).json()
            out["verify_s"] = time.perf_counter() - t
            out["entries"] = report["entries_checked"]
            out["verify_ok"] = report["ok"]
    finally:
        runtime.shutdown()
    return out


def main() -> list[dict]:
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        results.append(run_one("SQLite (embedded)", None, Path(tmp) / "sqlite"))
        if servers.port_open(servers.PG_HOST, servers.PG_PORT):
            with servers.postgres_database("ls_bench") as url:
                results.append(run_one("PostgreSQL", url, Path(tmp) / "pg"))
    print(f"\naudit appends through the HTTP API (in-process), {WRITERS} concurrent writers")
    print(f"{'store':20s} {'seq/s':>8s} {'conc/s':>8s} {'entries':>8s} {'verify s':>9s} ok")
    for r in results:
        print(f"{r['store']:20s} {r['sequential_per_s']:8.0f} {r['concurrent_per_s']:8.0f} "
              f"{r['entries']:8d} {r['verify_s']:9.3f} {r['verify_ok']}")
    return results


if __name__ == "__main__":
    main()
