"""pytest fixtures every service's tests use (loaded from the root ``conftest.py``)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from linesight_shared.auth import Principal, TokenIssuer
from linesight_shared.settings import DEV_TOKEN_SECRET
from linesight_shared.testing import servers

REPO_ROOT = Path(__file__).resolve().parents[4]
USERS_FILE = REPO_ROOT / "config" / "users.json"
SHARED_KIT = REPO_ROOT.parent / "shared"


@pytest.fixture
def tokens() -> TokenIssuer:
    return TokenIssuer(DEV_TOKEN_SECRET)


def bearer(tokens: TokenIssuer, username: str = "a.analyst",
           roles: tuple[str, ...] = ("analyst",)) -> dict[str, str]:
    """Authorization header for a user with the given roles."""
    return {"Authorization": f"Bearer {tokens.issue(username, set(roles))}"}


def principal(tokens: TokenIssuer, username: str = "a.analyst",
              roles: tuple[str, ...] = ("analyst",)) -> Principal:
    return tokens.verify(tokens.issue(username, set(roles)))


@pytest.fixture
def analyst_headers(tokens) -> dict[str, str]:
    return bearer(tokens, "a.analyst", ("analyst",))


@pytest.fixture
def officer_headers(tokens) -> dict[str, str]:
    return bearer(tokens, "d.officer", ("disclosure_officer",))


@pytest.fixture
def base_env(tmp_path) -> dict:
    """Settings keyword arguments for an embedded-mode service in a scratch folder."""
    return {"var_dir": tmp_path / "var", "users_file": USERS_FILE, "log_json": True,
            "environment": "test"}


@pytest.fixture
def pg_url() -> Iterator[str]:
    with servers.postgres_database() as url:
        yield url


@pytest.fixture
def rabbitmq_url() -> Iterator[str]:
    with servers.rabbitmq_vhost() as url:
        yield url


@pytest.fixture(scope="session")
def s3_endpoint() -> Iterator[str]:
    with servers.s3_endpoint() as endpoint:
        yield endpoint


@pytest.fixture
def s3_settings(s3_endpoint) -> dict:
    """Settings keyword arguments pointing the object store at a fresh bucket."""
    return {"object_store": "s3", "s3_endpoint": s3_endpoint, "s3_access_key": "testing",
            "s3_secret_key": "testing", "s3_bucket": servers.unique_bucket(),
            "s3_object_lock": True}


@pytest.fixture
def shared_kit() -> Path:
    """The team kit's datasets folder; skip locally, fail in CI, when it is absent."""
    servers.require(SHARED_KIT.is_dir(), f"the team kit {SHARED_KIT} is absent")
    return SHARED_KIT
