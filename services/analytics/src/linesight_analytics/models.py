"""The analytics service's own SQLAlchemy registry: its tables never mix with another service's."""

from sqlalchemy.orm import registry
from sqlmodel import SQLModel


class AnalyticsModel(SQLModel, registry=registry()):
    """Base of every analytics table."""
