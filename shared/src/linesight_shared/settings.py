"""Settings shared by every service, read from ``LINESIGHT_*`` environment variables.

Each service subclasses :class:`PlatformSettings` and adds its own database URL under
``LINESIGHT_<SERVICE>_DATABASE_URL``. The embedded default (no servers) needs no variable
at all: SQLite files and a local object folder under ``var/``, a StubBroker with worker
threads in the service's own process. Production sets the broker, object store and
database URLs to RabbitMQ, MinIO/S3 and PostgreSQL (see ``compose.yaml``).
"""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import ClassVar

from pydantic import Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

DEV_TOKEN_SECRET = "linesight-development-secret-do-not-use-in-production"


class Environment(StrEnum):
    development = "development"
    test = "test"
    production = "production"


class BrokerKind(StrEnum):
    stub = "stub"
    rabbitmq = "rabbitmq"


class ObjectStoreKind(StrEnum):
    local = "local"
    s3 = "s3"


class PlatformSettings(BaseSettings):
    """What every service needs: where the other services, the broker and the store are."""

    # populate_by_name: a service's own fields (database_url, read from an alias such as
    # LINESIGHT_INGEST_DATABASE_URL) can also be passed by name in code and tests.
    model_config = SettingsConfigDict(env_prefix="LINESIGHT_", extra="ignore",
                                      populate_by_name=True)

    service_name: ClassVar[str] = "platform"
    default_port: ClassVar[int] = 8100

    environment: Environment = Field(
        Environment.development,
        description="development, test or production; production refuses development secrets",
    )
    var_dir: Path = Field(
        Path("var"), description="Folder for embedded-mode state: SQLite files, objects, logs"
    )
    log_json: bool = Field(True, description="Render logs as JSON lines (false: console)")
    log_level: str = Field("INFO", description="Lowest log level written")

    # Identity
    token_secret: str = Field(
        DEV_TOKEN_SECRET, description="HMAC secret (HS256) that signs and checks access tokens"
    )
    token_ttl_s: int = Field(8 * 3600, description="Lifetime of an issued access token, seconds")
    users_file: Path = Field(
        Path("config/users.json"),
        description="JSON file of users, password hashes and roles for the local token issuer",
    )

    # Peer services
    audit_url: str = Field("http://127.0.0.1:8101", description="Base URL of the audit service")
    ingest_url: str = Field("http://127.0.0.1:8102", description="Base URL of the ingest service")
    analytics_url: str = Field(
        "http://127.0.0.1:8103", description="Base URL of the analytics service"
    )
    reporting_url: str = Field(
        "http://127.0.0.1:8104", description="Base URL of the reporting service"
    )
    http_timeout_s: float = Field(10.0, description="Timeout for calls between services")
    audit_outbox_flush_s: float = Field(
        5.0, description="Seconds between attempts to deliver refusals recorded locally while "
                         "the audit service was down (0: never)")

    # Jobs
    broker: BrokerKind = Field(BrokerKind.stub, description="stub (in-process) or rabbitmq")
    rabbitmq_url: str = Field(
        "amqp://guest:guest@127.0.0.1:5672/%2F", description="AMQP URL when broker=rabbitmq"
    )
    worker_threads: int = Field(2, description="Dramatiq worker threads per process")
    embedded_workers: bool = Field(
        True,
        description="Run Dramatiq workers inside the API process (embedded default). "
        "Set false when separate worker processes consume the queue.",
    )

    # Object store
    object_store: ObjectStoreKind = Field(ObjectStoreKind.local, description="local or s3")
    s3_endpoint: str = Field("127.0.0.1:9000", description="S3/MinIO endpoint host:port")
    s3_access_key: str = Field("minioadmin", description="S3 access key")
    s3_secret_key: str = Field("minioadmin", description="S3 secret key")
    s3_secure: bool = Field(False, description="Use HTTPS for S3")
    s3_region: str = Field("us-east-1", description="S3 region")
    s3_bucket: str = Field("linesight-evidence", description="Bucket for originals and derived data")
    s3_object_lock: bool = Field(
        False, description="Create the bucket with object lock and put originals under retention"
    )
    s3_retention_days: int = Field(
        3650, description="Retention (GOVERNANCE mode) of originals when object lock is on"
    )

    max_upload_bytes: int = Field(
        2 * 1024**3, description="Largest exhibit accepted in one upload, bytes"
    )

    @property
    def object_dir(self) -> Path:
        return self.var_dir / "objects"

    def default_database_url(self) -> str:
        return f"sqlite:///{(self.var_dir / f'{self.service_name}.sqlite3').as_posix()}"

    @model_validator(mode="after")
    def _refuse_development_secrets(self) -> PlatformSettings:
        if self.environment is Environment.production:
            if self.token_secret == DEV_TOKEN_SECRET or len(self.token_secret) < 32:
                raise ValueError(
                    "LINESIGHT_TOKEN_SECRET must be set to a random secret of 32+ characters "
                    "in production"
                )
            if self.object_store is ObjectStoreKind.s3 and self.s3_secret_key == "minioadmin":
                raise ValueError("LINESIGHT_S3_SECRET_KEY is the MinIO default in production")
        return self
