"""The whole platform as real processes on PostgreSQL, RabbitMQ and S3 (moto on loopback).

Each test session gets four fresh PostgreSQL databases, a fresh RabbitMQ vhost and a fresh
bucket; the services and their separate worker processes run on free loopback ports.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from linesight_shared.cli.session import Session
from linesight_shared.platform import Platform
from linesight_shared.settings import PlatformSettings
from linesight_shared.testing import servers
from linesight_shared.testing.fixtures import REPO_ROOT, USERS_FILE

SAMPLE = REPO_ROOT / "samples" / "op-monza" / "ABC-1_deal-line_cdr.csv"


@pytest.fixture(scope="session")
def production_platform(tmp_path_factory) -> Iterator[Platform]:
    state = tmp_path_factory.mktemp("platform")
    with contextlib.ExitStack() as stack:
        dbs = {name: stack.enter_context(servers.postgres_database(f"ls_e2e_{name}"))
               for name in ("audit", "ingest", "analytics", "reporting")}
        amqp = stack.enter_context(servers.rabbitmq_vhost("ls_e2e"))
        s3 = stack.enter_context(servers.s3_endpoint())
        env = {
            "LINESIGHT_ENVIRONMENT": "test",
            "LINESIGHT_VAR_DIR": str(state / "var"),
            "LINESIGHT_USERS_FILE": str(USERS_FILE),
            "LINESIGHT_BROKER": "rabbitmq",
            "LINESIGHT_RABBITMQ_URL": amqp,
            "LINESIGHT_OBJECT_STORE": "s3",
            "LINESIGHT_S3_ENDPOINT": s3,
            "LINESIGHT_S3_ACCESS_KEY": "testing",
            "LINESIGHT_S3_SECRET_KEY": "testing",
            "LINESIGHT_S3_BUCKET": servers.unique_bucket("ls-e2e"),
            "LINESIGHT_S3_OBJECT_LOCK": "true",
            **{f"LINESIGHT_{n.upper()}_DATABASE_URL": url for n, url in dbs.items()},
        }
        ports = {n: servers.free_port() for n in ("audit", "ingest", "analytics", "reporting")}
        platform = Platform(env=env, log_dir=state / "logs", ports=ports, workers=True)
        stack.enter_context(platform)
        yield platform


def login(platform: Platform, username: str, password: str) -> Session:
    settings = PlatformSettings(**{f"{s.name}_url": s.url for s in platform.specs})
    session = Session(settings=settings, token=None)
    session.token = session.audit().login(username, password).access_token
    return session


@pytest.fixture
def analyst(production_platform) -> Session:
    return login(production_platform, "a.analyst", "analyst-demo-password")


@pytest.fixture
def officer(production_platform) -> Session:
    return login(production_platform, "d.officer", "disclosure-demo-password")


def get(platform: Platform, service: str, path: str, token: str) -> httpx.Response:
    return httpx.get(platform.url(service) + path, headers={"Authorization": f"Bearer {token}"},
                     timeout=30)


__all__ = ["SAMPLE", "Path", "get", "login"]
