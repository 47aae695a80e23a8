"""Ingest service settings (``LINESIGHT_*`` plus ``LINESIGHT_INGEST_DATABASE_URL``)."""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

from linesight_shared.settings import PlatformSettings
from pydantic import AliasChoices, Field


class IngestSettings(PlatformSettings):
    service_name: ClassVar[str] = "ingest"
    default_port: ClassVar[int] = 8102

    database_url: str | None = Field(
        None,
        validation_alias=AliasChoices("LINESIGHT_INGEST_DATABASE_URL"),
        description="SQLAlchemy URL of the ingest database (default: SQLite under var/)",
    )
    spool_dir: Path | None = Field(
        None,
        validation_alias=AliasChoices("LINESIGHT_INGEST_SPOOL_DIR"),
        description="Folder where uploads are spooled and hashed before they are stored, "
                    "and where parse jobs work (default: var/tmp/ingest)",
    )
    parse_batch_rows: int = Field(
        100_000, ge=1_000,
        validation_alias=AliasChoices("LINESIGHT_INGEST_PARSE_BATCH_ROWS"),
        description="Lines normalised per batch (one Parquet row group each); changing it "
                    "changes the Parquet bytes, not the rows",
    )

    def resolved_database_url(self) -> str:
        return self.database_url or self.default_database_url()

    def resolved_spool_dir(self) -> Path:
        path = self.spool_dir or self.var_dir / "tmp" / "ingest"
        path.mkdir(parents=True, exist_ok=True)
        return path
