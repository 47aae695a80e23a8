"""Audit appends under load: the real service (uvicorn) on SQLite and PostgreSQL, 50
concurrent writers in another process over loopback for a fixed time; then the chain is
verified. Prints figures; asserts nothing about time."""

from __future__ import annotations

import asyncio
import multiprocessing as mp
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx
from linesight_shared.auth import TokenIssuer
from linesight_shared.settings import DEV_TOKEN_SECRET
from linesight_shared.testing import servers

WRITERS = 50
SECONDS = 15


async def _load(url: str, token: str, seconds: float, out) -> None:
    done = 0
    errors = 0
    deadline = time.monotonic() + seconds
    limits = httpx.Limits(max_connections=WRITERS, max_keepalive_connections=WRITERS)
    async with httpx.AsyncClient(base_url=url, limits=limits, timeout=30,
                                 headers={"Authorization": f"Bearer {token}"}) as client:
        async def writer(w: int) -> None:
            nonlocal done, errors
            i = 0
            while time.monotonic() < deadline:
                r = await client.post("/v1/entries", json={
                    "operation": "consultation", "case": "OP-LOAD",
                    "client_event_id": f"w{w}-{i}", "parameters": {"w": w, "i": i}})
                if r.status_code == 201:
                    done += 1
                else:
                    errors += 1
                i += 1
        await asyncio.gather(*(writer(w) for w in range(WRITERS)))
    out.put((done, errors))


def _load_process(url: str, token: str, seconds: float, out) -> None:
    asyncio.run(_load(url, token, seconds, out))


def run(label: str, db_url: str, var: Path) -> dict:
    port = servers.free_port()
    env = {**os.environ, "LINESIGHT_VAR_DIR": str(var), "LINESIGHT_AUDIT_DATABASE_URL": db_url,
           "LINESIGHT_AUDIT_CHECKPOINT_INTERVAL_S": "0", "LINESIGHT_LOG_LEVEL": "WARNING"}
    proc = subprocess.Popen([sys.executable, "-m", "uvicorn", "--factory",
                             "linesight_audit.app:create_app", "--port", str(port),
                             "--no-access-log", "--log-level", "warning"], env=env,
                            stderr=subprocess.DEVNULL, stdout=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                if httpx.get(url + "/ready", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            time.sleep(0.2)
        token = TokenIssuer(DEV_TOKEN_SECRET).issue("bench", ["analyst", "service"])
        q = mp.get_context("spawn").Queue()
        p = mp.get_context("spawn").Process(target=_load_process,
                                            args=(url, token, SECONDS, q))
        p.start()
        done, errors = q.get()
        p.join()
        t = time.perf_counter()
        report = httpx.get(url + "/v1/verify", headers={"Authorization": f"Bearer {token}"},
                           timeout=600).json()
        verify_s = time.perf_counter() - t
    finally:
        proc.terminate()
        proc.wait(10)
    return {"store": label, "appends": done, "errors": errors,
            "per_s": done / SECONDS, "verify_ok": report["ok"],
            "entries": report["entries_checked"], "verify_s": verify_s}


def main() -> list[dict]:
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        results.append(run("SQLite", f"sqlite:///{tmp}/a.sqlite3", Path(tmp) / "s"))
        if servers.port_open(servers.PG_HOST, servers.PG_PORT):
            with servers.postgres_database("ls_bench") as url:
                results.append(run("PostgreSQL", url, Path(tmp) / "p"))
    print(f"\naudit appends: uvicorn service, {WRITERS} concurrent writers in another process "
          f"for {SECONDS} s, then GET /v1/verify")
    print(f"{'store':12s} {'appends':>8s} {'per s':>7s} {'errors':>6s} {'verify s':>8s} ok")
    for r in results:
        print(f"{r['store']:12s} {r['appends']:8d} {r['per_s']:7.0f} {r['errors']:6d} "
              f"{r['verify_s']:8.2f} {r['verify_ok']}")
    return results


if __name__ == "__main__":
    main()
