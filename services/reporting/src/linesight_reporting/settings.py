"""Reporting service settings (``LINESIGHT_*`` plus ``LINESIGHT_REPORTING_*``)."""

from __future__ import annotations

from typing import ClassVar

from linesight_shared.auditverify.note import NoteError, parse_verifier_key
from linesight_shared.settings import PlatformSettings
from pydantic import AliasChoices, Field, field_validator

from linesight_reporting.rendering.maps.tiles import TileSource


class ReportingSettings(PlatformSettings):
    service_name: ClassVar[str] = "reporting"
    default_port: ClassVar[int] = 8104

    database_url: str | None = Field(
        None,
        validation_alias=AliasChoices("LINESIGHT_REPORTING_DATABASE_URL"),
        description="SQLAlchemy URL of the reporting database (default: SQLite under var/)",
    )
    map_tile_url: str | None = Field(
        None,
        validation_alias=AliasChoices("LINESIGHT_REPORTING_MAP_TILE_URL", "map_tile_url"),
        description="URL template of a Web Mercator tile server drawn under report maps, "
                    "e.g. http://127.0.0.1:8080/{z}/{x}/{y}.png (default: none; maps are "
                    "drawn offline)",
    )
    map_tile_attribution: str | None = Field(
        None,
        validation_alias=AliasChoices("LINESIGHT_REPORTING_MAP_TILE_ATTRIBUTION",
                                      "map_tile_attribution"),
        description="Credit printed on maps with a tile background, e.g. "
                    "'© OpenStreetMap contributors'",
    )

    audit_verifier_key: str | None = Field(
        None,
        validation_alias=AliasChoices("LINESIGHT_REPORTING_AUDIT_VERIFIER_KEY",
                                      "audit_verifier_key"),
        description="The audit log's verifier key (C2SP name+keyid+base64, as printed by "
                    "`linesight audit bundle`), obtained out of band. When set, an audit "
                    "summary is made only if the audit service presents this same key and "
                    "the bundle verifies against it; when unset, the key the audit service "
                    "presents is used and the PDF says it was not pinned",
    )

    @field_validator("audit_verifier_key")
    @classmethod
    def _verifier_key(cls, value: str | None) -> str | None:
        if not value or not value.strip():
            return None
        try:
            parse_verifier_key(value)
        except NoteError as exc:
            raise ValueError(f"LINESIGHT_REPORTING_AUDIT_VERIFIER_KEY: {exc}") from exc
        return value.strip()

    @field_validator("map_tile_url")
    @classmethod
    def _tile_template(cls, value: str | None) -> str | None:
        if not value:
            return None
        if not value.startswith(("http://", "https://")):
            raise ValueError("LINESIGHT_REPORTING_MAP_TILE_URL must be an http(s) URL")
        missing = [p for p in ("{z}", "{x}", "{y}") if p not in value]
        if missing:
            raise ValueError("LINESIGHT_REPORTING_MAP_TILE_URL must contain "
                             f"{', '.join(missing)}")
        return value

    def resolved_database_url(self) -> str:
        return self.database_url or self.default_database_url()

    def map_tile_source(self) -> TileSource | None:
        """Where map backgrounds come from (None: maps are drawn offline)."""
        if self.map_tile_url is None:
            return None
        return TileSource(url_template=self.map_tile_url,
                          attribution=self.map_tile_attribution or None,
                          timeout_s=self.http_timeout_s)
