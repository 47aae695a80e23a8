"""The reporting service's own SQLAlchemy registry: its tables never mix with another service's."""

from sqlalchemy.orm import registry
from sqlmodel import SQLModel


class ReportingModel(SQLModel, registry=registry()):
    """Base of every reporting table."""
