"""The audit service killed mid-append (SIGKILL) and restarted: the log still verifies,
every interrupted append is wholly there or wholly absent, and a retry tells the caller
which (200: it was written before the kill; 201: it was not, and is written now)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time

import httpx
import pytest
from linesight_shared.auth import TokenIssuer
from linesight_shared.settings import DEV_TOKEN_SECRET
from linesight_shared.testing import servers

pytestmark = pytest.mark.e2e
WRITERS = 8


def start(env: dict, port: int) -> subprocess.Popen:
    proc = subprocess.Popen([sys.executable, "-m", "uvicorn", "--factory",
                             "linesight_audit.app:create_app", "--port", str(port)],
                            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for _ in range(150):
        try:
            if httpx.get(f"http://127.0.0.1:{port}/ready", timeout=1).status_code == 200:
                return proc
        except httpx.HTTPError:
            pass
        time.sleep(0.1)
    proc.kill()
    raise RuntimeError("the audit service did not start")


@pytest.mark.parametrize("store", ["sqlite", "postgresql"])
def test_a_killed_audit_service_loses_or_duplicates_nothing(store, tmp_path, request):
    if store == "postgresql":
        db_url = request.getfixturevalue("pg_url")
    else:
        db_url = f"sqlite:///{tmp_path}/audit.sqlite3"
    port = servers.free_port()
    env = {**os.environ, "LINESIGHT_VAR_DIR": str(tmp_path / "var"),
           "LINESIGHT_AUDIT_DATABASE_URL": db_url, "LINESIGHT_LOG_LEVEL": "WARNING",
           "LINESIGHT_AUDIT_CHECKPOINT_INTERVAL_S": "0.2"}
    token = TokenIssuer(DEV_TOKEN_SECRET).issue("a.analyst", ["analyst", "service"])
    headers = {"Authorization": f"Bearer {token}"}
    url = f"http://127.0.0.1:{port}"
    proc = start(env, port)
    sent: list[str] = []
    lock = threading.Lock()
    stop = threading.Event()

    def writer(w: int) -> None:
        with httpx.Client(base_url=url, headers=headers, timeout=5) as client:
            i = 0
            while not stop.is_set():
                event_id = f"w{w}-{i}"
                with lock:
                    sent.append(event_id)
                try:
                    client.post("/v1/entries", json={"operation": "consultation",
                                                     "case": "OP-KILL",
                                                     "client_event_id": event_id})
                except httpx.HTTPError:
                    return  # the server died under this request
                i += 1

    threads = [threading.Thread(target=writer, args=(w,)) for w in range(WRITERS)]
    for t in threads:
        t.start()
    time.sleep(1.5)
    proc.send_signal(signal.SIGKILL)  # mid-append, no chance to clean up
    proc.wait(10)
    stop.set()
    for t in threads:
        t.join(10)
    assert len(sent) > 50, "too few appends were under way to test anything"

    proc = start(env, port)
    try:
        with httpx.Client(base_url=url, headers=headers, timeout=30) as client:
            before = client.get("/v1/verify").json()
            assert before["ok"], before["problems"]
            answers = {}
            for event_id in sent:
                r = client.post("/v1/entries", json={"operation": "consultation",
                                                     "case": "OP-KILL",
                                                     "client_event_id": event_id})
                answers[event_id] = r.status_code
            after = client.get("/v1/verify").json()
            latest = client.post("/v1/checkpoints").json()
    finally:
        proc.terminate()
        proc.wait(10)
    assert set(answers.values()) <= {200, 201}
    assert before["entries_checked"] == sum(1 for s in answers.values() if s == 200)
    assert after["ok"] and after["entries_checked"] == len(sent)  # each exactly once
    assert latest["size"] == len(sent)
