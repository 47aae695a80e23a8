"""Audit service settings (``LINESIGHT_*`` plus ``LINESIGHT_AUDIT_DATABASE_URL``)."""

from __future__ import annotations

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

    def resolved_database_url(self) -> str:
        return self.database_url or self.default_database_url()
