"""The app factory: correlation ids, error bodies, probes, and the fail-closed audit client."""

from __future__ import annotations

import httpx
import pytest
from fastapi import APIRouter
from linesight_shared.audit_client import AuditClient, Operation
from linesight_shared.auth import TokenIssuer
from linesight_shared.errors import AuditUnavailable, NotFound
from linesight_shared.runtime import ServiceRuntime
from linesight_shared.settings import DEV_TOKEN_SECRET, PlatformSettings
from linesight_shared.testing.fixtures import principal
from linesight_shared.web import CurrentUser, create_service_app

pytestmark = pytest.mark.anyio


@pytest.fixture
def anyio_backend():
    return "asyncio"


def _down(request):
    raise httpx.ConnectError("refused", request=request)


@pytest.fixture
def app(tmp_path):
    router = APIRouter()

    @router.get("/v1/thing/{x}")
    def thing(x: str, user: CurrentUser):
        if x == "missing":
            raise NotFound("thing missing does not exist")
        return {"x": x, "user": user.username}

    settings = PlatformSettings(var_dir=tmp_path)
    migrations = tmp_path / "migrations"
    runtime = ServiceRuntime(settings, database_url=f"sqlite:///{tmp_path}/t.sqlite3",
                             migrations_dir=migrations,
                             audit_http=httpx.Client(transport=httpx.MockTransport(_down),
                                                     base_url="http://audit"))
    return create_service_app(runtime, title="t", description="t", routers=[router],
                              start_runtime=False)


@pytest.fixture
async def client(app):
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app),
                                 base_url="http://t") as c:
        yield c


class TestApp:
    async def test_a_given_correlation_id_is_echoed(self, client, analyst_headers):
        r = await client.get("/v1/thing/a", headers={**analyst_headers,
                                                     "X-Correlation-ID": "case-42"})
        assert r.headers["x-correlation-id"] == "case-42"

    async def test_a_correlation_id_is_made_when_none_is_given(self, client, analyst_headers):
        r = await client.get("/v1/thing/a", headers=analyst_headers)
        assert len(r.headers["x-correlation-id"]) == 32

    async def test_anonymous_requests_get_401(self, client):
        r = await client.get("/v1/thing/a")
        assert (r.status_code, r.json()["error"]) == (401, "unauthorized")

    async def test_domain_errors_render_as_error_and_detail(self, client, analyst_headers):
        r = await client.get("/v1/thing/missing", headers=analyst_headers)
        assert r.status_code == 404
        assert r.json() == {"error": "not_found", "detail": "thing missing does not exist"}

    async def test_readiness_names_the_audit_service_when_it_is_down(self, client):
        r = await client.get("/ready")
        assert r.status_code == 503
        assert r.json()["checks"]["audit"].startswith("error")

    async def test_health_answers_without_a_token(self, client):
        r = await client.get("/health")
        assert r.status_code == 200


class TestAuditClient:
    def test_a_transport_failure_raises_audit_unavailable(self):
        tokens = TokenIssuer(DEV_TOKEN_SECRET)
        client = AuditClient(httpx.Client(transport=httpx.MockTransport(_down),
                                          base_url="http://audit"), tokens=tokens,
                             service="ingest")
        with pytest.raises(AuditUnavailable) as err:
            client.record(principal(tokens), Operation.consultation, case="OP-X")
        assert err.value.status_code == 503

    def test_a_5xx_answer_raises_audit_unavailable(self):
        tokens = TokenIssuer(DEV_TOKEN_SECRET)
        http = httpx.Client(transport=httpx.MockTransport(lambda r: httpx.Response(500)),
                            base_url="http://audit")
        with pytest.raises(AuditUnavailable):
            AuditClient(http, tokens=tokens, service="ingest").record(
                principal(tokens), Operation.consultation)

    def test_the_entry_is_sent_as_the_user_through_the_service(self):
        tokens = TokenIssuer(DEV_TOKEN_SECRET)
        seen = {}

        def handler(request):
            seen["p"] = tokens.verify(request.headers["authorization"].split()[1])
            return httpx.Response(201, json={"seq": 1, "entry": {}, "prev_hash": "00" * 32,
                                             "hash": "11" * 32, "leaf_hash": "22" * 32})

        http = httpx.Client(transport=httpx.MockTransport(handler), base_url="http://audit")
        AuditClient(http, tokens=tokens, service="ingest").record(
            principal(tokens), Operation.collection, case="OP-X")
        assert (seen["p"].username, seen["p"].acting_service) == ("a.analyst", "ingest")
