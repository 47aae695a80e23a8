"""The ingest service's own SQLAlchemy registry: its tables never mix with another service's."""

import uuid
from datetime import UTC, datetime

from sqlalchemy.orm import registry
from sqlmodel import SQLModel


class IngestModel(SQLModel, registry=registry()):
    """Base of every ingest table."""


def new_id() -> str:
    """A new row id: a UUID4 as 32 hex characters."""
    return uuid.uuid4().hex


def utcnow() -> datetime:
    return datetime.now(UTC)
