"""Datasets: normalised canonical tables (Parquet) derived from an exhibit."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel
from sqlalchemy import BigInteger, UniqueConstraint
from sqlmodel import Field

from linesight_ingest.models import IngestModel


class DatasetBase(IngestModel):
    """Where a dataset is and how it was made. Readers fetch ``object_key`` from the object
    store and check the bytes against ``sha256``."""

    table: str = Field(max_length=32, description="canonical table, e.g. events")
    object_key: str = Field(max_length=255)
    sha256: str = Field(max_length=64, description="SHA-256 of the Parquet file, hex")
    size_bytes: int = Field(sa_type=BigInteger)
    rows: int = Field(sa_type=BigInteger)
    schema_version: int
    parser: str = Field(max_length=64)
    parser_version: str = Field(max_length=32)
    created_at: datetime


class Dataset(DatasetBase, table=True):
    """A stored dataset. One per exhibit, table and parser version: a re-run reuses it."""

    __tablename__ = "datasets"
    __table_args__ = (
        UniqueConstraint("exhibit_id", "table", "parser", "parser_version",
                         name="uq_datasets_exhibit_parser"),
    )

    id: str = Field(primary_key=True, max_length=32)
    case_id: str = Field(foreign_key="cases.id", index=True, max_length=32)
    exhibit_id: str = Field(foreign_key="exhibits.id", index=True, max_length=32)
    created_by: str = Field(max_length=128)


class DatasetPublic(DatasetBase):
    """A dataset as the API shows it, with the case and exhibit it belongs to."""

    id: str
    case_id: str
    case_reference: str
    exhibit_id: str
    exhibit_reference: str


class DatasetList(BaseModel):
    datasets: list[DatasetPublic]
