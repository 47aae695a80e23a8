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
from linesight_shared.testing.audit import AuditDouble
from linesight_shared.testing.fixtures import principal


@pytest.fixture
def audit(tmp_path):
    settings = AuditSettings(var_dir=tmp_path / "audit", checkpoint_interval_s=0)
    runtime = build_runtime(settings)
    runtime.startup()
    yield AuditDouble(create_app(settings, runtime=runtime, start_runtime=False), runtime)
    runtime.shutdown()


def test_a_refusal_made_while_audit_was_down_is_logged_once_it_is_back(audit, tmp_path):
    tokens = TokenIssuer(DEV_TOKEN_SECRET)
    audit.down = True
    client = AuditClient(httpx.Client(transport=httpx.MockTransport(audit.handler),
                                      base_url="http://audit"),
                         tokens=tokens, service="ingest",
                         outbox=AuditOutbox(tmp_path / "outbox", "ingest"))
    user = principal(tokens)
    with pytest.raises(AuditUnavailable):
        client.record(user, Operation.consultation, case="OP-X",
                      objects=[obj("exhibit", "e1", ref="ABC/1")], correlation_id="c-1")
    assert client.outbox.pending() == 1
    assert client.flush_refusals() == 0  # still down: kept
    audit.down = False
    assert client.flush_refusals() == 1
    assert client.flush_refusals() == 0 and client.outbox.pending() == 0
    entries = audit.entries("refused")
    assert len(entries) == 1
    e = entries[0]
    assert (e["actor"], e["service"], e["case"], e["outcome"], e["correlation_id"]) == (
        "a.analyst", "ingest", "OP-X", "refused", "c-1")
    assert e["parameters"]["attempted_operation"] == "consultation"
    assert e["objects"] == [{"id": "e1", "ref": "ABC/1", "type": "exhibit"}]
