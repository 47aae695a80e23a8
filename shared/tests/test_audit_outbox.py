"""A refusal made while the audit service is down reaches the log once it is back."""

from __future__ import annotations

import httpx
import pytest
from linesight_audit.app import build_runtime, create_app
from linesight_audit.settings import AuditSettings
from linesight_shared.audit_client import AuditClient, Operation, obj
from linesight_shared.audit_outbox import AuditOutbox
from linesight_shared.auth import TokenIssuer
from linesight_shared.errors import AuditUnavailable
from linesight_shared.settings import DEV_TOKEN_SECRET
from linesight_shared.testing.fixtures import bearer, principal
from starlette.testclient import TestClient


class Switchable(httpx.BaseTransport):
    """The audit service behind a switch: down raises ConnectError, up forwards."""

    def __init__(self, app) -> None:
        self.up = False
        self.client = TestClient(app, base_url="http://audit")

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        if not self.up:
            raise httpx.ConnectError("connection refused", request=request)
        r = self.client.request(request.method, request.url.path, content=request.content,
                                headers=dict(request.headers))
        return httpx.Response(r.status_code, content=r.content, headers=r.headers)


@pytest.fixture
def audit(tmp_path):
    settings = AuditSettings(var_dir=tmp_path / "audit", checkpoint_interval_s=0)
    runtime = build_runtime(settings)
    runtime.startup()
    yield create_app(settings, runtime=runtime, start_runtime=False)
    runtime.shutdown()


def test_a_refusal_made_while_audit_was_down_is_logged_once_it_is_back(audit, tmp_path):
    tokens = TokenIssuer(DEV_TOKEN_SECRET)
    switch = Switchable(audit)
    client = AuditClient(httpx.Client(transport=switch, base_url="http://audit"),
                         tokens=tokens, service="ingest",
                         outbox=AuditOutbox(tmp_path / "outbox", "ingest"))
    user = principal(tokens)
    with pytest.raises(AuditUnavailable):
        client.record(user, Operation.consultation, case="OP-X",
                      objects=[obj("exhibit", "e1", ref="ABC/1")], correlation_id="c-1")
    assert client.outbox.pending() == 1
    assert client.flush_refusals() == 0  # still down: kept
    switch.up = True
    assert client.flush_refusals() == 1
    assert client.flush_refusals() == 0 and client.outbox.pending() == 0
    entries = TestClient(audit).get("/v1/entries", params={"operation": "refused"},
                                    headers=bearer(tokens, "d.officer",
                                                   ("disclosure_officer",))).json()["entries"]
    assert len(entries) == 1
    e = entries[0]["entry"]
    assert (e["actor"], e["service"], e["case"], e["outcome"], e["correlation_id"]) == (
        "a.analyst", "ingest", "OP-X", "refused", "c-1")
    assert e["parameters"]["attempted_operation"] == "consultation"
    assert e["objects"] == [{"id": "e1", "ref": "ABC/1", "type": "exhibit"}]
