"""Audit service settings (``LINESIGHT_*`` plus ``LINESIGHT_AUDIT_DATABASE_URL``)."""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

from linesight_shared.settings import PlatformSettings
from pydantic import AliasChoices, Field


class AuditSettings(PlatformSettings):
    service_name: ClassVar[str] = "audit"
    default_port: ClassVar[int] = 8101

    database_url: str | None = Field(
        None,
        validation_alias=AliasChoices("LINESIGHT_AUDIT_DATABASE_URL"),
        description="SQLAlchemy URL of the audit database (default: SQLite under var/)",
    )

    log_origin: str = Field(
        "linesight.local/audit",
        validation_alias=AliasChoices("LINESIGHT_AUDIT_LOG_ORIGIN", "log_origin"),
        description="The log's origin line in checkpoints (and the signing key's name)",
    )
    signing_key_file: Path | None = Field(
        None,
        validation_alias=AliasChoices("LINESIGHT_AUDIT_SIGNING_KEY_FILE", "signing_key_file"),
        description="Ed25519 private key (PEM, PKCS#8) that signs checkpoints; made on first "
                    "start under var/ when unset (development)",
    )
    checkpoint_interval_s: float = Field(
        60.0,
        validation_alias=AliasChoices("LINESIGHT_AUDIT_CHECKPOINT_INTERVAL_S",
                                      "checkpoint_interval_s"),
        description="Seconds between scheduled checkpoints (0: on demand only)",
    )

    def resolved_signing_key_file(self) -> Path:
        return self.signing_key_file or self.var_dir / "audit-signing-key.pem"

    def resolved_database_url(self) -> str:
        return self.database_url or self.default_database_url()
