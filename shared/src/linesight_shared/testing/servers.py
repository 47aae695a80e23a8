"""Real servers for integration tests: PostgreSQL databases, RabbitMQ vhosts, an S3 endpoint."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

import pytest

PG_HOST = os.environ.get("LINESIGHT_TEST_PG_HOST", "127.0.0.1")
PG_PORT = int(os.environ.get("LINESIGHT_TEST_PG_PORT", "5432"))
PG_USER = os.environ.get("LINESIGHT_TEST_PG_USER", "postgres")
RABBIT_HOST = os.environ.get("LINESIGHT_TEST_RABBIT_HOST", "127.0.0.1")
RABBIT_PORT = int(os.environ.get("LINESIGHT_TEST_RABBIT_PORT", "5672"))


def in_ci() -> bool:
    return os.environ.get("CI", "").lower() in {"1", "true", "yes"}


def require(condition: bool, reason: str) -> None:
    """Skip locally, fail in CI: a missing server must not turn a CI run green."""
    if condition:
        return
    if in_ci():
        pytest.fail(f"CI requires this server: {reason}", pytrace=False)
    pytest.skip(reason)


def port_open(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=1.0):
            return True
    except OSError:
        return False


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def postgres_database(prefix: str = "ls_test") -> Iterator[str]:
    """A fresh PostgreSQL database; yields its SQLAlchemy URL and drops it afterwards."""
    require(port_open(PG_HOST, PG_PORT), f"PostgreSQL is not listening on {PG_HOST}:{PG_PORT}")
    import psycopg

    name = f"{prefix}_{uuid.uuid4().hex[:12]}"
    admin = f"host={PG_HOST} port={PG_PORT} user={PG_USER} dbname=postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield f"postgresql+psycopg://{PG_USER}@{PG_HOST}:{PG_PORT}/{name}"
    finally:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@contextmanager
def rabbitmq_vhost(prefix: str = "ls_test") -> Iterator[str]:
    """A fresh RabbitMQ vhost (via rabbitmqctl); yields its AMQP URL and deletes it after."""
    require(port_open(RABBIT_HOST, RABBIT_PORT),
            f"RabbitMQ is not listening on {RABBIT_HOST}:{RABBIT_PORT}")
    ctl = shutil.which("rabbitmqctl")
    require(ctl is not None, "rabbitmqctl is not on PATH (needed to make a test vhost)")
    vhost = f"{prefix}_{uuid.uuid4().hex[:12]}"
    subprocess.run([ctl, "add_vhost", vhost], check=True, capture_output=True)
    subprocess.run([ctl, "set_permissions", "-p", vhost, "guest", ".*", ".*", ".*"],
                   check=True, capture_output=True)
    try:
        yield f"amqp://guest:guest@{RABBIT_HOST}:{RABBIT_PORT}/{vhost}"
    finally:
        subprocess.run([ctl, "delete_vhost", vhost], check=False, capture_output=True)


@contextmanager
def s3_endpoint() -> Iterator[str]:
    """A real S3 HTTP endpoint on loopback (moto's server); yields ``host:port``."""
    try:
        from moto.server import ThreadedMotoServer
    except ImportError:  # pragma: no cover
        require(False, "moto[server] is not installed")
    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    try:
        yield f"127.0.0.1:{port}"
    finally:
        server.stop()


def unique_bucket(prefix: str = "ls-test") -> str:
    return f"{prefix}-{uuid.uuid4().hex[:12]}"
